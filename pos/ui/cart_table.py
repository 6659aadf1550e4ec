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
from PySide6.QtGui import QFontMetrics, QPainter, QPalette, QStaticText
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
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_PADDING = 4  # px between a cell's edge and its text, as the stock delegate leaves
_KEPT_TEXTS = 2000  # laid-out cell texts kept by the view (a day's carts hold far fewer)
_SHOWN = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
_EDITABLE = _SHOWN | Qt.ItemFlag.ItemIsEditable
_WIDEST = {PRICE: "9999.99", QUANTITY: "99.999 кг", DISCOUNT: "−999.99", SUM: "99999.99"}
"""The widest text each figure column shows in a shop's day (a wider one is elided, not lost:
the totals panel shows the receipt's sum in full)."""


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
    """Rows are cart lines; ``error`` carries a refused edit (for ``show_error``).

    Every row's texts are formatted once, when the cart changes (``refresh``), and the view is
    told only what changed: a scan that appends a line inserts one row, one more piece of the
    last good changes one row; the view then repaints that row alone (a reset would make it ask
    for every cell of every row again, on the cashier's Enter)."""

    error = Signal(object)
    problem = Signal(str)  # a typed quantity that is not one, said in the interface language
    scanned = Signal(str)  # a barcode that landed in the quantity editor
    before_change = Signal()  # the cart is about to change by an edit here (for undo)
    changed = Signal()

    def __init__(self, cart: Cart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cart = cart
        self._lines: list[CartLine] = []
        self._rows: list[tuple[str, ...]] = []
        self._lines, self._rows = self._formatted()

    def set_cart(self, cart: Cart) -> None:
        self.beginResetModel()
        self.cart = cart
        self._lines, self._rows = self._formatted()
        self.endResetModel()
        self.changed.emit()

    def refresh(self) -> None:
        """The cart changed (added, removed, discounted): show what changed."""
        lines, rows = self._formatted()
        old_lines, old_rows = self._lines, self._rows
        grown = len(lines) - len(old_lines)
        start = 0  # where lines were added or taken off: after the lines that are still there
        limit = min(len(lines), len(old_lines))
        while start < limit and lines[start] is old_lines[start]:
            start += 1
        if grown > 0:
            self.beginInsertRows(QModelIndex(), start, start + grown - 1)
            self._lines, self._rows = lines, rows
            self.endInsertRows()
            before = old_rows[:start] + [()] * grown + old_rows[start:]
        elif grown < 0:
            self.beginRemoveRows(QModelIndex(), start, start - grown - 1)
            self._lines, self._rows = lines, rows
            self.endRemoveRows()
            before = old_rows[:start] + old_rows[start - grown :]
        else:
            self._lines, self._rows = lines, rows
            before = old_rows
        changed = [
            row
            for row, texts in enumerate(rows)
            if texts != before[row] and not (grown > 0 and start <= row < start + grown)
        ]
        if changed:
            self.dataChanged.emit(
                self.index(changed[0], NAME),
                self.index(changed[-1], REMOVE),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole],
            )
        self.changed.emit()

    def _formatted(self) -> tuple[list[CartLine], list[tuple[str, ...]]]:
        """The cart's lines and each one's texts (name, price, quantity, discount, sum, ✕,
        the quantity as edited), priced once. A line shown before keeps its texts (the lines
        are frozen: the same line shows the same), so a scan formats the one line it changed."""
        lines = list(self.cart.lines)
        if not lines:
            return lines, []
        shown = {
            id(line): (line, texts) for line, texts in zip(self._lines, self._rows, strict=True)
        }
        fresh: list[int] = []
        rows: list[tuple[str, ...]] = []
        for row, line in enumerate(lines):
            known = shown.get(id(line))
            if known is not None and known[0] is line:
                rows.append(known[1])
            else:
                fresh.append(row)
                rows.append(())
        if fresh:
            priced = self.cart.priced().lines
            for row in fresh:
                line = lines[row]
                rows[row] = (
                    line.item.name,
                    format_money(line.price),
                    quantity_text(line),
                    discount_text(line.discount),
                    format_money(priced[row].net),
                    "✕",
                    quantity_input(line),
                )
        return lines, rows

    def text(self, row: int, column: int) -> str:
        """A cell's formatted text ("" outside the cart), for the view's delegate."""
        return self._rows[row][column] if 0 <= row < len(self._rows) else ""

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

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
            return self.titles().get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (PRICE, QUANTITY, SUM):
            return _RIGHT
        return None

    def titles(self) -> dict[int, str]:
        return {
            NAME: self.tr("Goods"),
            PRICE: self.tr("Price"),
            QUANTITY: self.tr("Quantity"),
            DISCOUNT: self.tr("Discount"),
            SUM: self.tr("Sum"),
            REMOVE: "",
        }

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            row = index.row()
            return self._rows[row][index.column()] if 0 <= row < len(self._rows) else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            column = index.column()
            if column == NAME:
                return None
            return _CENTER if column == REMOVE else _RIGHT
        if role == Qt.ItemDataRole.EditRole and index.column() == QUANTITY:
            row = index.row()
            return self._rows[row][6] if 0 <= row < len(self._rows) else None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == REMOVE:
            return self.tr("Remove the line (Del)")
        return None

    @override
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _EDITABLE if index.column() == QUANTITY else _SHOWN

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


class _CartDelegate(QStyledItemDelegate):
    """Paints a cell from the model's formatted texts, and edits a line's quantity with the
    right input (kilograms with decimals or pieces).

    Why its own painting: the view repaints every visible row when a line is appended (Qt lays
    the rows out again), and the stock delegate asks the model (in Python) for seven roles per
    cell and draws each cell through the app's style sheet: about three quarters of the time
    from the cashier's Enter to the line on screen. Here one call per cell draws the text that
    ``CartModel.refresh`` formatted once, in the colours the style sheet gave the view's palette
    (the alternating rows and the grid are still painted by the view)."""

    def __init__(self, model: CartModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._texts: dict[tuple[str, int], QStaticText] = {}
        self.selected_row = -1  # kept by the view (one row is selected at most)

    @override
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row, column = index.row(), index.column()
        text = self._model.text(row, column)
        if not text:
            return
        palette = option.palette
        rect = option.rect
        if row == self.selected_row:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
            painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
        else:
            painter.setPen(palette.color(QPalette.ColorRole.Text))
        width = rect.width() - 2 * _PADDING
        shown = self._laid_out(text, width if column == NAME else 0, option.fontMetrics)
        size = shown.size()
        if column == NAME:
            x = rect.x() + _PADDING
        elif column == REMOVE:
            x = rect.x() + (rect.width() - int(size.width())) // 2
        else:
            x = rect.right() - _PADDING - int(size.width())
        painter.drawStaticText(x, rect.y() + (rect.height() - int(size.height())) // 2, shown)

    def _laid_out(self, text: str, width: int, metrics: QFontMetrics) -> QStaticText:
        """The text laid out once (``QStaticText``) and kept: a repaint only draws it. With a
        width (the name column), elided to fit it."""
        key = (text, width)
        shown = self._texts.get(key)
        if shown is None:
            if width and metrics.horizontalAdvance(text) > width:
                text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            if len(self._texts) > _KEPT_TEXTS:
                self._texts.clear()
            shown = self._texts[key] = QStaticText(text)
            shown.setTextFormat(Qt.TextFormat.PlainText)
        return shown

    def forget_layouts(self) -> None:
        """The font changed: lay the texts out again."""
        self._texts.clear()

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
        self._delegate = _CartDelegate(model, self)
        self.setItemDelegate(self._delegate)
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
        # Fixed widths that fit the widest figure a column can show, not ResizeToContents: that
        # measures every cell of the column again on every change, at each of the cashier's scans.
        for column in (PRICE, QUANTITY, DISCOUNT, SUM, REMOVE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.setHighlightSections(False)
        self.clicked.connect(self._clicked)
        self.selectionModel().selectionChanged.connect(self._selection_changed)
        self._fit_to_font()

    def _fit_to_font(self) -> None:
        """Touch-sized rows for the font the theme gives (known only once polished), and
        columns as wide as their widest figure or their title."""
        self.ensurePolished()
        self._delegate.forget_layouts()
        metrics = self.fontMetrics()
        height = metrics.height()
        self.verticalHeader().setDefaultSectionSize(int(height * 2.2))
        header = self.horizontalHeader()
        header.resizeSection(REMOVE, height * 3)
        model = self.model()
        titles = model.titles() if isinstance(model, CartModel) else {}
        title_metrics = header.fontMetrics()
        padding = metrics.horizontalAdvance("M") + 8
        for column, widest in _WIDEST.items():
            title = title_metrics.horizontalAdvance(titles.get(column, "")) + padding
            header.resizeSection(column, max(metrics.horizontalAdvance(widest) + padding, title))

    @override
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
            QEvent.Type.LanguageChange,
        ):
            self._fit_to_font()

    def _selection_changed(self) -> None:
        self._delegate.selected_row = self.current_row()

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
