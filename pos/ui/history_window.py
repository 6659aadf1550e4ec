"""The manager's reports window: receipts history, shifts with their X/Z, charts and exports.

Keyboard first: Ctrl+F the search, Enter opens the selected receipt (the receipt dialog: QR,
reprint, PDF), F5/F6/F7 export what is shown to CSV/XLSX/PDF, Ctrl+Tab the next tab, Esc closes.
Every journal read runs on the reader's worker thread (see ``history_models``); the window opens
the journal read-only. For a cashier (``shift_id`` given) it shows only the receipts of that
shift, with no period choice, no shifts, charts or exports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Connection, Engine
from typing_extensions import override

from pos.domain.money import format_money
from pos.domain.offline_limits import KYIV
from pos.reports import export
from pos.reports.detail import receipt_detail
from pos.reports.periods import Bucket, Period
from pos.reports.receipts import ReceiptsQuery, receipts_page
from pos.reports.sales import by_payment, by_time, top_goods
from pos.reports.shifts import ShiftSummary, shift_summaries
from pos.ui.history_charts import ChartPane
from pos.ui.history_export import report_table_html, write_pdf
from pos.ui.history_models import COLUMNS, JournalReader, ReceiptsModel, Sources
from pos.ui.receipt_dialog import KeyDialog, buttons_row
from pos.ui.sort_arrow import SortArrowStyle

if TYPE_CHECKING:
    from pos.app import RunningRegister
    from pos.journal.records import Receipt

PRESETS = ("today", "yesterday", "week", "month", "custom")
TYPES: dict[str, dict[str, list[str]]] = {
    "all": {},
    "sales": {"document_types": ["receipt"], "operation_types": ["income"]},
    "returns": {"document_types": ["receipt"], "operation_types": ["income_return"]},
    "serviceIn": {"document_types": ["serviceIn"]},
    "serviceOut": {"document_types": ["serviceOut"]},
    "cashWithdrawal": {"document_types": ["cashWithdrawal"]},
    "shifts": {"document_types": ["openShift", "closeShift"]},
}
PAYMENTS = {"all": [], "cash": ["cash"], "cashless": ["cashless"]}


def preset_days(preset: str, today: date) -> tuple[date, date]:
    if preset == "yesterday":
        day = today - timedelta(days=1)
        return day, day
    if preset == "week":
        return today - timedelta(days=today.weekday()), today
    if preset == "month":
        return today.replace(day=1), today
    return today, today


class HistoryWindow(KeyDialog):
    def __init__(
        self,
        engine: Engine,
        *,
        running: RunningRegister | None = None,
        shift_id: str | None = None,
        today: Callable[[], date] | None = None,
        parent: QWidget | None = None,
        shop: tuple[Engine, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyWindow")
        self._running = running
        self._shift_id = shift_id
        self._today = today or today_in_kyiv
        self.reader = JournalReader(engine, self)
        self.reader.shop = shop if shop is not None else _shop_of(running, shift_id)
        self.model = ReceiptsModel(self.reader, self)
        self.model.loaded.connect(self._loaded)
        self.model.totals_arrived.connect(self._show_totals)
        self.model.failed.connect(self._failed)
        self.shifts: list[ShiftSummary] = []
        self.exported: list[Path] = []
        self.resize(1280, 720)

        # filter bar
        self.preset = QComboBox()
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.type_filter = QComboBox()
        self.payment_filter = QComboBox()
        self.shift_filter = QLineEdit()
        self.shift_filter.setMaximumWidth(80)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.cashier_filter = QLineEdit()  # the cashier's full name, as Checkbox knows it
        self.cashier_filter.setObjectName("cashierFilter")
        self.cashier_filter.setClearButtonEnabled(True)
        self.cashier_filter.setMaximumWidth(200)
        self.source = QComboBox()  # this register's journal, or the whole shop's database
        self.source.setObjectName("reportSource")
        # Two rows, so the bar fits a 1024-pixel screen: when, then what.
        rows = (QHBoxLayout(), QHBoxLayout())
        self.labels: dict[str, QLabel] = {}
        for row, name, widget in (
            (0, "period", self.preset),
            (0, "from", self.date_from),
            (0, "to", self.date_to),
            (0, "shift", self.shift_filter),
            (1, "type", self.type_filter),
            (1, "payment", self.payment_filter),
            (1, "cashier", self.cashier_filter),
            (1, "search", self.search),
        ):
            label = QLabel()
            label.setBuddy(widget)
            self.labels[name] = label
            rows[row].addWidget(label)
            rows[row].addWidget(widget, 2 if name == "search" else 0)
        rows[0].addStretch(1)
        bar = QVBoxLayout()
        bar.setSpacing(4)
        for row_layout in rows:
            bar.addLayout(row_layout)

        # receipts tab
        self.table = QTableView()
        self.table.setObjectName("receiptsTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        # newest first, as a manager looks for the receipt just sold or asked about; the arrow
        # then points down on every platform (pos.ui.sort_arrow)
        self.sort_arrow_style = SortArrowStyle()
        self.sort_arrow_style.setParent(self.table.horizontalHeader())
        self.table.horizontalHeader().setStyle(self.sort_arrow_style)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(24)
        # Fitting columns looks at the visible rows only: never a fetch of pages nobody sees.
        self.table.verticalHeader().setResizeContentsPrecision(0)
        self.table.horizontalHeader().setResizeContentsPrecision(0)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(lambda _index: self.open_receipt())
        self.totals_label = QLabel()
        self.totals_label.setObjectName("totalsRow")
        self.totals_label.setStyleSheet("font-weight: bold; padding: 4px;")
        self.totals_label.setWordWrap(True)  # a long totals line must not widen the window
        self.detail = QTextBrowser()
        self.detail.setMinimumWidth(300)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        column.addWidget(self.totals_label)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        self.shift_table = QTableWidget(0, 9)
        self.shift_table.setObjectName("shiftTable")
        self.shift_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.shift_table.itemSelectionChanged.connect(self._show_shift)
        self.shift_table.verticalHeader().hide()
        self.shift_detail = QTextBrowser()
        shift_split = QSplitter()
        shift_split.addWidget(self.shift_table)
        shift_split.addWidget(self.shift_detail)
        shift_split.setStretchFactor(0, 3)

        self.charts = ChartPane()
        self.charts.kind.currentIndexChanged.connect(lambda _i: self.refresh_chart())

        self.tabs = QTabWidget()
        self.tabs.addTab(split, "")
        self.tabs.addTab(shift_split, "")
        self.tabs.addTab(self.charts, "")
        # The source switch sits beside the tabs, not in the (already wide) filter bar.
        source_box = QWidget()
        source_row = QHBoxLayout(source_box)
        source_row.setContentsMargins(0, 0, 0, 2)
        self.labels["source"] = QLabel()
        self.labels["source"].setBuddy(self.source)
        source_row.addWidget(self.labels["source"])
        source_row.addWidget(self.source)
        self.tabs.setCornerWidget(source_box, Qt.Corner.TopRightCorner)
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())

        self.open_button = self.key_button("", Qt.Key.Key_F2, self.open_receipt)
        self.csv_button = self.key_button("CSV", Qt.Key.Key_F5, lambda: self.ask_export("csv"))
        self.xlsx_button = self.key_button("XLSX", Qt.Key.Key_F6, lambda: self.ask_export("xlsx"))
        self.pdf_button = self.key_button("PDF", Qt.Key.Key_F7, lambda: self.ask_export("pdf"))
        self.close_button = self.key_button("", Qt.Key.Key_Escape, self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.notice)
        layout.addLayout(
            buttons_row(
                self.open_button, self.csv_button, self.xlsx_button, self.pdf_button,
                self.close_button,
            )
        )  # fmt: skip
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

        self.retranslate_ui()
        now = self._today()
        self.date_from.setDate(QDate(now.year, now.month, now.day))
        self.date_to.setDate(QDate(now.year, now.month, now.day))
        self.preset.currentIndexChanged.connect(lambda _i: self._preset_changed())
        for combo in (self.type_filter, self.payment_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self._custom_dates())
        self.search.returnPressed.connect(self.apply_filters)
        self.source.currentIndexChanged.connect(lambda _i: self._source_changed())
        if self.reader.shop is None:
            self.labels["source"].hide()
            self.source.hide()
        self.shift_filter.returnPressed.connect(self.apply_filters)
        self.cashier_filter.returnPressed.connect(self.apply_filters)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        if shift_id is not None:
            for name in ("period", "from", "to", "shift"):
                self.labels[name].hide()
            for widget in (self.preset, self.date_from, self.date_to, self.shift_filter):
                widget.hide()
            self.tabs.setTabVisible(1, False)
            self.tabs.setTabVisible(2, False)
            for button in (self.csv_button, self.xlsx_button, self.pdf_button):
                button.hide()
        self.apply_filters()

    # --- text ----------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        cashier = self._shift_id is not None
        self.setWindowTitle(self.tr("Receipts of this shift") if cashier else self.tr("Reports"))
        captions = {
            "source": self.tr("Sou&rce:"),
            "period": self.tr("&Period:"),
            "from": self.tr("From:"),
            "to": self.tr("To:"),
            "type": self.tr("&Type:"),
            "payment": self.tr("Pa&yment:"),
            "shift": self.tr("S&hift:"),
            "search": self.tr("&Search:"),
            "cashier": self.tr("&Cashier:"),
        }
        for name, text in captions.items():
            self.labels[name].setText(text)
        preset_names = {
            "today": self.tr("Today"),
            "yesterday": self.tr("Yesterday"),
            "week": self.tr("This week"),
            "month": self.tr("This month"),
            "custom": self.tr("Custom"),
        }
        _fill(self.preset, preset_names)
        _fill(
            self.source,
            {"register": self.tr("This register"), "shop": self.tr("The whole shop")},
        )
        _fill(
            self.type_filter,
            {
                "all": self.tr("All documents"),
                "sales": self.tr("Sales"),
                "returns": self.tr("Returns"),
                "serviceIn": self.tr("Service cash in"),
                "serviceOut": self.tr("Service cash out"),
                "cashWithdrawal": self.tr("Cash withdrawals"),
                "shifts": self.tr("Shift open/close"),
            },
        )
        _fill(
            self.payment_filter,
            {"all": self.tr("Any payment"), "cash": self.tr("Cash"), "cashless": self.tr("Card")},
        )
        self.search.setPlaceholderText(self.tr("fiscal code or document number (Ctrl+F)"))
        self.shift_filter.setPlaceholderText(self.tr("all"))
        self.cashier_filter.setPlaceholderText(self.tr("any cashier"))
        self.model.titles = {
            "real_date": self.tr("Date"),
            "shift": self.tr("Shift"),
            "number": self.tr("No. in shift"),
            "doc_number": self.tr("Doc. no."),
            "code_name": self.tr("Document"),
            "operation": self.tr("Operation"),
            "totalSum": self.tr("Total"),
            "cashTotalSum": self.tr("Cash"),
            "ecashTotalSum": self.tr("Card"),
            "prepaidSum": self.tr("Prepaid"),
            "fiscal_code": self.tr("Fiscal code"),
            "cashier": self.tr("Cashier"),
            "sync": self.tr("Upload"),
        }
        self.model.operation_names = {
            "income": self.tr("sale"),
            "income_return": self.tr("return"),
            "": "",
        }
        self.model.sync_names = {
            "online": self.tr("online"),
            "pending": self.tr("offline, not sent"),
            "uploaded": self.tr("offline, sent"),
        }
        self.tabs.setTabText(0, self.tr("Receipts"))
        self.tabs.setTabText(1, self.tr("Shifts"))
        self.tabs.setTabText(2, self.tr("Charts"))
        self.open_button.setText(self.tr("Open receipt") + " (F2)")
        self.csv_button.setText(self.tr("CSV") + " (F5)")
        self.xlsx_button.setText(self.tr("XLSX") + " (F6)")
        self.pdf_button.setText(self.tr("PDF") + " (F7)")
        self.close_button.setText(self.tr("Close") + " (Esc)")
        self.shift_table.setHorizontalHeaderLabels(
            [
                self.tr("Shift"),
                self.tr("Opened"),
                self.tr("Closed"),
                self.tr("Report"),
                self.tr("Sales"),
                self.tr("Returns"),
                self.tr("Expected cash"),
                self.tr("Counted"),
                self.tr("Difference"),
            ]
        )
        self.charts.retranslate(
            {
                "day": self.tr("Sales by day"),
                "hour": self.tr("Sales by hour"),
                "payment": self.tr("Payment mix"),
                "goods": self.tr("Top goods"),
            },
            self.tr("Sales"),
            self.tr("Returns"),
        )

    # --- filters -------------------------------------------------------------------------------

    def _preset_changed(self) -> None:
        preset = self.preset.currentData()
        if preset != "custom":
            first, last = preset_days(str(preset), self._today())
            for edit, day in ((self.date_from, first), (self.date_to, last)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self.apply_filters()

    def _custom_dates(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(PRESETS.index("custom"))
        self.preset.blockSignals(False)
        self.apply_filters()

    def dates(self) -> tuple[str, str]:
        if self._shift_id is not None:
            return "2000-01-01", (self._today() + timedelta(days=1)).isoformat()
        first = self.date_from.date().toString("yyyy-MM-dd")
        last = self.date_to.date().toString("yyyy-MM-dd")
        return first, max(first, last)

    def query(self) -> ReceiptsQuery:
        first, last = self.dates()
        body: dict[str, Any] = {"date_from": first, "date_to": last}
        body.update(TYPES[str(self.type_filter.currentData() or "all")])
        payments = PAYMENTS[str(self.payment_filter.currentData() or "all")]
        if payments:
            body["payment_types"] = payments
        shift_text = self.shift_filter.text().strip()
        if shift_text.isdigit():
            body["shifts"] = [int(shift_text)]
        if self.search.text().strip():
            body["search"] = self.search.text().strip()
        if self.cashier_filter.text().strip():
            body["cashiers"] = [self.cashier_filter.text().strip()]
        header = self.table.horizontalHeader()
        key = (
            COLUMNS[header.sortIndicatorSection()][1] if header.sortIndicatorSection() >= 0 else ""
        )
        if key:
            sign = "-" if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder else ""
            body["orders"] = [f"{sign}{key}"]
        query = ReceiptsQuery.from_mapping(body)
        if self._shift_id is not None:
            query = query.with_shift_ids((self._shift_id,))
        return query

    def _source_changed(self) -> None:
        self.reader.whole_shop = self.source.currentData() == "shop"
        self.apply_filters()

    def apply_filters(self) -> None:
        self.show_notice("")
        self.totals_label.setText(self.tr("Counting…"))
        self.model.set_query(self.query())
        if self.tabs.currentIndex() == 1:
            self.refresh_shifts()
        elif self.tabs.currentIndex() == 2:
            self.refresh_chart()

    def period(self) -> Period:
        return Period.parse(*self.dates())

    def _tab_changed(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.refresh_shifts()
        elif self.tabs.currentIndex() == 2:
            self.refresh_chart()

    # --- receipts ------------------------------------------------------------------------------

    def _loaded(self) -> None:
        self.table.resizeColumnsToContents()
        if self.model.total and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        if not self.model.total:
            self.detail.setHtml("<p>" + self.tr("No documents in this period.") + "</p>")

    def _show_totals(self, totals: dict[str, Any]) -> None:
        sales = returns = 0
        for group in totals.get("by_type", []):
            # An after-payment's total is the whole order; its advances were counted as sales
            # when taken (as Checkbox's X/Z counts them), so only the rest is counted again.
            if group["operation"] == "income":
                sales += int(group["totalSum"]) - int(group.get("prepaidSum", 0))
            elif group["operation"] == "income_return":
                returns += int(group["totalSum"])
        text = self.tr(
            "{count} documents · sales {sales} · returns {returns} · cash {cash} · card {card}"
        ).format(
            count=totals.get("count", 0),
            sales=format_money(sales),
            returns=format_money(returns),
            cash=format_money(int(totals.get("cashTotalSum", 0))),
            card=format_money(int(totals.get("ecashTotalSum", 0))),
        )
        prepaid = int(totals.get("prepaidSum", 0))
        if prepaid:
            text += self.tr(" · advances set off {prepaid}").format(prepaid=format_money(prepaid))
        self.totals_label.setText(text)

    def _failed(self, message: str) -> None:
        self.show_notice(self.tr("The journal could not be read: {error}").format(error=message))

    def selected_row(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        return None if not index.isValid() else self.model.row(index.row())

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row(current.row()) if current.isValid() else None
        if row is None or row["document_type"] in ("openShift", "closeShift"):
            self.detail.setHtml(_row_html(row) if row else "")
            return
        receipt_id = row["id"]
        self.reader.run(
            lambda sources: receipt_detail(_source_of(sources, row), receipt_id),
            lambda detail: self._show_detail(row, detail),
            self._failed,
        )

    def _show_detail(self, row: dict[str, Any], detail: dict[str, Any] | None) -> None:
        current = self.selected_row()
        if current is None or current["id"] != row["id"]:
            return
        html = _row_html(row)
        if detail is not None:
            lines = "".join(
                f"<tr><td>{_escape(li['name'])}</td><td align=right>{li['quantity'] / 1000:g}"
                f"</td><td align=right>{format_money(li['sum'])}</td></tr>"
                for li in detail["lines"]
            )
            pays = "".join(
                f"<tr><td>{_escape(p['label'] or p['type'])}</td>"
                f"<td align=right>{format_money(p['value'])}</td></tr>"
                for p in detail["payments"]
            )
            lines_title, payments_title = self.tr("Lines"), self.tr("Payments")
            html += f"<h4>{lines_title}</h4><table width=100%>{lines}</table>"
            html += f"<h4>{payments_title}</h4><table width=100%>{pays}</table>"
            if detail["rest"]:
                change = self.tr("Change: {sum}").format(sum=format_money(detail["rest"]))
                html += f"<p>{change}</p>"
            hint = self.tr("Enter or F2: the receipt with its QR, to reprint or save as PDF")
            html += f"<p><i>{hint}</i></p>"
        self.detail.setHtml(html)

    @override
    def enter_pressed(self) -> None:
        if self.tabs.currentIndex() == 0:
            self.open_receipt()

    def open_receipt(self) -> None:
        """The receipt dialog (QR, reprint, PDF) for the selected receipt."""
        row = self.selected_row()
        if row is None or row["document_type"] in ("openShift", "closeShift"):
            return
        if row.get("chain_role"):  # a customer order's receipt: printed from its order
            self.show_notice(
                self.tr(
                    "Order {number}: its receipts print from the order screen (Shift+F6)."
                ).format(number=f"{int(row.get('order') or 0):05d}")
            )
            return
        if self._running is None:
            self.show_notice(self.tr("Receipts open from the register's window."))
            return
        journal, receipt_id = self._running.journal, row["id"]
        self.reader.run(lambda _sources: journal.receipts.get(receipt_id), self._show_receipt)

    def _show_receipt(self, record: Receipt | None) -> None:
        if record is None or self._running is None:
            return
        from pos.ui.receipt_dialog import ReceiptDialog

        dialog = ReceiptDialog(self._running, record, self)
        dialog.setObjectName("receiptDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.table.setFocus())
        self.receipt_dialog = dialog
        dialog.open()

    # --- shifts --------------------------------------------------------------------------------

    def refresh_shifts(self) -> None:
        period = self.period()
        self.reader.run(
            lambda sources: shift_summaries(sources, period), self._shifts_loaded, slow=True
        )

    def _shifts_loaded(self, summaries: list[ShiftSummary]) -> None:
        self.shifts = summaries
        self.shift_table.setRowCount(len(summaries))
        for row, s in enumerate(summaries):
            pays = {p.get("type"): p for p in s.report.get("payments", [])}
            sales = sum(int(p.get("sell_sum", 0)) for p in pays.values())
            returns = sum(int(p.get("return_sum", 0)) for p in pays.values())
            values = [
                str(s.serial),
                s.opened_at,
                s.closed_at,
                "Z" if s.z else "X",
                format_money(sales),
                format_money(returns),
                format_money(s.expected_cash),
                "" if s.counted_cash is None else format_money(s.counted_cash),
                "" if s.difference is None else format_money(s.difference),
            ]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column == 0 or column >= 4:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.shift_table.setItem(row, column, item)
        self.shift_table.resizeColumnsToContents()

    def _show_shift(self) -> None:
        rows = self.shift_table.selectionModel().selectedRows()
        if not rows:
            return
        s = self.shifts[rows[0].row()]
        title = self.tr("Z-report") if s.z else self.tr("X-report")
        heading = self.tr("{report} · shift {serial}").format(report=title, serial=s.serial)
        names = {
            "sell_sum": self.tr("Sales"),
            "return_sum": self.tr("Returns"),
            "service_in": self.tr("Service cash in"),
            "service_out": self.tr("Service cash out and withdrawals"),
        }
        payments = self._pay_names()
        html = f"<h3>{heading}</h3><p>{s.opened_at} – {s.closed_at or '…'}</p><table width=100%>"
        for p in s.report.get("payments", []):
            kind = str(p.get("type"))
            html += f"<tr><td colspan=2><b>{_escape(payments.get(kind, kind))}</b></td></tr>"
            for name, text in names.items():
                money = format_money(int(p.get(name, 0)))
                html += f"<tr><td>{text}</td><td align=right>{money}</td></tr>"
        figures = [
            (self.tr("Sales receipts"), str(s.report.get("sell_receipts_count", 0))),
            (self.tr("Return receipts"), str(s.report.get("return_receipts_count", 0))),
            (self.tr("Discounts"), format_money(int(s.report.get("discounts_sum", 0)))),
            (self.tr("Opening float"), format_money(int(s.report.get("initial", 0)))),
            (self.tr("Expected cash"), format_money(s.expected_cash)),
        ]
        if s.counted_cash is not None and s.difference is not None:
            figures.append((self.tr("Counted"), format_money(s.counted_cash)))
            figures.append((self.tr("Difference"), format_money(s.difference)))
        html += "<tr><td colspan=2>&nbsp;</td></tr>"
        for text, value in figures:
            html += f"<tr><td>{text}</td><td align=right>{value}</td></tr>"
        html += "</table>"
        self.shift_detail.setHtml(html)

    # --- charts --------------------------------------------------------------------------------

    def refresh_chart(self) -> None:
        period = self.period()
        kind = str(self.charts.kind.currentData() or "day")

        def work(sources: Sources) -> Any:
            if kind in ("day", "hour"):
                return by_time(sources, period, Bucket(kind))
            if kind == "payment":
                return by_payment(sources, period)
            return top_goods(sources, period, top=10)

        self.reader.run(
            work, lambda rows: self.charts.show_rows(kind, rows, self._pay_names()), slow=True
        )

    def _pay_names(self) -> dict[str, str]:
        return {"CASH": self.tr("Cash"), "CASHLESS": self.tr("Card")}

    # --- export --------------------------------------------------------------------------------

    def ask_export(self, kind: str) -> None:
        first, last = self.dates()
        dialog = QFileDialog(self, self.tr("Export"), f"receipts-{first}-{last}.{kind}")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind)
        dialog.fileSelected.connect(lambda name: self.export_to(Path(name), kind))
        self.export_dialog = dialog
        dialog.open()

    def export_to(self, path: Path, kind: str) -> None:
        """Write every row of the current query (not only the fetched pages) to ``path``. The
        rows are read and CSV/XLSX written on the reader's thread; a PDF's table is laid out
        there too, and only printed here (Qt's text layout belongs to the GUI thread)."""
        query = self.query().with_page(None, 0)
        fields = [name for name, _ in COLUMNS]
        titles = [self.model.titles.get(name, name) for name in fields]
        heading = self.windowTitle() + " " + " – ".join(self.dates())
        operations, syncs = dict(self.model.operation_names), dict(self.model.sync_names)
        sheet, footer = self.tr("Receipts"), self.totals_label.text()

        def work(sources: Sources) -> tuple[int, str]:
            rows = receipts_page(sources, query)
            shown = [
                {**r, "operation": operations.get(r["operation"], r["operation"]),
                 "sync": syncs.get(r["sync"], r["sync"])}
                for r in rows
            ]  # fmt: skip
            if kind == "csv":
                export.write_csv(path, shown, fields, titles)
            elif kind == "xlsx":
                export.write_xlsx(path, shown, fields, titles, sheet=sheet)
            else:
                return len(rows), report_table_html(heading, shown, fields, titles, footer)
            return len(rows), ""

        def done(result: tuple[int, str]) -> None:
            count, html = result
            if kind == "pdf":
                try:
                    write_pdf(path, html, heading)
                except OSError as error:
                    self._failed(str(error))
                    return
            self.exported.append(path)
            self.show_notice(self.tr("Saved {count} rows to {path}").format(
                count=count, path=path))  # fmt: skip

        self.reader.run(work, done, self._failed, slow=True)

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        self.reader.shutdown()
        super().closeEvent(event)

    @override
    def done(self, result: int) -> None:
        self.reader.shutdown()
        super().done(result)


def _fill(combo: QComboBox, names: dict[str, str]) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for key, text in names.items():
        combo.addItem(text, key)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _row_html(row: dict[str, Any] | None) -> str:
    if row is None:
        return ""
    code = _escape(row["fiscal_code"] or "—")
    return (
        f"<h3>{_escape(row['code_name'])} · {format_money(row['totalSum'])}</h3>"
        f"<p>{row['real_date']} · ФН {code}<br>"
        f"ФН ПРРО {_escape(row['rn'])} · #{row['shift']}/{row['number']}</p>"
    )


def today_in_kyiv() -> date:
    from datetime import datetime

    return datetime.now(KYIV).date()


def _source_of(sources: Sources, row: dict[str, Any]) -> Connection:
    """The connection of the register a row comes from (the whole shop has several)."""
    for connection, register in sources:
        if register.fiscal_number == row.get("register"):
            return connection
    return sources[0][0]


def _shop_of(running: RunningRegister | None, shift_id: str | None) -> tuple[Engine, str] | None:
    """The back-office database, when the register has one (not for a cashier's own shift).
    Making the engine opens no connection: the reader connects on its worker thread."""
    config = running.config if running is not None else None
    if config is None or config.backoffice_url is None or shift_id is not None:
        return None
    from pos.backoffice.database import BackofficeUrlError, open_database

    try:
        engine = open_database(config.backoffice_url.get_secret_value())
    except BackofficeUrlError:
        return None
    return engine, config.shop_name or "shop"
