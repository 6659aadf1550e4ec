"""The register's order rules against the sandbox: what each state allows, full prepayment,
refusals that leave the order as it was."""

from __future__ import annotations

import pytest
from scenarios.harness import CATALOGUE, SimClock

from pos.orders.model import (
    ChainRole,
    Customer,
    OrderPayment,
    OrderReceiptState,
    OrderState,
    PayMethod,
)
from pos.register.cart import Cart
from pos.register.errors import Refusal, RegisterError

from .conftest import TillFactory, selling_till


def cart() -> Cart:
    c = Cart()
    c.add(CATALOGUE[6], 1000)
    return c


async def test_full_prepayment_then_hand_over_with_nothing_left(
    clock: SimClock, tills: TillFactory
) -> None:
    till = await selling_till(tills)
    desk = till.service.orders
    order = desk.create(cart(), Customer("Олена"))
    paid = await desk.take_advance(order.id, [OrderPayment(PayMethod.QR, order.total_sum)])
    assert paid.state is OrderState.PAID
    assert paid.left_to_pay == 0
    clock.advance(1)
    handed = await desk.pay_rest(order.id, [OrderPayment(PayMethod.CARD, 0)])
    assert handed.state is OrderState.HANDED_OVER
    assert [r.kind for r in handed.receipts] == [ChainRole.PREPAYMENT, ChainRole.AFTER_PAYMENT]
    assert handed.receipts[1].fiscal.total_sum == 0
    with pytest.raises(RegisterError) as refused:
        await desk.cancel(order.id)
    assert refused.value.refusal is Refusal.FISCAL_RULE
    x = await till.service.x_report()
    assert x.server is not None
    qr = next(p for p in x.local["payments"] if p["type"] == "CASHLESS")
    assert qr["sell_sum"] == order.total_sum


async def test_refusals_leave_the_order_as_it_was(clock: SimClock, tills: TillFactory) -> None:
    till = await selling_till(tills)
    desk = till.service.orders
    with pytest.raises(RegisterError) as empty:
        desk.create(Cart(), Customer("Олена"))
    assert empty.value.refusal is Refusal.BAD_INPUT
    with pytest.raises(RegisterError) as nobody:
        desk.create(cart(), Customer())
    assert nobody.value.refusal is Refusal.BAD_INPUT
    order = desk.create(cart(), Customer("", "0501234567"))
    with pytest.raises(RegisterError) as too_much:
        await desk.take_advance(order.id, [OrderPayment(PayMethod.CASH, order.total_sum + 1)])
    assert too_much.value.refusal is Refusal.FISCAL_RULE
    assert "більша за суму" in too_much.value.detail
    with pytest.raises(RegisterError) as no_rest_yet:
        await desk.pay_rest(order.id, [OrderPayment(PayMethod.CARD, order.total_sum)])
    assert no_rest_yet.value.refusal is Refusal.FISCAL_RULE
    assert desk.get(order.id).state is OrderState.OPEN
    # Cash only in amounts the NBU rounding leaves payable (ROUND_50: whole 50 kopecks).
    with pytest.raises(RegisterError) as odd_cash:
        await desk.take_advance(order.id, [OrderPayment(PayMethod.CASH, 1020)])
    assert "10,00 або 10,50" in odd_cash.value.detail
    await desk.take_advance(order.id, [OrderPayment(PayMethod.CASH, 1000)])
    clock.advance(1)
    # One advance per order (no public source documents a second one in a Checkbox chain):
    # less than the whole rest is refused, as an advance or as the rest, before anything is
    # committed or sent; the order keeps its advance and still takes the whole rest.
    whole = desk.get(order.id).left_to_pay
    for attempt in (desk.pay_rest, desk.take_advance):
        with pytest.raises(RegisterError) as short:
            await attempt(order.id, [OrderPayment(PayMethod.CARD, 1000)])
        assert short.value.refusal is Refusal.FISCAL_RULE
        assert short.value.params["whole_rest"] == whole
        left_text = f"{whole // 100},{whole % 100:02d}"
        assert short.value.detail.startswith(f"Сплатіть увесь залишок: {left_text} грн")
    with pytest.raises(RegisterError) as short_by_one:
        await desk.pay_rest(order.id, [OrderPayment(PayMethod.CARD, whole - 1)])
    assert short_by_one.value.params["whole_rest"] == whole
    kept = desk.get(order.id)
    assert (kept.state, kept.paid) == (OrderState.PARTLY_PAID, 1000)
    assert [(r.kind, r.state) for r in kept.receipts] == [
        (ChainRole.PREPAYMENT, OrderReceiptState.DONE)
    ]
    clock.advance(1)
    # Change from cash when the rest is paid with a larger note.
    left = kept.left_to_pay
    clock.advance(1)
    odd = left % 50  # kopecks no coin pays (NBU rounding): by card, never rounded away
    assert odd
    with pytest.raises(RegisterError) as no_coins:
        await desk.pay_rest(order.id, [OrderPayment(PayMethod.CASH, left + 5000)])
    assert "заокруглення НБУ" in no_coins.value.detail
    clock.advance(1)
    done = await desk.pay_rest(
        order.id,
        [OrderPayment(PayMethod.CARD, odd), OrderPayment(PayMethod.CASH, left - odd + 5000)],
    )
    assert done.state is OrderState.HANDED_OVER
    assert done.receipts[-1].fiscal.rest == 5000
    assert done.receipts[-1].cash_sum == left - odd
    # An open order without money is cancelled at once, with no receipt.
    other = desk.create(cart(), Customer("Іван"))
    cancelled = await desk.cancel(other.id)
    assert (cancelled.state, cancelled.receipts) == (OrderState.CANCELLED, ())
    with pytest.raises(RegisterError):
        desk.lookup("99")
    x = await till.service.x_report()
    assert x.server is not None
    cash = next(p for p in x.local["payments"] if p["type"] == "CASH")
    server_cash = next(p for p in x.server["payments"] if p["type"] == "CASH")
    assert cash["sell_sum"] == server_cash["sell_sum"] == 1000 + left - odd
    assert x.local["sell_receipts_count"] == x.server["sell_receipts_count"] == 2


async def test_a_second_advance_left_by_an_earlier_version_is_not_sent(
    clock: SimClock, tills: TillFactory
) -> None:
    """A journal may hold a second advance an earlier version committed (sent to the relation)
    and never got an answer for. Checkbox does not have it, and no documented call would take
    it: settling marks it failed (the money is not counted as paid) and the order goes on."""
    till = await selling_till(tills)
    desk = till.service.orders
    order = desk.create(cart(), Customer("Олена"))
    await desk.take_advance(order.id, [OrderPayment(PayMethod.CASH, 1000)])
    shift = till.service.current_shift()
    assert shift is not None
    now = clock.now()
    desk.store.commit_receipt(
        {
            "id": "0c0c0c0c-0000-4000-8000-000000000002",
            "order_id": order.id,
            "kind": ChainRole.PREPAYMENT.value,
            "state": OrderReceiptState.SENDING.value,
            "shift_id": shift.id,
            "body": {
                "id": "0c0c0c0c-0000-4000-8000-000000000002",
                "payments": [{"type": "CASH", "value": 500, "label": "Готівка"}],
            },
            "fiscal": {
                "type": "SELL",
                "total_sum": 500,
                "payments": [{"type": "CASH", "value": 500, "label": "Готівка"}],
                "rest": 0,
                "round_sum": 0,
                "taxes": [],
                "discounts_sum": 0,
                "extra_charge_sum": 0,
            },
            "cash_sum": 500,
            "card_sum": 0,
            "qr_sum": 0,
            "created_at": now,
            "updated_at": now,
        }
    )
    assert desk.get(order.id).paid == 1500  # counted while unsettled
    clock.advance(1)
    await desk.settle(order.id)
    kept = desk.get(order.id)
    assert [r.state for r in kept.receipts] == [OrderReceiptState.DONE, OrderReceiptState.FAILED]
    assert (kept.state, kept.paid) == (OrderState.PARTLY_PAID, 1000)
    done = await desk.pay_rest(order.id, [OrderPayment(PayMethod.CARD, kept.left_to_pay)])
    assert done.state is OrderState.HANDED_OVER
