"""The sign-in screen as it is painted at once, before the register exists.

Why: importing the register (pydantic models, httpx, SQLAlchemy, the sandbox in training mode)
and opening its journal take seconds on a till's PC; a cashier looking at nothing for that long
restarts the program. So the window's first paint is this screen, built from Qt and the PIN pad
alone: the cashier can type the PIN (and press Enter) while the rest loads behind it. When the
register is up, ``hand_over`` gives the digits, or the PIN already submitted, to the real
sign-in page of the main window, which takes this screen's place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos.ui.pin_pad import PinPad

if TYPE_CHECKING:
    from pos.ui.main_window import MainWindow


class FirstScreen(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstScreen")  # the main window's background (theme.qss)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle("POS")
        self.submitted: str | None = None
        title = QLabel(QCoreApplication.translate("SignInPage", "Cashier sign-in"), self)
        title.setObjectName("pageTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(
            QCoreApplication.translate("SignInPage", "Type your PIN and press Enter"), self
        )
        self.hint.setObjectName("hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad(self)
        self.pad.setMaximumWidth(420)
        self.pad.submitted.connect(self._submitted)
        self.pad.show_message(QCoreApplication.translate("App", "Starting the register…"))
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(title)
        column.addWidget(self.hint)
        column.addWidget(self.pad, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        self.setFocusProxy(self.pad)
        self.resize(1024, 700)

    def _submitted(self, pin: str) -> None:
        """Enter before the register is up: kept, and sent to it once it is."""
        self.submitted = pin
        self.pad.set_busy(True)

    def hand_over(self, window: MainWindow) -> None:
        """The main window takes this screen's place, with what the cashier typed."""
        window.setGeometry(self.geometry())
        if self.isMaximized():
            window.showMaximized()
        else:
            window.show()
        page = window.sign_in_page
        if window.page_name == "sign_in":
            if self.submitted:
                page.pad.edit.setText(self.submitted)
                page.sign_in(self.submitted)
            else:
                page.pad.edit.setText(self.pad.edit.text())
        self.close()
