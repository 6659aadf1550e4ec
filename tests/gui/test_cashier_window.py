"""The cashier's window does not lose input: a scan right after a sale lands in the new cart,
a quantity typed with a point is not silently multiplied, a barcode in the quantity box is a
barcode, leaving with receipts in progress asks first, the drawer count shows its digits."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.ui import theme
from pos.ui.cart_dialogs import QuantityDialog
from pos.ui.cash_count import CashCountWidget
from pos.ui.main_window import MainWindow
from pos.ui.payment import PaymentDialog

from .helpers import TIMEOUT, gone, modal, open_window, receipt_preview, scan

BREAD = "4820001000016"  # 34.90, pieces
DARNYTSKYI = "4820002000022"  # 32.50, pieces


def selling_window(qtbot: QtBot, running: RunningRegister) -> MainWindow:
    window = open_window(qtbot, running)
    qtbot.waitUntil(lambda: window.page_name == "selling")
    return window


def sell_bread(qtbot: QtBot, window: MainWindow) -> None:
    before = window.selling.last_receipt
    scan(qtbot, window, BREAD)
    qtbot.keyClick(window.selling.search, Qt.Key.Key_F12)
    payment = modal(qtbot, PaymentDialog)
    qtbot.keyClick(payment.tendered, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.selling.last_receipt is not before, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: gone(payment))


def focus_of(window: MainWindow) -> Any:
    """Where a key goes now: the focus of the active window (the main window when the
    platform has not activated any)."""
    active = QApplication.activeWindow() or window
    return active.focusWidget() or active


def keyboard(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """A scanner: keys go wherever the keyboard focus is now, then Enter."""
    for char in text:
        qtbot.keyClick(focus_of(window), char)
    qtbot.keyClick(focus_of(window), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.selling.settled)


def test_a_scan_right_after_a_sale_lands_in_the_new_cart(
    qtbot: QtBot, running_shift: RunningRegister
) -> None:
    window = selling_window(qtbot, running_shift)
    selling = window.selling
    sell_bread(qtbot, window)
    preview = receipt_preview(qtbot)
    assert not preview.isModal()
    assert QApplication.activeModalWidget() is None
    keyboard(qtbot, window, DARNYTSKYI)  # the next customer's first scan
    assert [line.barcode for line in selling.cart.lines] == [DARNYTSKYI]
    assert gone(preview)

    # the cashier clicked into the preview: its keys still go to the new cart
    sell_bread(qtbot, window)
    preview = receipt_preview(qtbot)
    preview.activateWindow()
    preview.print_button.setFocus()
    qtbot.keyClick(preview.print_button, BREAD[0])  # the first key lands in the preview
    for char in BREAD[1:]:
        qtbot.keyClick(focus_of(window), char)
    qtbot.keyClick(focus_of(window), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: selling.settled)
    assert gone(preview)
    assert [line.barcode for line in selling.cart.lines] == [BREAD]


def test_a_fraction_of_a_piece_good_is_refused(
    qtbot: QtBot, running_shift: RunningRegister
) -> None:
    window = selling_window(qtbot, running_shift)
    selling = window.selling
    scan(qtbot, window, BREAD)
    qtbot.keyClick(selling.search, Qt.Key.Key_F4)
    dialog = modal(qtbot, QuantityDialog)
    dialog.edit.selectAll()
    qtbot.keyClicks(dialog.edit, "2.5")
    assert dialog.edit.text() == "2.5"  # the point is not dropped
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "2.5" in dialog.message.text()
    assert "whole" in dialog.message.text() or "ціл" in dialog.message.text()
    assert selling.cart.lines[0].quantity == 1000
    dialog.edit.selectAll()
    qtbot.keyClicks(dialog.edit, "3,0")  # a comma is a point
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog))
    assert selling.cart.lines[0].quantity == 3000


def test_a_barcode_in_the_quantity_box_is_a_barcode(
    qtbot: QtBot, running_shift: RunningRegister
) -> None:
    window = selling_window(qtbot, running_shift)
    selling = window.selling
    scan(qtbot, window, BREAD)
    qtbot.keyClick(selling.search, Qt.Key.Key_F4)
    dialog = modal(qtbot, QuantityDialog)
    dialog.edit.selectAll()
    qtbot.keyClicks(dialog.edit, DARNYTSKYI)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(selling.cart.lines) == 2)
    assert selling.cart.lines[0].quantity == 1000  # the bread's quantity is untouched
    assert selling.cart.lines[1].barcode == DARNYTSKYI


def test_quitting_with_a_cart_open_asks(qtbot: QtBot, running_shift: RunningRegister) -> None:
    window = selling_window(qtbot, running_shift)
    assert window.exit_question() == ""
    scan(qtbot, window, BREAD)
    window.selling.park()
    scan(qtbot, window, DARNYTSKYI)
    question = window.exit_question()
    assert "1" in question
    window.a_quit.trigger()
    box = modal(qtbot, QMessageBox)
    assert box.objectName() == "exitBox"
    assert "32.50" in box.informativeText()  # the open receipt
    assert window.isVisible()
    box.reject()  # stay
    qtbot.waitUntil(lambda: gone(box))
    assert window.isVisible()
    assert len(window.selling.cart.lines) == 1

    window.a_quit.trigger()
    box = modal(qtbot, QMessageBox)
    with qtbot.waitSignal(window.closed, timeout=5000):
        next(b for b in box.buttons() if b.text() == window.tr("Quit anyway")).click()


def test_the_drawer_count_shows_the_digits_typed(qtbot: QtBot, qapp: Any) -> None:
    previous = qapp.styleSheet()
    theme.apply(qapp, 0.85)  # the smallest till's sizes, the real style sheet
    try:
        counter = CashCountWidget()
        qtbot.addWidget(counter)
        counter.resize(520, 600)
        counter.show()
        qtbot.waitExposed(counter)
        box = counter.count_box(50000)
        box.setFocus()
        qtbot.waitUntil(box.lineEdit().hasSelectedText)  # the 0 is replaced, not prefixed
        qtbot.keyClicks(box, "12")
        assert box.value() == 12
        field = box.lineEdit()
        assert field.isVisible()
        assert field.width() >= field.fontMetrics().horizontalAdvance("99999")
        assert counter.total() == 12 * 50000
    finally:
        qapp.setStyleSheet(previous)


def test_ctrl_z_undoes_the_last_cart_change(qtbot: QtBot, running_shift: RunningRegister) -> None:
    window = selling_window(qtbot, running_shift)
    selling = window.selling
    search = selling.search
    scan(qtbot, window, BREAD)
    scan(qtbot, window, DARNYTSKYI)
    qtbot.keyClick(search, Qt.Key.Key_Plus)  # two of the last line
    assert selling.cart.lines[1].quantity == 2000
    ctrl_z = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(search, Qt.Key.Key_Z, ctrl_z)
    assert selling.cart.lines[1].quantity == 1000
    qtbot.keyClick(search, Qt.Key.Key_Delete)
    assert len(selling.cart.lines) == 1
    qtbot.keyClick(search, Qt.Key.Key_Z, ctrl_z)
    assert [line.barcode for line in selling.cart.lines] == [BREAD, DARNYTSKYI]
    qtbot.keyClick(search, Qt.Key.Key_Z, ctrl_z)
    qtbot.keyClick(search, Qt.Key.Key_Z, ctrl_z)
    assert selling.cart.is_empty
    qtbot.keyClick(search, Qt.Key.Key_Z, ctrl_z)  # nothing more: said, nothing breaks
    assert selling.cart.is_empty


def test_ctrl_z_keeps_only_the_last_steps_of_a_long_receipt(
    qtbot: QtBot, running_shift: RunningRegister
) -> None:
    from pos.ui.selling import UNDO_STEPS

    window = selling_window(qtbot, running_shift)
    selling = window.selling
    scan(qtbot, window, BREAD)
    for _ in range(UNDO_STEPS + 10):  # each a step for Ctrl+Z, each a copy of the lines
        scan(qtbot, window, DARNYTSKYI)
    assert len(selling._undo) == UNDO_STEPS
    qtbot.keyClick(selling.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert selling.cart.lines[-1].quantity == (UNDO_STEPS + 10) * 1000 - 1000


def test_removing_a_line_after_a_discount_needs_the_manager(
    qtbot: QtBot, running_shift: RunningRegister
) -> None:
    from pos.domain.discounts import DiscountMode, DiscountType
    from pos.register.cart import discount
    from pos.ui.manager_pin import ManagerPinDialog

    window = selling_window(qtbot, running_shift)
    selling = window.selling
    scan(qtbot, window, BREAD)
    scan(qtbot, window, DARNYTSKYI)
    selling.apply_discount("line", discount(DiscountType.DISCOUNT, DiscountMode.VALUE, 500), 0)
    qtbot.keyClick(selling.search, Qt.Key.Key_Delete)
    gate = modal(qtbot, ManagerPinDialog)
    assert len(selling.cart.lines) == 2  # not yet
    qtbot.keyClick(gate, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(gate))
    assert len(selling.cart.lines) == 2
    qtbot.keyClick(selling.search, Qt.Key.Key_Delete)
    gate = modal(qtbot, ManagerPinDialog)
    qtbot.keyClicks(gate.pad.edit, "0000")
    qtbot.keyClick(gate.pad.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(selling.cart.lines) == 1)
    assert selling.cart.lines[0].barcode == DARNYTSKYI  # the selected, discounted line went


def test_payment_keys_tab_and_a_red_error(qtbot: QtBot, running_shift: RunningRegister) -> None:
    window = selling_window(qtbot, running_shift)
    scan(qtbot, window, BREAD)
    qtbot.keyClick(window.selling.search, Qt.Key.Key_F12)
    payment = modal(qtbot, PaymentDialog)
    assert payment.quick[1].text().endswith("(F6)")  # the key is on the button
    qtbot.keyClick(payment.tendered, Qt.Key.Key_F6)  # 50 hryvnias
    assert payment.tendered.value() == 5000
    qtbot.keyClick(payment.tendered, Qt.Key.Key_F4)  # card + cash
    assert payment.focusWidget() is payment.card_amount
    qtbot.keyClicks(payment.card_amount, "10")
    qtbot.keyClick(payment.card_amount, Qt.Key.Key_Tab)  # one Tab: the cash tendered
    assert payment.focusWidget() is payment.tendered
    payment.tendered.setText("1")
    qtbot.keyClick(payment.tendered, Qt.Key.Key_Return)  # does not cover the sum
    assert payment.isVisible()
    assert payment.message.property("error") is True  # red, not the green of progress
    qtbot.keyClick(payment.tendered, Qt.Key.Key_Escape)


def test_parked_receipts_show_kyiv_time(qtbot: QtBot) -> None:
    from datetime import UTC, datetime

    from pos.register.cart import Cart
    from pos.ui.cart_dialogs import ParkedCart, ParkedCartsDialog

    parked = [ParkedCart(Cart(), datetime(2026, 7, 1, 9, 5, tzinfo=UTC), 1, 0)]
    dialog = ParkedCartsDialog(parked, can_hold=False)
    qtbot.addWidget(dialog)
    assert "12:05" in dialog.list.item(0).text()  # Kyiv summer time is UTC+3


def test_the_training_menu_ticks_the_outage_that_is_on(
    qtbot: QtBot, running_shift: RunningRegister
) -> None:
    window = selling_window(qtbot, running_shift)
    assert window.a_tax_up.isChecked()
    assert not window.a_tax_down.isChecked()
    window.a_net_cut.trigger()
    qtbot.waitUntil(lambda: not window.a_net_back.isChecked(), timeout=TIMEOUT)
    assert window.a_net_cut.isChecked()
    assert window.drill_menu is not None
    assert "⚠" in window.drill_menu.title()
    window.a_net_back.trigger()
    qtbot.waitUntil(lambda: not window.a_net_cut.isChecked(), timeout=TIMEOUT)
    assert window.a_net_back.isChecked()
    qtbot.waitUntil(lambda: window.status_bar.state == "ONLINE", timeout=TIMEOUT)
