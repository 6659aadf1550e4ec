"""Settings: a bad API address or key is refused with a message; good ones are saved, the
license key only to the private file, and the switch to real work asks for a restart."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import pos.config
from pos.app import RunningRegister
from pos.ui.settings import SettingsDialog

KEY = "test3a544a54373a9cb3f2711111"


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "config"
    monkeypatch.setattr(pos.config, "config_dir", lambda: directory)
    return directory


def _dialog(qtbot: QtBot, running: RunningRegister) -> SettingsDialog:
    dialog = SettingsDialog(running, None)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def test_bad_address_refused_then_real_settings_saved(
    qtbot: QtBot, running: RunningRegister, config_dir: Path, press: Callable[..., None]
) -> None:
    dialog = _dialog(qtbot, running)
    dialog.training.setChecked(False)
    assert dialog.mode_note.text()

    dialog.api_url.setFocus()
    press(dialog, Qt.Key.Key_Return, "ftp://api.checkbox.ua")
    assert dialog.isVisible()
    assert "https://" in dialog.notice.text()
    assert not (config_dir / "settings.json").exists()
    dialog.api_url.clear()
    press(dialog, Qt.Key.Key_Return, "http://api.checkbox.ua")  # plain http off this machine
    assert not (config_dir / "settings.json").exists()
    dialog.api_url.clear()
    qtbot.keyClicks(dialog.api_url, "https://api.checkbox.ua")

    press(dialog, Qt.Key.Key_Return)  # real work needs a key
    assert dialog.focusWidget() is dialog.license_key
    press(dialog, Qt.Key.Key_Return, "short key")
    assert not (config_dir / "settings.json").exists()
    assert dialog.license_key.echoMode() == dialog.license_key.EchoMode.Password
    dialog.license_key.clear()

    press(dialog, Qt.Key.Key_Return, KEY)
    # Leaving training mode needs a new manager PIN: 0000 opens training mode only.
    assert not (config_dir / "settings.json").exists()
    assert dialog.focusWidget() is dialog.pin_new
    dialog.pin_current.setText("0000")
    dialog.pin_new.setText("0000")
    dialog.pin_repeat.setText("0000")
    press(dialog, Qt.Key.Key_Return)
    assert not (config_dir / "settings.json").exists()
    dialog.pin_new.setText("2468")
    dialog.pin_repeat.setText("2468")
    press(dialog, Qt.Key.Key_Return)
    plain = json.loads((config_dir / "settings.json").read_text(encoding="utf-8"))
    assert plain["training"] is False
    assert plain["api_url"] == "https://api.checkbox.ua"
    assert KEY not in (config_dir / "settings.json").read_text(encoding="utf-8")
    loaded = pos.config.load(config_dir)
    assert loaded.license_key is not None
    assert loaded.license_key.get_secret_value() == KEY
    assert running.config.training is False  # the running settings follow
    assert dialog.isVisible()
    assert "Restart" in dialog.notice.text() or "Перезапуст" in dialog.notice.text()
    assert dialog.license_key.text() == ""
    press(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()


def test_manager_pin_printer_and_language(
    qtbot: QtBot, running: RunningRegister, config_dir: Path, press: Callable[..., None]
) -> None:
    dialog = _dialog(qtbot, running)
    dialog.pin_current.setText("1111")
    dialog.pin_new.setText("2468")
    dialog.pin_repeat.setText("2468")
    press(dialog, Qt.Key.Key_Return)
    assert dialog.tabs.currentIndex() == 4
    assert dialog.isVisible()
    dialog.pin_current.setText("0000")
    dialog.pin_repeat.setText("2469")
    press(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert not (config_dir / "settings.json").exists()
    dialog.pin_repeat.setText("2468")
    dialog.shop_name.setText("Крамниця «Колосок»")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.codes_warning.setValue(30)
    press(dialog, Qt.Key.Key_Return)
    loaded = pos.config.load(config_dir)
    assert loaded.check_manager_pin("2468")
    assert not loaded.check_manager_pin("0000")
    assert loaded.shop_name == "Крамниця «Колосок»"
    assert loaded.language == "en"
    assert loaded.thresholds.codes_warning == 30
    assert running.config.check_manager_pin("2468")
    assert "2468" not in (config_dir / "secrets.json").read_text(encoding="utf-8")


def test_problems_tab_lists_set_aside_uploads(qtbot: QtBot, running: RunningRegister) -> None:
    dialog = _dialog(qtbot, running)
    assert dialog.problems.entries == []
    assert dialog.problems.table.rowCount() == 0
