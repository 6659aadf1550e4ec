"""Tax rates and the tax part of an amount, as Checkbox computes them.

A good carries one or more tax codes. An included tax is a part of the price: its extra rate
(excise) is taken out first, then the VAT rate from what remains —
`extra = round(sum × e / (100 + e))`, `vat = round((sum − extra) × r / (100 + r))`, which gives the
seed's 19500 → 3095 + 929 and 41800 → 6635 + 1990. A tax that is not included is added on top:
`value = round(sum × r / 100)` (and its extra rate likewise).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from pos.domain.money import div_round_half_up


class UnknownTaxError(ValueError):
    """A tax code or letter that the register does not have."""


@dataclass(frozen=True)
class Tax:
    """One tax rate of the register (the API's `code`, `symbol`, `rate`, `extra_rate`, …)."""

    code: int
    symbol: str
    label: str
    rate: Decimal
    extra_rate: Decimal | None = None
    included: bool = True
    no_vat: bool = False


@dataclass(frozen=True)
class TaxAmount:
    """The tax in an amount: `value` is the VAT part, `extra_value` the excise part."""

    code: int
    value: int
    extra_value: int

    @property
    def total(self) -> int:
        return self.value + self.extra_value


DEFAULT_TAXES: tuple[Tax, ...] = (
    Tax(1, "А", "ПДВ + Акцизний збір", Decimal(20), Decimal(5)),
    Tax(2, "Б", "Акцизний збір", Decimal(0), Decimal(5)),
    Tax(5, "Є", "ПДВ 20%", Decimal(20)),
    Tax(8, "З", "Без ПДВ", Decimal(0), no_vat=True),
)
"""The four rates of the seed's test organisation."""


def _part(amount: int, rate: Decimal, *, included: bool) -> int:
    """round(amount × rate / (100 + rate)) for included taxes, round(amount × rate / 100) else."""
    if not rate:
        return 0
    numerator, denominator = _ratio(rate, included)
    return div_round_half_up(amount * numerator, denominator)


@cache
def _ratio(rate: Decimal, included: bool) -> tuple[int, int]:
    """The tax part of an amount as an exact integer ratio: rate p/q gives p / (100q + p)
    included, p / 100q on top. Why integers: the same rounding as the exact fraction (half-up
    division gives one result for any common multiple of the two), without its cost per line."""
    p, q = rate.as_integer_ratio()
    return p, 100 * q + p if included else 100 * q


def tax_of_amount(amount: int, tax: Tax) -> TaxAmount:
    """The tax of one rate in `amount` (kopecks; negative amounts give negative parts)."""
    extra_rate = tax.extra_rate or Decimal(0)
    extra = _part(amount, extra_rate, included=tax.included)
    base = amount - extra if tax.included else amount
    vat = 0 if tax.no_vat else _part(base, tax.rate, included=tax.included)
    return TaxAmount(tax.code, vat, extra)


def taxes_of_amount(amount: int, taxes: Sequence[Tax]) -> list[TaxAmount]:
    """Every rate of a good applied to the same amount, in the order given."""
    return [tax_of_amount(amount, tax) for tax in taxes]


def added_on_top(amounts: Iterable[TaxAmount], taxes: Sequence[Tax]) -> int:
    """The part of `amounts` that is not included in prices and so raises the sum to pay."""
    excluded = {tax.code for tax in taxes if not tax.included}
    return sum(a.total for a in amounts if a.code in excluded)


def resolve_tax(ref: int | str, taxes: Sequence[Tax] = DEFAULT_TAXES) -> Tax:
    """A tax by its numeric code (1, "1") or its letter ("А"; Latin look-alikes accepted)."""
    if isinstance(ref, str):
        text = ref.strip().upper()
        if text.isdigit():
            ref = int(text)
        else:
            letter = _LATIN_TO_CYRILLIC.get(text, text)
            for tax in taxes:
                if tax.symbol.upper() == letter:
                    return tax
            raise UnknownTaxError(f"unknown tax '{ref}'")
    for tax in taxes:
        if tax.code == ref:
            return tax
    raise UnknownTaxError(f"unknown tax '{ref}'")


# Letters that a keyboard in the wrong layout types instead of the Cyrillic tax letters.
_LATIN_TO_CYRILLIC = {"A": "А", "B": "В", "E": "Е", "I": "І", "K": "К", "M": "М", "H": "Н"}
