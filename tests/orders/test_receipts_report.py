"""The receipts report's money fields for chain receipts (seed 004's prepaidSum)."""

from __future__ import annotations

from dataclasses import replace

from pos.domain.prepayment import after_payment_fiscal
from pos.orders.model import ChainRole, OrderPayment, OrderReceipt, OrderReceiptState, OrderState
from pos.orders.receipts_report import money_fields

from .builders import CAKE, CANDLES, CARD, CASH, QR, WHEN, advanced, order


def test_advance_and_after_payment_fields_add_up() -> None:
    paid = advanced(order(CAKE, CANDLES), OrderPayment(CASH, 10000), OrderPayment(QR, 5000))
    advance = paid.receipts[0]
    fields = money_fields(paid, advance)
    assert (fields["totalSum"], fields["cashTotalSum"], fields["ecashTotalSum"]) == (
        150.0,
        100.0,
        50.0,
    )
    assert fields["prepaidSum"] == 0.0
    rest_fiscal = after_payment_fiscal(
        paid.priced(), [advance.fiscal], [OrderPayment(CARD, 37500).payment()]
    )
    rest = OrderReceipt(
        "40000000-0000-4000-8000-000000000001",
        ChainRole.AFTER_PAYMENT,
        OrderReceiptState.DONE,
        rest_fiscal,
        0,
        37500,
        0,
        WHEN,
    )
    handed = replace(paid, state=OrderState.HANDED_OVER, receipts=(advance, rest))
    final = money_fields(handed, rest)
    assert (final["totalSum"], final["prepaidSum"], final["ecashTotalSum"]) == (525.0, 150.0, 375.0)
    assert final["totalSum"] == final["cashTotalSum"] + final["ecashTotalSum"] + final["prepaidSum"]
    assert final["code_name"] == "чек післяплати"


def test_a_returned_advance() -> None:
    cancelled = advanced(order(CAKE), OrderPayment(CARD, 20000), returned=True)
    back = money_fields(cancelled, cancelled.receipts[1])
    assert (back["totalSum"], back["ecashTotalSum"], back["prepaidSum"]) == (200.0, 200.0, 0.0)
    assert back["operation"] == "income_return"
