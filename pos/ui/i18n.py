"""The window's language: Ukrainian by default, English at the cashier's choice, switched live.

Why Qt's own mechanism: every string on screen goes through ``tr()`` with an English source
text; ``translations/pos_<lang>.qm`` (built by ``pyside6-lrelease`` from the Linguist ``.ts``
files) and Qt's ``qtbase_<lang>.qm`` (standard buttons: OK, Cancel…) are installed on the
application, and installing them sends ``QEvent.LanguageChange`` to every widget, whose
``changeEvent`` calls its ``retranslate_ui``. English needs no file (the sources are English), but
``pos_en.qm`` is loaded when present so wording can be corrected without touching the code.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "uk"
LANGUAGES: dict[str, str] = {"uk": "Українська", "en": "English"}
"""Language code → its own name (shown as is in the language menu, never translated)."""


def translations_dir() -> Path:
    """``translations/`` of the source tree, or of a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "translations"
    return Path(__file__).resolve().parent.parent.parent / "translations"


class Translations:
    """The translators installed on the application for the current language."""

    def __init__(self, app: QCoreApplication, directory: Path | None = None) -> None:
        self._app = app
        self._directory = directory or translations_dir()
        self._installed: list[QTranslator] = []
        self.language = ""

    def install(self, language: str) -> str:
        """Switch to ``language`` ("uk" or "en"; anything else gives Ukrainian); every widget
        gets ``LanguageChange``. Returns the language now in use."""
        if language not in LANGUAGES:
            log.warning("unknown language %r, using %s", language, DEFAULT_LANGUAGE)
            language = DEFAULT_LANGUAGE
        self.uninstall()
        own = QTranslator(self._app)
        if own.load(f"pos_{language}", str(self._directory)):
            self._installed.append(own)
        elif language != "en":
            log.warning("no translation file pos_%s.qm in %s", language, self._directory)
        qt_base = QTranslator(self._app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if language != "en" and qt_base.load(f"qtbase_{language}", qt_dir):
            self._installed.append(qt_base)
        for translator in self._installed:
            self._app.installTranslator(translator)
        QLocale.setDefault(
            QLocale(QLocale.Language.Ukrainian if language == "uk" else QLocale.Language.English)
        )
        self.language = language
        return language

    def uninstall(self) -> None:
        """Back to the source texts (English); each removal sends LanguageChange."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed = []
