"""An order through the window by keys: ring up three goods, Shift+F6, the customer, F2 creates the
order (the cart empties), F4 an advance in cash and by card, F5 the rest by card (handed over),
a second order cancelled with F8 twice (refunded); and the money keys refuse while offline."""

from __future__ import annotations

import json

from gui.helpers import TIMEOUT, modal, open_window, scan, sign_in_and_open_shift, type_text
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.domain.money import format_money
from pos.orders.cash_items import decode
from pos.orders.model import OrderState, PayMethod
from pos.register.connectivity import ConnectivityEvent
from pos.ui.main_window import MainWindow
from pos.ui.orders import OrdersDialog
from pos.ui.orders_pay import OrderPaymentDialog

GOODS = ("4820001000016", "4820002000022", "4820003000038")  # three breads of the demo catalogue


def ring_up(qtbot: QtBot, window: MainWindow) -> None:
    for code in GOODS:
        scan(qtbot, window, code)
    assert len(window.selling.cart.lines) == 3


def test_order_flow_in_the_window(qtbot: QtBot, running_unsigned: RunningRegister) -> None:
    running = running_unsigned
    account = running.training_account
    assert account is not None
    window = open_window(qtbot, running)
    sign_in_and_open_shift(qtbot, window, account.pin, "100")
    ring_up(qtbot, window)
    total = window.selling.cart.total

    qtbot.keyClick(window.selling.search, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    dialog = modal(qtbot, OrdersDialog)
    assert "online" in dialog.mode.text().lower()
    assert dialog.create_button.isEnabled()
    type_text(dialog.name, "Олена Петренко")
    qtbot.keyClicks(dialog.phone, "+380671234567")
    qtbot.keyClick(dialog, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.selling.cart.is_empty and dialog.settled, timeout=TIMEOUT)
    order = dialog.selected()
    assert order is not None
    assert (order.label, order.total_sum, order.state) == ("00001", total, OrderState.OPEN)
    assert not dialog.create_button.isEnabled()

    # F4: an advance, half in cash and half by card.
    qtbot.keyClick(dialog, Qt.Key.Key_F4)
    pay = modal(qtbot, OrderPaymentDialog)
    qtbot.keyClicks(pay.fields[PayMethod.CASH], "20")
    qtbot.keyClicks(pay.fields[PayMethod.CARD], "10.50")
    qtbot.keyClick(pay, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: dialog.selected() is not None and dialog.selected().paid == 3050,  # type: ignore[union-attr]
        timeout=TIMEOUT,
    )
    advanced = dialog.selected()
    assert advanced is not None
    assert advanced.state is OrderState.PARTLY_PAID
    assert "fiscal code" in dialog.notice.text().lower()
    assert dialog.print_button.isEnabled()

    # F6: the payment-link data of the rest, copied for the shop's payment page.
    qtbot.keyClick(dialog, Qt.Key.Key_F6)
    copied = json.loads(dialog.link_text)
    assert copied["customerPhone"] == 380671234567
    assert copied["sum"] == (total - 3050) / 100
    assert {i["paymentMethod"] for i in decode(copied["cashItems"])} == {"full_payment"}
    clipboard = QGuiApplication.clipboard()
    assert clipboard is None or clipboard.text() in ("", dialog.link_text)

    # One advance per order: F4 is off now; F5 takes only the whole rest.
    assert not dialog.advance_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_F5)
    rest = modal(qtbot, OrderPaymentDialog)
    prefilled = rest.fields[PayMethod.CARD].text()
    assert prefilled == format_money(total - 3050)
    rest.fields[PayMethod.CARD].clear()
    qtbot.keyClicks(rest.fields[PayMethod.CARD], "5")
    qtbot.keyClick(rest, Qt.Key.Key_Return)
    assert rest.isVisible()  # refused in the dialog: nothing reached the register
    assert f"Pay the whole rest: {format_money(total - 3050)} UAH" in rest.error.text()
    assert running.service.orders.get(advanced.id).paid == 3050
    assert len(running.service.orders.get(advanced.id).receipts) == 1

    # F5: the rest by card (pre-filled), the goods are handed over.
    rest.fields[PayMethod.CARD].clear()
    qtbot.keyClicks(rest.fields[PayMethod.CARD], prefilled)
    qtbot.keyClick(rest, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: dialog.selected() is not None and dialog.selected().state is OrderState.HANDED_OVER,  # type: ignore[union-attr]
        timeout=TIMEOUT,
    )
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)

    # A second order: an advance by card, then F8 twice cancels it with the refund.
    ring_up(qtbot, window)
    qtbot.keyClick(window.selling.search, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    second = modal(qtbot, OrdersDialog)
    qtbot.keyClicks(second.phone, "0501112233")
    qtbot.keyClick(second, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.selling.cart.is_empty, timeout=TIMEOUT)
    qtbot.keyClick(second, Qt.Key.Key_F4)
    pay = modal(qtbot, OrderPaymentDialog)
    qtbot.keyClicks(pay.fields[PayMethod.CARD], "15")
    qtbot.keyClick(pay, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: second.selected() is not None and second.selected().paid == 1500,  # type: ignore[union-attr]
        timeout=TIMEOUT,
    )
    qtbot.keyClick(second, Qt.Key.Key_F8)  # armed once the register said it is online
    qtbot.waitUntil(lambda: "F8" in second.notice.text(), timeout=TIMEOUT)
    qtbot.keyClick(second, Qt.Key.Key_F8)
    qtbot.waitUntil(
        lambda: second.selected() is not None and second.selected().state is OrderState.CANCELLED,  # type: ignore[union-attr]
        timeout=TIMEOUT,
    )
    # Finding by phone, then by name.
    type_text(second.search, "067123")
    qtbot.waitUntil(lambda: [o.label for o in second._orders] == ["00001"], timeout=TIMEOUT)
    second.search.clear()
    type_text(second.search, "петренко")
    qtbot.waitUntil(lambda: [o.label for o in second._orders] == ["00001"], timeout=TIMEOUT)
    qtbot.keyClick(second, Qt.Key.Key_Escape)


def test_money_keys_refuse_while_offline(qtbot: QtBot, running_unsigned: RunningRegister) -> None:
    running = running_unsigned
    account = running.training_account
    assert account is not None
    window = open_window(qtbot, running)
    sign_in_and_open_shift(qtbot, window, account.pin, "100")
    ring_up(qtbot, window)
    running.network.cut = True
    qtbot.keyClick(window.selling.search, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    dialog = modal(qtbot, OrdersDialog)
    qtbot.keyClicks(dialog.phone, "0501112233")
    qtbot.keyClick(dialog, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.selling.cart.is_empty and dialog.settled, timeout=TIMEOUT)
    order = dialog.selected()
    assert order is not None
    # The window learns about the cut at its first request; until then the register refuses
    # the advance itself before any dialog for money opens.
    running.service.ctx.move(ConnectivityEvent.NETWORK_LOST, "test: cable pulled")
    dialog.refresh()
    assert not dialog.advance_button.isEnabled()
    assert "NO money" in dialog.mode.text()
    dialog.advance()  # even when called directly: refused with a message, no payment dialog
    box = modal(qtbot, QMessageBox)
    assert "cannot be issued offline" in box.text()
    box.close()
    assert not [w for w in dialog.findChildren(OrderPaymentDialog) if w.isVisible()]
    assert running.service.orders.get(order.id).state is OrderState.OPEN
    running.network.cut = False
