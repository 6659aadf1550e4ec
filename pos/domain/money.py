"""Money in integer kopecks and quantities in integer thousandths.

The API counts money in kopecks and quantities in thousandths (1 pc = 1000, 1 kg = 1000 g), so
every amount in the program is an int; floats never touch money.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

QUANTITY_UNIT = 1000
"""Thousandths in one piece or one kilogram."""

MAX_MONEY = 10_000_000_00
"""The largest single amount (10 million hryvnias) accepted from a person or a file."""

MAX_QUANTITY = 100_000 * QUANTITY_UNIT
"""The largest quantity (100 000 pcs or kg) accepted on one line."""


class MoneyFormatError(ValueError):
    """A text is not an amount of money or a quantity the shop can accept."""


def div_round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero (1.5 → 2, -1.5 → -2), as fiscal sums round."""
    if denominator == 0:
        raise ZeroDivisionError("division by zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return magnitude if numerator >= 0 else -magnitude


def line_sum(price: int, quantity: int) -> int:
    """Sum of a receipt line: price (kopecks) × quantity (thousandths), rounded half up."""
    return div_round_half_up(price * quantity, QUANTITY_UNIT)


def format_money(kopecks: int) -> str:
    """56300 → "563.00"; -5 → "-0.05" (the API's and the tax service's notation)."""
    sign = "-" if kopecks < 0 else ""
    hryvnias, kop = divmod(abs(kopecks), 100)
    return f"{sign}{hryvnias}.{kop:02d}"


def format_quantity(thousandths: int) -> str:
    """1250 → "1.250"; 2000 → "2.000"."""
    sign = "-" if thousandths < 0 else ""
    whole, part = divmod(abs(thousandths), QUANTITY_UNIT)
    return f"{sign}{whole}.{part:03d}"


_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d*)?$|^[+-]?[.,]\d+$")


def _parse_decimal(text: str, places: int, what: str) -> int:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("_", "")
    if not cleaned or not _NUMBER.match(cleaned):
        raise MoneyFormatError(f"{what}: '{text}' is not a number")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the regex already filters these
        raise MoneyFormatError(f"{what}: '{text}' is not a number") from exc
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise MoneyFormatError(f"{what}: '{text}' has more than {places} decimal places")
    return int(scaled)


def parse_money(text: str) -> int:
    """Hryvnias as a person types them ("563", "563.5", "563,50") → kopecks.

    Rejects more than two decimals rather than rounding silently: a mistyped price must be seen.
    """
    kopecks = _parse_decimal(text, 2, "amount")
    if abs(kopecks) > MAX_MONEY:
        raise MoneyFormatError(f"amount: '{text}' is larger than {format_money(MAX_MONEY)}")
    return kopecks


def parse_quantity(text: str) -> int:
    """Pieces or kilograms ("2", "1.250", "0,5") → thousandths; at most three decimals."""
    thousandths = _parse_decimal(text, 3, "quantity")
    if abs(thousandths) > MAX_QUANTITY:
        raise MoneyFormatError(f"quantity: '{text}' is larger than {format_quantity(MAX_QUANTITY)}")
    return thousandths
