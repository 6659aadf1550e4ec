"""Pricing and settling receipts, pinned to the seed's examples and the error table's texts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.discounts import Discount, DiscountMode, DiscountType, distribute
from pos.domain.errors import (
    AlreadyFullyReturned,
    ChangeOnCashless,
    InvalidReceipt,
    MixedReceipt,
    PaymentsLessThanTotal,
    ReturnExceedsSale,
    ReturnPaymentsMismatch,
    TotalNotPositive,
    UnknownReturnGoods,
)
from pos.domain.receipt import (
    Good,
    Line,
    Payment,
    PaymentType,
    ReceiptTax,
    ReceiptType,
    cash_due,
    check_return,
    price_receipt,
    settle,
)
from pos.domain.rounding import RoundingMode

WINE = Good("500", "Вино ігристе біле", 19500, (1,), "2000000000009")
RUM = Good("501", "Ромовий напій Captain Morgan", 20900, (1,), "5000281025360")
BREAD = Good("100", "Хліб", 2850, (8,))
SOAP = Good("200", "Мило", 4200, (5,))


def seed_sale_discount() -> Discount:
    return Discount(DiscountType.DISCOUNT, DiscountMode.VALUE, 5000, "Знижка", (1,))


def test_seed_sell_example() -> None:
    priced = price_receipt([Line(WINE, 1000), Line(RUM, 2000)], [seed_sale_discount()])
    assert [line.sum for line in priced.lines] == [19500, 41800]
    assert [(t.value, t.extra_value) for t in priced.lines[0].taxes] == [(3095, 929)]
    assert [(t.value, t.extra_value) for t in priced.lines[1].taxes] == [(6635, 1990)]
    assert priced.total_sum == 56300
    assert priced.discounts_sum == 5000
    assert priced.discounts[0].sum == -5000
    # VAT 8936 as in the seed; excise 2681 (the seed's receipt shows 2680, its Z-report 11617).
    assert priced.taxes == (ReceiptTax(1, 8936, 2681, 56300),)
    assert priced.taxes[0].total == 11617
    settlement = settle(priced, [Payment(PaymentType.CASHLESS, 56300, "Картка")])
    assert (settlement.total_payment, settlement.rest, settlement.round_sum) == (56300, 0, 0)


def test_receipt_discount_parts_add_up_to_the_whole() -> None:
    priced = price_receipt([Line(WINE, 1000), Line(RUM, 2000)], [seed_sale_discount()])
    assert sum(line.receipt_adjustment for line in priced.lines) == -5000
    assert sum(line.total for line in priced.lines) == priced.total_sum


def test_seed_z_report_cash_receipt_round_10() -> None:
    good = Good("300", "Товар без ПДВ", 17000, (8,))
    discount = Discount(DiscountType.DISCOUNT, DiscountMode.VALUE, 583)
    priced = price_receipt([Line(good, 1000)], [discount])
    assert priced.total_sum == 16417
    due = cash_due(priced.total_sum, 0, rounding=True, mode=RoundingMode.ROUND_10)
    assert due == 16420
    settlement = settle(
        priced,
        [Payment(PaymentType.CASH, 16420)],
        rounding=True,
        rounding_mode=RoundingMode.ROUND_10,
    )
    assert (settlement.payable, settlement.round_sum, settlement.rest) == (16420, 3, 0)


def test_round_50_lets_cash_pay_less_than_the_total() -> None:
    priced = price_receipt([Line(BREAD, 1000)])  # 28.50
    tiny = price_receipt([Line(Good("1", "Сірники", 1224, (8,)), 1000)])
    settlement = settle(tiny, [Payment(PaymentType.CASH, 1200)], rounding=True)
    assert (settlement.payable, settlement.round_sum, settlement.rest) == (1200, -24, 0)
    with pytest.raises(PaymentsLessThanTotal):
        settle(tiny, [Payment(PaymentType.CASH, 1200)], rounding=False)
    change = settle(priced, [Payment(PaymentType.CASH, 5000)], rounding=True)
    assert (change.payable, change.rest) == (2850, 2150)


def test_mixed_payment_rounds_only_the_cash_part() -> None:
    priced = price_receipt([Line(SOAP, 1000), Line(BREAD, 1000)])  # 42.00 + 28.50 = 70.50
    card = Payment(PaymentType.CASHLESS, 5033)
    due = cash_due(priced.total_sum, card.value, rounding=True, mode=RoundingMode.ROUND_50)
    assert due == 2000  # 20.17 → 20.00
    settlement = settle(priced, [card, Payment(PaymentType.CASH, 5000)], rounding=True)
    assert settlement.round_sum == -17
    assert settlement.rest == 3000


def test_payment_rule_texts() -> None:
    priced = price_receipt([Line(SOAP, 1000)])
    with pytest.raises(PaymentsLessThanTotal) as less:
        settle(priced, [Payment(PaymentType.CASH, 4000)])
    assert less.value.message == "Сума платежів не може бути меншою ніж сума чеку"
    with pytest.raises(ChangeOnCashless) as change:
        settle(priced, [Payment(PaymentType.CASHLESS, 60000)])
    assert change.value.message == (
        "Решта не може бути використана для безготівкової оплати (решта = 558.00)"
    )
    with pytest.raises(ChangeOnCashless):
        settle(priced, [Payment(PaymentType.CASHLESS, 5000), Payment(PaymentType.CASH, 100)])


def test_mixed_sale_and_return_refused() -> None:
    with pytest.raises(MixedReceipt) as err:
        price_receipt([Line(SOAP, 1000), Line(BREAD, 1000, is_return=True)])
    assert err.value.message.startswith("Неможливо створювати чеки змішаного типу")


def test_total_must_be_positive() -> None:
    with pytest.raises(TotalNotPositive) as err:
        price_receipt(
            [Line(SOAP, 1000)],
            [Discount(DiscountType.DISCOUNT, DiscountMode.VALUE, 4200)],
        )
    assert err.value.message == "Загальна сума чеку має бути більшою нуля"
    with pytest.raises(TotalNotPositive):
        price_receipt([Line(Good("0", "Безкоштовно", 0, (8,)), 1000)])


def test_return_payments_must_equal_total() -> None:
    priced = price_receipt([Line(SOAP, 1000, is_return=True)])
    assert priced.type is ReceiptType.RETURN
    with pytest.raises(ReturnPaymentsMismatch) as err:
        settle(priced, [Payment(PaymentType.CASH, 5000)])
    assert err.value.message == "Сума платежів повинна дорівнювати сумі чеку повернення (42.00)"
    ok = settle(priced, [Payment(PaymentType.CASH, 4200)])
    assert ok.rest == 0


def test_return_against_sale() -> None:
    sold = {"500": 1000, "501": 2000}
    check_return(sold, {}, {"501": 1000})
    with pytest.raises(UnknownReturnGoods) as unknown:
        check_return(sold, {}, {"999": 1000})
    assert unknown.value.message == "Товарів з кодами: 999 не існує у чеку продажу"
    with pytest.raises(ReturnExceedsSale) as more:
        check_return(sold, {"501": 1500}, {"501": 1000})
    assert more.value.message == "Товарів з кодами: 501 більше, ніж у чеку продажу"
    with pytest.raises(AlreadyFullyReturned) as done:
        check_return(sold, {"500": 1000, "501": 2000}, {"500": 1000})
    assert done.value.message == "Товари чеку вже були повністю повернені"


def test_line_discounts_and_percent() -> None:
    ten_percent = Discount(DiscountType.DISCOUNT, DiscountMode.PERCENT, Decimal(10))
    charge = Discount(DiscountType.EXTRA_CHARGE, DiscountMode.VALUE, 100)
    priced = price_receipt([Line(SOAP, 3000, discounts=(ten_percent, charge))])
    line = priced.lines[0]
    assert (line.sum, line.discount_sum, line.extra_charge_sum, line.net) == (
        12600,
        1260,
        100,
        11440,
    )
    assert priced.total_sum == 11440
    assert priced.discounts_sum == 1260
    assert priced.extra_charge_sum == 100
    assert priced.taxes[0].value == 1907  # 11440 × 20 / 120 = 1906.67


def test_receipt_discount_limited_to_its_tax_codes() -> None:
    only_vat = Discount(DiscountType.DISCOUNT, DiscountMode.VALUE, 1000, tax_codes=(5,))
    priced = price_receipt([Line(SOAP, 1000), Line(BREAD, 1000)], [only_vat])
    assert [line.receipt_adjustment for line in priced.lines] == [-1000, 0]
    by_code = {t.code: t for t in priced.taxes}
    assert by_code[5].turnover == 3200
    assert by_code[5].value == 533  # 700 − 167
    assert by_code[8].turnover == 2850


def test_bad_lines_are_refused() -> None:
    with pytest.raises(InvalidReceipt):
        price_receipt([])
    with pytest.raises(InvalidReceipt):
        price_receipt([Line(SOAP, 0)])
    with pytest.raises(InvalidReceipt):
        price_receipt([Line(Good("x", "x", -1, (8,)), 1000)])


@given(
    st.integers(-(10**8), 10**8),
    st.lists(st.integers(0, 10**7), min_size=1, max_size=30),
)
def test_distribute_adds_up_exactly(amount: int, weights: list[int]) -> None:
    parts = distribute(amount, weights)
    assert sum(parts) == amount
    assert len(parts) == len(weights)
    total = sum(weights) or len(weights)
    effective = weights if sum(weights) else [1] * len(weights)
    for part, weight in zip(parts, effective, strict=True):
        assert abs(part * total - amount * weight) < total


goods = st.builds(
    Good,
    code=st.text("0123456789", min_size=1, max_size=5),
    name=st.just("Товар"),
    price=st.integers(0, 10**6),
    tax_codes=st.sampled_from([(1,), (2,), (5,), (8,), (5, 2)]),
)
lines = st.builds(Line, good=goods, quantity=st.integers(1, 50_000))
discounts = st.builds(
    Discount,
    type=st.sampled_from(list(DiscountType)),
    mode=st.just(DiscountMode.VALUE),
    value=st.integers(0, 10**6),
)


@given(st.lists(lines, min_size=1, max_size=8), st.lists(discounts, max_size=3))
def test_totals_never_negative_and_parts_add_up(
    receipt_lines: list[Line], receipt_discounts: list[Discount]
) -> None:
    try:
        priced = price_receipt(receipt_lines, receipt_discounts)
    except TotalNotPositive:
        return
    assert priced.total_sum > 0
    assert all(line.total >= 0 for line in priced.lines)
    assert sum(line.total for line in priced.lines) == priced.total_sum
    adjustments = sum(line.receipt_adjustment for line in priced.lines)
    assert adjustments == sum(d.sum for d in priced.discounts)
