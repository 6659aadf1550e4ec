"""X/Z report totals, pinned to the seed's X-report and shift examples."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.receipt import (
    FiscalReceipt,
    Good,
    Line,
    Payment,
    PaymentType,
    ReceiptType,
    price_receipt,
    settle,
)
from pos.domain.reports import shift_report
from pos.domain.rounding import RoundingMode


def seed_shift() -> list[FiscalReceipt]:
    """The seed's shift: card sale 563.00, cash sale 164.17 → 164.20, service-in 100, withdrawal."""
    card_sale = price_receipt(
        [
            Line(Good("500", "Вино", 19500, (1,)), 1000),
            Line(Good("501", "Ром", 20900, (1,)), 2000),
        ],
        [Discount(DiscountType.DISCOUNT, DiscountMode.VALUE, 5000, "Знижка", (1,))],
    )
    cash_sale = price_receipt(
        [Line(Good("300", "Товар", 17000, (8,)), 1000)],
        [Discount(DiscountType.DISCOUNT, DiscountMode.VALUE, 583)],
    )
    return [
        FiscalReceipt.sale(card_sale, settle(card_sale, [Payment(PaymentType.CASHLESS, 56300)])),
        FiscalReceipt.service(10000),
        FiscalReceipt.sale(
            cash_sale,
            settle(
                cash_sale,
                [Payment(PaymentType.CASH, 16420)],
                rounding=True,
                rounding_mode=RoundingMode.ROUND_10,
            ),
        ),
        FiscalReceipt.cash_withdrawal(Payment(PaymentType.CASHLESS, 20000)),
    ]


def test_seed_x_report() -> None:
    report = shift_report(seed_shift(), initial=0)
    cash, card = report.payments
    assert (cash.type, cash.sell_sum, cash.service_in, cash.service_out) == (
        PaymentType.CASH,
        16420,
        10000,
        0,
    )
    assert (card.sell_sum, card.service_out, card.cash_withdrawal) == (56300, 20000, 20000)
    taxes = {t.tax.code: t for t in report.taxes}
    assert [t.tax.code for t in report.taxes] == [1, 2, 5, 8]
    assert (taxes[1].sell_sum, taxes[1].sales_turnover) == (11617, 56300)
    assert (taxes[8].sell_sum, taxes[8].sales_turnover) == (0, 16417)
    assert (taxes[2].sales_turnover, taxes[5].sales_turnover) == (0, 0)
    assert report.sell_receipts_count == 2
    assert report.return_receipts_count == 0
    assert report.cash_withdrawal_receipts_count == 1
    assert (report.initial, report.balance) == (0, 6420)
    assert (report.sales_round_up, report.sales_round_down) == (3, 0)
    assert report.discounts_sum == 5583
    assert report.extra_charge_sum == 0


def test_seed_shift_balance_block() -> None:
    balance = shift_report(seed_shift(), initial=0).shift_balance
    assert balance.balance == 6420
    assert balance.cash_sales == 16420
    assert balance.card_sales == 56300
    assert balance.discounts_sum == 5583
    assert (balance.service_in, balance.service_out) == (10000, 20000)


def test_seed_service_in_example() -> None:
    """The seed's service receipt: 100.00 in, the shift balance becomes 10000."""
    report = shift_report([FiscalReceipt.service(10000)], initial=0)
    assert report.balance == 10000
    assert report.shift_balance.service_in == 10000
    out = shift_report([FiscalReceipt.service(10000), FiscalReceipt.service(-2500)], initial=500)
    assert out.balance == 8000
    assert out.payments[0].service_out == 2500


def test_returns_and_change() -> None:
    sale = price_receipt([Line(Good("1", "Кава", 12345, (5,)), 1000)])
    paid = settle(sale, [Payment(PaymentType.CASH, 20000)], rounding=True)
    back = price_receipt([Line(Good("1", "Кава", 12345, (5,)), 1000, is_return=True)])
    refund = settle(back, [Payment(PaymentType.CASH, 12350)], rounding=True)
    report = shift_report([FiscalReceipt.sale(sale, paid), FiscalReceipt.sale(back, refund)])
    cash = report.payments[0]
    assert cash.sell_sum == 12350  # 200.00 tendered − 76.50 change
    assert cash.return_sum == 12350
    assert report.balance == 0
    assert (report.sales_round_up, report.returns_round_up) == (5, 5)
    assert report.return_receipts_count == 1
    taxes = {t.tax.code: t for t in report.taxes}
    assert taxes[5].returns_turnover == 12345
    assert taxes[5].return_sum == 2058


amounts = st.integers(1, 10**6)


@given(st.lists(st.tuples(amounts, st.booleans(), st.sampled_from([1, 5, 8])), max_size=20))
def test_z_totals_equal_the_sum_of_receipts(sales: list[tuple[int, bool, int]]) -> None:
    receipts = []
    for price, by_card, tax in sales:
        priced = price_receipt([Line(Good("g", "Товар", price, (tax,)), 1000)])
        ptype = PaymentType.CASHLESS if by_card else PaymentType.CASH
        receipts.append(
            FiscalReceipt.sale(priced, settle(priced, [Payment(ptype, priced.total_sum)]))
        )
    report = shift_report(receipts, initial=777)
    cash, card = report.payments
    assert cash.sell_sum + card.sell_sum == sum(r.total_sum for r in receipts)
    assert card.sell_sum == sum(
        r.total_sum
        for r in receipts
        if r.payments[0].value and r.payments[0].type is PaymentType.CASHLESS
    )
    assert sum(t.sales_turnover for t in report.taxes) == sum(r.total_sum for r in receipts)
    assert sum(t.sell_sum for t in report.taxes) == sum(t.total for r in receipts for t in r.taxes)
    assert report.balance == 777 + cash.sell_sum
    assert report.sell_receipts_count == len(receipts)
    assert all(r.type is ReceiptType.SELL for r in receipts)
