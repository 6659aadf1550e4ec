"""Orders built in memory for the pure tests (cashItems, MoySklad export)."""

from __future__ import annotations

from datetime import UTC, datetime

from pos.domain.prepayment import chain_return_fiscal, prepayment_fiscal
from pos.orders.model import (
    ChainRole,
    Customer,
    Order,
    OrderLine,
    OrderPayment,
    OrderReceipt,
    OrderReceiptState,
    OrderState,
    PayMethod,
    price_order,
    split,
)

WHEN = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)

CAKE = OrderLine("C1", "Торт Київський", 45000, 1000, (5,))
CANDLES = OrderLine("C2", "Свічки святкові", 2500, 3000, (8,))
WINE = OrderLine(
    "W1", "Вино ігристе", 32000, 2000, (1,), is_excise=True, excise_codes=("AA1", "AA2")
)
CHEESE = OrderLine("S1", "Сир твердий", 18990, 750, (5,), unit="кг", is_weighed=True)


def order(
    *lines: OrderLine,
    customer: Customer | None = None,
    state: OrderState = OrderState.OPEN,
    receipts: tuple[OrderReceipt, ...] = (),
    number: int = 1,
) -> Order:
    chosen = lines or (CAKE, CANDLES)
    return Order(
        id=f"00000000-0000-4000-8000-{number:012d}",
        number=number,
        state=state,
        customer=customer or Customer("Олена", "+380 67 123 45 67", "olena@example.com"),
        lines=chosen,
        total_sum=price_order(chosen).total_sum,
        created_at=WHEN,
        updated_at=WHEN,
        note="на суботу",
        relation_id="rel-1" if receipts else None,
        receipts=receipts,
    )


def advanced(base: Order, *payments: OrderPayment, returned: bool = False) -> Order:
    """``base`` with a fiscalised advance (and its return)."""
    fiscal = prepayment_fiscal(base.priced(), [p.payment() for p in payments])
    cash, card, qr = split(list(payments))
    receipt = OrderReceipt(
        id=f"10000000-0000-4000-8000-{base.number:012d}",
        kind=ChainRole.PREPAYMENT,
        state=OrderReceiptState.DONE,
        fiscal=fiscal,
        cash_sum=cash,
        card_sum=card,
        qr_sum=qr,
        created_at=WHEN,
        shift_id="20000000-0000-4000-8000-000000000001",
        fiscal_code=f"TEST-{base.number}",
        fiscal_date=WHEN,
    )
    receipts: tuple[OrderReceipt, ...] = (receipt,)
    state = OrderState.PAID if fiscal.total_sum == base.total_sum else OrderState.PARTLY_PAID
    if returned:
        back = OrderReceipt(
            id=f"30000000-0000-4000-8000-{base.number:012d}",
            kind=ChainRole.RETURN,
            state=OrderReceiptState.DONE,
            fiscal=chain_return_fiscal(fiscal),
            cash_sum=cash,
            card_sum=card,
            qr_sum=qr,
            created_at=WHEN,
        )
        receipts += (back,)
        state = OrderState.CANCELLED
    return order(
        *base.lines, customer=base.customer, state=state, receipts=receipts, number=base.number
    )


CASH = PayMethod.CASH
CARD = PayMethod.CARD
QR = PayMethod.QR
