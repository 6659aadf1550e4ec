"""A whole sale through the window, by keys only, on the training register and the sandbox:
sign in (PIN pad) → open the shift with a float → scan → search by name → a scale label → a
weighed good asking for its weight → a discount (manager PIN) → card + cash with change →
the receipt is DONE with a fiscal code and its preview opens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.domain.barcodes import ean13_check_digit
from pos.domain.money import format_money
from pos.journal.records import ReceiptState
from pos.ui.cart_dialogs import DiscountDialog, QuantityDialog
from pos.ui.manager_pin import ManagerPinDialog
from pos.ui.payment import PaymentDialog

from .helpers import (
    TIMEOUT,
    modal,
    open_window,
    receipt_preview,
    scan,
    sign_in_and_open_shift,
    type_text,
)

BREAD = "4820001000016"  # Хліб Український, 34.90, pieces
SAUSAGE_BARCODE = "2000101000006"  # Ковбаса Лікарська, 289.00 per kg: no weight in the code


def weight_label(item_code: str, grams: int) -> str:
    first12 = f"20{item_code}{grams:05d}"
    return first12 + str(ean13_check_digit(first12))


def test_sale_by_keys(qtbot: QtBot, running_unsigned: RunningRegister) -> None:
    running = running_unsigned
    account = running.training_account
    assert account is not None
    window = open_window(qtbot, running)
    assert window.training_band.isVisible()
    assert account.pin in window.sign_in_page.training_hint.text()

    sign_in_and_open_shift(qtbot, window, account.pin, "500")
    selling = window.selling
    status = running.service.status()
    assert status.shift is not None
    assert "Shift" in window.status_bar.shift.text() or window.status_bar.shift.text()

    # a scanner: digits in a burst + Enter; the same good again merges into one line
    scan(qtbot, window, BREAD)
    scan(qtbot, window, BREAD)
    assert len(selling.cart.lines) == 1
    assert selling.cart.lines[0].quantity == 2000

    # typed search: live results, Enter takes the highlighted one
    type_text(selling.search, "Батон")
    qtbot.waitUntil(lambda: selling.results.count() > 0 and selling.side.isVisible())
    chosen = selling.results.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(selling.search, Qt.Key.Key_Return)
    assert selling.cart.lines[-1].item.code == chosen.code
    assert selling.search.text() == ""

    # a scale label carries the weight: 1.250 kg
    scan(qtbot, window, weight_label("00101", 1250))
    label_line = selling.cart.lines[-1]
    assert label_line.item.code == "00101"
    assert label_line.quantity == 1250

    # the same sausage without a weight: the window asks for it
    scan(qtbot, window, SAUSAGE_BARCODE)
    weight = modal(qtbot, QuantityDialog)
    qtbot.keyClicks(weight.edit, "0.750")
    qtbot.keyClick(weight.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(selling.cart.lines) == 4)
    assert selling.cart.lines[-1].quantity == 750

    # + / - on the selected line (the bread, two pieces → three → two)
    qtbot.keyClick(selling.search, Qt.Key.Key_Up)
    qtbot.keyClick(selling.search, Qt.Key.Key_Up)
    qtbot.keyClick(selling.search, Qt.Key.Key_Up)
    assert selling.table.current_row() == 0
    qtbot.keyClick(selling.search, Qt.Key.Key_Plus)
    assert selling.cart.lines[0].quantity == 3000
    qtbot.keyClick(selling.search, Qt.Key.Key_Minus)
    assert selling.cart.lines[0].quantity == 2000

    # a 10 % line discount, behind the manager's PIN
    before = selling.cart.total
    qtbot.keyClick(selling.search, Qt.Key.Key_F5)
    gate = modal(qtbot, ManagerPinDialog)
    qtbot.keyClicks(gate.pad.edit, "0000")
    qtbot.keyClick(gate.pad.edit, Qt.Key.Key_Return)
    discount = modal(qtbot, DiscountDialog)
    assert discount.target == "line"
    qtbot.keyClicks(discount.value, "10")
    qtbot.keyClick(discount.value, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: selling.cart.lines[0].discount is not None)
    bread_sum = 2 * 3490
    assert selling.cart.total == before - bread_sum // 10
    assert format_money(selling.cart.total) == window.selling.totals.value.text()

    # card + cash: 100.00 by card, the rest in cash with change
    qtbot.keyClick(selling.search, Qt.Key.Key_F12)
    payment = modal(qtbot, PaymentDialog)
    qtbot.keyClick(payment.tendered, Qt.Key.Key_F4)
    assert payment.mode == "mixed"
    qtbot.keyClicks(payment.card_amount, "100")
    qtbot.keyClicks(payment.rrn, "123456789012")
    due = payment.cash_to_pay()
    assert due == selling.cart.total - 10000 or due % 50 == 0
    tendered = (due // 10000 + 1) * 10000
    qtbot.keyClicks(payment.tendered, format_money(tendered))
    assert payment.change.text().endswith(format_money(tendered - due))
    qtbot.keyClick(payment.tendered, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: selling.last_receipt is not None, timeout=TIMEOUT)

    receipt = selling.last_receipt
    assert receipt is not None
    stored = running.service.receipt(receipt.id)
    assert stored is not None
    assert stored.state is ReceiptState.DONE
    assert stored.fiscal_code
    assert stored.rest == tendered - due
    assert {p.type for p in stored.payments} == {"CASH", "CASHLESS"}
    card = next(p for p in stored.payments if p.type == "CASHLESS")
    assert card.value == 10000
    assert selling.cart.is_empty

    from pos.ui.receipt_dialog import ReceiptDialog

    preview = receipt_preview(qtbot)
    assert isinstance(preview, ReceiptDialog)
    assert preview.receipt.id == receipt.id
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not preview.isVisible())
