"""X-report (the register's totals equal the server's) and the Z-report after a cash count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.journal.records import Receipt, ShiftState
from pos.ui.receipt_dialog import ERROR_STYLE, OK_STYLE
from pos.ui.reports import ReportDialog, report_differences


def test_x_report_agrees_with_the_server(
    qtbot: QtBot, running_shift: RunningRegister, sale: Receipt, press: Callable[..., None]
) -> None:
    dialog = ReportDialog(running_shift, False, None)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=15000)
    view = dialog.view
    assert view is not None
    assert view.server is not None
    assert report_differences(view.local, view.server) == []
    assert dialog.agreement.styleSheet() == OK_STYLE
    assert view.local["sell_receipts_count"] == 1
    text = dialog.preview.toPlainText()
    assert "X-ЗВІТ" in text
    assert "НАВЧАЛЬНИЙ" in text
    assert not dialog.pending.isVisible()
    press(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()


def test_differences_are_found_to_the_kopeck() -> None:
    local = {"balance": 100, "payments": [{"type": "CASH", "sell_sum": 100}], "taxes": []}
    server = {"balance": 100, "payments": [{"type": "CASH", "sell_sum": 99}], "taxes": []}
    assert report_differences(local, server) == [("payments.CASH.sell_sum", 100, 99)]
    assert report_differences(local, dict(local)) == []


def test_z_report_after_a_cash_count(
    qtbot: QtBot,
    aw: Callable[..., Any],
    running_shift: RunningRegister,
    sale: Receipt,
    press: Callable[..., None],
) -> None:
    service = running_shift.service
    expected = 50000 + sale.total_sum + sale.round_sum  # the float and the cash sale
    dialog = ReportDialog(running_shift, True, None)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.expected_known)  # asked of the register, not waited for
    assert dialog.expected == expected
    assert dialog.pages.currentWidget() is dialog.count_page

    # 2 × 200 + 1 × 100 + … typed in the counter: first too little, the difference is red.
    counter = dialog.counter
    first = counter.count_box(100000)
    assert dialog.focusWidget() is first
    qtbot.keyClick(first, Qt.Key.Key_Down)  # 500
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Down)  # 200
    qtbot.keyClicks(dialog.focusWidget(), "2")
    assert counter.total() == 40000
    assert dialog.difference() == 40000 - expected
    assert dialog.difference_label.styleSheet() == ERROR_STYLE
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Plus)  # 3 × 200
    rest = expected - 60000
    assert rest >= 0
    counter.set_count(100, rest // 100, coin=True)  # 1-hryvnia coins for the rest
    counter.set_count(10, (rest % 100) // 10, coin=True)  # cash is rounded to 10 kop. at least
    assert counter.total() == expected
    assert dialog.difference() == 0
    assert dialog.difference_label.styleSheet() == OK_STYLE

    press(dialog, Qt.Key.Key_Return)
    assert dialog.pages.currentWidget() is dialog.confirm_page
    press(dialog, Qt.Key.Key_Escape)  # back to the count, nothing closed
    assert dialog.pages.currentWidget() is dialog.count_page
    assert dialog.isVisible()
    press(dialog, Qt.Key.Key_Return)
    assert "0.00" in dialog.summary.text()

    with qtbot.waitSignal(dialog.shift_closed, timeout=30000) as closed:
        press(dialog, Qt.Key.Key_Return)
    view = closed.args[0]
    assert view.z
    assert view.shift.state is ShiftState.CLOSED
    assert view.counted_cash == expected
    assert view.difference == 0
    assert service.current_shift() is None
    assert dialog.pages.currentWidget() is dialog.report_page
    text = dialog.preview.toPlainText()
    assert "Z-ЗВІТ" in text
    assert "Фактично в касі" in text
    assert dialog.agreement.styleSheet() == OK_STYLE
    press(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_z_report_without_a_shift_cannot_start(
    qtbot: QtBot, running: RunningRegister, press: Callable[..., None]
) -> None:
    dialog = ReportDialog(running, True, None)
    qtbot.addWidget(dialog)
    dialog.open()
    assert not dialog.next_button.isEnabled()
    press(dialog, Qt.Key.Key_Return)
    assert dialog.pages.currentWidget() is dialog.count_page


def test_z_report_takes_the_cash_collection_and_leaves_the_float(
    qtbot: QtBot,
    aw: Callable[..., Any],
    running_shift: RunningRegister,
    sale: Receipt,
    press: Callable[..., None],
) -> None:
    service = running_shift.service
    dialog = ReportDialog(running_shift, True, None)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.expected_known)
    expected = dialog.expected
    assert expected > 50000
    dialog.collect_edit.set_value(expected + 100)  # more than the drawer holds: refused here
    assert dialog.left_label.styleSheet() == ERROR_STYLE
    press(dialog, Qt.Key.Key_Return)
    assert dialog.pages.currentWidget() is dialog.count_page
    assert "more than the drawer holds" in dialog.notice.text()
    dialog.collect_all_button.click()
    assert dialog.collection() == expected
    assert dialog.left_label.text() == "0.00"
    dialog.collect_edit.set_value(expected - 50000)  # leave the agreed float of 500.00
    assert dialog.left_label.text() == "500.00"
    press(dialog, Qt.Key.Key_Return)
    assert dialog.pages.currentWidget() is dialog.confirm_page
    assert "Cash collection" in dialog.summary.text()
    assert "500.00 stays for the next shift" in dialog.summary.text()
    with qtbot.waitSignal(dialog.shift_closed, timeout=30000) as closed:
        press(dialog, Qt.Key.Key_Return)
    view = closed.args[0]
    assert view.local["balance"] == 50000
    assert view.server is not None
    assert view.server["balance"] == 50000
    cash = next(p for p in view.server["payments"] if p["type"] == "CASH")
    assert cash["service_out"] == expected - 50000
    assert service.carried_balance() == 50000  # the next shift's float starts from it
    press(dialog, Qt.Key.Key_Escape)
