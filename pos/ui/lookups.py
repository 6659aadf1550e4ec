"""Look-ups for the window that never wait: a thread of their own, answers on Qt's.

Why: a scan, a keystroke of the live search, a category button, the goods editor's search and
its save-time checks read the catalogue; the order screen finds orders, the return dialog finds
the sale and what was returned of it. Asked of the register's thread and waited for, they cost a
fraction of a millisecond while it idles, but as long as it likes while it uploads a queue or
closes a shift: the till freezes and scanner keys pile up. So the look-ups have a thread of
their own with a read-only connection to the journal file (WAL: readers never wait for the
register's writer), reading through the same code the register reads through
(``pos.register.catalogue_reads``, ``return_reads``, ``orders.OrderBook``). Each answer is a
``concurrent.futures.Future`` completed on Qt's thread (the look-up thread hands it over as a
queued signal), in the order they were asked; :class:`InOrder` then applies them (and the
cashier's other keys queued behind them) in the order the keys came, so two scans in a row land
in the cart in that order.

A window over a register that is not on a thread (``open_register`` as the headless tools
use it) gets :class:`InlineLookups`: the same interface, answered at once.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import ConnectionPoolEntry

from pos.journal.catalogue import Catalogue, ScannedItem
from pos.journal.engine import BUSY_TIMEOUT_MS
from pos.journal.orders import OrdersJournal
from pos.journal.receipts import Receipts
from pos.journal.records import CatalogueItem, Receipt
from pos.journal.store import Store
from pos.register import catalogue_reads, return_reads
from pos.register.errors import Refusal, RegisterError
from pos.register.orders import OrderBook

log = logging.getLogger(__name__)

T = TypeVar("T")


Answer = concurrent.futures.Future
"""A look-up's answer to be: done (and its callbacks run) on Qt's thread once it came back."""


class CatalogueSource(Protocol):
    """What the catalogue look-ups read: the register service has these, so has
    :class:`JournalReader`."""

    def scan(self, text: str) -> ScannedItem | None: ...

    def search(self, text: str, limit: int = 50) -> list[CatalogueItem]: ...

    def item(self, code: str) -> CatalogueItem | None: ...

    def barcode_owner(self, barcode: str) -> CatalogueItem | None: ...

    def categories(self) -> list[tuple[str, int]]: ...

    def in_category(self, name: str, limit: int = 200) -> list[CatalogueItem]: ...


class LookupSource(CatalogueSource, Protocol):
    """All the window looks up: the catalogue, the sales a return takes back, the orders."""

    def find_receipts(
        self, text: str = "", *, day: datetime | None = None, limit: int = 50
    ) -> list[Receipt]: ...

    def returnable(self, sale_id: str) -> dict[int, int]: ...

    @property
    def orders(self) -> OrderBook: ...


class JournalReader:
    """The register service's reads (the same functions) over a read-only connection."""

    def __init__(self, path: Path) -> None:
        self.engine = read_only_engine(path)
        store = Store(self.engine)
        self.catalogue = Catalogue(store)
        self.receipts = Receipts(store)
        self._orders = OrderBook(OrdersJournal(store))

    def scan(self, text: str) -> ScannedItem | None:
        return catalogue_reads.scan(self.catalogue, text)

    def search(self, text: str, limit: int = 50) -> list[CatalogueItem]:
        return catalogue_reads.search(self.catalogue, text, limit)

    def item(self, code: str) -> CatalogueItem | None:
        return catalogue_reads.item(self.catalogue, code)

    def barcode_owner(self, barcode: str) -> CatalogueItem | None:
        return catalogue_reads.barcode_owner(self.catalogue, barcode)

    def categories(self) -> list[tuple[str, int]]:
        return catalogue_reads.categories(self.catalogue)

    def in_category(self, name: str, limit: int = 200) -> list[CatalogueItem]:
        return catalogue_reads.in_category(self.catalogue, name, limit)

    def find_receipts(
        self, text: str = "", *, day: datetime | None = None, limit: int = 50
    ) -> list[Receipt]:
        return return_reads.find_sales(self.receipts, text, day=day, limit=limit)

    def returnable(self, sale_id: str) -> dict[int, int]:
        return return_reads.returnable(self.receipts, sale_id)

    @property
    def orders(self) -> OrderBook:
        return self._orders

    def close(self) -> None:
        self.engine.dispose()


def read_only_engine(path: Path) -> Engine:
    """An engine on the journal file that cannot write (``query_only``)."""
    engine = create_engine(f"sqlite:///{path}", pool_pre_ping=False)

    def on_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA query_only=ON").fetchall()
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}").fetchall()

    event.listen(engine, "connect", on_connect)
    return engine


@dataclass(frozen=True)
class ScanResult:
    """What a scanned code is: a good (with a scale label's weight or price), or nothing
    (``error``: the code is not a barcode and not a good's code)."""

    code: str
    found: ScannedItem | None
    error: RegisterError | None = None


def resolve_scan(source: CatalogueSource, code: str) -> ScanResult:
    """A barcode, or a code that is not one but is a good's code typed off a label."""
    try:
        return ScanResult(code, source.scan(code))
    except RegisterError as error:
        if error.refusal is not Refusal.BAD_INPUT:
            return ScanResult(code, None, error)
        exact = [i for i in source.search(code, 5) if i.code == code]
        if exact:
            return ScanResult(code, ScannedItem(exact[0]))
        return ScanResult(code, None, error)


def answered(value: T) -> Answer[T]:
    """An answer that is there already."""
    answer: Answer[T] = concurrent.futures.Future()
    answer.set_result(value)
    return answer


class Lookups(Protocol):
    def ask(self, function: Callable[..., T], *args: Any) -> Answer[T]:
        """``function(source, *args)`` off Qt's thread; its answer completed on Qt's thread."""
        ...


class _Relay(QObject):
    """Lives on Qt's thread: a signal emitted on the look-up thread is queued to it."""

    delivered = Signal(object)


class ThreadLookups:
    """One look-up thread (a serial executor: answers come back in the order asked)."""

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="look-up")
        self._reader: JournalReader | None = None
        self._path = path
        self._relay = _Relay(parent)
        self._relay.delivered.connect(self._deliver)

    def _source(self) -> JournalReader:
        if self._reader is None:  # opened on the look-up thread, used only there
            self._reader = JournalReader(self._path)
        return self._reader

    def submit(self, function: Callable[..., T], *args: Any) -> concurrent.futures.Future[T]:
        """Run ``function(*args)`` on the look-up thread (after what was asked before)."""
        return self._executor.submit(function, *args)

    def ask(self, function: Callable[..., T], *args: Any) -> Answer[T]:
        answer: Answer[T] = concurrent.futures.Future()
        relay = self._relay

        def run() -> None:
            try:
                outcome: tuple[Any, BaseException | None] = (function(self._source(), *args), None)
            except Exception as error:  # handed to Qt's thread with the answer
                outcome = (None, error)
            try:
                relay.delivered.emit((answer, *outcome))
            except RuntimeError:  # the window is gone
                log.debug("look-up answered after the window closed")

        self._executor.submit(run)
        return answer

    @staticmethod
    def _deliver(outcome: tuple[Answer[Any], Any, BaseException | None]) -> None:
        """On Qt's thread: the answer is completed here, so its callbacks run here."""
        answer, value, error = outcome
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(value)

    def close(self) -> None:
        def close_reader() -> None:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

        self._executor.submit(close_reader)
        self._executor.shutdown(wait=True)


class InlineLookups:
    """For a register that is not on a thread of its own: asked and answered at once."""

    def __init__(self, source: LookupSource) -> None:
        self._source = source

    def ask(self, function: Callable[..., T], *args: Any) -> Answer[T]:
        answer: Answer[T] = concurrent.futures.Future()
        try:
            answer.set_result(function(self._source, *args))
        except Exception as error:
            answer.set_exception(error)
        return answer


class InOrder:
    """The cashier's keys applied in the order they came, however late their look-ups answer:
    a step waits until its look-up answered and every step queued before it ran."""

    def __init__(self) -> None:
        self._steps: deque[tuple[Answer[Any], Callable[[Answer[Any]], None]]] = deque()
        self._running = False

    @property
    def idle(self) -> bool:
        """Nothing is waiting for its turn."""
        return not self._steps

    @property
    def running(self) -> bool:
        """A step is running now (what it does runs in its turn, not behind the queue)."""
        return self._running

    def add(self, answer: Answer[T] | None, step: Callable[[Answer[T]], None]) -> None:
        """Run ``step(answer)`` once ``answer`` is there and the steps before it ran
        (``None``: nothing to wait for but those)."""
        waited = answer if answer is not None else answered(None)
        self._steps.append((waited, step))
        waited.add_done_callback(lambda _answer: self._pump())

    def _pump(self) -> None:
        if self._running:  # a step that queues another: the loop below runs it
            return
        self._running = True
        try:
            while self._steps and self._steps[0][0].done():
                answer, step = self._steps.popleft()
                try:
                    step(answer)
                except Exception:
                    log.exception("a queued step of the cashier's failed")
        finally:
            self._running = False
