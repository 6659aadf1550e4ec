"""While the register's thread is busy (an upload, a Z-report: here held on purpose), the order
screen, the return dialog and the goods editor still find what they look for: their reads are
answered by the look-up thread. What writes (a new order, the return, a saved good) goes through
the register once it is free. With the debug guard on, none of it reads the journal on the GUI
thread."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.domain.receipt import PaymentType
from pos.journal.records import Receipt
from pos.orders.model import Customer
from pos.register.cart import Cart, Tender
from pos.ui.goods_editor import GoodsEditorDialog
from pos.ui.orders import OrdersDialog
from pos.ui.register_thread import ServiceFront
from pos.ui.returns import ReturnDialog

from .helpers import TIMEOUT, type_text

BREAD = "1005"  # Хліб Бородинський 400 г, 38.20, pieces
RYE = "1001"  # Хліб Український, 34.90, pieces


@contextlib.contextmanager
def register_busy(running: RunningRegister) -> Iterator[threading.Event]:
    """The register's thread held (as by a long upload) until the yielded gate is set."""
    assert isinstance(running.service, ServiceFront)
    gate, holding = threading.Event(), threading.Event()

    def hold() -> None:
        holding.set()
        gate.wait(60)

    vars(running.service)["_thread"].submit(hold)
    assert holding.wait(10)
    try:
        yield gate
    finally:
        gate.set()


def a_cart(running: RunningRegister, code: str, quantity: int = 1000) -> Cart:
    item = running.service.item(code)
    assert item is not None
    cart = Cart()
    cart.add(item, quantity)
    return cart


def sell(aw: Callable[..., Any], running: RunningRegister) -> Receipt:
    cart = a_cart(running, BREAD, 2000)
    receipt: Receipt = aw(running.service.sell(cart, [Tender(PaymentType.CASH, 10000)]))
    return receipt


def test_orders_are_found_while_the_register_is_busy(
    qtbot: QtBot, running_shift: RunningRegister, guarded: list[str]
) -> None:
    running = running_shift
    first = running.service.orders.create(a_cart(running, RYE), Customer("Олена", "0671234567"))
    cart = a_cart(running, BREAD)
    with register_busy(running) as gate:
        dialog = OrdersDialog(running, cart)
        qtbot.addWidget(dialog)
        dialog.open()
        qtbot.keyClicks(dialog.search, "067123")
        qtbot.waitUntil(lambda: dialog.settled and len(dialog._orders) == 1, timeout=TIMEOUT)
        found = dialog.selected()
        assert found is not None
        assert found.id == first.id
        assert "Хліб Український" in dialog.details.text()  # the order's lines
        dialog.search.clear()
        qtbot.keyClicks(dialog.search, first.label)  # by its number
        qtbot.waitUntil(lambda: dialog.settled, timeout=TIMEOUT)
        assert [o.id for o in dialog._orders] == [first.id]
        assert not gate.is_set()  # answered while the register was still held
        type_text(dialog.name, "Іван")
        # The new order is a write: it waits for the register, the screen does not.
        qtbot.keyClick(dialog, Qt.Key.Key_F2)
        assert dialog.busy
        qtbot.keyClicks(dialog.search, "0")  # the screen still takes keys
        assert dialog.search.text() == first.label + "0"
    # The register is free: the new order goes through it.
    qtbot.waitUntil(
        lambda: (
            dialog.settled
            and dialog.selected() is not None
            and dialog.selected().customer.name == "Іван"
        ),  # type: ignore[union-attr]
        timeout=TIMEOUT,
    )
    assert sorted(o.customer.name for o in running.service.orders.find("")) == ["Іван", "Олена"]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert guarded == []


def test_a_sale_is_found_for_a_return_while_the_register_is_busy(
    qtbot: QtBot, aw: Callable[..., Any], running_shift: RunningRegister, guarded: list[str]
) -> None:
    running = running_shift
    sale = sell(aw, running)
    assert sale.fiscal_code
    with register_busy(running) as gate:
        dialog = ReturnDialog(running, None)
        qtbot.addWidget(dialog)
        dialog.open()
        qtbot.keyClicks(dialog.search, sale.fiscal_code)
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.settled and dialog.sale is not None, timeout=TIMEOUT)
        assert [s.id for s in dialog.sales] == [sale.id]
        assert dialog.quantities[1].maximum() == 2000  # what is left to return: all of it
        focus = dialog.focusWidget()
        assert focus is not None
        assert dialog.quantities[1].isAncestorOf(focus)
        qtbot.keyClicks(focus, "1")
        assert "38.20" in dialog.total.text()  # the refund, computed without the register

        qtbot.keyClick(dialog.day_button, Qt.Key.Key_Space)  # the day's list, looked up too
        qtbot.waitUntil(lambda: dialog.settled and dialog.sale is not None, timeout=TIMEOUT)
        assert [s.id for s in dialog.sales] == [sale.id]
        assert not gate.is_set()
    dialog.focus_lines()
    qtbot.keyClicks(dialog.focusWidget(), "1")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)  # asks
    with qtbot.waitSignal(dialog.receipt_made, timeout=TIMEOUT) as made:
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    assert made.args[0].related_receipt_id == sale.id
    assert running.service.returnable(sale.id) == {1: 1000}
    assert guarded == []


def test_the_goods_editor_checks_while_the_register_is_busy(
    qtbot: QtBot, running_shift: RunningRegister, guarded: list[str]
) -> None:
    running = running_shift
    with register_busy(running) as gate:
        editor = GoodsEditorDialog(running, None)
        qtbot.addWidget(editor)
        editor.open()
        qtbot.keyClicks(editor.search, RYE)
        qtbot.keyClick(editor.search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: editor.settled and editor.item is not None, timeout=TIMEOUT)
        editor.price.setText("36,10")
        editor.barcodes.setText("4820002000022")  # another good's barcode
        qtbot.keyClick(editor, Qt.Key.Key_F12)
        qtbot.waitUntil(lambda: editor.settled, timeout=TIMEOUT)
        assert [e.reason for e in editor.errors] == ["duplicate_barcode"]

        qtbot.keyClick(editor, Qt.Key.Key_F2)  # a new good with a code the catalogue has
        editor.code.setText(BREAD)
        type_text(editor.name, "Хліб")
        editor.price.setText("10")
        qtbot.keyClick(editor, Qt.Key.Key_F12)
        qtbot.waitUntil(lambda: editor.settled, timeout=TIMEOUT)
        assert [e.reason for e in editor.errors] == ["duplicate"]
        assert not gate.is_set()

        # The save is a write: it waits for the register, the editor does not.
        editor.code.setText("9002")
        qtbot.keyClick(editor, Qt.Key.Key_F12)
        qtbot.waitUntil(lambda: editor.busy, timeout=TIMEOUT)  # checked, now writing
        with qtbot.waitSignal(editor.saved, timeout=TIMEOUT):
            gate.set()
    assert not editor.busy
    assert editor.errors == []
    saved = running.service.item("9002")
    assert saved is not None
    assert (saved.name, saved.price) == ("Хліб", 1000)
    assert guarded == []
