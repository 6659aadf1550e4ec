"""About POS: the version (the one ``pos.__version__``, also sent to Checkbox as
``X-Client-Version``), the versions it runs on, and where its data and logs are.

Why the folders are shown: support asks "where are the logs?" first; the diagnostics export
(Help menu) zips them without secrets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

import pos
from pos.ui.receipt_dialog import KeyDialog, buttons_row

if TYPE_CHECKING:
    from pos.app import RunningRegister


class AboutDialog(KeyDialog):
    def __init__(self, running: RunningRegister, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from pos.config import log_dir
        from pos.diagnostics import versions

        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About POS"))
        found = versions()
        title = QLabel(f"<h2>POS {pos.__version__}</h2>")
        title.setObjectName("aboutTitle")
        purpose = QLabel(
            self.tr(
                "Point of sale for Ukrainian shops. Every receipt is fiscalised through "
                "the Checkbox PRRO service, also when the shop is offline."
            )
        )
        purpose.setWordWrap(True)
        self.version = QLabel(pos.__version__)
        form = QFormLayout()
        form.addRow(self.tr("Version:"), self.version)
        form.addRow(
            self.tr("Mode:"),
            QLabel(self.tr("training") if running.training else self.tr("real work")),
        )
        form.addRow(
            "Qt / PySide6:", QLabel(f"{found.get('qt', '?')} / {found.get('pyside6', '?')}")
        )
        form.addRow("Python:", QLabel(found["python"]))
        form.addRow("python-escpos:", QLabel(found["python-escpos"]))
        form.addRow(self.tr("System:"), QLabel(found["platform"]))
        for label, folder in (
            (self.tr("Data folder:"), str(running.config.data)),
            (self.tr("Log folder:"), str(log_dir())),
        ):
            value = QLabel(folder)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            form.addRow(label, value)
        close = self.key_button(self.tr("Close"), Qt.Key.Key_Escape, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(purpose)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons_row(close))
        self.resize(560, 420)

    def enter_pressed(self) -> None:
        self.reject()
