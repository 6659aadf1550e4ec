"""The reports window's data: journal reads run on one worker thread, results come back as
signals, and the receipts table is a model that fetches the page it is asked to show.

Why a worker rather than "fast enough" queries on the GUI thread: a page is a few milliseconds,
but the count and the totals of a month of a million-receipt journal are not, and the journal may
be busy with the register's own writes (busy timeout); the Qt thread never waits on SQLite.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from sqlalchemy import Connection, Engine
from typing_extensions import override

from pos.domain.money import format_money
from pos.reports.receipts import (
    ReceiptsAnswer,
    ReceiptsQuery,
    receipts_page,
    receipts_report,
    totals,
)
from pos.reports.sources import Register, register_of

log = logging.getLogger(__name__)
PAGE_SIZE = 100
Sources = list[tuple[Connection, Register]]
Index = QModelIndex | QPersistentModelIndex


class JournalReader(QObject):
    """Runs report functions on a worker thread over the journal; ``done(token, result)``."""

    done = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, engine: Engine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        # Two lanes: pages and details never queue behind a month's totals, a chart or an export.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reports-pages")
        self._slow = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reports-totals")
        self._tokens = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[str], None] | None]] = {}
        # The shop's back-office database and this register's shop in it, when there is one;
        # ``whole_shop`` reads every register of that shop from it instead of the journal.
        self.shop: tuple[Engine, str] | None = None
        self.whole_shop = False
        self.done.connect(self._deliver)
        self.failed.connect(self._fail)

    def run(
        self,
        work: Callable[[Sources], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
        *,
        slow: bool = False,
    ) -> int:
        """Run ``work(sources)`` off the GUI thread; ``slow`` for whole-period reads (totals,
        shifts, charts, exports), which take the second lane."""
        token = next(self._tokens)
        self._callbacks[token] = (on_done, on_error)
        (self._slow if slow else self._pool).submit(self._work, token, work)
        return token

    def _work(self, token: int, work: Callable[[Sources], Any]) -> None:
        result: Any = None
        error_text: str | None = None
        try:
            if self.whole_shop and self.shop is not None:
                from pos.backoffice.sources import shop_sources

                with shop_sources(self.shop[0], [self.shop[1]]) as sources:
                    result = work(sources)
            else:
                with self.engine.connect() as connection:
                    result = work([(connection, register_of(connection))])
        except Exception as error:  # reported to the window, in the user's language there
            log.exception("report query failed")
            error_text = str(error)
        try:
            if error_text is None:
                self.done.emit(token, result)
            else:
                self.failed.emit(token, error_text)
        except RuntimeError:  # the window closed meanwhile: nobody is waiting for the answer
            return

    def _deliver(self, token: int, result: object) -> None:
        callbacks = self._callbacks.pop(token, None)
        if callbacks is not None:
            callbacks[0](result)

    def _fail(self, token: int, message: str) -> None:
        callbacks = self._callbacks.pop(token, None)
        if callbacks is not None and callbacks[1] is not None:
            callbacks[1](message)

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def shutdown(self) -> None:
        """Forget what was asked and stop; a query still running finishes on its own thread
        (the GUI thread never waits for it)."""
        self._callbacks.clear()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._slow.shutdown(wait=False, cancel_futures=True)


COLUMNS: tuple[tuple[str, str], ...] = (
    ("real_date", "date"),
    ("shift", "shift"),
    ("number", "number"),
    ("doc_number", "doc_number"),
    ("code_name", ""),
    ("operation", ""),
    ("totalSum", "totalSum"),
    ("cashTotalSum", "cashTotalSum"),
    ("ecashTotalSum", "ecashTotalSum"),
    ("prepaidSum", ""),
    ("fiscal_code", ""),
    ("cashier", ""),
    ("sync", ""),
)
MONEY = frozenset({"totalSum", "cashTotalSum", "ecashTotalSum", "prepaidSum"})


class ReceiptsModel(QAbstractTableModel):
    """The receipts report as a table of ``total`` rows, of which only fetched pages exist."""

    loaded = Signal()  # the first page and the count arrived
    page_arrived = Signal(int)
    totals_arrived = Signal(dict)
    failed = Signal(str)

    def __init__(self, reader: JournalReader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self.query: ReceiptsQuery | None = None
        self.total = 0
        self.totals: dict[str, Any] = {}
        self.titles: dict[str, str] = {}
        self.operation_names: dict[str, str] = {}
        self.sync_names: dict[str, str] = {}
        self._pages: dict[int, list[dict[str, Any]]] = {}
        self._asked: set[int] = set()
        self._generation = 0

    # --- loading -------------------------------------------------------------------------------

    def set_query(self, query: ReceiptsQuery) -> None:
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self.query = query
        self.total = 0
        self.totals = {}
        self._pages = {}
        self._asked = {0}
        self.endResetModel()
        first = query.with_page(PAGE_SIZE, 0)

        def work(sources: Sources) -> ReceiptsAnswer:
            return receipts_report(sources, first, with_totals=False)

        self.reader.run(work, lambda answer: self._first(generation, answer), self.failed.emit)
        self.reader.run(
            lambda sources: totals(sources, query),
            lambda result: self._totals(generation, result),
            self.failed.emit,
            slow=True,
        )

    def _first(self, generation: int, answer: ReceiptsAnswer) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self.total = answer.total
        self._pages = {0: answer.data}
        self.endResetModel()
        self.loaded.emit()

    def _totals(self, generation: int, result: dict[str, Any]) -> None:
        if generation == self._generation:
            self.totals = result
            self.totals_arrived.emit(result)

    def _ask(self, page: int) -> None:
        if page in self._asked or self.query is None:
            return
        self._asked.add(page)
        generation = self._generation
        query = self.query.with_page(PAGE_SIZE, page * PAGE_SIZE)
        self.reader.run(
            lambda sources: receipts_page(sources, query),
            lambda rows: self._page(generation, page, rows),
            self.failed.emit,
        )

    def _page(self, generation: int, page: int, rows: list[dict[str, Any]]) -> None:
        if generation != self._generation:
            return
        self._pages[page] = rows
        first = page * PAGE_SIZE
        last = min(self.total, first + len(rows)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.page_arrived.emit(page)

    def row(self, number: int) -> dict[str, Any] | None:
        page = self._pages.get(number // PAGE_SIZE)
        if page is None:
            self._ask(number // PAGE_SIZE)
            return None
        offset = number % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    # --- the model -----------------------------------------------------------------------------

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.total

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            name = COLUMNS[section][0]
            return self.titles.get(name, name)
        return section + 1

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        name = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if name in MONEY or name in ("shift", "number", "doc_number"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.row(index.row())
        if row is None:
            return "…"
        value = row.get(name)
        if name in MONEY:
            return format_money(int(value or 0))
        if name == "operation":
            return self.operation_names.get(str(value), str(value))
        if name == "sync":
            return self.sync_names.get(str(value), str(value))
        if name in ("doc_number", "number") and not value:
            return ""  # shift documents have no receipt numbers
        return "" if value is None else str(value)

    @override
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        if not key or self.query is None:
            return
        sign = "-" if order == Qt.SortOrder.DescendingOrder else ""
        self.set_query(replace(self.query, orders=(f"{sign}{key}",)))
