"""A PIN pad for the cashier's and the manager's PIN: digits, backspace and Enter, by keyboard
or by touch.

Why one widget: the cashier's sign-in and every manager gate (discounts, offline work, settings)
take a PIN the same way; the digits are never shown, logged or kept after ``submitted`` fires.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
from typing_extensions import override

MAX_PIN = 12
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _PinEdit(QLineEdit):
    """Keeps Enter to itself: in a dialog it would also press the dialog's default button."""

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in _ENTER:
            event.accept()


class PinPad(QWidget):
    """Emits ``submitted(pin)`` on Enter or the OK button; ``clear()`` forgets the digits."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinPad")
        self.edit = _PinEdit(self)
        self.edit.setObjectName("pinEdit")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setMaxLength(MAX_PIN)
        self.edit.setValidator(QRegularExpressionValidator(r"\d*", self.edit))
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.returnPressed.connect(self._submit)
        self.message = QLabel(self)
        self.message.setObjectName("pinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)

        grid = QGridLayout()
        grid.setSpacing(8)
        self.digit_buttons: dict[str, QPushButton] = {}
        for index, digit in enumerate("123456789"):
            grid.addWidget(self._digit(digit), index // 3, index % 3)
        self.backspace = self._button("⌫", self._backspace)
        self.backspace.setObjectName("pinBackspace")
        self.ok = self._button("", self._submit)
        self.ok.setObjectName("pinOk")
        grid.addWidget(self.backspace, 3, 0)
        grid.addWidget(self._digit("0"), 3, 1)
        grid.addWidget(self.ok, 3, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        layout.addLayout(grid)
        self.setFocusProxy(self.edit)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.edit.setPlaceholderText(self.tr("PIN"))
        self.ok.setText(self.tr("OK (Enter)"))
        self.backspace.setToolTip(self.tr("Erase the last digit (Backspace)"))

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the edit keeps the keyboard
        button.setAutoDefault(False)
        button.setProperty("role", "pad")
        button.setMinimumSize(72, 56)
        button.clicked.connect(slot)
        return button

    def _digit(self, digit: str) -> QPushButton:
        button = self._button(digit, lambda: self._type(digit))
        button.setObjectName(f"pinDigit{digit}")
        self.digit_buttons[digit] = button
        return button

    def _type(self, digit: str) -> None:
        if len(self.edit.text()) < MAX_PIN:
            self.edit.insert(digit)
        self.edit.setFocus()

    def _backspace(self) -> None:
        self.edit.backspace()
        self.edit.setFocus()

    def _submit(self) -> None:
        pin = self.edit.text()
        if pin:
            self.submitted.emit(pin)

    def clear(self) -> None:
        self.edit.clear()
        self.edit.setFocus()

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def set_busy(self, busy: bool) -> None:
        """While a sign-in is under way the pad takes no more input."""
        self.edit.setReadOnly(busy)
        for button in (*self.digit_buttons.values(), self.backspace, self.ok):
            button.setEnabled(not busy)
