"""Tax parts of amounts, pinned to the seed's sell example."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos.domain.taxes import (
    DEFAULT_TAXES,
    Tax,
    TaxAmount,
    UnknownTaxError,
    resolve_tax,
    taxes_of_amount,
)

VAT_EXCISE = DEFAULT_TAXES[0]


def test_seed_line_taxes() -> None:
    assert taxes_of_amount(19500, [VAT_EXCISE]) == [TaxAmount(1, 3095, 929)]
    assert taxes_of_amount(41800, [VAT_EXCISE]) == [TaxAmount(1, 6635, 1990)]


def test_no_vat_and_plain_vat() -> None:
    assert taxes_of_amount(16417, [resolve_tax(8)]) == [TaxAmount(8, 0, 0)]
    assert taxes_of_amount(12000, [resolve_tax("Є")]) == [TaxAmount(5, 2000, 0)]
    assert taxes_of_amount(10500, [resolve_tax("Б")]) == [TaxAmount(2, 0, 500)]


def test_tax_not_included_is_added_on_top() -> None:
    levy = Tax(9, "Д", "Збір 2%", Decimal(2), included=False)
    assert taxes_of_amount(10000, [levy]) == [TaxAmount(9, 200, 0)]


def test_several_taxes_on_one_good() -> None:
    amounts = taxes_of_amount(12000, [resolve_tax(5), resolve_tax(2)])
    assert amounts == [TaxAmount(5, 2000, 0), TaxAmount(2, 0, 571)]


def test_resolve_by_code_letter_and_latin_lookalike() -> None:
    assert resolve_tax(1) is VAT_EXCISE
    assert resolve_tax("1") is VAT_EXCISE
    assert resolve_tax("А") is VAT_EXCISE
    assert resolve_tax("a") is VAT_EXCISE  # Latin 'a' typed in the wrong layout
    with pytest.raises(UnknownTaxError):
        resolve_tax("Ж")
    with pytest.raises(UnknownTaxError):
        resolve_tax(3)


def test_fractional_rate() -> None:
    pension = Tax(7, "К", "ПДВ 7%", Decimal("7"))
    assert taxes_of_amount(10700, [pension]) == [TaxAmount(7, 700, 0)]
