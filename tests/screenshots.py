"""Screenshots of the cashier window, made by driving a real sale through it.

Not a test (pytest does not collect it): a script for the documentation and for looking at the
layout at the till's sizes. For each size it starts the app in training mode with a temporary
data directory (embedded sandbox, demo catalogue), signs in, opens the shift, rings up a cart
(scans, a scale label, a weighed good, a discount) and saves:

- ``selling_<lang>_<size>.png``   the selling screen with the cart
- ``payment_<lang>_<size>.png``   the payment dialog (card + cash, NBU rounding, change)
- ``receipt_<lang>_<size>.png``   the receipt preview after the sale (not modal)
- ``return_<lang>_<size>.png``    the return dialog, the sale found by its printed number
- ``goods_<lang>_<size>.png``     the goods editor (manager)
- ``offline_<lang>_<size>.png``   the network cut in the training drill, after an offline sale
- ``category_<lang>_<size>.png``  a category's goods as buttons, three columns
- ``cash_count_<lang>_<size>.png`` the Z-report's drawer count with counts typed
- ``z_report_<lang>_<size>.png``  the Z-report dialog

Run under Xvfb (or offscreen: ``QT_QPA_PLATFORM=offscreen``)::

    xvfb-run -s "-screen 0 1920x1080x24" python tests/screenshots.py [docs/screenshots] \
        [--sizes 1024x768,1920x1080] [--lang uk|en]

Each size runs in its own process (one QApplication per process, sized fonts per screen).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BREAD = "4820001000016"
MILK_SEARCH = "Молоко"
SAUSAGE = "2000101000006"  # weighed, no weight in the code: the window asks


def weight_label(item_code: str, grams: int) -> str:
    from pos.domain.barcodes import ean13_check_digit

    first12 = f"20{item_code}{grams:05d}"
    return first12 + str(ean13_check_digit(first12))


async def wait_until(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError("the window did not get there in time")
        await asyncio.sleep(0.05)


def type_text(widget: object, text: str) -> None:
    """Key events for any text (QTest.keyClicks knows ASCII only)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))  # type: ignore[arg-type]


def key(widget: object, which: object) -> None:
    from PySide6.QtTest import QTest

    QTest.keyClick(widget, which)  # type: ignore[arg-type, call-overload]


def shoot(window: object, path: Path, dialog: object = None) -> None:
    """The window, with the dialog on top of it when one is open, as the cashier sees it."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(window, QWidget)
    QApplication.processEvents()
    image = window.grab()
    if not isinstance(dialog, QWidget):
        dialog = QApplication.activeModalWidget()
    if dialog is not None and dialog is not window and dialog.isVisible():
        overlay = dialog.grab()
        offset = dialog.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0))
        x = max(0, min(offset.x(), image.width() - overlay.width()))
        y = max(0, min(offset.y(), image.height() - overlay.height()))
        painter = QPainter(image)
        painter.fillRect(image.rect(), QColor(0, 0, 0, 70))
        painter.drawPixmap(x, y, overlay)
        painter.end()
    image.save(str(path))
    print("saved", path)


async def scenario(window: object, out: Path, size: str, language: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from pos.ui.cart_dialogs import DiscountDialog, QuantityDialog
    from pos.ui.main_window import MainWindow
    from pos.ui.manager_pin import ManagerPinDialog
    from pos.ui.payment import PaymentDialog

    assert isinstance(window, MainWindow)
    tag = f"{language}_{size}"
    width, height = (int(v) for v in size.split("x"))
    window.resize(width, height)
    running = window.running
    account = running.training_account
    assert account is not None

    def modal(kind: type) -> Callable[[], bool]:
        return lambda: isinstance(QApplication.activeModalWidget(), kind)

    def close_modal() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            key(dialog, Qt.Key.Key_Escape)

    # sign in, open the shift
    await wait_until(lambda: window.page_name == "sign_in")
    pad = window.sign_in_page.pad.edit
    type_text(pad, account.pin)
    key(pad, Qt.Key.Key_Return)
    await wait_until(lambda: window.page_name == "shift")
    type_text(window.shift_page.amount, "500")
    key(window.shift_page.amount, Qt.Key.Key_Return)
    await wait_until(lambda: window.page_name == "selling", 60)

    selling = window.selling
    search = selling.search

    def scan(code: str) -> None:
        type_text(search, code)
        key(search, Qt.Key.Key_Return)

    scan(BREAD)
    scan(BREAD)
    scan(weight_label("00101", 1250))
    scan(SAUSAGE)
    await wait_until(modal(QuantityDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QuantityDialog)
    type_text(dialog.edit, "0.640")
    key(dialog.edit, Qt.Key.Key_Return)
    await wait_until(lambda: len(selling.cart.lines) == 3)
    type_text(search, MILK_SEARCH)
    await wait_until(lambda: selling.results.count() > 0)
    key(search, Qt.Key.Key_Return)
    # 5 % off the receipt, behind the manager's PIN
    key(search, Qt.Key.Key_F5)
    await wait_until(modal(ManagerPinDialog))
    gate = QApplication.activeModalWidget()
    assert isinstance(gate, ManagerPinDialog)
    type_text(gate.pad.edit, "0000")
    key(gate.pad.edit, Qt.Key.Key_Return)
    await wait_until(modal(DiscountDialog))
    discount = QApplication.activeModalWidget()
    assert isinstance(discount, DiscountDialog)
    discount.to_receipt.setChecked(True)
    type_text(discount.value, "5")
    key(discount.value, Qt.Key.Key_Return)
    await wait_until(lambda: selling.cart.receipt_discount is not None)
    type_text(search, "Кава")  # live results beside the cart
    await wait_until(lambda: selling.results.count() > 0)
    shoot(window, out / f"selling_{tag}.png")
    key(search, Qt.Key.Key_Escape)

    # pay: 200 by card, the rest in cash with change
    key(search, Qt.Key.Key_F12)
    await wait_until(modal(PaymentDialog))
    payment = QApplication.activeModalWidget()
    assert isinstance(payment, PaymentDialog)
    key(payment.tendered, Qt.Key.Key_F4)
    type_text(payment.card_amount, "200")
    type_text(payment.card_mask, "4444 **** **** 1234")
    due = payment.cash_to_pay()
    type_text(payment.tendered, str((due // 10000 + 1) * 100))
    await asyncio.sleep(0.2)
    shoot(window, out / f"payment_{tag}.png")
    key(payment.tendered, Qt.Key.Key_Return)
    await wait_until(lambda: selling.last_receipt is not None, 60)
    from pos.ui.receipt_dialog import ReceiptDialog

    await wait_until(lambda: selling.preview is not None and selling.preview.isVisible())
    await asyncio.sleep(0.3)
    preview = selling.preview
    assert isinstance(preview, ReceiptDialog)
    await wait_until(lambda: preview.rendered)  # the page is made off the GUI thread
    preview.move(window.mapToGlobal(window.rect().center()) - preview.rect().center())
    shoot(window, out / f"receipt_{tag}.png", preview)
    sold = selling.last_receipt
    assert sold is not None

    # the return dialog: the sale found by the number printed on it
    from pos.ui.returns import ReturnDialog

    key(search, Qt.Key.Key_F7)
    await wait_until(modal(ReturnDialog))
    returns = QApplication.activeModalWidget()
    assert isinstance(returns, ReturnDialog)
    type_text(returns.search, str((sold.server_response or {}).get("serial", "")))
    key(returns.search, Qt.Key.Key_Return)
    await wait_until(lambda: returns.sale is not None)
    returns.quantities[1].setValue(returns.quantities[1].maximum())
    await asyncio.sleep(0.2)
    shoot(window, out / f"return_{tag}.png")
    close_modal()
    await wait_until(lambda: QApplication.activeModalWidget() is None)

    # the goods editor, a good found
    from pos.ui.goods_editor import GoodsEditorDialog

    window.a_goods.trigger()
    await wait_until(modal(ManagerPinDialog))
    gate = QApplication.activeModalWidget()
    assert isinstance(gate, ManagerPinDialog)
    type_text(gate.pad.edit, "0000")
    key(gate.pad.edit, Qt.Key.Key_Return)
    await wait_until(modal(GoodsEditorDialog))
    editor = QApplication.activeModalWidget()
    assert isinstance(editor, GoodsEditorDialog)
    type_text(editor.search, "Хліб")
    key(editor.search, Qt.Key.Key_Return)
    await asyncio.sleep(0.2)
    shoot(window, out / f"goods_{tag}.png")
    close_modal()
    await wait_until(lambda: QApplication.activeModalWidget() is None)

    # the drill: network cut, an offline sale
    window.a_net_cut.trigger()
    await wait_until(lambda: window.status_bar.state == "LOCAL_OFFLINE", 30)
    before = selling.last_receipt
    scan(BREAD)
    key(search, Qt.Key.Key_F12)
    await wait_until(modal(PaymentDialog))
    payment = QApplication.activeModalWidget()
    assert isinstance(payment, PaymentDialog)
    key(payment.tendered, Qt.Key.Key_Return)
    await wait_until(lambda: selling.last_receipt is not before, 60)
    await asyncio.sleep(0.3)
    close_modal()
    await wait_until(lambda: QApplication.activeModalWidget() is None)
    scan(BREAD)
    window.refresh_status()
    shoot(window, out / f"offline_{tag}.png")
    if selling.categories.buttons:  # a shelf with many goods: all three columns
        selling.categories.buttons[1].click()
        await asyncio.sleep(0.2)
        shoot(window, out / f"category_{tag}.png")
        selling.categories.show_categories()

    # back online (upload), then the Z-report
    window.a_net_back.trigger()
    await wait_until(lambda: window.status_bar.state == "ONLINE" and window.status.queued == 0, 90)
    key(search, Qt.Key.Key_Escape)
    await asyncio.sleep(0.2)
    cancel_box = QApplication.activeModalWidget()
    if cancel_box is not None:  # "remove every line?" — yes
        from PySide6.QtWidgets import QMessageBox

        if isinstance(cancel_box, QMessageBox):
            cancel_box.accept()
    # the drill's Checkbox faults (one checked), and the withdrawal dialog with the slip fields
    window.fault_actions["maintenance"].trigger()
    await asyncio.sleep(0.5)
    window.fault_actions[None].trigger()
    await asyncio.sleep(0.5)
    if window.drill_menu is not None:
        window.drill_menu.popup(window.mapToGlobal(window.rect().topLeft()))
        window.fault_menu.popup(window.mapToGlobal(window.rect().center()))
        await asyncio.sleep(0.4)
        window.fault_menu.grab().save(str(out / f"drill_faults_{size}.png"))
        print("saved", out / f"drill_faults_{size}.png")
        window.fault_menu.close()
        window.drill_menu.close()
    from pos.ui.cash_ops import CashDialog

    withdrawal = CashDialog(window.running, "withdrawal", window)
    withdrawal.open()
    await asyncio.sleep(0.4)
    shoot(window, out / f"withdrawal_{size}.png")
    withdrawal.reject()
    await asyncio.sleep(0.2)

    try:
        import pos.ui.reports  # noqa: F401
    except ImportError:
        print("no pos/ui/reports.py: Z-report screenshot skipped")
    else:
        from pos.ui.reports import ReportDialog

        key(search, Qt.Key.Key_F10)
        await wait_until(modal(ReportDialog))
        report = QApplication.activeModalWidget()
        assert isinstance(report, ReportDialog)
        await wait_until(lambda: report.expected_known)  # asked of the register
        await asyncio.sleep(0.5)
        for value, pieces, coin in ((50000, 2, False), (10000, 3, False), (100, 7, True)):
            report.counter.set_count(value, pieces, coin=coin)
        await asyncio.sleep(0.2)
        shoot(window, out / f"cash_count_{tag}.png")
        key(report, Qt.Key.Key_Return)  # to the confirmation
        await asyncio.sleep(0.2)
        key(report, Qt.Key.Key_Return)  # close the shift
        await wait_until(lambda: report.pages.currentWidget() is report.report_page, 60)
        await asyncio.sleep(0.5)
        shoot(window, out / f"z_report_{tag}.png")
        close_modal()
    window.close()


def run_in_window(
    scenario: Callable[[object], Coroutine[Any, Any, None]], language: str, name: str
) -> int:
    """Start the window in training mode on a throw-away data folder and run ``scenario(window)``
    on its loop; a failure of the scenario closes the window and is raised here."""
    from PySide6.QtCore import QTimer

    from pos.config import AppConfig
    from pos.ui.app import main as run_window
    from pos.ui.asyncio_qt import spawn
    from pos.ui.main_window import MainWindow

    failures: list[BaseException] = []

    def ready(window: MainWindow) -> None:
        def failed(error: BaseException) -> None:
            failures.append(error)
            QTimer.singleShot(0, window.close)

        spawn(scenario(window), on_error=failed)

    with tempfile.TemporaryDirectory() as data:
        config = AppConfig(training=True, data=Path(data), language=language)
        code = run_window([name], config=config, ready=ready)
    if failures:
        raise failures[0]
    return code


def command_line(
    script: str, doc: str, default_sizes: str, run_one: Callable[[Path, str, str], int]
) -> int:
    """``script [OUT] [--sizes WxH,…] [--lang uk|en]``: each size in its own process (the UI
    scale follows the screen height), or ``--one SIZE`` inside that process."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--sizes", default=default_sizes)
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
        command = [sys.executable, script, str(out), "--one", size, "--lang", args.lang]
        status |= subprocess.call(command, env=env)
    return status


def run_one(out: Path, size: str, language: str) -> int:
    return run_in_window(
        lambda window: scenario(window, out, size, language), language, "screenshots"
    )


def main() -> int:
    return command_line(__file__, __doc__ or "", "1024x768,1366x768,1920x1080", run_one)


if __name__ == "__main__":
    sys.exit(main())
