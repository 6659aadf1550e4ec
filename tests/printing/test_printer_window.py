"""The receipt printer in the window: auto-print after a sale (no dialog) with the drawer pulse on
cash; a printer that fails leaves the receipt committed and fiscalised, shows its state and
reprints it (Ctrl+P) once it is back; the settings' test page; the drawer behind the manager's
PIN; About; diagnostics from the Help menu."""

from __future__ import annotations

import socket
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dialogs.conftest import sell
from gui.conftest import (
    aw,
    gui_config,
    qloop,
    running,
    running_shift,
    running_unsigned,
)
from gui.helpers import open_window, visible_of
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.journal.records import ReceiptState
from pos.printing.spooler import PrinterState
from pos.ui.about import AboutDialog
from pos.ui.main_window import MainWindow
from pos.ui.manager_pin import ManagerPinDialog
from pos.ui.receipt_dialog import ReceiptDialog
from pos.ui.settings import SettingsDialog

__all__ = [
    "aw",
    "gui_config",
    "qloop",
    "running",
    "running_shift",
    "running_unsigned",
]

DRAWER = b"\x1bp\x00"
CUT = b"\x1dV\x00"


@pytest.fixture
def paper(tmp_path: Path, running_shift: RunningRegister) -> Path:
    """The ESC/POS printer is a file (python-escpos's File printer, as /dev/usb/lp0 would be)."""
    target = tmp_path / "printer.bin"
    config = running_shift.config
    config.receipt_printer = "file"
    config.receipt_printer_address = str(target)
    return target


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _window(qtbot: QtBot, running: RunningRegister) -> MainWindow:
    window = open_window(qtbot, running)
    qtbot.waitUntil(lambda: window.page_name == "selling")
    return window


def test_sale_is_printed_at_once_with_the_drawer_pulse(
    qtbot: QtBot, aw: Callable[..., Any], running_shift: RunningRegister, paper: Path
) -> None:
    window = _window(qtbot, running_shift)
    receipt = sell(aw, running_shift, cash=100000)
    window.selling._paid(receipt)
    spooler = running_shift.spooler
    qtbot.waitUntil(lambda: paper.exists() and spooler.status.state is PrinterState.READY)
    data = paper.read_bytes()
    assert receipt.fiscal_code
    assert receipt.fiscal_code.encode() in data
    assert data.index(DRAWER) > data.index(CUT)
    assert not visible_of(ReceiptDialog), "auto-print opens no dialog"
    assert not window.printer_state.isVisible()


def test_card_sale_prints_without_opening_the_drawer(
    qtbot: QtBot, aw: Callable[..., Any], running_shift: RunningRegister, paper: Path
) -> None:
    window = _window(qtbot, running_shift)
    receipt = sell(aw, running_shift, cash=None)
    window.selling._paid(receipt)
    qtbot.waitUntil(lambda: paper.exists() and CUT in paper.read_bytes(), timeout=10_000)
    assert DRAWER not in paper.read_bytes()


def test_a_failing_printer_keeps_the_receipt_and_reprints_it(
    qtbot: QtBot,
    aw: Callable[..., Any],
    running_shift: RunningRegister,
    paper: Path,
    tmp_path: Path,
) -> None:
    window = _window(qtbot, running_shift)
    config = running_shift.config
    # A network printer that is switched off: python-escpos raises DeviceNotFoundError.
    config.receipt_printer = "network"
    config.receipt_printer_address = f"127.0.0.1:{closed_port()}"
    receipt = sell(aw, running_shift, cash=100000)
    window.selling._paid(receipt)
    spooler = running_shift.spooler
    qtbot.waitUntil(lambda: spooler.status.state is PrinterState.FAILED, timeout=10_000)
    assert spooler.status.waiting == (receipt.id,)
    assert window.printer_state.isVisible()
    assert "Ctrl+P" in window.printer_state.text()
    stored = running_shift.service.receipt(receipt.id)
    assert stored is not None
    assert stored.state is ReceiptState.DONE
    assert stored.fiscal_code == receipt.fiscal_code

    # The next sale is not held up: it is fiscalised while the printer is still away.
    second = sell(aw, running_shift, cash=None)
    assert second.state is ReceiptState.DONE
    window.selling._paid(second)
    qtbot.waitUntil(lambda: len(spooler.status.waiting) == 2, timeout=10_000)

    config.receipt_printer, config.receipt_printer_address = "file", str(paper)  # back on
    window.a_reprint.trigger()
    qtbot.waitUntil(lambda: not spooler.status.waiting, timeout=10_000)
    data = paper.read_bytes()
    assert receipt.fiscal_code
    assert second.fiscal_code
    assert receipt.fiscal_code.encode() in data
    assert second.fiscal_code.encode() in data
    assert DRAWER not in data, "a reprint does not open the drawer again"
    qtbot.waitUntil(lambda: not window.printer_state.isVisible())


def test_receipt_dialog_prints_on_the_thermal_printer_and_shows_its_state(
    qtbot: QtBot,
    aw: Callable[..., Any],
    running_shift: RunningRegister,
    paper: Path,
    tmp_path: Path,
) -> None:
    receipt = sell(aw, running_shift)
    running_shift.config.receipt_printer_address = str(tmp_path / "gone" / "lp0")
    dialog = ReceiptDialog(running_shift, receipt)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.keyClick(dialog, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: "Ctrl+P" in dialog.notice.text(), timeout=10_000)
    running_shift.config.receipt_printer_address = str(paper)
    qtbot.keyClick(dialog, Qt.Key.Key_F4)  # reprint
    qtbot.waitUntil(lambda: paper.exists() and CUT in paper.read_bytes(), timeout=10_000)
    qtbot.waitUntil(lambda: dialog.notice.text() == "The receipt was printed.", timeout=10_000)
    assert DRAWER not in paper.read_bytes()


def test_settings_print_a_test_page(qtbot: QtBot, running: RunningRegister, tmp_path: Path) -> None:
    dialog = SettingsDialog(running, None)
    qtbot.addWidget(dialog)
    dialog.open()
    target = tmp_path / "test-page.bin"
    dialog.tabs.setCurrentIndex(1)  # Printer
    dialog.connection.setCurrentIndex(dialog.connection.findData("file"))
    dialog.address.setText(str(target))
    dialog.profile.setCurrentIndex(dialog.profile.findData("simple"))
    assert "no Cyrillic code page" in dialog.code_page_note.text()
    qtbot.keyClick(dialog, Qt.Key.Key_F6)
    assert not target.exists()
    assert "no Cyrillic code page" in dialog.notice.text()
    dialog.profile.setCurrentIndex(dialog.profile.findData("default"))
    assert "CP1125" in dialog.code_page_note.text()
    qtbot.keyClick(dialog, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: dialog.notice.text() == "The test page was printed.", timeout=10_000)
    assert "ТЕСТОВА СТОРІНКА".encode("cp1125") in target.read_bytes()
    edited = dialog.edited()
    assert edited is not None
    assert edited.receipt_printer == "file"
    assert edited.receipt_printer_address == str(target)
    assert edited.auto_print
    assert edited.printer_code_page == "auto"


def test_open_drawer_needs_the_manager_pin(
    qtbot: QtBot, running_shift: RunningRegister, paper: Path
) -> None:
    window = _window(qtbot, running_shift)
    window.a_drawer.trigger()
    qtbot.waitUntil(lambda: bool(visible_of(ManagerPinDialog)))
    gate = visible_of(ManagerPinDialog)[0]
    assert not paper.exists()
    gate.pad.submitted.emit("0000")
    qtbot.waitUntil(lambda: paper.exists() and paper.read_bytes() == b"\x1bp\x00\x32\x32")


def test_about_and_diagnostics_from_the_help_menu(
    qtbot: QtBot, running_shift: RunningRegister, tmp_path: Path
) -> None:
    import pos

    window = _window(qtbot, running_shift)
    window.a_about.trigger()
    qtbot.waitUntil(lambda: bool(visible_of(AboutDialog)))
    about = visible_of(AboutDialog)[0]
    assert about.version.text() == pos.__version__
    about.reject()
    target = tmp_path / "diag.zip"
    window.export_diagnostics_to(target)
    qtbot.waitUntil(target.exists, timeout=15_000)
    with zipfile.ZipFile(target) as archive:
        assert "summary.json" in archive.namelist()


def test_x_report_goes_to_the_thermal_printer(
    qtbot: QtBot, aw: Callable[..., Any], running_shift: RunningRegister, paper: Path
) -> None:
    from pos.ui.reports import ReportDialog

    sell(aw, running_shift)
    dialog = ReportDialog(running_shift, False, None)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=15_000)
    dialog.print_report()
    qtbot.waitUntil(lambda: "printed" in dialog.notice.text(), timeout=10_000)
    data = paper.read_bytes()
    assert "X-ЗВІТ".encode("cp1125") in data
    assert data.endswith(CUT)
    assert DRAWER not in data


def test_system_printer_prints_off_the_gui_thread_and_keeps_what_failed(
    qtbot: QtBot, aw: Callable[..., Any], running_shift: RunningRegister
) -> None:
    window = _window(qtbot, running_shift)
    running_shift.config.printer = "Counter printer (gone)"  # a system printer that went away
    receipt = sell(aw, running_shift, cash=None)
    window.selling._paid(receipt)
    spooler = running_shift.spooler
    qtbot.waitUntil(lambda: spooler.status.state is PrinterState.FAILED, timeout=10_000)
    assert spooler.status.waiting == (receipt.id,)
    assert not visible_of(ReceiptDialog), "auto-print: no dialog"
    assert window.printer_state.isVisible()
    stored = running_shift.service.receipt(receipt.id)
    assert stored is not None
    assert stored.state is ReceiptState.DONE
