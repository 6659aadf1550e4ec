"""Refusal texts, the error box and the manager's PIN gate."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from pos.config import AppConfig
from pos.register.errors import Refusal, RegisterError
from pos.ui.manager_pin import ManagerPinDialog
from pos.ui.messages import format_duration, refusal_text, show_error


def test_every_refusal_has_a_text() -> None:
    texts = {refusal: refusal_text(RegisterError(refusal)) for refusal in Refusal}
    assert all(texts.values())
    assert len(set(texts.values())) == len(texts)
    assert "F2" in texts[Refusal.NO_SHIFT]
    assert "Z" in texts[Refusal.SHIFT_EXPIRED]


def test_server_text_is_shown_english_detail_is_not() -> None:
    rule = RegisterError(Refusal.FISCAL_RULE, "Сума оплати менша за суму чека")
    assert "Сума оплати менша за суму чека" in refusal_text(rule)
    technical = RegisterError(Refusal.UNREACHABLE, "All connection attempts failed")
    assert "All connection attempts failed" not in refusal_text(technical)
    left = RegisterError(Refusal.OFFLINE_PERIOD_LIMIT, left=3600 + 5 * 60)
    assert "1 h 05 min" in refusal_text(left)
    assert format_duration(59) == "0 min"


def test_show_error_opens_a_non_modal_box(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    box = show_error(parent, RegisterError(Refusal.NO_SHIFT))
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    assert "F2" in box.text()
    box.accept()


def test_manager_pin_by_keyboard(qtbot: QtBot) -> None:
    dialog = ManagerPinDialog(AppConfig(training=True))
    qtbot.addWidget(dialog)
    dialog.open()
    edit = dialog.pad.edit
    qtbot.keyClicks(edit, "1234")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert edit.text() == ""
    assert dialog.pad.message.text()
    with qtbot.waitSignal(dialog.granted, timeout=1000):
        qtbot.keyClicks(edit, "00001")
        qtbot.keyClick(edit, Qt.Key.Key_Backspace)
        qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_manager_pin_by_touch(qtbot: QtBot) -> None:
    dialog = ManagerPinDialog(AppConfig(training=True))
    qtbot.addWidget(dialog)
    dialog.open()
    with qtbot.waitSignal(dialog.granted, timeout=1000):
        for _ in range(4):
            qtbot.mouseClick(dialog.pad.digit_buttons["0"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.pad.ok, Qt.MouseButton.LeftButton)
