"""The window never waits for a catalogue look-up: scans, the live search and the shelves are
answered by a thread of their own (``pos.ui.lookups``), and what the cashier keys in meanwhile
is applied in the order it came: two scans in a row land in that order, F12 right after them
pays for both. With the debug guard on, none of it reads the journal on the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.journal import Journal, thread_guard
from pos.ui.lookups import ThreadLookups
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
