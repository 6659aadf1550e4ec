"""The manager's PIN gate in front of discounts, offline work and settings.

Usage (never ``exec()``, it breaks qasync inside coroutines)::

    dialog = ManagerPinDialog(running.config, parent)
    dialog.granted.connect(do_the_protected_thing)
    dialog.open()

``granted`` fires once, after a correct PIN (``AppConfig.check_manager_pin``; "0000" in
training mode until the manager sets one); a wrong PIN clears the pad and says so. The dialog
deletes itself when closed. The PIN is never logged or kept.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from typing_extensions import override

from pos.config import AppConfig
from pos.ui.pin_pad import PinPad


class ManagerPinDialog(QDialog):
    granted = Signal()

    def __init__(self, config: AppConfig, parent: QWidget | None = None, reason: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("managerPinDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(True)
        self._config = config
        self._reason = reason
        self.prompt = QLabel(self)
        self.prompt.setObjectName("dialogTitle")
        self.prompt.setWordWrap(True)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad(self)
        self.pad.submitted.connect(self._check)
        # A plain button like every other dialog's Cancel (a QDialogButtonBox takes the
        # platform's look and order instead).
        self.cancel = QPushButton(self)
        self.cancel.setObjectName("managerPinCancel")
        self.cancel.setAutoDefault(False)
        self.cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel.clicked.connect(self.reject)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.pad)
        layout.addLayout(self.buttons)
        self.retranslate_ui()
        self.pad.setFocus()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Manager PIN"))
        text = self.tr("Manager's PIN required")
        self.prompt.setText(f"{text}\n{self._reason}" if self._reason else text)
        self.cancel.setText(self.tr("Cancel (Esc)"))

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _check(self, pin: str) -> None:
        if self._config.check_manager_pin(pin):
            self.pad.clear()
            self.granted.emit()
            self.accept()
        else:
            self.pad.clear()
            self.pad.show_message(self.tr("Wrong PIN. Try again."), error=True)
