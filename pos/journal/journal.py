"""The journal of one register: open (migrating if needed) and use by concern.

``Journal.open(path)`` gives a ready journal whose parts are small objects, each one in its own
module: ``catalogue``, ``receipts``, ``shifts``, ``codes`` (offline code pool), ``queue`` (offline
transactions), ``transitions`` (connectivity log), ``clock`` (fiscal clock), ``uploads``
(outcomes of uploading queued offline transactions) and ``settings``.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Collection
from pathlib import Path

import platformdirs
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from pos.journal import integrity
from pos.journal.catalogue import Catalogue
from pos.journal.engine import create_journal_engine
from pos.journal.fiscal_clock import FiscalClock
from pos.journal.held_carts import HeldCarts
from pos.journal.migrations import LATEST_VERSION, migrate, schema_version
from pos.journal.offline_codes import OfflineCodes
from pos.journal.offline_queue import OfflineQueue
from pos.journal.receipts import Receipts
from pos.journal.shifts import Shifts
from pos.journal.store import Store
from pos.journal.tables import SettingRow
from pos.journal.transitions import Transitions
from pos.journal.uploads import Uploads
from pos.journal.writer_lock import WriterLock

DEFAULT_REGISTER = "default"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("pos", appauthor=False))


def default_journal_path(data_dir: Path | None = None, register: str = DEFAULT_REGISTER) -> Path:
    """One journal file per register under the data directory."""
    return (data_dir or default_data_dir()) / f"journal-{register}.sqlite"


class Settings:
    """Non-secret key/value settings (secrets belong to the OS keyring, never here)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, key: str, default: str | None = None) -> str | None:
        value = self._store.scalar("SELECT value FROM setting WHERE key = ?", (key,))
        return default if value is None else str(value)

    def get_many(self, keys: Collection[str]) -> dict[str, str]:
        """The values of those of ``keys`` that are set, in one read."""
        if not keys:
            return {}
        marks = ", ".join("?" * len(keys))
        return {
            str(key): str(value)
            for key, value in self._store.rows(
                f"SELECT key, value FROM setting WHERE key IN ({marks})", tuple(keys)
            )
        }

    def set(self, key: str, value: str) -> None:
        with self._store.write() as session:
            session.merge(SettingRow(key=key, value=value))

    def all(self) -> dict[str, str]:
        with self._store.read() as session:
            return {row.key: row.value for row in session.exec(select(SettingRow)).all()}


class Journal:
    def __init__(self, path: Path, engine: Engine, lock: WriterLock | None = None) -> None:
        self.path = path
        self.engine = engine
        self._lock = lock
        store = Store(engine)
        self._store = store
        raw = engine.raw_connection()
        try:  # which tables the file's triggers write, for the write log
            store.writes.learn_triggers(raw.driver_connection)  # type: ignore[arg-type]
        finally:
            raw.close()
        self.catalogue = Catalogue(store)
        self.receipts = Receipts(store)
        self.shifts = Shifts(store)
        self.codes = OfflineCodes(store)
        self.queue = OfflineQueue(store)
        self.transitions = Transitions(store)
        self.clock = FiscalClock(store)
        self.settings = Settings(store)
        self.uploads = Uploads(store)
        self.carts = HeldCarts(store)

    @property
    def generation(self) -> int:
        """Bumped by every committed write (see ``Store.generation``)."""
        return self._store.generation

    def changed_since(self, generation: int, tables: Collection[str]) -> bool:
        """Whether a write committed after ``generation`` changed any of ``tables`` (by name,
        as in the schema; see ``write_log``)."""
        return self._store.writes.changed_since(generation, tables)

    @classmethod
    def open(cls, path: Path, *, exclusive: bool = False) -> Journal:
        """Open (creating if needed) and migrate to the latest schema; a backup copy is made
        before an existing file is migrated. ``exclusive`` (the window and every command)
        takes the journal's writer lock first: ``JournalInUseError`` if another process has it."""
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = None
        if exclusive:
            lock = WriterLock(path)
            lock.acquire()
        try:
            integrity.check_present(path)
            engine = create_journal_engine(path)
            try:
                raw = engine.raw_connection()
                try:
                    connection: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
                    integrity.quick_check(connection, path)
                    migrate(connection, path)
                    integrity.owner_only(path)
                    if exclusive:
                        integrity.daily_backup(connection, path)
                finally:
                    raw.close()
            except (sqlite3.DatabaseError, DBAPIError) as error:
                engine.dispose()
                raise integrity.damaged(path, str(error).splitlines()[0]) from error
            except BaseException:
                engine.dispose()
                raise
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return cls(path, engine, lock)

    def check(self, *, full: bool = True) -> None:
        """``PRAGMA integrity_check`` (or ``quick_check``): JournalDamagedError unless ok."""
        raw = self.engine.raw_connection()
        try:
            integrity.quick_check(raw.driver_connection, self.path, full=full)  # type: ignore[arg-type]
        finally:
            raw.close()

    def free_bytes(self) -> int:
        """Free space on the journal's disk (a sale is refused below a threshold)."""
        return shutil.disk_usage(self.path.parent).free

    def schema_version(self) -> int:
        raw = self.engine.raw_connection()
        try:
            return schema_version(raw.driver_connection)  # type: ignore[arg-type]
        finally:
            raw.close()

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["LATEST_VERSION", "Journal", "default_journal_path"]
