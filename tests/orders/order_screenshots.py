"""Screenshots of the order screen (Shift+F6), made by driving an order through the window.

Not a test: a script for looking at the layout at the till's sizes. For each size it starts the
app in training mode (embedded sandbox, demo catalogue), signs in, opens the shift, rings up three
goods, opens Shift+F6, types the customer, creates the order, takes an advance and saves
``orders_<size>.png`` (the screen with the order selected) and ``order_advance_<size>.png`` (the
advance dialog)::

    xvfb-run -s "-screen 0 1920x1080x24" python tests/orders/order_screenshots.py OUT \
        [--sizes 1024x768,1366x768] [--lang uk|en]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from screenshots import key, shoot, type_text, wait_until  # noqa: E402

GOODS = ("4820001000016", "4820101000190", "4820003000038")


async def scenario(window: object, out: Path, size: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from pos.orders.model import OrderState, PayMethod
    from pos.ui.main_window import MainWindow
    from pos.ui.orders import OrdersDialog
    from pos.ui.orders_pay import OrderPaymentDialog

    assert isinstance(window, MainWindow)
    width, height = (int(v) for v in size.split("x"))
    window.resize(width, height)
    account = window.running.training_account
    assert account is not None
    await wait_until(lambda: window.page_name == "sign_in")
    type_text(window.sign_in_page.pad.edit, account.pin)
    key(window.sign_in_page.pad.edit, Qt.Key.Key_Return)
    await wait_until(lambda: window.page_name == "shift")
    type_text(window.shift_page.amount, "500")
    key(window.shift_page.amount, Qt.Key.Key_Return)
    await wait_until(lambda: window.page_name == "selling", 60)
    search = window.selling.search
    for code in GOODS:
        type_text(search, code)
        key(search, Qt.Key.Key_Return)
    from PySide6.QtTest import QTest

    QTest.keyClick(search, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    await wait_until(lambda: isinstance(QApplication.activeModalWidget(), OrdersDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, OrdersDialog)
    type_text(dialog.name, "Олена Петренко")
    type_text(dialog.phone, "+380 67 123 45 67")
    type_text(dialog.email, "olena@example.com")
    type_text(dialog.note, "Торт на суботу, забере о 12:00")
    key(dialog, Qt.Key.Key_F2)
    await wait_until(lambda: dialog.selected() is not None)
    key(dialog, Qt.Key.Key_F4)
    await wait_until(lambda: isinstance(QApplication.activeModalWidget(), OrderPaymentDialog))
    pay = QApplication.activeModalWidget()
    assert isinstance(pay, OrderPaymentDialog)
    type_text(pay.fields[PayMethod.CASH], "20")
    type_text(pay.fields[PayMethod.CARD], "15.50")
    shoot(window, out / f"order_advance_{size}.png")
    key(pay, Qt.Key.Key_Return)
    await wait_until(
        lambda: (o := dialog.selected()) is not None and o.state is OrderState.PARTLY_PAID, 60
    )
    shoot(window, out / f"orders_{size}.png")
    key(dialog, Qt.Key.Key_Escape)
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
        code = main(["order-screenshots"], config=config, ready=ready)
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
