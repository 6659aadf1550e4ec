"""While the register's thread is busy (an upload, a Z-report: here held on purpose, for at most
a few seconds), the Z-report's count, the cash dialog, the order screen's money keys, a receipt's
preview and header, the settings' problem list and the exit question answer at once:
none of them waits on the window's thread for the register's. The wait guard
(``thread_guard.forbid_waits``) turns any such wait into an error, and the hold tells whether the
window let it go (True) or it had to time out (False: the window waited).

Before, each of these asked the register through a plain call and waited for it: a Z after a long
upload, a receipt printed after a sale while the worker sent the queue, froze the till."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.domain.money import format_money
from pos.domain.receipt import PaymentType
from pos.journal import thread_guard
from pos.journal.records import Receipt
from pos.orders.model import Customer
from pos.register.cart import Cart, Tender
from pos.ui.cash_ops import CashDialog
from pos.ui.orders import OrdersDialog
from pos.ui.orders_pay import OrderPaymentDialog
from pos.ui.receipt_dialog import ReceiptDialog, receipt_header
from pos.ui.register_thread import ServiceFront
from pos.ui.reports import ReportDialog
from pos.ui.set_aside import SetAsideList

from .helpers import TIMEOUT, modal, open_window

BREAD = "1005"  # Хліб Бородинський 400 г, 38.20, pieces
HOLD_S = 5.0  # the hold gives up after this: an old wait shows as a 5 s freeze and False


class Held:
    """The register's thread held until ``release()``; ``released`` says whether it was let
    go (True) or timed out (False); ``waits`` what the guard refused meanwhile."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.released: list[bool] = []
        self.waits: list[str] = []

    def release(self) -> None:
        self.gate.set()


@contextlib.contextmanager
def busy_register(running: RunningRegister) -> Iterator[Held]:
    assert isinstance(running.service, ServiceFront)
    held, holding = Held(), threading.Event()

    def hold() -> None:
        holding.set()
        held.released.append(held.gate.wait(HOLD_S))

    vars(running.service)["_thread"].submit(hold)
    assert holding.wait(10)
    thread_guard.forbid_waits(threading.current_thread())
    try:
        yield held
    finally:
        held.waits = list(thread_guard.waits)
        thread_guard.forbid_waits(None)
        held.gate.set()


def sell(aw: Callable[..., Any], running: RunningRegister, code: str = BREAD) -> Receipt:
    item = running.service.item(code)
    assert item is not None
    cart = Cart()
    cart.add(item, 2000)
    receipt: Receipt = aw(running.service.sell(cart, [Tender(PaymentType.CASH, 10000)]))
    return receipt


def test_the_z_count_opens_while_the_register_is_busy(
    qtbot: QtBot, aw: Callable[..., Any], running_shift: RunningRegister, guarded: list[str]
) -> None:
    running = running_shift
    sell(aw, running)
    shift = running.service.current_shift()
    assert shift is not None
    expected = int(running.service.local_report(shift)[0]["balance"])  # the float + the sale
    assert expected > 50000
    with busy_register(running) as held:
        dialog = ReportDialog(running, True, None)
        qtbot.addWidget(dialog)
        dialog.open()
        assert dialog.expected_label.text() == "…"  # asked, not known yet
        assert not dialog.next_button.isEnabled()
        dialog.counter.set_count(10000, 5)  # the count is typed meanwhile
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # not before the register answered
        assert dialog.pages.currentWidget() is dialog.count_page
        held.release()
        qtbot.waitUntil(lambda: dialog.expected_known, timeout=TIMEOUT)
    assert held.released == [True], "the window waited for the register's thread"
    assert held.waits == []
    assert dialog.expected == expected
    assert dialog.expected_label.text() == format_money(expected)
    assert dialog.next_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.pages.currentWidget() is dialog.confirm_page
    assert dialog.shift is not None
    assert str(dialog.shift.serial) in dialog.question.text()
    dialog.reject()
    assert guarded == []


def test_the_cash_dialog_and_the_x_report_while_the_register_is_busy(
    qtbot: QtBot, aw: Callable[..., Any], running_shift: RunningRegister, guarded: list[str]
) -> None:
    running = running_shift
    with busy_register(running) as held:
        cash = CashDialog(running, "out", None)
        qtbot.addWidget(cash)
        cash.open()
        report = ReportDialog(running, False, None)
        qtbot.addWidget(report)
        report.open()
        qtbot.keyClicks(cash.amount, "100")  # typed while the register is still held
        held.release()
        qtbot.waitUntil(lambda: "500.00" in cash.balance.text(), timeout=TIMEOUT)
        qtbot.waitUntil(lambda: report.view is not None, timeout=TIMEOUT)  # its header too
    assert held.released == [True], "the window waited for the register's thread"
    assert held.waits == []
    assert cash.amount.text() == "100"
    assert guarded == []


def test_a_receipt_preview_and_its_header_while_the_register_is_busy(
    qtbot: QtBot, aw: Callable[..., Any], running_shift: RunningRegister, guarded: list[str]
) -> None:
    running = running_shift
    sale = sell(aw, running)
    status = running.service.status()
    assert status.cashier_name
    assert status.fiscal_number
    with busy_register(running) as held:
        header = receipt_header(running)  # what every printed receipt and report is headed with
        preview = ReceiptDialog(running, sale, None)
        qtbot.addWidget(preview)
        preview.open()
        qtbot.waitUntil(lambda: preview.units_known, timeout=TIMEOUT)  # the look-up thread
        assert not held.gate.is_set()
        held.release()
        qtbot.waitUntil(lambda: bool(held.released), timeout=TIMEOUT)
    assert held.released == [True], "the window waited for the register's thread"
    assert held.waits == []
    # The header names the register and the cashier exactly as the register does.
    assert (header.register_fiscal_number, header.cashier_name) == (
        status.fiscal_number,
        status.cashier_name,
    )
    assert status.cashier_name in preview.html()
    assert status.fiscal_number in preview.html()
    assert guarded == []


def test_the_order_screen_asks_before_money_while_the_register_is_busy(
    qtbot: QtBot, aw: Callable[..., Any], running_shift: RunningRegister, guarded: list[str]
) -> None:
    running = running_shift
    item = running.service.item(BREAD)
    assert item is not None
    cart = Cart()
    cart.add(item, 1000)
    order = running.service.orders.create(cart, Customer("Олена", "0671234567"))
    with busy_register(running) as held:
        dialog = OrdersDialog(running, Cart())
        qtbot.addWidget(dialog)
        dialog.open()
        qtbot.waitUntil(lambda: dialog.settled and dialog.selected() is not None, timeout=TIMEOUT)
        selected = dialog.selected()
        assert selected is not None
        assert selected.id == order.id
        qtbot.keyClick(dialog, Qt.Key.Key_F4)  # the advance: the register is asked first
        assert not held.gate.is_set()
        held.release()
        pay = modal(qtbot, OrderPaymentDialog, timeout=TIMEOUT)
    assert held.released == [True], "the window waited for the register's thread"
    assert held.waits == []
    pay.reject()
    assert guarded == []


def test_settings_problems_and_the_exit_question_while_the_register_is_busy(
    qtbot: QtBot, running_shift: RunningRegister, guarded: list[str]
) -> None:
    running = running_shift
    window = open_window(qtbot, running)
    qtbot.waitUntil(lambda: window.page_name == "selling", timeout=TIMEOUT)
    with busy_register(running) as held:
        problems = SetAsideList(running)
        qtbot.addWidget(problems)
        assert window.exit_question() == ""  # nothing open, nothing queued: as last pushed
        window.refresh_status()
        held.release()
        qtbot.waitUntil(lambda: bool(held.released), timeout=TIMEOUT)
    assert held.released == [True], "the window waited for the register's thread"
    assert held.waits == []
    qtbot.waitUntil(lambda: "No problems" in problems.summary.text(), timeout=TIMEOUT)
    assert guarded == []


def test_a_day_through_the_window_never_waits_for_the_registers_thread(
    qtbot: QtBot, running_unsigned: RunningRegister, guarded: list[str]
) -> None:
    """The window built, sign-in, the shift's float, a sale by keys with its receipt preview,
    the X-report, the Z-report's count and the exit question: not one plain call through the
    register's front from the window's thread (the guard raises on the first)."""
    from pos.ui.reports import ReportDialog as Report

    from .helpers import gone, receipt_preview, sign_in_and_open_shift
    from .test_cashier_window import sell_bread

    running = running_unsigned
    account = running.training_account
    assert account is not None
    thread_guard.forbid_waits(threading.current_thread())
    try:
        window = open_window(qtbot, running)  # its carts as the register opened: no wait
        sign_in_and_open_shift(qtbot, window, account.pin, "500")
        sell_bread(qtbot, window)
        preview = receipt_preview(qtbot)
        qtbot.waitUntil(lambda: preview.units_known and preview.rendered, timeout=TIMEOUT)
        assert "НАВЧАЛЬНИЙ РЕЖИМ" in preview.preview.toPlainText()
        qtbot.keyClick(preview, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: gone(preview))
        qtbot.keyClick(window.selling.search, Qt.Key.Key_F9)  # X
        report = modal(qtbot, Report, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: report.view is not None, timeout=TIMEOUT)
        report.reject()
        qtbot.waitUntil(lambda: gone(report))
        qtbot.keyClick(window.selling.search, Qt.Key.Key_F10)  # Z: the count
        count = modal(qtbot, Report, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: count.expected_known, timeout=TIMEOUT)
        count.reject()
        assert window.exit_question() == ""
        waits = list(thread_guard.waits)
    finally:
        thread_guard.forbid_waits(None)
    assert waits == []
    assert guarded == []
