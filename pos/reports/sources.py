"""Where a report reads from: one journal file (or, later, a back-office database) per register.

``open_read_only`` opens a copied journal file without ever writing to it (SQLite URI
``mode=ro``); a copy without its ``-wal``/``-shm`` companions is opened ``immutable`` instead,
since a read-only connection cannot create them. Rows say which register they come from: the
register's fiscal number, kept by the register in the journal's settings.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, select
from sqlalchemy.pool import NullPool

from pos.reports.schema import setting


@dataclass(frozen=True)
class Register:
    """Who a journal belongs to: the PRRO fiscal number and Checkbox's register id."""

    fiscal_number: str
    register_id: str
    shop: str = ""  # the shop it belongs to in a back-office database ("" for a journal file)


REPORTS_SCHEMA = 4  # the journal version that keeps the report columns (pos.journal.migrations)


class JournalTooOldError(ValueError):
    """A copied journal from before the reports' schema: it cannot be migrated read-only."""


def check_schema(connection: Connection) -> None:
    version = int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())
    if version < REPORTS_SCHEMA:
        raise JournalTooOldError(
            f"journal schema version {version} is older than the reports need "
            f"({REPORTS_SCHEMA}): open it once with this version of pos (it is migrated, with a "
            "backup copy), then copy it again"
        )


def register_of(connection: Connection) -> Register:
    rows = dict(
        connection.execute(
            select(setting.c.key, setting.c.value).where(
                setting.c.key.in_(("fiscal_number", "cash_register_id"))
            )
        ).all()
    )
    return Register(rows.get("fiscal_number") or "", rows.get("cash_register_id") or "")


def _uri(path: Path, *, immutable: bool) -> str:
    suffix = "&immutable=1" if immutable else ""
    return f"file:{quote(str(path.resolve()))}?mode=ro{suffix}"


def open_read_only(path: Path) -> Engine:
    """An engine over a journal file that never writes to it (no migration, no WAL files)."""
    if not path.is_file():
        raise FileNotFoundError(f"no journal file at {path}")
    immutable = not Path(f"{path}-shm").exists()
    uri = _uri(path, immutable=immutable)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return create_engine("sqlite://", creator=connect, poolclass=NullPool)


@contextmanager
def connections(engines: list[Engine]) -> Iterator[list[Connection]]:
    opened: list[Connection] = []
    try:
        for engine in engines:
            opened.append(engine.connect())
        yield opened
    finally:
        for connection in opened:
            connection.close()
