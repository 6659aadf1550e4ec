"""A return through the dialog: found by fiscal code or from the day's list, lines chosen with
the keyboard, confirmed; the register makes a RETURN receipt linked to the sale."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.domain.discounts import DiscountMode, DiscountType
from pos.domain.money import format_money, parse_money
from pos.domain.receipt import PaymentType
from pos.journal.records import Receipt, ReceiptState
from pos.register.cart import Cart, Tender, discount
from pos.ui.returns import ReturnDialog

from .conftest import BREAD, CHEESE, sell


def _dialog(qtbot: QtBot, running: RunningRegister) -> ReturnDialog:
    dialog = ReturnDialog(running, None)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def test_return_one_line_found_by_fiscal_code(
    qtbot: QtBot, running_shift: RunningRegister, sale: Receipt, press: Callable[..., None]
) -> None:
    assert sale.fiscal_code
    dialog = _dialog(qtbot, running_shift)
    assert dialog.focusWidget() is dialog.search

    press(dialog, Qt.Key.Key_Return, sale.fiscal_code)

    assert [s.id for s in dialog.sales] == [sale.id]
    assert dialog.sale is not None
    assert dialog.sale.id == sale.id
    bread, cheese = dialog.quantities[1], dialog.quantities[2]
    assert (bread.maximum(), cheese.maximum()) == (2000, 1250)
    assert cheese.text() == "0.000"
    assert bread.text() == "0"
    assert dialog.focusWidget() is not None
    assert bread.isAncestorOf(dialog.focusWidget())
    assert not dialog.confirm_button.isEnabled()

    qtbot.keyClicks(dialog.focusWidget(), "1")
    assert dialog.chosen() == {1: 1000}
    assert "38.20" in dialog.total.text()
    assert "Cash" in dialog.paid_by.text() or "Готівка" in dialog.paid_by.text()

    press(dialog, Qt.Key.Key_Return)  # the first Enter asks
    assert dialog.armed
    assert dialog.isVisible()
    assert "38.20" in dialog.notice.text()
    with qtbot.waitSignal(dialog.receipt_made, timeout=15000) as made:
        press(dialog, Qt.Key.Key_Return)
    receipt = made.args[0]
    assert receipt.type == "RETURN"
    assert receipt.state is ReceiptState.DONE
    assert receipt.related_receipt_id == sale.id
    assert receipt.total_sum == 3820
    assert not dialog.isVisible()
    assert running_shift.service.returnable(sale.id) == {1: 1000, 2: 1250}


def test_weighed_line_takes_kilograms_with_a_comma(
    qtbot: QtBot, running_shift: RunningRegister, sale: Receipt, press: Callable[..., None]
) -> None:
    dialog = _dialog(qtbot, running_shift)
    press(dialog, Qt.Key.Key_Return, sale.id[:8])
    cheese = dialog.quantities[2]
    cheese.setFocus()
    cheese.selectAll()
    qtbot.keyClicks(cheese, "0,5")
    assert cheese.value() == 500
    qtbot.keyClicks(cheese, "9")  # 0.59 kg: fine; more than sold is not accepted
    cheese.selectAll()
    qtbot.keyClicks(cheese, "2")
    qtbot.keyClick(cheese, Qt.Key.Key_Tab)
    assert cheese.value() <= 1250


def test_return_everything_from_the_days_list(
    qtbot: QtBot,
    aw: Callable[..., Any],
    running_shift: RunningRegister,
    press: Callable[..., None],
) -> None:
    first = sell(aw, running_shift, cash=None, cheese=0)
    second = sell(aw, running_shift, bread=1000, cheese=0)
    dialog = _dialog(qtbot, running_shift)

    press(dialog, Qt.Key.Key_F5)
    assert [s.id for s in dialog.sales] == [second.id, first.id]  # newest first
    dialog.sales_table.setFocus()
    qtbot.keyClick(dialog.sales_table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.sale is not None and dialog.sale.id == first.id)
    press(dialog, Qt.Key.Key_Return)  # from the list into the lines
    press(dialog, Qt.Key.Key_F4)  # everything
    assert dialog.chosen() == {1: 2000}
    assert "Card" in dialog.paid_by.text() or "Картка" in dialog.paid_by.text()

    press(dialog, Qt.Key.Key_Return)  # asks
    press(dialog, Qt.Key.Key_Escape)  # steps back, does not close
    assert dialog.isVisible()
    assert not dialog.armed
    press(dialog, Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.receipt_made, timeout=15000) as made:
        press(dialog, Qt.Key.Key_Return)
    refund = made.args[0]
    assert refund.related_receipt_id == first.id
    assert [p.type for p in refund.payments] == ["CASHLESS"]  # back the way it was paid
    assert running_shift.service.returnable(first.id) == {1: 0}


def test_unknown_code_and_nothing_left_are_said(
    qtbot: QtBot,
    aw: Callable[..., Any],
    running_shift: RunningRegister,
    sale: Receipt,
    press: Callable[..., None],
) -> None:
    dialog = _dialog(qtbot, running_shift)
    press(dialog, Qt.Key.Key_Return, "NO-SUCH-CODE")
    assert dialog.sales == []
    assert dialog.notice.isVisible()
    assert not dialog.confirm_button.isEnabled()

    aw(running_shift.service.refund(sale.id, {1: 2000, 2: 1250}))
    dialog.search.clear()
    dialog.search.setFocus()
    press(dialog, Qt.Key.Key_Return, sale.fiscal_code or "")
    assert not any(box.isEnabled() for box in dialog.quantities.values())
    press(dialog, Qt.Key.Key_Return)  # nothing chosen: no receipt, a hint
    assert dialog.isVisible()
    assert dialog.findChild(QMessageBox) is None
    press(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_found_by_the_printed_receipt_number_with_what_was_paid(
    qtbot: QtBot, running_shift: RunningRegister, sale: Receipt, press: Callable[..., None]
) -> None:
    serial = (sale.server_response or {}).get("serial")
    assert serial is not None
    dialog = _dialog(qtbot, running_shift)
    press(dialog, Qt.Key.Key_Return, str(serial))
    assert [s.id for s in dialog.sales] == [sale.id]
    assert dialog.sales_table.item(0, 2).text() == str(serial)  # not an internal id
    paid = sale.total_payment - sale.rest if sale.total_payment else sale.total_sum - sale.rest
    assert sale.rest > 0  # 1000.00 tendered for less: the change is not "paid"
    assert format_money(sale.payments[0].value - sale.rest) in dialog.paid_by.text()
    assert format_money(sale.payments[0].value) not in dialog.paid_by.text()
    assert paid > 0


def test_line_refunds_add_up_to_the_total_after_a_receipt_discount(
    qtbot: QtBot, aw: Callable[..., Any], running_shift: RunningRegister, press: Callable[..., None]
) -> None:
    service = running_shift.service
    cart = Cart()
    for code, quantity in ((BREAD, 3000), (CHEESE, 777)):
        item = service.item(code)
        assert item is not None
        cart.add(item, quantity)
    cart.set_receipt_discount(discount(DiscountType.DISCOUNT, DiscountMode.PERCENT, Decimal("7")))
    sale: Receipt = aw(service.sell(cart, [Tender(PaymentType.CASHLESS, cart.total)]))
    dialog = _dialog(qtbot, running_shift)
    press(dialog, Qt.Key.Key_Return, sale.fiscal_code or "")
    # Tab goes from one quantity to the next, in line order
    first = dialog.quantities[1]
    assert first.isAncestorOf(dialog.focusWidget())
    qtbot.keyClicks(dialog.focusWidget(), "2")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    second = dialog.quantities[2]
    assert dialog.focusWidget() is second or second.isAncestorOf(dialog.focusWidget())
    qtbot.waitUntil(second.lineEdit().hasSelectedText)  # what is typed replaces the 0
    qtbot.keyClicks(dialog.focusWidget(), "0,5")
    chosen = dialog.chosen()
    assert chosen == {1: 2000, 2: 500}
    expected, _ = service.quote_refund(sale.id, chosen)
    lines = [parse_money(dialog.lines_table.item(row, 5).text()) for row in (0, 1)]
    assert sum(lines) == expected
    assert lines[0] == service.quote_refund(sale.id, {1: 2000})[0]
    assert format_money(expected) in dialog.total.text()
