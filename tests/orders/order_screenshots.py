"""Screenshots of the order screen (Shift+F6), made by driving an order through the window.

Not a test: a script for looking at the layout at the till's sizes. For each size it starts the
app in training mode (embedded sandbox, demo catalogue), signs in, opens the shift, rings up three
goods, opens Shift+F6, types the customer, creates the order, takes an advance and saves
``orders_<size>.png`` (the screen with the order selected), ``order_advance_<size>.png`` (the
advance dialog) and ``order_rest_refused_<size>.png`` (less than the rest, refused)::

    xvfb-run -s "-screen 0 1920x1080x24" python tests/orders/order_screenshots.py OUT \
        [--sizes 1024x768,1366x768] [--lang uk|en]
"""

from __future__ import annotations

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
    # F5 with less than the rest: refused in the dialog (one advance per order).
    key(dialog, Qt.Key.Key_F5)
    await wait_until(lambda: isinstance(QApplication.activeModalWidget(), OrderPaymentDialog))
    rest = QApplication.activeModalWidget()
    assert isinstance(rest, OrderPaymentDialog)
    rest.fields[PayMethod.CARD].clear()
    type_text(rest.fields[PayMethod.CARD], "5")
    key(rest, Qt.Key.Key_Return)
    await wait_until(lambda: bool(rest.error.text()))
    shoot(window, out / f"order_rest_refused_{size}.png")
    key(rest, Qt.Key.Key_Escape)
    key(dialog, Qt.Key.Key_Escape)
    window.close()


def run_one(out: Path, size: str, language: str) -> int:
    return run_in_window(lambda window: scenario(window, out, size), language, "order-screenshots")


def main() -> int:
    return command_line(__file__, __doc__ or "", "1024x768,1366x768", run_one)


if __name__ == "__main__":
    sys.exit(main())
