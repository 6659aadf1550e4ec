"""The window's thread never touches the journal: with the debug guard on (every journal session
asserts it is not on the GUI thread), a whole day through the window — PIN sign-in, shift
opening, a sale by keys, its return, an X-report — makes no journal call on the GUI thread.
The register and its journal run on their own thread (``pos.ui.register_thread``)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.journal import Journal, thread_guard
from pos.journal.records import ReceiptState
from pos.ui.reports import ReportDialog
from pos.ui.returns import ReturnDialog

from .helpers import TIMEOUT, gone, open_window, receipt_preview, sign_in_and_open_shift
from .test_cashier_window import sell_bread


def test_the_guard_catches_a_journal_call_on_the_forbidden_thread(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        thread_guard.forbid(threading.current_thread())
        try:
            with pytest.raises(thread_guard.JournalOnForbiddenThread):
                journal.settings.get("anything")
            assert len(thread_guard.violations) == 1
        finally:
            thread_guard.forbid(None)
        assert journal.settings.get("anything") is None  # allowed again


def test_a_day_through_the_window_never_uses_the_journal_on_the_gui_thread(
    qtbot: QtBot, running_unsigned: RunningRegister, guarded: list[str]
) -> None:
    running = running_unsigned
    account = running.training_account
    assert account is not None
    window = open_window(qtbot, running)
    sign_in_and_open_shift(qtbot, window, account.pin, "500")

    sell_bread(qtbot, window)
    sale = window.selling.last_receipt
    assert sale is not None
    assert sale.state is ReceiptState.DONE
    preview = receipt_preview(qtbot)
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(preview))

    returns = ReturnDialog(running, window)
    qtbot.addWidget(returns)
    returns.open()
    qtbot.keyClicks(returns.search, sale.fiscal_code or "")
    qtbot.keyClick(returns.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: returns.sale is not None)
    qtbot.keyClicks(returns.focusWidget(), "1")
    qtbot.keyClick(returns.focusWidget(), Qt.Key.Key_Return)  # asks
    with qtbot.waitSignal(returns.receipt_made, timeout=TIMEOUT) as made:
        qtbot.keyClick(returns.focusWidget() or returns, Qt.Key.Key_Return)
    assert made.args[0].type == "RETURN"

    report = ReportDialog(running, False, window)
    qtbot.addWidget(report)
    report.open()
    qtbot.waitUntil(lambda: report.view is not None, timeout=TIMEOUT)
    assert report.view is not None
    assert report.view.local["sell_receipts_count"] == 1
    report.close()
    window.refresh_status()
    assert guarded == []


def test_the_cart_save_never_waits_on_the_registers_thread(
    qtbot: QtBot, running: RunningRegister, guarded: list[str]
) -> None:
    """Every cart change is saved to the journal; before, the window waited for that write on
    the register's thread (a full disk or a long upload round froze the till at each scan).
    Now the save is queued there in order and the window goes on at once."""
    window = open_window(qtbot, running)
    found = running.service.scan("4820001000016")  # the training catalogue's bread
    assert found is not None
    bread = found.item
    busy = threading.Event()
    released: list[bool] = []  # True: the window let it go; False: it waited for it to time out
    running.service._thread.submit(lambda: released.append(busy.wait(5)))  # the thread is busy
    try:
        window.selling.cart.add(bread)
        window.selling._cart_changed()  # returns at once: nothing here waits for the journal
    finally:
        busy.set()
    qtbot.waitUntil(lambda: len(running.journal.carts.all()) == 1, timeout=TIMEOUT)
    assert released == [True], "the window waited for the register's thread"
    (held,) = running.journal.carts.all()
    assert [line["item"]["code"] for line in held.body["lines"]] == [bread.code]
    assert guarded == []


def test_the_shift_page_never_waits_on_the_registers_thread(
    qtbot: QtBot, running: RunningRegister, guarded: list[str]
) -> None:
    """After a Z the window shows the shift page while the register may still be busy (the
    upload, the Z's answer); the page asked it for the carried balance and waited, freezing
    the window meanwhile. Now it asks and shows the answer when it comes."""
    window = open_window(qtbot, running)
    page = window.shift_page
    qtbot.waitUntil(lambda: page.carried.text() != "", timeout=TIMEOUT)  # as constructed
    shown = page.carried.text()
    page.carried.setText("")
    busy = threading.Event()
    released: list[bool] = []  # True: the window let it go; False: it waited for it to time out
    running.service._thread.submit(lambda: released.append(busy.wait(5)))  # the thread is busy
    try:
        page.show_carried()  # returns at once; the answer comes once the register is free
        assert page.carried.text() == ""
    finally:
        busy.set()
    qtbot.waitUntil(lambda: page.carried.text() == shown, timeout=TIMEOUT)
    assert released == [True], "the window waited for the register's thread"
    assert guarded == []
