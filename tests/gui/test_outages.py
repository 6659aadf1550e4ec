"""Outages mid-shift as the cashier sees them: the status bar's words and colour follow the
register through the tax service going down and up, and through a network cut with an offline
sale that is uploaded when the network is back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.journal.records import ReceiptState
from pos.sandbox.server import RunningSandbox
from pos.ui.main_window import MainWindow
from pos.ui.payment import PaymentDialog

from .helpers import TIMEOUT, close_receipt_preview, gone, modal, open_window, scan

BREAD = "4820001000016"


def sell_bread_for_cash(qtbot: QtBot, window: MainWindow) -> None:
    """Scan, F12, Enter (exact cash): the sale through the window's keys."""
    before = window.selling.last_receipt
    scan(qtbot, window, BREAD)
    qtbot.keyClick(window.selling.search, Qt.Key.Key_F12)
    payment = modal(qtbot, PaymentDialog)
    qtbot.keyClick(payment.tendered, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.selling.last_receipt is not before, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: gone(payment))
    close_receipt_preview(qtbot)


def shows(window: MainWindow, state: str) -> bool:
    return window.status_bar.state == state


def test_tax_service_down_and_up(
    qtbot: QtBot, running_shift: RunningRegister, sandbox: RunningSandbox
) -> None:
    window = open_window(qtbot, running_shift)
    qtbot.waitUntil(lambda: window.page_name == "selling")
    assert shows(window, "ONLINE")
    assert window.status_bar.connectivity.text() == "Online"

    sandbox.control("POST", "/sandbox/tax-service", {"state": "down"})
    sell_bread_for_cash(qtbot, window)
    qtbot.waitUntil(lambda: shows(window, "SERVER_OFFLINE"), timeout=TIMEOUT)
    assert window.status_bar.connectivity.text() == "Tax service offline"
    receipt = window.selling.last_receipt
    assert receipt is not None
    stored = running_shift.service.receipt(receipt.id)
    assert stored is not None
    assert stored.state is ReceiptState.DONE
    assert stored.fiscal_code

    window.a_tax_up.trigger()  # the training drill: the sandbox's tax service back
    qtbot.waitUntil(lambda: shows(window, "ONLINE"), timeout=TIMEOUT)
    assert window.status_bar.connectivity.text() == "Online"


def test_network_cut_offline_sale_and_upload(
    qtbot: QtBot, running_shift: RunningRegister, sandbox: RunningSandbox
) -> None:
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    window = open_window(qtbot, running_shift)
    qtbot.waitUntil(lambda: window.page_name == "selling")
    assert running_shift.service.status().codes_left > 0

    window.a_net_cut.trigger()
    qtbot.waitUntil(lambda: shows(window, "LOCAL_OFFLINE"), timeout=TIMEOUT)
    assert window.status_bar.connectivity.text() == "Offline"

    sell_bread_for_cash(qtbot, window)
    receipt = window.selling.last_receipt
    assert receipt is not None
    assert receipt.state is ReceiptState.OFFLINE_ISSUED
    assert receipt.fiscal_code
    qtbot.waitUntil(lambda: running_shift.service.status().queued > 0)
    qtbot.waitUntil(lambda: window.status_bar.queue.text() != "Queue: 0")

    window.a_net_back.trigger()
    qtbot.waitUntil(lambda: shows(window, "ONLINE") and window.status.queued == 0, timeout=45_000)
    assert window.status_bar.queue.text() == "Queue: 0"
    uploaded = running_shift.service.receipt(receipt.id)
    assert uploaded is not None
    assert uploaded.state is ReceiptState.UPLOADED


def test_checkbox_fault_drill_schedules_and_clears_and_shows_which_is_on(
    qtbot: QtBot, running_shift: RunningRegister, sandbox: RunningSandbox
) -> None:
    window = open_window(qtbot, running_shift)
    qtbot.waitUntil(lambda: window.page_name == "selling")
    assert window.fault_actions[None].isChecked()
    assert window.fault_actions["maintenance"].text() == "Maintenance work (503)"

    def active() -> list[str]:
        return [f["fault"] for f in sandbox.control("GET", "/sandbox/faults")["faults"]]

    window.fault_actions["maintenance"].trigger()
    qtbot.waitUntil(lambda: active() == ["maintenance"], timeout=TIMEOUT)
    assert window.fault_actions["maintenance"].isChecked()
    assert not window.fault_actions[None].isChecked()
    window.fault_actions[None].trigger()
    qtbot.waitUntil(lambda: active() == [], timeout=TIMEOUT)
    qtbot.waitUntil(window.fault_actions[None].isChecked, timeout=TIMEOUT)
    assert not window.fault_actions["maintenance"].isChecked()
