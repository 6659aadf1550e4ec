"""Small dialogs of the selling screen: quantity or weight, discount or extra charge, parked
carts.

Each is opened with ``open()`` (never ``exec()``: qasync), confirms on Enter, cancels on Esc,
reports its result through a signal and deletes itself when closed. They only collect input:
the cart checks it (``RegisterError`` BAD_INPUT for an absurd quantity or discount).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.money import MoneyFormatError, format_money, format_quantity, parse_money
from pos.register.cart import PIECE, Cart, discount
from pos.register.errors import RegisterError
from pos.ui.messages import show_error
from pos.ui.widgets import QuantityEdit

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
KYIV = ZoneInfo("Europe/Kyiv")
"""Parked receipts show Kyiv time, as receipts do (not the PC's clock zone)."""


class EnterDialog(QDialog):
    """Enter runs ``confirm()``, Esc cancels; the dialog deletes itself when closed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(True)

    def confirm(self) -> None:
        raise NotImplementedError

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER:
            event.accept()
            self.confirm()
            return
        super().keyPressEvent(event)

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        """Set every text again (after a language switch)."""

    def button(self, role: str = "") -> QPushButton:
        button = QPushButton(self)
        button.setAutoDefault(False)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if role:
            button.setProperty("role", role)
        return button


class QuantityDialog(EnterDialog):
    """The weight (kg, 3 decimals) of a weighed good without a scale label, or a quantity."""

    chosen = Signal(int)  # thousandths
    scanned = Signal(str)  # a barcode typed or scanned into the box: it is the next good

    def __init__(
        self,
        name: str,
        *,
        weighed: bool,
        unit: str,
        initial: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("quantityDialog")
        self._name = name
        self._weighed = weighed
        self._unit = unit
        self.title = QLabel(self)
        self.title.setObjectName("dialogTitle")
        self.title.setWordWrap(True)
        self.prompt = QLabel(self)
        self.edit = QuantityEdit(self, weighed=weighed)
        self.edit.setObjectName("quantityEdit")
        if initial is not None:
            self.edit.setText(format_quantity(initial) if weighed else str(initial // PIECE))
            self.edit.selectAll()
        self.message = QLabel(self)
        self.message.setObjectName("notice")
        self.message.setProperty("error", True)
        self.message.setWordWrap(True)
        self.ok = self.button("primary")
        self.ok.clicked.connect(self.confirm)
        self.cancel = self.button()
        self.cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        self.unit_label = QLabel(unit, self)
        row.addWidget(self.unit_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.prompt)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.retranslate_ui()
        self.edit.setFocus()

    @override
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Weight") if self._weighed else self.tr("Quantity"))
        self.title.setText(self._name)
        self.prompt.setText(
            self.tr("Weight in kg (up to 3 decimals, e.g. 0.750):")
            if self._weighed
            else self.tr("Number of pieces:")
        )
        self.ok.setText(self.tr("OK (Enter)"))
        self.cancel.setText(self.tr("Cancel (Esc)"))

    @override
    def confirm(self) -> None:
        reading = self.edit.reading()
        if reading.barcode is not None:
            self.reject()
            self.scanned.emit(reading.barcode)
            return
        if reading.value is None:
            self.message.setText(reading.problem)
            self.edit.selectAll()
            return
        self.chosen.emit(reading.value)
        self.accept()


class DiscountDialog(EnterDialog):
    """A discount or an extra charge, as a sum or a percentage, on a line or the receipt.

    ``chosen(target, value)``: target "line" or "receipt", value a ``Discount`` or None (remove).
    """

    chosen = Signal(str, object)

    def __init__(
        self,
        *,
        line_name: str | None,
        line_discount: Discount | None,
        receipt_discount: Discount | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("discountDialog")
        self._line_name = line_name
        self._line_discount = line_discount
        self._receipt_discount = receipt_discount
        self.title = QLabel(self)
        self.title.setObjectName("dialogTitle")
        self.title.setWordWrap(True)

        self.to_line = QRadioButton(self)
        self.to_receipt = QRadioButton(self)
        self.to_line.setEnabled(line_name is not None)
        (self.to_line if line_name is not None else self.to_receipt).setChecked(True)
        target = QButtonGroup(self)
        target.addButton(self.to_line)
        target.addButton(self.to_receipt)

        self.is_discount = QRadioButton(self)
        self.is_charge = QRadioButton(self)
        self.is_discount.setChecked(True)
        kind = QButtonGroup(self)
        kind.addButton(self.is_discount)
        kind.addButton(self.is_charge)

        self.by_percent = QRadioButton(self)
        self.by_value = QRadioButton(self)
        self.by_percent.setChecked(True)
        mode = QButtonGroup(self)
        mode.addButton(self.by_percent)
        mode.addButton(self.by_value)

        self.value = QLineEdit(self)
        self.value.setObjectName("discountValue")
        self.value.setProperty("role", "money")
        self.value.setValidator(QRegularExpressionValidator(r"\d{0,8}([.,]\d{0,2})?", self))
        self.name = QLineEdit(self)
        self.name.setObjectName("discountName")
        self.current = QLabel(self)
        self.current.setObjectName("hint")
        self.current.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("notice")
        self.message.setProperty("error", True)
        self.message.setWordWrap(True)

        self.ok = self.button("primary")
        self.ok.clicked.connect(self.confirm)
        self.remove = self.button()
        self.remove.clicked.connect(self._remove)
        self.cancel = self.button()
        self.cancel.clicked.connect(self.reject)

        grid = QGridLayout()
        self.target_label = QLabel(self)
        self.kind_label = QLabel(self)
        self.mode_label = QLabel(self)
        self.value_label = QLabel(self)
        self.name_label = QLabel(self)
        grid.addWidget(self.target_label, 0, 0)
        grid.addWidget(self.to_line, 0, 1)
        grid.addWidget(self.to_receipt, 0, 2)
        grid.addWidget(self.kind_label, 1, 0)
        grid.addWidget(self.is_discount, 1, 1)
        grid.addWidget(self.is_charge, 1, 2)
        grid.addWidget(self.mode_label, 2, 0)
        grid.addWidget(self.by_percent, 2, 1)
        grid.addWidget(self.by_value, 2, 2)
        grid.addWidget(self.value_label, 3, 0)
        grid.addWidget(self.value, 3, 1, 1, 2)
        grid.addWidget(self.name_label, 4, 0)
        grid.addWidget(self.name, 4, 1, 1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.remove)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(self.current)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.retranslate_ui()
        self.value.setFocus()

    @override
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Discount or extra charge"))
        self.title.setText(self.tr("Discount or extra charge"))
        self.target_label.setText(self.tr("Apply to:"))
        self.to_line.setText(
            self.tr("Line: {name}").format(name=_short(self._line_name))
            if self._line_name
            else self.tr("Line")
        )
        self.to_receipt.setText(self.tr("Whole receipt"))
        self.kind_label.setText(self.tr("Kind:"))
        self.is_discount.setText(self.tr("Discount"))
        self.is_charge.setText(self.tr("Extra charge"))
        self.mode_label.setText(self.tr("As:"))
        self.by_percent.setText(self.tr("Percent, %"))
        self.by_value.setText(self.tr("Sum, UAH"))
        self.value_label.setText(self.tr("Value:"))
        self.name_label.setText(self.tr("Name (optional):"))
        self.value.setPlaceholderText("10")
        self.ok.setText(self.tr("Apply (Enter)"))
        self.remove.setText(self.tr("Remove discount"))
        self.cancel.setText(self.tr("Cancel (Esc)"))
        from pos.ui.cart_table import discount_text

        parts = []
        if self._line_discount is not None:
            parts.append(self.tr("line: {d}").format(d=discount_text(self._line_discount)))
        if self._receipt_discount is not None:
            parts.append(self.tr("receipt: {d}").format(d=discount_text(self._receipt_discount)))
        self.current.setText(self.tr("Now: {list}").format(list=", ".join(parts)) if parts else "")

    @property
    def target(self) -> str:
        return "line" if self.to_line.isChecked() else "receipt"

    def _remove(self) -> None:
        self.chosen.emit(self.target, None)
        self.accept()

    @override
    def confirm(self) -> None:
        text = self.value.text().strip().replace(",", ".")
        kind = DiscountType.DISCOUNT if self.is_discount.isChecked() else DiscountType.EXTRA_CHARGE
        try:
            if self.by_percent.isChecked():
                mode = DiscountMode.PERCENT
                amount: int | Decimal = Decimal(text)
            else:
                mode = DiscountMode.VALUE
                amount = parse_money(text)
            value = discount(kind, mode, amount, self.name.text().strip())
        except (InvalidOperation, MoneyFormatError):
            self.message.setText(self.tr("Type the value, e.g. 10 or 12.50."))
            self.value.selectAll()
            return
        except RegisterError as error:
            show_error(self, error)
            return
        self.chosen.emit(self.target, value)
        self.accept()


def _short(name: str | None, length: int = 32) -> str:
    if not name:
        return ""
    return name if len(name) <= length else name[: length - 1] + "…"


@dataclass
class ParkedCart:
    """A sale put aside (the customer went back for something) to be finished later."""

    cart: Cart
    parked_at: datetime
    number: int
    total: int = field(default=0)


class ParkedCartsDialog(EnterDialog):
    """Hold the current cart, or resume one of the held ones (Enter on the highlighted one)."""

    hold_requested = Signal()
    resume_requested = Signal(int)  # ParkedCart.number

    def __init__(
        self, parked: list[ParkedCart], *, can_hold: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("parkedDialog")
        self._parked = parked
        self.title = QLabel(self)
        self.title.setObjectName("dialogTitle")
        self.list = QListWidget(self)
        self.list.setObjectName("parkedList")
        for entry in parked:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, entry.number)
            self.list.addItem(item)
        if parked:
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.confirm())
        self.hold = self.button()
        self.hold.setObjectName("holdButton")
        self.hold.setEnabled(can_hold)
        self.hold.clicked.connect(self._hold)
        self.resume = self.button("primary")
        self.resume.setEnabled(bool(parked))
        self.resume.clicked.connect(self.confirm)
        self.cancel = self.button()
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.hold)
        buttons.addWidget(self.resume)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.resize(560, 420)
        self.retranslate_ui()
        self.list.setFocus()

    @override
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Parked receipts"))
        self.title.setText(self.tr("Parked receipts"))
        for row, entry in enumerate(self._parked):
            item = self.list.item(row)
            if item is not None:
                item.setText(
                    self.tr("#{number}  {time}  —  {lines} line(s), {total}").format(
                        number=entry.number,
                        time=entry.parked_at.astimezone(KYIV).strftime("%H:%M"),
                        lines=len(entry.cart.lines),
                        total=format_money(entry.total),
                    )
                )
        self.hold.setText(self.tr("Park the current receipt (F6)"))
        self.resume.setText(self.tr("Resume (Enter)"))
        self.cancel.setText(self.tr("Cancel (Esc)"))

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F6:
            event.accept()
            if self.hold.isEnabled():
                self._hold()
            return
        super().keyPressEvent(event)

    def _hold(self) -> None:
        self.hold_requested.emit()
        self.accept()

    @override
    def confirm(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        self.resume_requested.emit(int(self.list.item(row).data(Qt.ItemDataRole.UserRole)))
        self.accept()
