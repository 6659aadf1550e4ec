"""Issue 11: the open cart and the parked ones survive a restart. Goods go into the cart, one
cart is parked, the window closes and the register shuts down; a new window on the same data
folder shows both carts, and the restored one sells as rung up."""

from __future__ import annotations

import asyncio
import contextlib

import qasync
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister, open_register
from pos.config import AppConfig
from pos.domain.receipt import PaymentType
from pos.journal.records import ReceiptState
from pos.register.cart import Tender
from pos.sandbox.server import RunningSandbox

from .conftest import Await
from .helpers import open_window, scan

BREAD = "4820001000016"
LOAF = "4820003000038"


def _open(
    aw: Await, config: AppConfig, sandbox: RunningSandbox
) -> tuple[contextlib.AsyncExitStack, RunningRegister]:
    stack = contextlib.AsyncExitStack()
    running: RunningRegister = aw(stack.enter_async_context(open_register(config, sandbox=sandbox)))
    return stack, running


def _shut(qtbot: QtBot, stack: contextlib.AsyncExitStack) -> None:
    closing = asyncio.ensure_future(stack.aclose())
    qtbot.waitUntil(closing.done, timeout=20_000)
    closing.result()


def test_open_and_parked_carts_are_there_after_a_restart(
    qtbot: QtBot,
    aw: Await,
    qloop: qasync.QEventLoop,
    gui_config: AppConfig,
    sandbox: RunningSandbox,
) -> None:
    stack, running = _open(aw, gui_config, sandbox)
    account = running.training_account
    assert account is not None
    aw(running.service.sign_in(pin=account.pin))
    aw(running.service.open_shift(50000), timeout=40)
    window = open_window(qtbot, running)
    qtbot.waitUntil(lambda: window.page_name == "selling")
    scan(qtbot, window, BREAD)
    scan(qtbot, window, BREAD)
    window.selling.park()  # F6 with nothing parked yet
    scan(qtbot, window, LOAF)
    assert [p.number for p in window.selling.parked] == [1]
    window.close()
    _shut(qtbot, stack)

    stack, running = _open(aw, gui_config, sandbox)
    try:
        window = open_window(qtbot, running)
        selling = window.selling
        assert [(li.item.barcodes[0], li.quantity) for li in selling.cart.lines] == [(LOAF, 1000)]
        assert [p.number for p in selling.parked] == [1]
        (parked,) = selling.parked
        assert [(li.item.barcodes[0], li.quantity) for li in parked.cart.lines] == [(BREAD, 2000)]
        assert parked.total == parked.cart.total > 0

        aw(running.service.sign_in(pin=account.pin))
        selling.resume(1)  # the loaf is parked as #2, the bread comes back and is sold
        assert [p.number for p in selling.parked] == [2]
        cart = selling.cart
        sold = aw(running.service.sell(cart, [Tender(PaymentType.CASHLESS, cart.total)]))
        assert sold.state is ReceiptState.DONE
        assert [(line.code, line.quantity) for line in sold.lines] == [
            (parked.cart.lines[0].item.code, 2000)
        ]
        window.close()
    finally:
        _shut(qtbot, stack)
