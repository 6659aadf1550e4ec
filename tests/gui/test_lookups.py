"""The window never waits for a catalogue look-up: scans, the live search and the shelves are
answered by a thread of their own (``pos.ui.lookups``), and what the cashier keys in meanwhile
is applied in the order it came: two scans in a row land in that order, F12 right after them
pays for both. With the debug guard on, none of it reads the journal on the GUI thread."""

from __future__ import annotations

import concurrent.futures
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.journal import Journal, thread_guard
from pos.ui.lookups import InlineLookups, InOrder, ThreadLookups
from pos.ui.orders import OrdersDialog
from pos.ui.payment import PaymentDialog

from .helpers import modal
from .test_cashier_window import BREAD, DARNYTSKYI, selling_window


def test_the_guard_sees_a_catalogue_read_on_the_gui_thread(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        thread_guard.forbid(threading.current_thread())
        try:
            with pytest.raises(thread_guard.JournalOnForbiddenThread):
                journal.catalogue.search("хліб")
        finally:
            thread_guard.forbid(None)


def test_steps_run_in_the_order_they_came_whatever_order_the_answers_come_in() -> None:
    """A unit check of ``InOrder`` over plain futures: the second answer arriving first waits
    for the first; a step with nothing to wait for (a key) waits behind both."""
    first: concurrent.futures.Future[str] = concurrent.futures.Future()
    second: concurrent.futures.Future[str] = concurrent.futures.Future()
    ran: list[str] = []
    steps = InOrder()
    steps.add(first, lambda answer: ran.append(answer.result()))
    steps.add(second, lambda answer: ran.append(answer.result()))
    steps.add(None, lambda _answer: ran.append("F12"))
    second.set_result("rye")
    assert ran == []
    assert not steps.idle
    first.set_result("bread")
    assert ran == ["bread", "rye", "F12"]
    assert steps.idle
    steps.add(None, lambda _answer: ran.append("Del"))  # nothing waiting: at once
    assert ran[-1] == "Del"


def test_inline_lookups_answer_at_once_errors_included() -> None:
    class Source:
        def search(self, text: str, limit: int = 50) -> list[str]:
            if not text:
                raise ValueError("empty")
            return [text]

    lookups = InlineLookups(Source())  # type: ignore[arg-type]

    def search(source: Any, text: str) -> list[str]:
        return source.search(text)  # type: ignore[no-any-return]

    found = lookups.ask(search, "хліб")
    assert found.done()
    assert found.result() == ["хліб"]
    failed = lookups.ask(search, "")
    assert failed.done()
    assert isinstance(failed.exception(), ValueError)


def test_scans_while_the_lookups_are_busy_land_in_order(
    qtbot: QtBot, running_shift: RunningRegister, guarded: list[str]
) -> None:
    window = selling_window(qtbot, running_shift)
    selling = window.selling
    lookups = running_shift.service.lookups
    assert isinstance(lookups, ThreadLookups)
    qtbot.waitUntil(lambda: selling.settled)
    gate = threading.Event()
    lookups.submit(gate.wait, 30)  # the look-up thread is busy until the gate opens
    for code in (BREAD, DARNYTSKYI):
        qtbot.keyClicks(selling.search, code)
        qtbot.keyClick(selling.search, Qt.Key.Key_Return)
    qtbot.keyClick(selling.search, Qt.Key.Key_F12)
    # The window did not wait: both scans are taken, the search box is ready for the next.
    assert selling.search.text() == ""
    assert selling.cart.is_empty
    assert not selling.settled
    gate.set()
    payment = modal(qtbot, PaymentDialog)  # F12 ran after both scans were applied
    assert [line.barcode for line in selling.cart.lines] == [BREAD, DARNYTSKYI]
    qtbot.keyClick(payment, Qt.Key.Key_Escape)
    assert guarded == []


def test_live_search_is_answered_off_the_gui_thread(
    qtbot: QtBot, running_shift: RunningRegister, guarded: list[str]
) -> None:
    window = selling_window(qtbot, running_shift)
    selling = window.selling
    with qtbot.waitSignal(selling.results_shown, timeout=5000):
        selling.show_results("хліб")
    assert selling.results.count() > 0
    qtbot.keyClicks(selling.search, "1001")
    qtbot.keyClick(selling.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: selling.settled)
    assert [line.item.code for line in selling.cart.lines] == ["1001"]
    assert guarded == []


def test_the_order_screen_opened_right_after_scans_gets_them(
    qtbot: QtBot, running_shift: RunningRegister, guarded: list[str]
) -> None:
    """Shift+F6 waits behind unanswered scans like F12 does: the order screen opens on the
    cart with both goods, not on an empty cart that disables the customer's fields."""
    window = selling_window(qtbot, running_shift)
    selling = window.selling
    lookups = running_shift.service.lookups
    assert isinstance(lookups, ThreadLookups)
    qtbot.waitUntil(lambda: selling.settled)
    gate = threading.Event()
    lookups.submit(gate.wait, 30)
    for code in (BREAD, DARNYTSKYI):
        qtbot.keyClicks(selling.search, code)
        qtbot.keyClick(selling.search, Qt.Key.Key_Return)
    qtbot.keyClick(selling.search, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert not [w for w in window.findChildren(OrdersDialog) if w.isVisible()]
    gate.set()
    dialog = modal(qtbot, OrdersDialog)
    assert [line.barcode for line in dialog.cart.lines] == [BREAD, DARNYTSKYI]
    assert dialog.create_button.isEnabled()
    assert dialog.name.isEnabled()
    qtbot.waitUntil(lambda: dialog.settled)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert guarded == []
