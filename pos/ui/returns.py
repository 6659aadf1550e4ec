"""Returning goods from an earlier sale: find the sale, choose lines and quantities, confirm.

Why the dialog asks the register so much: what may still be returned (``returnable``), how the
money goes back (by the sale's own payment types) and the return receipt itself are the register's
decisions; the dialog only shows them and collects the cashier's choice. The refund total shown
before confirming is computed by the register's own code (``return_reads.refund_total``, what
``quote_refund`` and the return receipt use), so it is exactly what the return receipt will pay
back; each line shows its share of what the sale charged for it.

Why the look-up thread: finding the sale and what was already returned of it are reads, answered
by the window's look-up thread (``pos.ui.lookups``) while the register may be busy uploading or
closing a shift; only the return itself waits for the register.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFont, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos.domain.money import (
    QUANTITY_UNIT,
    MoneyFormatError,
    format_money,
    format_quantity,
    parse_quantity,
)
from pos.journal.records import Receipt, ReceiptLine
from pos.register import return_reads
from pos.register.errors import RegisterError
from pos.ui.asyncio_qt import async_slot
from pos.ui.lookups import Answer, LookupSource
from pos.ui.messages import show_error
from pos.ui.receipt_dialog import ERROR_STYLE, WARN_STYLE, KeyDialog, buttons_row, fit_text
from pos.ui.register_thread import lookups_for

if TYPE_CHECKING:
    from pos.app import RunningRegister

T = TypeVar("T")
KYIV = ZoneInfo("Europe/Kyiv")
WEIGHT_STEP = 100
"""The arrows change a weighed line by 0.100 kg; any weight can be typed."""


class QuantitySpinBox(QSpinBox):
    """A quantity in thousandths, shown as the cashier reads it: whole pieces, or kilograms with
    three decimals (typed with a point or a comma)."""

    def __init__(self, maximum: int, *, weighed: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.weighed = weighed
        self.setRange(0, maximum)
        self.setSingleStep(WEIGHT_STEP if weighed else QUANTITY_UNIT)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(110)
        self.setKeyboardTracking(True)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        """Tab into the box selects it: what the cashier types replaces the 0."""
        super().focusInEvent(event)
        QTimer.singleShot(0, self.selectAll)  # after the table has finished moving its cell

    def textFromValue(self, value: int) -> str:  # noqa: N802 (Qt's name)
        if self.weighed:
            return format_quantity(value)
        return str(value // QUANTITY_UNIT)

    def valueFromText(self, text: str) -> int:  # noqa: N802 (Qt's name)
        parsed = self._parse(text)
        return self.minimum() if parsed is None else parsed

    def _parse(self, text: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        if not self.weighed:
            return int(text) * QUANTITY_UNIT if text.isdigit() else None
        try:
            return parse_quantity(text)
        except MoneyFormatError:
            return None

    def validate(self, text: str, pos: int) -> Any:
        stripped = text.strip()
        allowed = "0123456789.," if self.weighed else "0123456789"
        if any(ch not in allowed for ch in stripped):
            return (QValidator.State.Invalid, text, pos)
        value = self._parse(stripped)
        if value is None or not self.minimum() <= value <= self.maximum():
            return (QValidator.State.Intermediate, text, pos)
        return (QValidator.State.Acceptable, text, pos)


def receipt_number(sale: Receipt) -> str:
    """The receipt's number as printed on it ("ЧЕК №", the server's serial); a receipt made
    offline has none until it is uploaded."""
    serial = (sale.server_response or {}).get("serial")
    return str(serial) if serial is not None else "—"


def paid_by_type(sale: Receipt) -> list[tuple[str, int]]:
    """What the sale was paid with: card as charged, cash as tendered less the change."""
    paid: list[tuple[str, int]] = []
    change = sale.rest
    for payment in sale.payments:
        value = payment.value
        if payment.type == "CASH" and change:
            taken = min(change, value)
            value -= taken
            change -= taken
        paid.append((payment.type, value))
    return paid


def _kyiv_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=KYIV)


@dataclass(frozen=True)
class LeftToReturn:
    """What may still be returned of a sale (line position → quantity), and which of its goods
    the catalogue sells by weight (code → weighed; a good no longer in it is left out)."""

    returnable: dict[int, int]
    weighed: dict[str, bool]


def _find_sales(source: LookupSource, text: str, day: datetime | None, limit: int) -> list[Receipt]:
    return source.find_receipts(text, day=day, limit=limit)


def _left_to_return(source: LookupSource, sale: Receipt) -> LeftToReturn:
    weighed: dict[str, bool] = {}
    for line in sale.lines:
        item = source.item(line.code)
        if item is not None:
            weighed[line.code] = item.is_weighed
    return LeftToReturn(source.returnable(sale.id), weighed)


class ReturnDialog(KeyDialog):
    """Find a sale (fiscal code, receipt number or id, scanned receipt barcode, or a day's list),
    choose what comes back, and make the return receipt. Emits ``receipt_made(receipt)``."""

    receipt_made = Signal(object)

    def __init__(self, running: RunningRegister, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._running = running
        self._lookups = lookups_for(running.service)
        self._asked = 0  # the latest search asked; earlier answers are shown no more
        self._choosing: str | None = None  # the sale whose lines are shown or asked for
        self._focus_when_shown = False
        self._outstanding = 0
        self.sales: list[Receipt] = []
        self.sale: Receipt | None = None
        self.returnable: dict[int, int] = {}
        self.weighed: dict[str, bool] = {}
        self.quantities: dict[int, QuantitySpinBox] = {}
        self.setWindowTitle(self.tr("Return"))
        self.resize(980, 700)

        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("Fiscal code, receipt number, or scan the receipt's barcode")
        )
        self.find_button = self.key_button(self.tr("Find"), Qt.Key.Key_F3, self.find_sales)
        today = datetime.now(KYIV).date()  # the shop's day, as on the receipts (not the PC's)
        kyiv_today = QDate(today.year, today.month, today.day)
        self.day = QDateEdit(kyiv_today)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd.MM.yyyy")
        self.day.setMaximumDate(kyiv_today)
        self.day_button = self.key_button(self.tr("Sales of the day"), Qt.Key.Key_F5, self.list_day)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.find_button)
        search_row.addSpacing(16)
        search_row.addWidget(self.day)
        search_row.addWidget(self.day_button)

        self.sales_table = QTableWidget(0, 5)
        self.sales_table.setHorizontalHeaderLabels(
            [
                self.tr("Time"),
                self.tr("Fiscal code"),
                self.tr("Receipt"),
                self.tr("Sum"),
                self.tr("Paid"),
            ]
        )
        self._table_look(self.sales_table)
        self.sales_table.setMaximumHeight(200)
        self.sales_table.currentCellChanged.connect(lambda row, *_: self._choose_sale(row))

        self.lines_table = QTableWidget(0, 6)
        self.lines_table.setHorizontalHeaderLabels(
            [
                "#",
                self.tr("Good"),
                self.tr("Sold"),
                self.tr("Can return"),
                self.tr("Return"),
                self.tr("Refund"),
            ]
        )
        self._table_look(self.lines_table)
        self.lines_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.total = QLabel()
        font = QFont(self.total.font())
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.total.setFont(font)
        self.paid_by = QLabel()
        self.paid_by.setWordWrap(True)

        self.all_button = self.key_button(
            self.tr("Return everything"), Qt.Key.Key_F4, self.all_lines
        )
        self.confirm_button = self.key_button(
            self.tr("Make the return"), Qt.Key.Key_Return, self.confirm
        )
        self.armed = False
        """True after the first Enter: the next Enter makes the return (Esc steps back)."""
        self.refund_total = 0
        self.cancel_button = self.key_button(self.tr("Cancel"), Qt.Key.Key_Escape, self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addWidget(self.sales_table)
        layout.addWidget(self.lines_table, 1)
        layout.addWidget(self.total)
        layout.addWidget(self.paid_by)
        layout.addWidget(self.notice)
        layout.addLayout(buttons_row(self.all_button, self.confirm_button, self.cancel_button))
        self._show_lines()
        self.search.setFocus()

    @staticmethod
    def _table_look(table: QTableWidget) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(48)  # a quantity box fits in the row
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    # --- finding the sale ------------------------------------------------------------------

    def find_sales(self) -> Answer[list[Receipt]] | None:
        """Ask for the sales the search names; the list shows them when the look-up answers."""
        text = self.search.text().strip()
        if not text:
            self.show_notice(self.tr("Type or scan a fiscal code or receipt number."), WARN_STYLE)
            self.search.setFocus()
            return None

        def none_found() -> None:
            self.show_notice(self.tr("No sale found for “{text}”.").format(text=text), ERROR_STYLE)
            self.search.selectAll()

        return self._ask_sales(none_found, text, None, 50)

    def list_day(self) -> Answer[list[Receipt]]:
        day = self.day.date()

        def none_found() -> None:
            self.show_notice(self.tr("No sales on {day}.").format(day=day.toString("dd.MM.yyyy")))

        start = _kyiv_day(date(day.year(), day.month(), day.day()))
        return self._ask_sales(none_found, "", start, 500)

    def _ask_sales(
        self, none_found: Callable[[], None], text: str, day: datetime | None, limit: int
    ) -> Answer[list[Receipt]]:
        self._asked += 1
        asked = self._asked

        def answered(answer: Answer[list[Receipt]]) -> None:
            if asked != self._asked:  # asked again since: a newer answer follows
                return
            try:
                found = answer.result()
            except Exception as error:  # the journal could not be read: say so
                show_error(self, error)
                return
            if not found:
                none_found()
            self._show_sales(found)

        return self._ask(answered, _find_sales, text, day, limit)

    def _ask(self, answered: Callable[[Answer[T]], None], function: Any, *args: Any) -> Answer[T]:
        """A look-up whose answer ``answered`` shows (``settled`` until then is False)."""
        self._outstanding += 1

        def settle(answer: Answer[T]) -> None:
            self._outstanding -= 1
            answered(answer)

        answer: Answer[T] = self._lookups.ask(function, *args)
        answer.add_done_callback(settle)
        return answer

    @property
    def settled(self) -> bool:
        """Every look-up asked has been answered and shown."""
        return self._outstanding == 0

    def _show_sales(self, sales: list[Receipt]) -> None:
        self.sales = sales
        self._choosing = None  # found again: what is left is read again
        table = self.sales_table
        table.blockSignals(True)
        table.setRowCount(len(sales))
        for row, sale in enumerate(sales):
            moment = (sale.fiscal_date or sale.created_at).astimezone(KYIV)
            cells = [
                moment.strftime("%d.%m %H:%M"),
                (sale.fiscal_code or "") + (" · " + self.tr("offline") if sale.is_offline else ""),
                receipt_number(sale),
                format_money(sale.total_sum),
                self._payments_text(sale),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(row, column, item)
        table.blockSignals(False)
        if sales:
            if len(sales) > 1:
                self.show_notice(
                    self.tr("{count} sales found: choose one with ↑ ↓ and Enter.").format(
                        count=len(sales)
                    )
                )
            table.setCurrentCell(0, 0)
            self._choose_sale(0, focus=len(sales) == 1)
            if len(sales) == 1:
                self.show_notice("")
            else:
                table.setFocus()
        else:
            self._choose_sale(-1)

    def _payments_text(self, sale: Receipt) -> str:
        """What the customer paid, by payment type (cash without the change given back)."""
        parts = []
        for kind, paid in paid_by_type(sale):
            name = self.tr("Card") if kind == "CASHLESS" else self.tr("Cash")
            parts.append(f"{name} {format_money(paid)}")
        return ", ".join(parts)

    # --- choosing lines --------------------------------------------------------------------

    def _choose_sale(self, row: int, *, focus: bool = False) -> None:
        """Show the sale of ``row`` once the look-up said what is left to return of it (with
        ``focus``, then the first quantity takes the keys)."""
        chosen = self.sales[row] if 0 <= row < len(self.sales) else None
        if chosen is not None and chosen.id == self._choosing:  # shown, or asked for already
            self._focus_when_shown = self._focus_when_shown or focus
            if self.sale is not None and focus:
                self.focus_lines()
            return
        self.sale, self.returnable, self.weighed = None, {}, {}
        self._choosing = None if chosen is None else chosen.id
        self._focus_when_shown = focus
        self._show_lines()
        if chosen is None:
            return

        def answered(answer: Answer[LeftToReturn]) -> None:
            if chosen.id != self._choosing:  # another sale was chosen since
                return
            try:
                left = answer.result()
            except Exception as error:
                self._choosing = None
                show_error(self, error)
                return
            self.sale, self.returnable, self.weighed = chosen, left.returnable, left.weighed
            self._show_lines()
            if self._focus_when_shown:
                self.focus_lines()

        self._ask(answered, _left_to_return, chosen)

    def _is_weighed(self, line: ReceiptLine) -> bool:
        weighed = self.weighed.get(line.code)
        if weighed is not None:
            return weighed
        return line.quantity % QUANTITY_UNIT != 0

    def _quantity_text(self, line: ReceiptLine, quantity: int) -> str:
        if self._is_weighed(line):
            return self.tr("{quantity} kg").format(quantity=format_quantity(quantity))
        return str(quantity // QUANTITY_UNIT)

    def _show_lines(self) -> None:
        sale = self.sale
        table = self.lines_table
        self.quantities = {}
        lines = sale.lines if sale is not None else ()
        table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            position = row + 1
            left = self.returnable.get(position, 0)
            cells = [
                str(position),
                line.name,
                self._quantity_text(line, line.quantity),
                self._quantity_text(line, left),
            ]
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
            box = QuantitySpinBox(left, weighed=self._is_weighed(line))
            box.setEnabled(left > 0)
            box.setObjectName(f"quantity_{position}")
            box.valueChanged.connect(lambda _v: self._update_total())
            table.setCellWidget(row, 4, box)
            previous_box = self.quantities.get(position - 1)
            if previous_box is not None:
                QWidget.setTabOrder(previous_box, box)
            refund = QTableWidgetItem()
            refund.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, 5, refund)
            self.quantities[position] = box
        self._tab_order()
        if sale is not None and not any(self.returnable.values()):
            self.show_notice(
                self.tr("Everything from this sale has been returned already."), WARN_STYLE
            )
        self.paid_by.setText(
            self.tr("Paid: {payments}. The money goes back the way it was paid.").format(
                payments=self._payments_text(sale)
            )
            if sale is not None
            else ""
        )
        self._update_total()

    def chosen(self) -> dict[int, int]:
        """Line position → quantity (thousandths) the cashier chose, zero lines left out."""
        return {pos: box.value() for pos, box in self.quantities.items() if box.value() > 0}

    def _update_total(self) -> None:
        """Each line's refund and the total, both the register's own figures
        (``return_reads.refund_total``: the sale's line and receipt discounts shared out
        exactly), so the lines always add up to the total the return receipt will pay back."""
        sale = self.sale
        self._disarm()
        total = 0
        for position, box in self.quantities.items():
            share = 0
            if sale is not None and box.value():
                with contextlib.suppress(RegisterError):
                    share = return_reads.refund_total(sale, {position: box.value()})
            total += share
            cell = self.lines_table.item(position - 1, 5)
            if cell is not None:
                cell.setText(format_money(share) if box.value() else "")
        chosen = self.chosen()
        if sale is not None and chosen:
            with contextlib.suppress(RegisterError):
                total = return_reads.refund_total(sale, chosen)
        self.refund_total = total
        self.total.setText(self.tr("To refund: {amount}").format(amount=format_money(total)))
        self.confirm_button.setEnabled(bool(self.chosen()) and not self.busy)

    def all_lines(self) -> None:
        for box in self.quantities.values():
            box.setValue(box.maximum())
        self.focus_lines()

    def focus_lines(self) -> None:
        for position, box in self.quantities.items():
            if box.isEnabled():
                self.lines_table.setCurrentCell(position - 1, 4)
                box.setFocus(Qt.FocusReason.TabFocusReason)
                box.selectAll()
                return

    # --- keys and confirm ------------------------------------------------------------------

    def enter_pressed(self) -> None:
        focus = self.focusWidget()
        if focus is self.search:
            self.find_sales()
        elif focus is self.day or (focus is not None and self.day.isAncestorOf(focus)):
            self.list_day()
        elif focus is self.sales_table:
            self._choose_sale(self.sales_table.currentRow(), focus=True)
        elif self.confirm_button.isEnabled():
            self.confirm()
        elif self.sale is not None:
            self.show_notice(
                self.tr("Set the quantity to return on at least one line."), WARN_STYLE
            )
            self.focus_lines()

    def _tab_order(self) -> None:
        """Tab goes search → day → the sales → each quantity in line order → the buttons (the
        table's cells themselves are skipped: nothing to type there)."""
        chain: list[QWidget] = [
            self.search,
            self.find_button,
            self.day,
            self.day_button,
            self.sales_table,
            *self.quantities.values(),
            self.all_button,
            self.confirm_button,
            self.cancel_button,
        ]
        self.lines_table.setTabKeyNavigation(False)  # else the table takes Tab for its cells
        self.lines_table.setFocusPolicy(
            Qt.FocusPolicy.NoFocus if self.quantities else Qt.FocusPolicy.StrongFocus
        )
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _disarm(self) -> None:
        if self.armed:
            self.armed = False
            self.confirm_button.setText(self.tr("Make the return") + " (Enter)")
            fit_text(self.confirm_button)
            self.show_notice("")

    def reject(self) -> None:
        """Esc after the first Enter steps back to the lines instead of closing."""
        if self.armed and not self.busy:
            self._disarm()
            self.focus_lines()
            return
        super().reject()

    def confirm(self) -> None:
        """The first Enter (or click) asks; the second makes the return receipt."""
        if self.sale is None or not self.chosen() or self.busy:
            return
        if not self.armed:
            self.armed = True
            self.confirm_button.setText(self.tr("Yes, make the return") + " (Enter)")
            fit_text(self.confirm_button)
            self.show_notice(
                self.tr(
                    "Refund {amount} for {lines} line(s)? Press Enter again to make the return "
                    "receipt, Esc to change it."
                ).format(amount=format_money(self.refund_total), lines=len(self.chosen())),
                WARN_STYLE,
            )
            self.confirm_button.setFocus()
            return
        self.armed = False
        self.make_return()

    @async_slot()
    async def make_return(self) -> None:
        sale = self.sale
        wanted = self.chosen()
        if sale is None or not wanted:
            return
        self.set_busy(True, self.tr("Making the return receipt…"))
        try:
            receipt = await self._running.service.refund(sale.id, wanted)
        except RegisterError as error:
            self.set_busy(False)
            self.show_notice("")
            show_error(self, error)
            return
        self.set_busy(False)
        self.receipt_made.emit(receipt)
        self.accept()
