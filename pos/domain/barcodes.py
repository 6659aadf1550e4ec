"""Barcodes as a scanner or a catalogue file gives them: checked, normalised, and scale labels
decoded.

A scanner types digits and Enter; a mistyped or damaged code must be refused with a reason rather
than sell the wrong good. In-store scale labels are EAN-13 codes with a 2x prefix that carry the
item's code and its weight (or price) in the code itself.
"""

from __future__ import annotations

from dataclasses import dataclass


class BarcodeError(ValueError):
    """A text that is not a barcode the shop can use; the message says why."""


def ean13_check_digit(first12: str) -> int:
    """The check digit of an EAN-13 (also EAN-8 and UPC-A, right-aligned) from its other digits."""
    if not first12.isdigit():
        raise BarcodeError(f"'{first12}' must contain only digits")
    total = 0
    for position, digit in enumerate(reversed(first12)):
        total += int(digit) * (3 if position % 2 == 0 else 1)
    return (10 - total % 10) % 10


def is_valid_ean13(code: str) -> bool:
    """True for 13 digits whose last digit is the right check digit."""
    return len(code) == 13 and code.isdigit() and ean13_check_digit(code[:12]) == int(code[12])


def _valid_gtin(code: str) -> bool:
    return code.isdigit() and ean13_check_digit(code[:-1]) == int(code[-1])


def normalize_barcode(text: str) -> str:
    """A barcode as stored: digits of EAN-8/UPC-A/EAN-13 (UPC-A widened to EAN-13), checked.

    Raises BarcodeError with the reason: wrong length, not digits, or a wrong check digit.
    """
    code = text.strip().replace(" ", "")
    if not code:
        raise BarcodeError("the barcode is empty")
    if not code.isdigit():
        raise BarcodeError(f"barcode '{code}' must contain only digits")
    if len(code) not in (8, 12, 13, 14):
        raise BarcodeError(f"barcode '{code}' has {len(code)} digits; expected 8, 12, 13 or 14")
    if not _valid_gtin(code):
        raise BarcodeError(f"barcode '{code}' has a wrong check digit")
    if len(code) == 12:
        return "0" + code
    return code


@dataclass(frozen=True)
class ScaleBarcode:
    """A scale label: the item it names and the weight (thousandths of kg) or price it holds."""

    item_code: str
    quantity: int | None = None
    price: int | None = None


WEIGHT_PREFIXES = ("20", "21", "22", "23", "24")
PRICE_PREFIXES = ("25", "26", "27", "28", "29")


def parse_scale_barcode(
    code: str,
    *,
    weight_prefixes: tuple[str, ...] = WEIGHT_PREFIXES,
    price_prefixes: tuple[str, ...] = PRICE_PREFIXES,
) -> ScaleBarcode | None:
    """Decode `PP IIIII VVVVV C`: prefix, 5-digit item code, 5-digit weight in grams or price in
    kopecks, check digit. None when the code is not a scale label."""
    if not is_valid_ean13(code):
        return None
    prefix, item, value = code[:2], code[2:7], int(code[7:12])
    if prefix in weight_prefixes:
        return ScaleBarcode(item_code=item, quantity=value)
    if prefix in price_prefixes:
        return ScaleBarcode(item_code=item, price=value)
    return None
