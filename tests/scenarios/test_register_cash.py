"""The drawer's cash against the strict sandbox (issue 10): cash out and withdrawals are checked
before they are sent, a withdrawal carries the terminal's slip, discounts go as absolute amounts,
and the opening float books only the difference to the balance Checkbox carried over."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos.domain.discounts import DiscountMode, DiscountType
from pos.domain.receipt import PaymentType
from pos.journal.records import ReceiptState
from pos.register.cart import Cart, discount
from pos.register.errors import Refusal, RegisterError
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory
from .harness import BREAD, SimClock, exact_tender, sandbox_receipts, sandbox_shift

SLIP = {"card_mask": "XXXX1234", "auth_code": "078111", "rrn": "305817547111", "terminal": "T1"}


async def test_withdrawal_needs_the_slip_and_the_cash_and_is_checked_before_sending(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills()
    await till.sign_in()
    await till.service.open_shift(10_000)
    with pytest.raises(RegisterError) as no_slip:
        await till.service.cash_withdrawal(5_000)
    assert no_slip.value.refusal is Refusal.BAD_INPUT
    with pytest.raises(RegisterError) as too_much:
        await till.service.cash_withdrawal(50_000, terminal=SLIP)
    assert too_much.value.detail.startswith(
        "Неможливо виконати операцію, оскільки в касі недостатньо коштів"
    )
    with pytest.raises(RegisterError):
        await till.service.service_out(50_000)
    sent = [e for e in till.recorder.answered() if e.path.startswith("/receipts/cash-withdrawal")]
    assert sent == []  # refused here, never sent
    done = await till.service.cash_withdrawal(5_000, terminal=SLIP)
    assert done.state is ReceiptState.DONE
    on_server = {r["id"]: r for r in sandbox_receipts(box, till.register)}
    assert on_server[done.id]["status"] == "DONE"


async def test_percent_discount_is_sent_as_its_absolute_amount(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills()
    await till.sign_in()
    await till.service.open_shift()
    cart = Cart()
    cart.add(BREAD, 3000)
    cart.set_receipt_discount(discount(DiscountType.DISCOUNT, DiscountMode.PERCENT, Decimal("7.5")))
    sold = await till.sell(cart, [exact_tender(cart.total, PaymentType.CASHLESS)])
    body = next(e.body for e in till.recorder.answered() if e.path == "/receipts/sell")
    assert [d["mode"] for d in body["discounts"]] == ["VALUE"]
    on_server = {r["id"]: r for r in sandbox_receipts(box, till.register)}
    assert on_server[sold.id]["total_sum"] == sold.total_sum


async def test_opening_float_books_only_the_difference_to_the_carried_balance(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills()
    await till.sign_in()
    await till.service.open_shift(50_000)
    await till.sell_bread(PaymentType.CASH)
    z = await till.service.close_shift()
    carried = till.service.carried_balance()
    assert carried > 50_000
    clock.advance(60)
    shift = await till.service.open_shift(50_000)  # the agreed float: the surplus goes out
    server = sandbox_shift(box, shift.id)
    assert server["initial_balance"] == carried
    kinds = [r.type for r in till.receipts() if r.shift_id == shift.id]
    assert kinds == ["SERVICE_OUT"]
    local, _ = till.service.local_report(till.service.current_shift())
    assert local["balance"] == 50_000
    assert z.shift is not None


async def test_offline_z_body_is_complete_as_the_guides_template(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills()
    await till.sign_in()
    shift = await till.service.open_shift()
    await till.sell_bread()
    till.cut()
    last = await till.sell_bread()
    clock.advance(60)
    await till.service.close_shift()
    till.reconnect()
    await till.service.sync(wait=True, give_up_after=60)
    sent = [e.body for e in till.recorder.answered() if e.path == "/shifts/close"]
    assert len(sent) == 1
    report = sent[0]["report"]
    for key in ("id", "serial", "payments", "taxes", "last_receipt_id", "initial", "balance"):
        assert key in report, key
    assert report["last_receipt_id"] == last.id
    assert report["created_at"] == sent[0]["fiscal_date"]
    assert all({"code", "label", "symbol", "rate"} <= set(t) for t in report["taxes"])
    assert "discounts_sum" not in report  # not a field of the request's template
    assert sandbox_shift(box, shift.id)["z_report_id"] == report["id"]
