"""A chain receipt whose answer is lost is never issued twice and never lost."""

from __future__ import annotations

import pytest
from scenarios.harness import CATALOGUE, LoseAnswer, SimClock, sandbox_receipts

from pos.checkbox import prepayments
from pos.checkbox.network_switch import NetworkSwitch
from pos.orders.model import Customer, OrderPayment, OrderReceiptState, OrderState, PayMethod
from pos.register.cart import Cart
from pos.register.errors import Refusal, RegisterError
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory, selling_till


def cart() -> Cart:
    c = Cart()
    c.add(CATALOGUE[6], 1000)
    c.add(CATALOGUE[0], 2000)
    return c


async def test_lost_answer_is_settled_by_the_same_id(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills(lose_answer=lambda switch: LoseAnswer(switch, path="/prepayment-receipts"))
    await till.sign_in()
    await till.service.open_shift(0)
    desk = till.service.orders
    order = desk.create(cart(), Customer("Олена", "0671234567"))
    paid = await desk.take_advance(order.id, [OrderPayment(PayMethod.CARD, 10000)])
    assert paid.state is OrderState.PARTLY_PAID
    assert till.lose is not None
    assert len(till.lose.lost) == 1
    chain = [r for r in sandbox_receipts(box, till.register) if r.get("pre_payment_relation_id")]
    assert [r["id"] for r in chain] == [paid.receipts[0].id]  # one receipt, our id
    del clock


async def test_cable_cut_after_sending_leaves_it_unconfirmed_until_settled_after_restart(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    switch = NetworkSwitch()
    till = await tills(
        switch=switch,
        lose_answer=lambda s: LoseAnswer(s, path="/prepayment-receipts", then_cut=s),
    )
    await till.sign_in()
    await till.service.open_shift(0)
    desk = till.service.orders
    order = desk.create(cart(), Customer("Олена", "0671234567"))
    with pytest.raises(RegisterError) as refused:
        await desk.take_advance(order.id, [OrderPayment(PayMethod.CASH, 5000)])
    assert refused.value.refusal is Refusal.UNREACHABLE
    kept = desk.get(order.id)
    assert [r.state for r in kept.receipts] == [OrderReceiptState.SENDING]
    assert kept.paid == 5000  # the money was taken: it is not forgotten
    with pytest.raises(RegisterError):
        await desk.pay_rest(order.id, [OrderPayment(PayMethod.CARD, 1)])
    shift = till.service.current_shift()
    assert shift is not None
    assert till.service.local_report(shift)[1] == 1  # the Z-report waits for it
    await till.close()

    switch.cut = False
    till = await tills(switch=switch)
    await till.sign_in()
    desk = till.service.orders
    await desk.settle()
    settled = desk.get(order.id)
    assert settled.state is OrderState.PARTLY_PAID
    assert [r.state for r in settled.receipts] == [OrderReceiptState.DONE]
    assert settled.relation_id
    chain = [r for r in sandbox_receipts(box, till.register) if r.get("pre_payment_relation_id")]
    assert len(chain) == 1
    del clock


async def test_lost_answer_of_a_chain_return_refunds_once(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills(lose_answer=lambda switch: LoseAnswer(switch, path="/not-yet"))
    await till.sign_in()
    await till.service.open_shift(0)
    desk = till.service.orders
    order = await desk.take_advance(
        desk.create(cart(), Customer("Олена")).id, [OrderPayment(PayMethod.CARD, 5000)]
    )
    assert till.lose is not None
    till.lose.path = f"/api/v1/prepayment-receipts/{order.relation_id}/return"
    clock.advance(1)
    cancelled = await desk.cancel(order.id)
    assert len(till.lose.lost) == 1  # the server returned the chain; its answer was lost
    assert cancelled.state is OrderState.CANCELLED
    assert cancelled.pending_action is None
    returns = [r for r in sandbox_receipts(box, till.register) if r["type"] == "RETURN"]
    assert len(returns) == 1
    assert [r.id for r in cancelled.receipts][-1] == returns[0]["id"]
    found = await prepayments.search_relations(till.client, search=order.relation_id or "")
    assert [(r.relation_id, r.pre_payment_status) for r in found] == [
        (order.relation_id, "CANCELLED")
    ]


async def test_an_advance_that_never_left_is_marked_failed_and_not_settled_later(
    clock: SimClock, tills: TillFactory
) -> None:
    till = await selling_till(tills)
    desk = till.service.orders
    order = desk.create(cart(), Customer("Олена"))
    till.cut()  # the register still believes it is online: the request cannot connect
    with pytest.raises(RegisterError) as refused:
        await desk.take_advance(order.id, [OrderPayment(PayMethod.CASH, 5000)])
    assert refused.value.refusal is Refusal.UNREACHABLE
    assert "nothing was fiscalised" in refused.value.detail
    kept = desk.get(order.id)
    assert (kept.state, kept.paid, kept.unsettled) == (OrderState.OPEN, 0, [])
    assert [r.state for r in kept.receipts] == [OrderReceiptState.FAILED]
    till.reconnect()
    await desk.settle()
    assert desk.get(order.id).paid == 0
    del clock
