"""Screenshots of the printer settings, the About dialog and a printer's trouble line.

Not a test (pytest does not collect it). For each size it starts the window in training mode,
signs in, opens the shift, fails one print on an unplugged printer (the state line under the
cart), then opens Settings → Printer and Help → About::

    xvfb-run -s "-screen 0 1366x768x24" python tests/printing/screenshots_printer.py \
        [docs/screenshots] [--sizes 1024x768,1366x768] [--lang uk|en]
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from screenshots import (  # noqa: E402
    command_line,
    key,
    run_in_window,
    shoot,
    type_text,
    wait_until,
)


async def scenario(window: object, out: Path, size: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from pos.domain.receipt import PaymentType
    from pos.printing.spooler import PrinterState
    from pos.register.cart import Cart, Tender
    from pos.ui.about import AboutDialog
    from pos.ui.main_window import MainWindow
    from pos.ui.settings import SettingsDialog

    assert isinstance(window, MainWindow)
    width, height = (int(v) for v in size.split("x"))
    window.resize(width, height)
    running = window.running
    account = running.training_account
    assert account is not None
    await wait_until(lambda: window.page_name == "sign_in")
    pad = window.sign_in_page.pad.edit
    type_text(pad, account.pin)
    key(pad, Qt.Key.Key_Return)
    await wait_until(lambda: window.page_name == "shift")
    type_text(window.shift_page.amount, "500")
    key(window.shift_page.amount, Qt.Key.Key_Return)
    await wait_until(lambda: window.page_name == "selling", 60)

    config = running.config
    config.receipt_printer = "network"
    config.receipt_printer_address = "127.0.0.1:9"  # nobody listens: "not connected"
    item = running.service.search("Хліб")[0]
    cart = Cart()
    cart.add(item)
    receipt = await running.service.sell(cart, [Tender(PaymentType.CASH, 10000)])
    window.selling._paid(receipt)
    await wait_until(lambda: running.spooler.status.state is PrinterState.FAILED, 30)
    await asyncio.sleep(0.3)
    shoot(window, out / f"printer_failed_{size}.png")

    config.receipt_printer_address = "192.168.1.50:9100"
    dialog = SettingsDialog(running, window)
    dialog.open()
    dialog.tabs.setCurrentIndex(1)
    await asyncio.sleep(0.3)
    shoot(window, out / f"settings_printer_{size}.png")
    dialog.reject()
    await wait_until(lambda: QApplication.activeModalWidget() is None)

    window.a_about.trigger()
    await wait_until(lambda: isinstance(QApplication.activeModalWidget(), AboutDialog))
    await asyncio.sleep(0.3)
    shoot(window, out / f"about_{size}.png")
    about = QApplication.activeModalWidget()
    assert about is not None
    key(about, Qt.Key.Key_Escape)
    window.close()


def run_one(out: Path, size: str, language: str) -> int:
    return run_in_window(lambda window: scenario(window, out, size), language, "screenshots")


def main() -> int:
    return command_line(__file__, __doc__ or "", "1024x768,1366x768", run_one)


if __name__ == "__main__":
    sys.exit(main())
