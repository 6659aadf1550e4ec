"""The cashier's sign-in screen: a PIN pad (keyboard or touch).

In training mode the screen says which PIN the sandbox's training cashier has, so anyone can
practise; in real mode nothing about PINs is shown. A refused PIN is said on the pad itself (no
box to dismiss) and the digits are cleared.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from typing_extensions import override

from pos.app import RunningRegister
from pos.register.errors import RegisterError
from pos.ui.asyncio_qt import async_slot
from pos.ui.messages import refusal_text
from pos.ui.pin_pad import PinPad


class SignInPage(QWidget):
    #: The sign-in ended, signed in or refused: the window routes again (it stays here meanwhile).
    sign_in_ended = Signal()

    def __init__(self, running: RunningRegister, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInPage")
        self._running = running
        #: True until the sign-in, recovery included, has ended: the register says "signed in"
        #: before its recovery is done, and the next screen must wait for it.
        self.signing_in = False
        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.training_hint = QLabel(self)
        self.training_hint.setObjectName("trainingHint")
        self.training_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.training_hint.setWordWrap(True)
        self.training_hint.setVisible(running.training and running.training_account is not None)
        self.pad = PinPad(self)
        self.pad.setMaximumWidth(420)
        self.pad.submitted.connect(self.sign_in)

        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.hint)
        column.addWidget(self.training_hint)
        column.addWidget(self.pad, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        self.setLayout(column)
        self.setFocusProxy(self.pad)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Cashier sign-in"))
        self.hint.setText(self.tr("Type your PIN and press Enter"))
        account = self._running.training_account
        if self._running.training and account is not None:
            self.training_hint.setText(
                self.tr("Training mode: the training cashier's PIN is {pin}").format(
                    pin=account.pin
                )
            )

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.pad.clear()
        self.pad.show_message("")

    @async_slot()
    async def sign_in(self, pin: str) -> None:
        self.pad.set_busy(True)
        self.pad.show_message(self.tr("Signing in…"))
        self.signing_in = True
        try:
            await self._running.service.sign_in(pin=pin)
        except RegisterError as error:
            self.pad.show_message(refusal_text(error), error=True)
            return
        finally:
            self.signing_in = False
            self.pad.set_busy(False)
            self.pad.clear()
            self.sign_in_ended.emit()
        self.pad.show_message("")
