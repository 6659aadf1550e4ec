"""The electronic copy of a receipt (the guide's ``delivery``: one e-mail, several, a phone) is
kept in the journal with the receipt, so an offline receipt uploaded after a restart still
carries it; an SMS copy the shop has not enabled never keeps a printed receipt from Checkbox."""

from __future__ import annotations

import pytest

from pos.domain.receipt import PaymentType
from pos.journal.records import ReceiptState
from pos.register.cart import Cart
from pos.register.errors import Refusal, RegisterError
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory
from .harness import BREAD, SimClock, Till, exact_tender, sandbox_receipts


async def _sell_offline(till: Till, email: str, phone: str | None = None) -> str:
    cart = Cart()
    cart.add(BREAD)
    sold = await till.service.sell(
        cart, [exact_tender(cart.total, PaymentType.CASHLESS)], email=email, phone=phone
    )
    assert sold.state is ReceiptState.OFFLINE_ISSUED
    return sold.id


async def test_offline_receipt_keeps_its_delivery_across_a_restart_to_the_upload(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    box.control("POST", "/sandbox/config", {"sms_enabled": True})
    till = await tills()
    await till.sign_in()
    await till.service.open_shift()
    till.cut()
    clock.advance(30, push=False)
    receipt_id = await _sell_offline(
        till, "anna@example.com, Bohdan@example.com", phone="+380 50 052-11-11"
    )
    kept = till.journal.receipts.get(receipt_id)
    assert kept is not None
    assert kept.delivery == {
        "emails": ["anna@example.com", "Bohdan@example.com"],
        "phone": "380500521111",
    }

    switch = till.switch  # the program restarts before the line is back
    await till.close()
    till = await tills(switch=switch)
    await till.sign_in()
    clock.advance(60)
    till.reconnect()
    await till.service.sync(wait=True, give_up_after=60)
    assert till.service.status().set_aside == 0
    on_server = {r["id"]: r for r in sandbox_receipts(box, till.register)}
    assert on_server[receipt_id]["delivery"] == {
        "emails": ["anna@example.com", "Bohdan@example.com"],
        "phone": "380500521111",
    }


async def test_sms_not_enabled_never_keeps_a_printed_receipt_from_checkbox(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills()  # the sandbox's SMS gateway is off by default
    await till.sign_in()
    await till.service.open_shift()
    till.cut()
    clock.advance(30, push=False)
    receipt_id = await _sell_offline(till, "anna@example.com", phone="0500521111")
    clock.advance(60)
    till.reconnect()
    await till.service.sync(wait=True, give_up_after=60)
    assert till.service.status().set_aside == 0, [e.error for e in till.service.set_aside()]
    on_server = {r["id"]: r for r in sandbox_receipts(box, till.register)}
    assert on_server[receipt_id]["delivery"] == {"email": "anna@example.com"}
    uploaded = till.journal.receipts.get(receipt_id)
    assert uploaded is not None
    assert uploaded.state is ReceiptState.UPLOADED


async def test_a_bad_address_is_refused_before_anything_is_committed(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills()
    await till.sign_in()
    await till.service.open_shift()
    cart = Cart()
    cart.add(BREAD)
    for email, phone in (("anna@", None), ("anna@example.com", "12345")):
        with pytest.raises(RegisterError) as refused:
            await till.service.sell(cart, [exact_tender(cart.total)], email=email, phone=phone)
        assert refused.value.refusal is Refusal.BAD_INPUT
    assert till.receipts() == []
    sold = await till.service.sell(cart, [exact_tender(cart.total)], email="anna@example.com")
    body = next(e.body for e in till.recorder.answered() if e.path == "/receipts/sell")
    assert body["delivery"] == {"email": "anna@example.com"}
    assert sold.delivery == {"emails": ["anna@example.com"]}
