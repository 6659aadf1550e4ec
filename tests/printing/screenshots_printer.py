"""Screenshots of the printer settings, the About dialog and a printer's trouble line.

Not a test (pytest does not collect it). For each size it starts the window in training mode,
signs in, opens the shift, fails one print on an unplugged printer (the state line under the
cart), then opens Settings → Printer and Help → About::

    xvfb-run -s "-screen 0 1366x768x24" python tests/printing/screenshots_printer.py \
        [docs/screenshots] [--sizes 1024x768,1366x768] [--lang uk|en]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from screenshots import key, shoot, type_text, wait_until  # noqa: E402


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
    from PySide6.QtCore import QTimer

    from pos.config import AppConfig
    from pos.ui.app import main
    from pos.ui.asyncio_qt import spawn
    from pos.ui.main_window import MainWindow

    failures: list[BaseException] = []

    def ready(window: MainWindow) -> None:
        def failed(error: BaseException) -> None:
            failures.append(error)
            QTimer.singleShot(0, window.close)

        spawn(scenario(window, out, size), on_error=failed)

    with tempfile.TemporaryDirectory() as data:
        config = AppConfig(training=True, data=Path(data), language=language)
        code = main(["screenshots"], config=config, ready=ready)
    if failures:
        raise failures[0]
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--sizes", default="1024x768,1366x768")
    parser.add_argument("--lang", default="uk", choices=("uk", "en"))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.one:
        return run_one(out, args.one, args.lang)
    status = 0
    for size in args.sizes.split(","):
        height = int(size.split("x")[1])
        env = dict(os.environ, POS_UI_SCALE=str(max(0.85, min(1.5, height / 900))))
        command = [sys.executable, __file__, str(out), "--one", size, "--lang", args.lang]
        status |= subprocess.call(command, env=env)
    return status


if __name__ == "__main__":
    sys.exit(main())
