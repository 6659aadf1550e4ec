"""The window's language: Ukrainian by default, English at the cashier's choice, switched live.

Why Qt's own mechanism: every string on screen goes through ``tr()`` with an English source
text; ``translations/pos_<lang>.qm`` (built by ``pyside6-lrelease`` from the Linguist ``.ts``
files) and Qt's ``qtbase_<lang>.qm`` (standard buttons: OK, Cancel…) are installed on the
application, and installing them sends ``QEvent.LanguageChange`` to every widget, whose
``changeEvent`` calls its ``retranslate_ui``. Qt's Ukrainian misses a few texts of its file and
print dialogs; ``translations/qtbase_extra_uk.ts`` (by hand, not lupdate) supplies them. English
needs no file (the sources are English), but ``pos_en.qm`` is loaded when present so wording can
be corrected without touching the code.
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


def qt_translation_dirs() -> list[Path]:
    """Where Qt's own ``qtbase_<lang>.qm`` may be: what QLibraryInfo says (right for a normal
    Qt install), then the PySide6 wheel's ``PySide6/Qt/translations`` (QLibraryInfo points
    elsewhere when the wheel's qt.conf is not found, e.g. in a PyInstaller bundle), then ours."""
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    import PySide6

    dirs.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs.append(Path(bundle) / "PySide6" / "Qt" / "translations")
    dirs.append(translations_dir())
    return list(dict.fromkeys(dirs))


def _qt_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Qt's own texts (standard buttons, file and print dialogs) in ``language``."""
    for directory in qt_translation_dirs():
        translator = QTranslator(app)
        if translator.load(f"qtbase_{language}", str(directory)):
            return translator
    log.warning("no qtbase_%s.qm found in %s", language, qt_translation_dirs())
    return None


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
        if language != "en":
            qt_base = _qt_translator(self._app, language)
            if qt_base is not None:
                self._installed.append(qt_base)
            # Qt's own Ukrainian leaves a few texts of the file and print dialogs English
            # ("Look in:", the duplex choices): ours fill them in (translations/qtbase_extra_*).
            extra = QTranslator(self._app)
            if extra.load(f"qtbase_extra_{language}", str(self._directory)):
                self._installed.append(extra)
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
