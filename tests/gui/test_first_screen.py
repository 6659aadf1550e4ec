"""The sign-in screen painted before the register exists keeps what the cashier typed: the
digits, or the PIN already submitted with Enter, go to the real sign-in page when it takes over."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.ui.first_screen import FirstScreen
from pos.ui.main_window import MainWindow

from .helpers import TIMEOUT, gone


def _first(qtbot: QtBot) -> FirstScreen:
    first = FirstScreen()
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    return first


def test_a_pin_submitted_before_the_register_is_up_signs_in(
    qtbot: QtBot, running_unsigned: RunningRegister
) -> None:
    account = running_unsigned.training_account
    assert account is not None
    first = _first(qtbot)
    qtbot.keyClicks(first.pad.edit, account.pin)
    qtbot.keyClick(first.pad.edit, Qt.Key.Key_Return)
    assert first.submitted == account.pin

    window = MainWindow(running_unsigned)  # the register is up now
    qtbot.addWidget(window)
    first.hand_over(window)
    assert gone(first)
    qtbot.waitUntil(lambda: window.page_name == "shift", timeout=TIMEOUT)


def test_digits_typed_before_the_register_is_up_are_kept(
    qtbot: QtBot, running_unsigned: RunningRegister
) -> None:
    first = _first(qtbot)
    qtbot.keyClicks(first.pad.edit, "12")
    window = MainWindow(running_unsigned)
    qtbot.addWidget(window)
    first.hand_over(window)
    assert window.page_name == "sign_in"
    assert window.sign_in_page.pad.edit.text() == "12"
