"""NBU cash rounding: only cash totals are rounded, card totals never are.

`ROUND_50` is the rule in force since 2025-10-01 and the default; `ROUND_10` is the older rule
the seed's Z-report example uses (16417 → 16420, a round-up of 3 kopecks).
"""

from __future__ import annotations

from enum import StrEnum


class RoundingMode(StrEnum):
    ROUND_50 = "ROUND_50"
    ROUND_10 = "ROUND_10"


def _round_positive(amount: int, mode: RoundingMode) -> int:
    if mode is RoundingMode.ROUND_10:
        base, rest = divmod(amount, 10)
        return base * 10 + (10 if rest >= 5 else 0)
    hryvnias, kop = divmod(amount, 100)
    if kop < 25:
        rounded = 0
    elif kop < 75:
        rounded = 50
    else:
        rounded = 100
    return hryvnias * 100 + rounded


def round_cash(amount: int, mode: RoundingMode = RoundingMode.ROUND_50) -> int:
    """The amount a customer pays (or receives) in cash for `amount` kopecks.

    ROUND_50: …01–24 → …00, …25–49 → …50, …51–74 → …50, …75–99 → next hryvnia.
    ROUND_10: …1–4 down, …5–9 up to the next 10 kopecks. Negative amounts mirror positive ones.
    """
    if amount < 0:
        return -_round_positive(-amount, mode)
    return _round_positive(amount, mode)
