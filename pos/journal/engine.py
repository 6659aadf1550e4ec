"""One SQLAlchemy engine per journal file, with the pragmas that make a commit durable.

Every pooled connection gets WAL, ``synchronous=FULL`` (a committed receipt survives a power cut),
foreign keys and a busy timeout. pysqlite's own transaction handling is switched off and we
emit a real ``BEGIN`` ourselves (SQLAlchemy's documented recipe), ``BEGIN IMMEDIATE`` on the
writer engine so that two writers queue on the lock at the start instead of failing half-way
with "database is locked".
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import ConnectionPoolEntry

from pos.journal import thread_guard

BUSY_TIMEOUT_MS = 5000
PRAGMAS: tuple[str, ...] = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)
_BEGIN_OPTION = "journal_begin"


def apply_pragmas(connection: sqlite3.Connection) -> None:
    """Put a raw sqlite3 connection in the journal's mode (also used by the benchmark)."""
    connection.isolation_level = None
    for pragma in PRAGMAS:
        connection.execute(pragma).fetchall()


def _on_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    apply_pragmas(dbapi_connection)


def _on_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def create_journal_engine(path: Path) -> Engine:
    """The reader engine of one journal file; :func:`writer` derives the writer from it."""
    engine = create_engine(f"sqlite:///{path}", pool_pre_ping=False)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    # Every use of a connection, sessions and the catalogue's plain reads alike (debug guard).
    event.listen(engine, "engine_connect", lambda _connection: thread_guard.check())
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine and pool, but transactions start with ``BEGIN IMMEDIATE``."""
    return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
