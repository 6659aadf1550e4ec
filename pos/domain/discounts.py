"""Discounts and extra charges, per line or per receipt, and their exact distribution.

A receipt-level discount is spread over the lines it covers in proportion to their sums with the
largest-remainder method, so the parts always add up to the whole to the kopeck (a return of one
line then refunds exactly what that line cost).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from pos.domain.money import div_round_half_up


class DiscountType(StrEnum):
    DISCOUNT = "DISCOUNT"
    EXTRA_CHARGE = "EXTRA_CHARGE"


class DiscountMode(StrEnum):
    VALUE = "VALUE"
    PERCENT = "PERCENT"


@dataclass(frozen=True)
class Discount:
    """A discount or extra charge: VALUE in kopecks, PERCENT in percent (e.g. Decimal("7.5")).

    `tax_codes` limits a receipt-level discount to the lines with those taxes (the API's
    `tax_codes`); empty means every line.
    """

    type: DiscountType
    mode: DiscountMode
    value: int | Decimal
    name: str = ""
    tax_codes: tuple[int, ...] = ()

    @property
    def sign(self) -> int:
        """-1 for a discount (lowers the sum), +1 for an extra charge."""
        return -1 if self.type is DiscountType.DISCOUNT else 1

    def amount_of(self, base: int) -> int:
        """The magnitude in kopecks of this discount applied to `base` kopecks."""
        if self.mode is DiscountMode.VALUE:
            return int(self.value)
        # value p/q percent of base, exactly: base × p / 100q, rounded half up.
        p, q = self.value.as_integer_ratio()
        return div_round_half_up(base * p, 100 * q)


def distribute(amount: int, weights: Sequence[int]) -> list[int]:
    """Split `amount` in proportion to non-negative `weights`; the parts sum exactly to `amount`.

    Largest remainder: every part gets its floor, then the leftover kopecks go one each to the
    parts with the largest remainders (ties to the earlier part). Zero weights get nothing unless
    every weight is zero, when the amount is split evenly.
    """
    if not weights:
        if amount:
            raise ValueError("cannot distribute a non-zero amount over nothing")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    if amount < 0:
        return [-part for part in distribute(-amount, weights)]
    total = sum(weights)
    effective = list(weights) if total else [1] * len(weights)
    total = sum(effective)
    floors = [amount * w // total for w in effective]
    remainders = [amount * w % total for w in effective]
    leftover = amount - sum(floors)
    order = sorted(range(len(effective)), key=lambda i: (-remainders[i], i))
    for i in order[:leftover]:
        floors[i] += 1
    return floors
