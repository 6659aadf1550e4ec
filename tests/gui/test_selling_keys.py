"""The selling screen's keys and the cases around a sale: parking, cancelling, removing, unknown
and broken barcodes, categories, a refused payment that keeps the cart, a wrong PIN."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.ui.cart_dialogs import ParkedCartsDialog, QuantityDialog
from pos.ui.payment import PaymentDialog

from .helpers import TIMEOUT, gone, modal, open_window, scan

BREAD = "4820001000016"
LOAF = "4820003000038"  # Батон Нарізний


def selling_window(qtbot: QtBot, running: RunningRegister) -> Any:
    window = open_window(qtbot, running)
    qtbot.waitUntil(lambda: window.page_name == "selling")
    return window


def test_park_resume_remove_cancel(qtbot: QtBot, running_shift: RunningRegister) -> None:
    window = selling_window(qtbot, running_shift)
    selling = window.selling
    search = selling.search
    scan(qtbot, window, BREAD)
    scan(qtbot, window, LOAF)
    assert len(selling.cart.lines) == 2

    qtbot.keyClick(search, Qt.Key.Key_Delete)  # the selected (last) line goes
    assert [line.item.barcodes[0] for line in selling.cart.lines] == [BREAD]

    qtbot.keyClick(search, Qt.Key.Key_F6)  # nothing parked yet: park at once
    assert selling.cart.is_empty
    assert len(selling.parked) == 1
    scan(qtbot, window, LOAF)
    qtbot.keyClick(search, Qt.Key.Key_F6)  # now: choose
    dialog = modal(qtbot, ParkedCartsDialog)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)  # resume #1; the current one is parked
    qtbot.waitUntil(lambda: gone(dialog))
    assert [line.item.barcodes[0] for line in selling.cart.lines] == [BREAD]
    assert [p.number for p in selling.parked] == [2]

    qtbot.keyClick(search, Qt.Key.Key_F4)  # quantity of the bread: 3 pieces
    quantity = modal(qtbot, QuantityDialog)
    qtbot.keyClicks(quantity.edit, "3")
    qtbot.keyClick(quantity.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: selling.cart.lines[0].quantity == 3000)

    qtbot.keyClick(search, Qt.Key.Key_Escape)  # empty search: cancel the receipt?
    box = modal(qtbot, QMessageBox)
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: selling.cart.is_empty)


def test_the_scanner_types_into_the_search_wherever_the_focus_is(
    qtbot: QtBot, running_shift: RunningRegister
) -> None:
    window = selling_window(qtbot, running_shift)
    selling = window.selling
    scan(qtbot, window, BREAD)
    selling.table.setFocus()
    qtbot.keyClicks(selling.table, LOAF)
    qtbot.keyClick(selling.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: selling.settled)
    assert len(selling.cart.lines) == 2


def test_unknown_and_broken_barcodes(qtbot: QtBot, running_shift: RunningRegister) -> None:
    window = selling_window(qtbot, running_shift)
    selling = window.selling
    scan(qtbot, window, "4820001000023")  # valid EAN-13, not in the catalogue
    assert selling.cart.is_empty
    assert "4820001000023" in selling.notice.text()
    assert selling.notice.property("error") is True
    scan(qtbot, window, "4820001000017")  # wrong check digit
    assert selling.cart.is_empty
    assert "4820001000017" in selling.notice.text()
    scan(qtbot, window, "1001")  # an item code typed in a burst: the good with that code
    assert selling.cart.lines[0].item.code == "1001"


def test_a_price_label_sells_at_its_price(qtbot: QtBot, running_shift: RunningRegister) -> None:
    from pos.domain.barcodes import ean13_check_digit

    window = selling_window(qtbot, running_shift)
    first12 = "2500102" + "12345"  # item 00102, 123.45 printed by the scale
    scan(qtbot, window, first12 + str(ean13_check_digit(first12)))
    line = window.selling.cart.lines[0]
    assert line.item.code == "00102"
    assert window.selling.cart.total == 12345


def test_categories_when_the_catalogue_has_them(
    qtbot: QtBot, running_shift: RunningRegister
) -> None:
    window = selling_window(qtbot, running_shift)
    selling = window.selling
    categories = running_shift.service.categories()
    # The shelves come from the look-up thread: shown once it answered.
    qtbot.waitUntil(lambda: selling.side.isVisible() is bool(categories))
    if not categories:
        return
    qtbot.waitUntil(lambda: len(selling.categories.buttons) == len(categories))
    first = selling.categories.buttons[0]
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert selling.categories.current == categories[0][0]
    qtbot.waitUntil(lambda: selling.categories.buttons[0].property("role") == "good")
    good = selling.categories.buttons[0]
    qtbot.mouseClick(good, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(selling.cart.lines) == 1 or modal_is(QuantityDialog))


def modal_is(kind: type) -> bool:
    return isinstance(QApplication.activeModalWidget(), kind)


def test_a_refused_sale_keeps_the_cart(
    qtbot: QtBot, running_shift: RunningRegister, aw: Any
) -> None:
    window = selling_window(qtbot, running_shift)
    selling = window.selling
    scan(qtbot, window, BREAD)
    qtbot.keyClick(selling.search, Qt.Key.Key_F12)
    payment = modal(qtbot, PaymentDialog)
    aw(running_shift.service.close_shift(), timeout=30)  # behind the cashier's back
    qtbot.keyClick(payment.tendered, Qt.Key.Key_Return)
    box = modal(qtbot, QMessageBox, timeout=TIMEOUT)
    assert "F2" in box.text()  # no shift: open one first (F2)
    box.accept()
    assert shiboken6.isValid(payment)
    assert payment.isVisible()
    assert len(selling.cart.lines) == 1
    qtbot.keyClick(payment.tendered, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(payment))
    assert len(selling.cart.lines) == 1


def test_wrong_pin_is_said_on_the_pad(qtbot: QtBot, running_unsigned: RunningRegister) -> None:
    window = open_window(qtbot, running_unsigned)
    pad = window.sign_in_page.pad
    qtbot.keyClicks(pad.edit, "9999")
    qtbot.keyClick(pad.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pad.message.property("error") is True, timeout=TIMEOUT)
    assert pad.edit.text() == ""
    assert window.page_name == "sign_in"


def test_f1_shows_the_keys(qtbot: QtBot, running_unsigned: RunningRegister) -> None:
    window = open_window(qtbot, running_unsigned)
    qtbot.keyClick(window.sign_in_page.pad.edit, Qt.Key.Key_F1)
    box = modal(qtbot, QMessageBox)
    assert "F12" in box.text()
    box.accept()


def test_function_keys_open_the_shift_dialogs(qtbot: QtBot, running_shift: RunningRegister) -> None:
    """F7 return, F8 cash in/out (a menu), F9 X-report: UI-B's dialogs, opened by key."""
    from PySide6.QtWidgets import QMenu

    from pos.ui.cash_ops import CashDialog
    from pos.ui.reports import ReportDialog
    from pos.ui.returns import ReturnDialog

    window = selling_window(qtbot, running_shift)
    search = window.selling.search
    for key, kind in ((Qt.Key.Key_F7, ReturnDialog), (Qt.Key.Key_F9, ReportDialog)):
        qtbot.keyClick(search, key)
        dialog = modal(qtbot, kind)
        dialog.reject()
        qtbot.waitUntil(lambda dialog=dialog: gone(dialog))

    qtbot.keyClick(search, Qt.Key.Key_F8)
    menus: list[QMenu] = []

    def menu_shown() -> bool:
        menus[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMenu) and w.objectName() == "cashMenu" and w.isVisible()
        ]
        return bool(menus)

    qtbot.waitUntil(menu_shown)
    menus[0].actions()[0].trigger()
    menus[0].close()
    cash = modal(qtbot, CashDialog)
    cash.reject()
    qtbot.waitUntil(lambda: gone(cash))
