"""Small widgets the cashier's screens share: buttons that show their key, money and quantity
inputs that speak kopecks and thousandths.

Why: every action must show the key that does it (the till is worked without a mouse), and
every amount typed by a person is parsed the one way ``pos.domain.money`` does (no floats).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from pos.domain.money import MoneyFormatError, format_money, parse_money, parse_quantity


class KeyButton(QPushButton):
    """A large button whose label shows its key ("F12" above "Pay")."""

    def __init__(
        self, key: str, text: str = "", parent: QWidget | None = None, *, role: str = "action"
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.setProperty("role", role)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys work wherever the focus is
        self.setAutoDefault(False)
        self.set_caption(text)

    def set_caption(self, text: str) -> None:
        self.caption = text
        self.setText(f"{self.key}\n{text}" if text else self.key)


class MoneyEdit(QLineEdit):
    """Hryvnias as typed ("125", "125.5", "125,50"); ``value()`` in kopecks or None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "money")
        self.setValidator(QRegularExpressionValidator(r"\d{0,8}([.,]\d{0,2})?", self))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def value(self) -> int | None:
        text = self.text().strip()
        if not text:
            return None
        try:
            return parse_money(text)
        except MoneyFormatError:
            return None

    def set_value(self, kopecks: int | None) -> None:
        self.setText("" if kopecks is None else format_money(kopecks))


class QuantityEdit(QLineEdit):
    """Pieces (whole) or kilograms with up to 3 decimals; ``value()`` in thousandths or None."""

    def __init__(self, parent: QWidget | None = None, *, weighed: bool = False) -> None:
        super().__init__(parent)
        self.setProperty("role", "money")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.set_weighed(weighed)

    def set_weighed(self, weighed: bool) -> None:
        self.weighed = weighed
        pattern = r"\d{0,6}([.,]\d{0,3})?" if weighed else r"\d{0,6}"
        self.setValidator(QRegularExpressionValidator(pattern, self))

    def value(self) -> int | None:
        text = self.text().strip()
        if not text:
            return None
        try:
            return parse_quantity(text)
        except MoneyFormatError:
            return None
