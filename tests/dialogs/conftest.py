"""Dialog tests reuse the GUI fixtures (a training register on the shared sandbox, ``aw`` to run
set-up coroutines) and add what the dialogs need: a sale to return or print, and key presses
delivered where the keyboard focus is. (Importing ``gui.conftest`` also applies
``pos.ui.qt_compat.guard_singleton_refcounts``, the PySide6 6.12 / Python 3.11 workaround.)
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from gui.conftest import aw, gui_config, qloop, running, running_shift, running_unsigned
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.domain.receipt import PaymentType
from pos.journal.records import Receipt
from pos.register.cart import Cart, Tender
from pos.ui.returns import ReturnDialog

__all__ = ["aw", "gui_config", "qloop", "running", "running_shift", "running_unsigned"]


BREAD = "1005"  # Хліб Бородинський 400 г, 38.20, a piece good of the demo catalogue
CHEESE = "00112"  # Сир Бринза овеча, 299.00/kg, weighed


def sell(
    aw: Callable[..., Any],
    running: RunningRegister,
    *,
    cash: int | None = 100000,
    bread: int = 2000,
    cheese: int = 1250,
) -> Receipt:
    """A sale through the service: bread (pieces) and cheese (kg), paid in cash or by card."""
    service = running.service
    cart = Cart()
    bread_item, cheese_item = service.item(BREAD), service.item(CHEESE)
    assert bread_item is not None
    assert cheese_item is not None
    cart.add(bread_item, bread)
    if cheese:
        cart.add(cheese_item, cheese)
    total = cart.priced().total_sum
    tender = (
        Tender(PaymentType.CASH, cash) if cash is not None else Tender(PaymentType.CASHLESS, total)
    )
    receipt: Receipt = aw(service.sell(cart, [tender]))
    return receipt


@pytest.fixture
def sale(aw: Callable[..., Any], running_shift: RunningRegister) -> Receipt:
    return sell(aw, running_shift)


@pytest.fixture
def press(qtbot: QtBot) -> Callable[..., None]:
    """Press a key (with text to type first) where the dialog's keyboard focus is."""

    def press_key(dialog: QWidget, key: Qt.Key, text: str = "") -> None:
        target = dialog.focusWidget() or dialog
        if text:
            qtbot.keyClicks(target, text)
        qtbot.keyClick(dialog.focusWidget() or dialog, key)
        if isinstance(dialog, ReturnDialog):  # its look-ups answered and shown
            qtbot.waitUntil(lambda: dialog.settled)

    return press_key


@pytest.fixture(autouse=True)
def _garbage_on_the_gui_thread() -> Iterator[None]:
    """No cyclic garbage collection while a dialog test runs; one collection on this (the GUI)
    thread afterwards.

    Why: the sandbox serves from a Python thread, and Python's collector runs in whichever
    thread happens to allocate. A QObject left in a reference cycle (a closed qasync loop's
    timer object, a dialog's wrapper) collected there is destroyed on the wrong thread, its
    timers stay registered with the GUI thread, and the next one to fire crashes in
    ``QTimerInfoList::activateTimers``. Reference counting still frees everything else."""
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()
