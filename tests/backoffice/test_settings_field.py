"""The settings' back-office database field: masked, refused unless postgresql://, kept only in
the private secrets file, and a change asks for a restart (the push starts with the register)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from dialogs.conftest import aw, gui_config, press, qloop, running, running_unsigned
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import pos.config
from pos.app import RunningRegister
from pos.ui.settings import SettingsDialog

__all__ = ["aw", "gui_config", "press", "qloop", "running", "running_unsigned"]

URL = "postgresql://pos:s3cret@shop.local/shop"


def test_the_back_office_address_is_a_secret_and_checked(
    qtbot: QtBot,
    running: RunningRegister,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    press: Callable[..., None],
) -> None:
    directory = tmp_path / "config"
    monkeypatch.setattr(pos.config, "config_dir", lambda: directory)
    dialog = SettingsDialog(running, None)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.backoffice_url.echoMode() == dialog.backoffice_url.EchoMode.Password
    dialog.backoffice_url.setFocus()
    press(dialog, Qt.Key.Key_Return, "mysql://pos@shop.local/shop")
    assert "postgresql://" in dialog.notice.text()
    assert not (directory / "settings.json").exists()
    dialog.backoffice_url.clear()
    press(dialog, Qt.Key.Key_Return, URL)
    assert URL not in (directory / "settings.json").read_text(encoding="utf-8")
    loaded = pos.config.load(directory)
    assert loaded.backoffice_url is not None
    assert loaded.backoffice_url.get_secret_value() == URL
    assert URL not in repr(loaded)
    assert dialog.backoffice_url.text() == ""
    assert dialog.isVisible()  # saved, and asks for a restart
