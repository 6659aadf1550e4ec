"""Cash in and out through the dialog: amount typed and checked, reason chosen or typed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.ui.cash_ops import CashDialog


def _dialog(qtbot: QtBot, running: RunningRegister, kind: str) -> CashDialog:
    dialog = CashDialog(running, kind, None)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def test_cash_in_checks_the_amount_then_makes_the_receipt(
    qtbot: QtBot, running_shift: RunningRegister, press: Callable[..., None]
) -> None:
    dialog = _dialog(qtbot, running_shift, "in")
    assert dialog.focusWidget() is dialog.amount
    qtbot.waitUntil(lambda: "500.00" in dialog.balance.text())  # asked of the register

    press(dialog, Qt.Key.Key_Return)
    assert dialog.amount_error.text()
    assert dialog.isVisible()
    press(dialog, Qt.Key.Key_Return, "12a")
    assert "12a" in dialog.amount_error.text()
    dialog.amount.clear()
    press(dialog, Qt.Key.Key_Return, "1.234")
    assert dialog.amount_error.text()
    assert dialog.isVisible()
    dialog.amount.clear()
    press(dialog, Qt.Key.Key_Return, "0")
    assert dialog.amount_error.text()
    dialog.amount.clear()

    assert dialog.reason_text() == "Розмінна монета"
    with qtbot.waitSignal(dialog.receipt_made, timeout=15000) as made:
        press(dialog, Qt.Key.Key_Return, "150,50")
    receipt = made.args[0]
    assert receipt.type == "SERVICE_IN"
    assert receipt.total_sum == 15050
    assert not dialog.isVisible()


def test_cash_out_with_own_reason_and_over_the_balance(
    qtbot: QtBot, running_shift: RunningRegister, press: Callable[..., None]
) -> None:
    dialog = _dialog(qtbot, running_shift, "out")
    dialog.reason.setFocus()
    dialog.reason.lineEdit().selectAll()
    qtbot.keyClicks(dialog.reason, "Delivery 12")  # QTest types ASCII only
    assert dialog.reason_text() == "Delivery 12"
    dialog.amount.setFocus()
    press(dialog, Qt.Key.Key_Return, "600")  # only 500.00 in the drawer
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "errorBox") is not None)
    assert dialog.isVisible()
    assert not dialog.busy
    dialog.findChild(QMessageBox, "errorBox").accept()

    dialog.amount.setFocus()
    dialog.amount.selectAll()
    with qtbot.waitSignal(dialog.receipt_made, timeout=15000) as made:
        press(dialog, Qt.Key.Key_Return, "200")
    receipt = made.args[0]
    assert receipt.type == "SERVICE_OUT"
    assert receipt.total_sum == 20000
    local, _ = running_shift.service.local_report(running_shift.service.current_shift())
    assert local["balance"] == 30000


def test_esc_cancels_without_a_receipt(
    qtbot: QtBot, running_shift: RunningRegister, press: Callable[..., None]
) -> None:
    dialog = _dialog(qtbot, running_shift, "withdrawal")
    assert dialog.reason_text() == "Картка"
    with qtbot.assertNotEmitted(dialog.receipt_made):
        press(dialog, Qt.Key.Key_Escape, "100")
    assert not dialog.isVisible()
