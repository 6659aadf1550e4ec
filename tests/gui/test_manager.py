"""The manager's gates: working offline and the settings open only after the manager's PIN."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.ui.manager_pin import ManagerPinDialog

from .helpers import TIMEOUT, gone, modal, open_window


def test_work_offline_behind_the_manager_pin(qtbot: QtBot, running_shift: RunningRegister) -> None:
    window = open_window(qtbot, running_shift)
    qtbot.waitUntil(lambda: window.page_name == "selling")

    window.a_offline.trigger()
    gate = modal(qtbot, ManagerPinDialog)
    qtbot.keyClick(gate.pad.edit, Qt.Key.Key_Escape)  # cancelled: nothing changes
    qtbot.waitUntil(lambda: gone(gate))
    assert not running_shift.service.status().forced_offline
    assert not window.a_offline.isChecked()

    window.a_offline.trigger()
    gate = modal(qtbot, ManagerPinDialog)
    qtbot.keyClicks(gate.pad.edit, "0000")
    qtbot.keyClick(gate.pad.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.status_bar.state == "LOCAL_OFFLINE", timeout=TIMEOUT)
    assert window.status_bar.connectivity.text() == "Offline (by the manager)"
    assert window.a_offline.isChecked()

    window.a_offline.trigger()
    gate = modal(qtbot, ManagerPinDialog)
    qtbot.keyClicks(gate.pad.edit, "0000")
    qtbot.keyClick(gate.pad.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.status.forced_offline, timeout=TIMEOUT)
    assert window.status_bar.state != "LOCAL_OFFLINE"


def test_settings_open_after_the_manager_pin(qtbot: QtBot, running: RunningRegister) -> None:
    from pos.ui.settings import SettingsDialog

    window = open_window(qtbot, running)
    window.a_settings.trigger()
    gate = modal(qtbot, ManagerPinDialog)
    qtbot.keyClicks(gate.pad.edit, "0000")
    qtbot.keyClick(gate.pad.edit, Qt.Key.Key_Return)
    settings = modal(qtbot, SettingsDialog)
    settings.reject()
    qtbot.waitUntil(lambda: gone(settings))
