"""An order's life at the till against the sandbox over real HTTP, with a simulated clock.

Three lines, an advance of 30 % in cash and by card, the Z-report, the till restarted, the rest
by card two days later in a new shift; another order cancelled with its advance refunded. Each
shift's local X and Z equal Checkbox's to the kopeck (invariant 7).
"""

from __future__ import annotations

import pytest
from scenarios.harness import CATALOGUE, SimClock, assert_reports_equal, sandbox_receipts

from pos.checkbox import prepayments
from pos.orders.model import ChainRole, Customer, OrderPayment, OrderState, PayMethod
from pos.register.cart import Cart
from pos.register.errors import Refusal, RegisterError
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory, selling_till

TWO_DAYS = 2 * 24 * 3600.0


def three_lines() -> Cart:
    cart = Cart()
    cart.add(CATALOGUE[6], 2000)  # кава мелена × 2 (ПДВ 20 %)
    cart.add(CATALOGUE[1], 750)  # сир 0.750 кг (ПДВ 20 %)
    cart.add(CATALOGUE[2], 3000)  # пиво × 3 (ПДВ + акциз)
    return cart


async def test_advance_restart_rest_two_days_later_and_a_cancelled_order(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await selling_till(tills)
    desk = till.service.orders

    order = desk.create(
        three_lines(), Customer("Олена Петренко", "+380 67 123 45 67", "olena@example.com")
    )
    assert order.state is OrderState.OPEN
    assert order.number == 1
    total = order.total_sum
    advance = total * 30 // 100
    cash = advance // 2 // 50 * 50  # cash in whole 50 kopecks (NBU rounding), the rest by card
    paid = await desk.take_advance(
        order.id,
        [OrderPayment(PayMethod.CASH, cash), OrderPayment(PayMethod.CARD, advance - cash)],
    )
    assert paid.state is OrderState.PARTLY_PAID
    assert paid.paid == advance
    assert paid.left_to_pay == total - advance
    assert paid.relation_id
    assert [r.fiscal_code is not None for r in paid.receipts] == [True]

    # A second order, paid in advance by card, then cancelled: the advance is refunded.
    other = desk.create(three_lines(), Customer("Іван", "0501112233"))
    clock.advance(1)
    other = await desk.take_advance(other.id, [OrderPayment(PayMethod.CARD, 10000)])
    clock.advance(1)
    cancelled = await desk.cancel(other.id)
    assert cancelled.state is OrderState.CANCELLED
    assert [r.kind for r in cancelled.receipts] == [ChainRole.PREPAYMENT, ChainRole.RETURN]
    assert cancelled.paid == 0
    relation = await prepayments.relation(till.client, cancelled.relation_id or "")
    assert relation.pre_payment_status == "CANCELLED"

    x = await till.service.x_report()
    assert x.server is not None
    assert_reports_equal(x.local, x.server)
    assert x.local["sell_receipts_count"] == 2
    assert x.local["return_receipts_count"] == 1
    cash_row = next(p for p in x.local["payments"] if p["type"] == "CASH")
    assert cash_row["sell_sum"] == cash

    clock.advance(1)
    z = await till.service.close_shift()
    assert z.server is not None
    assert_reports_equal(z.local, z.server)
    await till.close()

    # Two days later, after a restart: the same journal, a new shift, the rest by card.
    clock.advance(TWO_DAYS)
    till = await selling_till(tills)
    desk = till.service.orders
    found = desk.find("067 123")
    assert [o.id for o in found] == [order.id]
    assert [o.id for o in desk.find("петренко")] == [order.id]
    assert desk.lookup("00001").id == order.id
    with_rest = await desk.pay_rest(order.id, [OrderPayment(PayMethod.CARD, total - advance)])
    assert with_rest.state is OrderState.HANDED_OVER
    assert with_rest.left_to_pay == 0
    relation = await prepayments.relation(till.client, with_rest.relation_id or "")
    assert relation.pre_payment_status == "FULL_PAID"
    assert relation.receipt_chain.after_payment_receipt == with_rest.receipts[-1].id

    x = await till.service.x_report()
    assert x.server is not None
    assert_reports_equal(x.local, x.server)
    card_row = next(p for p in x.local["payments"] if p["type"] == "CASHLESS")
    assert card_row["sell_sum"] == total - advance
    clock.advance(1)
    z = await till.service.close_shift()
    assert z.server is not None
    assert_reports_equal(z.local, z.server)
    # The chain on the server adds up to the order: advance + rest = total.
    chain = [
        r
        for r in sandbox_receipts(box, till.register)
        if r.get("pre_payment_relation_id") == with_rest.relation_id
    ]
    assert sum(r["total_sum"] for r in chain) == total


async def test_advance_refused_before_money_while_checkbox_is_unreachable(
    clock: SimClock, tills: TillFactory
) -> None:
    till = await selling_till(tills)
    desk = till.service.orders
    order = desk.create(three_lines(), Customer("Марія", "0671234567"))
    till.cut()
    await till.sell_bread()  # the sale goes offline: the till is now LOCAL_OFFLINE
    with pytest.raises(RegisterError) as refused:
        await desk.take_advance(order.id, [OrderPayment(PayMethod.CASH, 1000)])
    assert refused.value.refusal is Refusal.UNREACHABLE
    assert "offline" in refused.value.detail
    after = desk.get(order.id)
    assert after.state is OrderState.OPEN
    assert after.receipts == ()
    del clock
