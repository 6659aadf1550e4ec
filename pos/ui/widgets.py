"""Small widgets the cashier's screens share: buttons that show their key, money and quantity
inputs that speak kopecks and thousandths.

Why: every action must show the key that does it (the till is worked without a mouse), and
every amount typed by a person is parsed the one way ``pos.domain.money`` does (no floats).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from pos.domain.money import MoneyFormatError, format_money, parse_money, parse_quantity
from pos.register.cart import PIECE


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


@dataclass(frozen=True)
class QuantityReading:
    """What was typed into a quantity box: a quantity, a barcode (a scan landed there), or a
    problem to tell the cashier (in the interface language)."""

    value: int | None = None
    barcode: str | None = None
    problem: str = ""


QUANTITY_DIGITS = 6
"""Whole digits a quantity may have (999 999 pieces); a longer run of digits is a barcode."""


def read_quantity(text: str, *, weighed: bool) -> QuantityReading:
    """Read a quantity as a person types it: "2", "2.5", "2,5"; a piece good in whole pieces;
    a barcode (8–14 digits, a scanner that fired into the box) is recognised as one."""
    text = text.strip()

    if not text:
        return QuantityReading(
            problem=QCoreApplication.translate("QuantityEdit", "Type the quantity.")
        )
    if text.isdigit() and len(text) > QUANTITY_DIGITS:
        return QuantityReading(barcode=text)
    try:
        value = parse_quantity(text)
    except MoneyFormatError:
        if weighed:
            return QuantityReading(
                problem=QCoreApplication.translate(
                    "QuantityEdit", "A weight has at most 3 decimals, e.g. 0.750 or 1,25."
                )
            )
        return QuantityReading(
            problem=QCoreApplication.translate("QuantityEdit", "Type the number of pieces, e.g. 2.")
        )
    if value <= 0:
        return QuantityReading(
            problem=QCoreApplication.translate("QuantityEdit", "Enter a quantity larger than zero.")
        )
    if not weighed and value % PIECE:
        return QuantityReading(
            problem=QCoreApplication.translate(
                "QuantityEdit",
                "This good is sold in whole pieces: {text} is not a whole number. "
                "Type a whole number of pieces.",
            ).format(text=text)
        )
    return QuantityReading(value=value)


class QuantityEdit(QLineEdit):
    """Pieces or kilograms, typed with a point or a comma; ``value()`` in thousandths or None,
    ``reading()`` says why a text is not a quantity (a fraction of a piece, a barcode…).

    The box accepts a decimal point for piece goods too: dropping it silently would turn
    "2.5" into 25 pieces; the fraction is refused with a message instead."""

    def __init__(self, parent: QWidget | None = None, *, weighed: bool = False) -> None:
        super().__init__(parent)
        self.setProperty("role", "money")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setValidator(QRegularExpressionValidator(r"\d{0,14}([.,]\d{0,3})?", self))
        self.set_weighed(weighed)

    def set_weighed(self, weighed: bool) -> None:
        self.weighed = weighed

    def reading(self) -> QuantityReading:
        return read_quantity(self.text(), weighed=self.weighed)

    def value(self) -> int | None:
        return self.reading().value
