"""Copying a register's journal into the shop database, in the background.

Each round reads the oldest outbox rows, upserts the current state of their documents into
PostgreSQL in one transaction keyed by (register, document id), and only then deletes those
outbox rows from the journal. A crash or an outage anywhere in between leaves the rows in the
outbox; the next round copies the same documents again, which changes nothing (an upsert of a
document's current state is idempotent). A receipt uploaded or set aside later changes its row,
its trigger re-enters it in the outbox, and the next round updates its copy.

:class:`PushWorker` runs rounds in a thread of its own: a sale never waits for it, and a dead
database only sets its status (which the window shows in the status bar) and a growing delay.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError

from pos.backoffice import schema
from pos.backoffice.database import DEFAULT_SHOP, ensure_register, open_database
from pos.backoffice.outbox import Batch, JournalOutbox, resume_outbox

log = logging.getLogger(__name__)

BATCH_SIZE = 2000


def _upsert(connection: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    statement = insert(table)
    keys = [c.name for c in table.primary_key.columns]
    changing = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys}
    connection.execute(statement.on_conflict_do_update(index_elements=keys, set_=changing), rows)


def copy_batch(connection: Connection, register_id: int, batch: Batch) -> None:
    """Upsert one batch's documents as they are now (inside the caller's transaction)."""
    every = (
        batch.shifts,
        batch.receipts,
        batch.queue,
        batch.orders,
        batch.order_receipts,
        batch.catalogue,
        batch.transitions,
        *batch.children.values(),
    )
    for rows in every:
        for row in rows:
            row["register_id"] = register_id
    _upsert(connection, schema.shift, batch.shifts)
    _upsert(connection, schema.receipt, batch.receipts)
    ids = [r["id"] for r in batch.receipts]
    for table in schema.RECEIPT_CHILDREN:
        if ids:  # a receipt's lines are replaced as a whole with it (by its primary key)
            connection.execute(
                delete(table).where(table.c.register_id == register_id, table.c.receipt_id.in_(ids))
            )
        rows = batch.children.get(table.name, [])
        if rows:
            connection.execute(insert(table), rows)
    _upsert(connection, schema.offline_event, batch.queue)
    _upsert(connection, schema.customer_order, batch.orders)
    _upsert(connection, schema.order_receipt, batch.order_receipts)
    _upsert(connection, schema.connectivity_transition, batch.transitions)
    goods = schema.catalogue_item
    if batch.catalogue_ids:  # replaced as a whole: a deleted good's copy goes
        connection.execute(
            delete(goods).where(
                goods.c.register_id == register_id, goods.c.id.in_(batch.catalogue_ids)
            )
        )
    if batch.catalogue:
        connection.execute(insert(goods), batch.catalogue)
    connection.execute(
        update(schema.register)
        .where(schema.register.c.id == register_id)
        .values(pushed_at=datetime.now(UTC))
    )


class Pusher:
    """The push of one journal to one shop database, one round at a time."""

    def __init__(self, journal: Path, engine: Engine, shop: str = DEFAULT_SHOP) -> None:
        self._journal = journal
        self._outbox = JournalOutbox(journal)
        self._engine = engine
        self._shop = shop
        self._register_id: int | None = None
        self._cashier: str | None = None
        self._resumed = False

    def close(self) -> None:
        self._outbox.close()

    def pending(self) -> int:
        return self._outbox.pending()

    def push_once(self, limit: int = BATCH_SIZE) -> int:
        """Copy up to ``limit`` outbox rows; the number of documents copied (0: nothing to do,
        or the register has no fiscal number yet)."""
        if not self._resumed:  # a back office is configured now: the outbox fills again
            resume_outbox(self._journal)
            self._resumed = True
        fiscal_number, cash_register_id = self._outbox.register()
        if not fiscal_number:
            return 0
        batch = self._outbox.read(limit)
        if batch is None:
            return 0
        cashier = self._outbox.cashier_name()
        with self._engine.begin() as connection:
            if self._register_id is None or cashier != self._cashier:
                self._register_id = ensure_register(
                    connection, self._shop, fiscal_number, cash_register_id, cashier_name=cashier
                )
            copy_batch(connection, self._register_id, batch)
        self._cashier = cashier
        self._outbox.forget(batch.last_seq)
        return batch.documents

    def push_all(self) -> int:
        pushed = 0
        while True:
            done = self.push_once()
            if not done:
                return pushed
            pushed += done


@dataclass(frozen=True)
class PushStatus:
    """What the status bar says: is the shop database reachable, and how much is waiting."""

    connected: bool
    pending: int
    error: str = ""


class PushWorker:
    """Runs :class:`Pusher` rounds in a daemon thread until :meth:`stop`.

    ``on_status`` is called from the worker thread (a Qt caller re-posts it to the GUI thread).
    Errors are reported by class name only: a driver's message may quote the URL.
    """

    def __init__(
        self,
        journal: Path,
        url: str,
        shop: str = DEFAULT_SHOP,
        *,
        on_status: Callable[[PushStatus], None] | None = None,
        idle_delay: float = 1.0,
        max_delay: float = 30.0,
    ) -> None:
        self._journal = journal
        self._url = url
        self._shop = shop
        self._on_status = on_status
        self._idle_delay = idle_delay
        self._max_delay = max_delay
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="backoffice-push", daemon=True)
        self.status = PushStatus(connected=False, pending=0)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """A document was committed: push now instead of after the idle delay."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _report(self, status: PushStatus) -> None:
        self.status = status
        if self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:  # a status display must never stop the push
                log.exception("back-office status callback failed")

    def _pending(self, pusher: Pusher) -> int:
        try:
            return pusher.pending()
        except Exception:  # the journal busy: say what was last known
            return self.status.pending

    def _run(self) -> None:
        engine = open_database(self._url, pool_size=1)
        pusher = Pusher(self._journal, engine, self._shop)
        delay = self._idle_delay
        try:
            while not self._stop.is_set():
                try:
                    pushed = pusher.push_once()
                    self._report(PushStatus(connected=True, pending=pusher.pending()))
                    delay = self._idle_delay
                    if pushed:
                        continue
                except Exception as error:  # the push thread must outlive any failure
                    name = type(getattr(error, "orig", None) or error).__name__
                    log.warning("back-office push failed (%s); retrying in %.1f s", name, delay)
                    self._report(PushStatus(False, self._pending(pusher), name))
                    delay = min(self._max_delay, delay * 2)
                self._wake.wait(delay)
                self._wake.clear()
        finally:
            pusher.close()
            engine.dispose()


def push_journal(journal: Path, url: str, shop: str = "") -> dict[str, Any]:
    """One full push, for the one-shot ``pos register …`` commands: never raises for an
    unreachable database (the documents stay in the outbox for the next command)."""
    engine = open_database(url, pool_size=1)
    pusher = Pusher(journal, engine, shop or DEFAULT_SHOP)
    try:
        pushed = pusher.push_all()
        return {"connected": True, "pushed": pushed, "pending": pusher.pending()}
    except SQLAlchemyError as error:
        name = type(getattr(error, "orig", None) or error).__name__
        return {"connected": False, "pushed": 0, "pending": pusher.pending(), "error": name}
    finally:
        pusher.close()
        engine.dispose()


def wait_until_pushed(worker: PushWorker, timeout: float) -> bool:
    """For tests and ``pos register`` shutdown: wait until the outbox is empty."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = worker.status
        if status.connected and status.pending == 0:
            return True
        worker.wake()
        time.sleep(0.05)
    return False
