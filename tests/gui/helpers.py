"""What the GUI tests share: finding the dialog a key opened, and driving the window by keys."""

from __future__ import annotations

from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.ui.main_window import MainWindow

W = TypeVar("W", bound=QWidget)

TIMEOUT = 20_000  # ms: an online fiscal operation on the local sandbox takes well under this


def modal(qtbot: QtBot, kind: type[W], timeout: int = 5000) -> W:
    """The modal dialog of type ``kind`` that is showing now (waits for it)."""
    found: list[W] = []

    def showing() -> bool:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            found[:] = [widget]
            return True
        return False

    qtbot.waitUntil(showing, timeout=timeout)
    return found[0]


def gone(widget: QWidget) -> bool:
    """Closed (and possibly deleted: the dialogs delete themselves)."""
    return not shiboken6.isValid(widget) or not widget.isVisible()


def close_receipt_preview(qtbot: QtBot) -> None:
    """Esc on UI-B's receipt preview, if it is there (it opens after every sale)."""
    preview = receipt_preview(qtbot)
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(preview))


def receipt_preview(qtbot: QtBot, timeout: int = 5000) -> Any:
    """The receipt preview that opens after a sale (not modal: it is found among the windows)."""
    from pos.ui.receipt_dialog import ReceiptDialog

    found: list[ReceiptDialog] = []

    def showing() -> bool:
        found[:] = visible_of(ReceiptDialog)
        return bool(found)

    qtbot.waitUntil(showing, timeout=timeout)
    return found[-1]


def visible_of(kind: type[W]) -> list[W]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def type_text(widget: QWidget, text: str) -> None:
    """Real key events for any text (QTest's keyClicks only knows ASCII; names are Cyrillic)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def open_window(qtbot: QtBot, running: RunningRegister, **kwargs: Any) -> MainWindow:
    window = MainWindow(running, **kwargs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def sign_in_and_open_shift(qtbot: QtBot, window: MainWindow, pin: str, opening: str) -> None:
    """PIN pad keys, Enter; the opening float, Enter; until the selling screen shows."""
    assert window.page_name == "sign_in"
    qtbot.keyClicks(window.sign_in_page.pad.edit, pin)
    qtbot.keyClick(window.sign_in_page.pad.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page_name == "shift", timeout=TIMEOUT)
    qtbot.keyClicks(window.shift_page.amount, opening)
    qtbot.keyClick(window.shift_page.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page_name == "selling", timeout=TIMEOUT)


def scan(qtbot: QtBot, window: MainWindow, code: str) -> None:
    """A scanner: the digits in a burst, then Enter; until the look-up's answer is applied."""
    search = window.selling.search
    qtbot.keyClicks(search, code)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.selling.settled)
