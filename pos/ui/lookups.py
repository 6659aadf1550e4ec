"""Catalogue look-ups for the window that never wait: a thread of their own, answers on Qt's.

Why: a scan, a keystroke of the live search, a category button or the goods editor's search
reads the catalogue. Asked of the register's thread and waited for, they cost a fraction of a
millisecond while it idles, but as long as it likes while it uploads a queue or closes a shift:
the till freezes and scanner keys pile up. So the look-ups have a thread of their own with a
read-only connection to the journal file (WAL: readers never wait for the register's writer)
and their answers come back to Qt's thread as queued signals, in the order they were asked;
:class:`InOrder` then applies them (and the cashier's other keys queued behind them) in the
order the keys came, so two scans in a row land in the cart in that order.

A window over a register that is not on a thread (``open_register`` as the headless tools
use it) gets :class:`InlineLookups`: the same interface, answered at once.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import ConnectionPoolEntry

from pos.domain.barcodes import BarcodeError, normalize_barcode
from pos.journal.catalogue import Catalogue, ScannedItem
from pos.journal.engine import BUSY_TIMEOUT_MS
from pos.journal.records import CatalogueItem
from pos.journal.store import Store
from pos.register.errors import Refusal, RegisterError

log = logging.getLogger(__name__)

T = TypeVar("T")


class CatalogueSource(Protocol):
    """What the look-ups read: the register service has these, so has :class:`CatalogueReader`."""

    def scan(self, text: str) -> ScannedItem | None: ...

    def search(self, text: str, limit: int = 50) -> list[CatalogueItem]: ...

    def item(self, code: str) -> CatalogueItem | None: ...

    def categories(self) -> list[tuple[str, int]]: ...

    def in_category(self, name: str, limit: int = 200) -> list[CatalogueItem]: ...


class CatalogueReader:
    """The register service's catalogue reads over a read-only connection of their own."""

    def __init__(self, path: Path) -> None:
        self.engine = read_only_engine(path)
        self.catalogue = Catalogue(Store(self.engine))

    def scan(self, text: str) -> ScannedItem | None:
        try:
            code = normalize_barcode(text)
        except BarcodeError as error:
            raise RegisterError(Refusal.BAD_INPUT, str(error), field="barcode") from error
        return self.catalogue.find_by_scan(code)

    def search(self, text: str, limit: int = 50) -> list[CatalogueItem]:
        return self.catalogue.search(text, limit) if text.strip() else []

    def item(self, code: str) -> CatalogueItem | None:
        return self.catalogue.find_by_code(code)

    def categories(self) -> list[tuple[str, int]]:
        return self.catalogue.categories()

    def in_category(self, name: str, limit: int = 200) -> list[CatalogueItem]:
        return self.catalogue.in_category(name, limit)

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


class Pending(Generic[T]):
    """A look-up's answer to be: ``done`` once it came back (on Qt's thread)."""

    def __init__(self) -> None:
        self.done = False
        self._value: Any = None
        self._error: BaseException | None = None
        self._callbacks: list[Callable[[Pending[T]], None]] = []

    @classmethod
    def ready(cls, value: T) -> Pending[T]:
        pending: Pending[T] = cls()
        pending.settle(value, None)
        return pending

    def settle(self, value: Any, error: BaseException | None) -> None:
        self.done, self._value, self._error = True, value, error
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(self)

    def result(self) -> T:
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[no-any-return]

    def then(self, callback: Callable[[Pending[T]], None]) -> None:
        if self.done:
            callback(self)
        else:
            self._callbacks.append(callback)


class Lookups(Protocol):
    def ask(self, function: Callable[..., T], *args: Any) -> Pending[T]:
        """``function(source, *args)`` off Qt's thread; its answer delivered on Qt's thread."""
        ...


class _Relay(QObject):
    """Lives on Qt's thread: a signal emitted on the look-up thread is queued to it."""

    delivered = Signal(object)


class ThreadLookups:
    """One look-up thread (a serial executor: answers come back in the order asked)."""

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="look-up")
        self._reader: CatalogueReader | None = None
        self._path = path
        self._relay = _Relay(parent)
        self._relay.delivered.connect(self._deliver)

    def _source(self) -> CatalogueReader:
        if self._reader is None:  # opened on the look-up thread, used only there
            self._reader = CatalogueReader(self._path)
        return self._reader

    def submit(self, function: Callable[..., T], *args: Any) -> concurrent.futures.Future[T]:
        """Run ``function(*args)`` on the look-up thread (after what was asked before)."""
        return self._executor.submit(function, *args)

    def ask(self, function: Callable[..., T], *args: Any) -> Pending[T]:
        pending: Pending[T] = Pending()
        relay = self._relay

        def run() -> None:
            try:
                answer: tuple[Any, BaseException | None] = (function(self._source(), *args), None)
            except Exception as error:  # handed to Qt's thread with the answer
                answer = (None, error)
            try:
                relay.delivered.emit((pending, *answer))
            except RuntimeError:  # the window is gone
                log.debug("look-up answered after the window closed")

        self._executor.submit(run)
        return pending

    @staticmethod
    def _deliver(answer: tuple[Pending[Any], Any, BaseException | None]) -> None:
        pending, value, error = answer
        pending.settle(value, error)

    def close(self) -> None:
        def close_reader() -> None:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

        self._executor.submit(close_reader)
        self._executor.shutdown(wait=True)


class InlineLookups:
    """For a register that is not on a thread of its own: asked and answered at once."""

    def __init__(self, source: CatalogueSource) -> None:
        self._source = source

    def ask(self, function: Callable[..., T], *args: Any) -> Pending[T]:
        pending: Pending[T] = Pending()
        try:
            value = function(self._source, *args)
        except Exception as error:
            pending.settle(None, error)
        else:
            pending.settle(value, None)
        return pending


class InOrder:
    """The cashier's keys applied in the order they came, however late their look-ups answer:
    a step waits until its look-up answered and every step queued before it ran."""

    def __init__(self) -> None:
        self._steps: deque[tuple[Pending[Any], Callable[[Pending[Any]], None]]] = deque()
        self._running = False

    @property
    def idle(self) -> bool:
        """Nothing is waiting for its turn."""
        return not self._steps

    @property
    def running(self) -> bool:
        """A step is running now (what it does runs in its turn, not behind the queue)."""
        return self._running

    def add(self, pending: Pending[T] | None, step: Callable[[Pending[T]], None]) -> None:
        """Run ``step(pending)`` once ``pending`` is answered and the steps before it ran
        (``None``: nothing to wait for but those)."""
        self._steps.append((pending if pending is not None else Pending.ready(None), step))
        self._steps[-1][0].then(lambda _pending: self._pump())

    def _pump(self) -> None:
        if self._running:  # a step that queues another: the loop below runs it
            return
        self._running = True
        try:
            while self._steps and self._steps[0][0].done:
                pending, step = self._steps.popleft()
                try:
                    step(pending)
                except Exception:
                    log.exception("a queued step of the cashier's failed")
        finally:
            self._running = False
