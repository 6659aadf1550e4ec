"""Ukrainian by default from the committed .qm files, English at runtime from the menu."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.register.errors import Refusal, RegisterError
from pos.ui.i18n import Translations, translations_dir
from pos.ui.messages import refusal_text

from .helpers import open_window


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    installed = Translations(qapp)
    yield installed
    installed.uninstall()  # the other tests read English source texts


def test_the_qm_files_are_built() -> None:
    for language in ("uk", "en"):
        assert (translations_dir() / f"pos_{language}.qm").stat().st_size > 0


def test_ukrainian_then_english_at_runtime(
    qtbot: QtBot, running_unsigned: RunningRegister, translations: Translations
) -> None:
    assert translations.install("uk") == "uk"
    window = open_window(qtbot, running_unsigned, translations=translations)
    assert window.training_band.text().startswith("НАВЧАЛЬНИЙ РЕЖИМ")
    assert window.sign_in_page.title.text() == "Вхід касира"
    assert window.status_bar.connectivity.text() == "Онлайн"
    assert "(F2)" in refusal_text(RegisterError(Refusal.NO_SHIFT))
    assert refusal_text(RegisterError(Refusal.NO_SHIFT)).startswith("Зміну не відкрито")

    window.language_actions["en"].trigger()
    qtbot.waitUntil(lambda: window.training_band.text().startswith("TRAINING"))
    assert window.sign_in_page.title.text() == "Cashier sign-in"
    assert window.status_bar.connectivity.text() == "Online"
    assert running_unsigned.config.language == "en"
    assert window.language_actions["en"].isChecked()

    window.language_actions["uk"].trigger()
    qtbot.waitUntil(lambda: window.sign_in_page.title.text() == "Вхід касира")


def test_qt_own_dialogs_speak_ukrainian(qtbot: QtBot, translations: Translations) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

    from pos.ui.i18n import qt_translation_dirs

    assert any((d / "qtbase_uk.qm").is_file() for d in qt_translation_dirs())
    translations.install("uk")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel is not None
    assert cancel.text() == "Скасувати"
    files = QFileDialog(None, "x")
    qtbot.addWidget(files)
    files.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    files.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    assert "&Зберегти" in [b.text() for b in files.findChildren(type(cancel))]
    from PySide6.QtWidgets import QLabel

    labels = [label.text() for label in files.findChildren(QLabel)]
    assert "&Шукати в:" in labels  # missing from Qt's own Ukrainian: ours fills it in
    assert not [text for text in labels if text in ("&Look in:", "Files of &type:")]
