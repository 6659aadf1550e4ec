"""The cart on screen: a table of name, price, quantity (editable), discount, line sum, remove.

Why a model over ``pos.register.cart.Cart`` rather than a copy: the cart is the one truth of the
sale being rung up; the model only shows it and forwards the cashier's edits to it (the cart
checks them and prices the lines with ``pos.domain``). Weighed goods show kilograms with three
decimals, piece goods whole pieces.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)
from typing_extensions import override

from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.money import format_money, format_quantity
from pos.register.cart import PIECE, Cart, CartLine
from pos.register.errors import RegisterError
from pos.ui.widgets import QuantityEdit, read_quantity

Index = QModelIndex | QPersistentModelIndex

NAME, PRICE, QUANTITY, DISCOUNT, SUM, REMOVE = range(6)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


def quantity_text(line: CartLine) -> str:
    """ "1.250 кг" for weighed goods, "2 шт" for pieces (the unit as the catalogue names it)."""
    if line.is_weighed:
        return f"{format_quantity(line.quantity)} {line.item.unit}"
    return f"{line.quantity // PIECE} {line.item.unit}"


def quantity_input(line: CartLine) -> str:
    """The quantity as the cashier edits it: "1.250" (kg) or "2" (pieces)."""
    return format_quantity(line.quantity) if line.is_weighed else str(line.quantity // PIECE)


def discount_text(value: Discount | None) -> str:
    if value is None:
        return ""
    sign = "−" if value.type is DiscountType.DISCOUNT else "+"
    if value.mode is DiscountMode.PERCENT:
        return f"{sign}{value.value}%"
    return f"{sign}{format_money(int(value.value))}"


class CartModel(QAbstractTableModel):
    """Rows are cart lines; ``error`` carries a refused edit (for ``show_error``)."""

    error = Signal(object)
    problem = Signal(str)  # a typed quantity that is not one, said in the interface language
    scanned = Signal(str)  # a barcode that landed in the quantity editor
    before_change = Signal()  # the cart is about to change by an edit here (for undo)
    changed = Signal()

    def __init__(self, cart: Cart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cart = cart
        self._sums: list[int] = []
        self._recompute()

    def set_cart(self, cart: Cart) -> None:
        self.beginResetModel()
        self.cart = cart
        self._recompute()
        self.endResetModel()
        self.changed.emit()

    def refresh(self) -> None:
        """The cart changed (added, removed, discounted): show it again."""
        self.beginResetModel()
        self._recompute()
        self.endResetModel()
        self.changed.emit()

    def _recompute(self) -> None:
        if self.cart.is_empty:
            self._sums = []
            return
        priced = self.cart.priced()
        self._sums = [line.net for line in priced.lines]

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.cart.lines)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            titles = {
                NAME: self.tr("Goods"),
                PRICE: self.tr("Price"),
                QUANTITY: self.tr("Quantity"),
                DISCOUNT: self.tr("Discount"),
                SUM: self.tr("Sum"),
                REMOVE: "",
            }
            return titles.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (PRICE, QUANTITY, SUM):
            return _RIGHT
        return None

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.cart.lines):
            return None
        line = self.cart.lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return line.item.name
            if column == PRICE:
                return format_money(line.price)
            if column == QUANTITY:
                return quantity_text(line)
            if column == DISCOUNT:
                return discount_text(line.discount)
            if column == SUM:
                return format_money(self._sums[index.row()]) if self._sums else ""
            return "✕"
        if role == Qt.ItemDataRole.EditRole and column == QUANTITY:
            return quantity_input(line)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (PRICE, QUANTITY, SUM, DISCOUNT):
                return _RIGHT
            if column == REMOVE:
                return _CENTER
        if role == Qt.ItemDataRole.ToolTipRole and column == REMOVE:
            return self.tr("Remove the line (Del)")
        return None

    @override
    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == QUANTITY:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    @override
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != QUANTITY:
            return False
        line = self.cart.lines[index.row()]
        reading = read_quantity(str(value), weighed=line.is_weighed)
        if reading.barcode is not None:
            self.scanned.emit(reading.barcode)
            return False
        if reading.value is None:
            self.problem.emit(reading.problem)
            return False
        quantity = reading.value
        self.before_change.emit()
        try:
            self.cart.set_quantity(index.row(), quantity)
        except RegisterError as error:
            self.error.emit(error)
            return False
        self.refresh()
        return True


class _QuantityDelegate(QStyledItemDelegate):
    """Edits a line's quantity with the right input: kilograms with decimals or pieces."""

    def __init__(self, model: CartModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    @override
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        line = self._model.cart.lines[index.row()]
        return QuantityEdit(parent, weighed=line.is_weighed)


class CartTable(QTableView):
    """The cart's view; ``remove_requested(row)`` when the ✕ of a line is touched."""

    remove_requested = Signal(int)

    def __init__(self, model: CartModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cartTable")
        self.setModel(model)
        self.setItemDelegateForColumn(QUANTITY, _QuantityDelegate(model, self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.verticalHeader().setVisible(True)
        self.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header = self.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (PRICE, QUANTITY, DISCOUNT, SUM):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REMOVE, QHeaderView.ResizeMode.Fixed)
        header.setHighlightSections(False)
        self.clicked.connect(self._clicked)
        self._fit_to_font()

    def _fit_to_font(self) -> None:
        """Touch-sized rows for the font the theme gives (known only once polished)."""
        self.ensurePolished()
        height = self.fontMetrics().height()
        self.verticalHeader().setDefaultSectionSize(int(height * 2.2))
        self.horizontalHeader().resizeSection(REMOVE, height * 3)

    @override
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_to_font()

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == REMOVE:
            self.remove_requested.emit(index.row())

    def current_row(self) -> int:
        """The selected line, or -1."""
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def select_row(self, row: int) -> None:
        model = self.model()
        if 0 <= row < model.rowCount():
            self.selectRow(row)
            self.scrollTo(model.index(row, NAME))
        else:
            self.clearSelection()
