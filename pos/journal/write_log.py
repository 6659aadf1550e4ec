"""Which tables each committed write changed, read off the SQL the engine runs.

Why: the register's status keeps a few figures of the journal (the queue, the unsettled receipts,
the code pool, the transition log…) and, after a write, must read again only the figures that
write changed: reading them all again took 12 ms after every write on a year's journal. Each
write path saying what it changed would be one more thing to forget, and a forgotten one would
leave a figure wrong until the next restart; so the engine's statements are classified by their
text as they run (``INSERT``/``UPDATE``/``DELETE``/``REPLACE`` and its table; a read is nothing;
any other statement, DDL included, every table), the tables the journal's triggers write in turn
are added (read from the file's own trigger DDL), and a commit moves the transaction's tables
into the log under a new generation while a rollback drops them. Wrongly naming a table only
costs a figure read again; missing one is what this is built to prevent.
"""

from __future__ import annotations

import re
import sqlite3
import weakref
from collections.abc import Collection, Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection

EVERY_TABLE = "*"
_PENDING = "pos_written_tables"  # key in a connection's info: the open transaction's tables
_READS = frozenset({"SELECT", "PRAGMA", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT",
                    "RELEASE", "EXPLAIN", "VALUES", "ANALYZE"})  # fmt: skip
_WRITE = re.compile(
    r"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r"\s+(?!SET\b)(?:main\s*\.\s*)?[\"`\[]?(\w+)",
    re.IGNORECASE,
)
_DML = re.compile(r"\b(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_FIRST_WORD = re.compile(r"\s*(\w+)")


@lru_cache(maxsize=2048)
def written_tables(statement: str) -> frozenset[str]:
    """The tables a statement writes (lower case); ``{EVERY_TABLE}`` when it cannot tell."""
    first = _FIRST_WORD.match(statement)
    word = first.group(1).upper() if first else ""
    if word in _READS:
        return frozenset()
    if word in ("INSERT", "REPLACE", "UPDATE", "DELETE"):
        found = _WRITE.match(statement.lstrip())
        return frozenset({found.group(1).lower()}) if found else frozenset({EVERY_TABLE})
    if word == "WITH":  # a common table expression before a read, or before a write
        tables = {name.lower() for name in _WRITE.findall(statement)}
        if tables:
            return frozenset(tables)
        return frozenset({EVERY_TABLE}) if _DML.search(statement) else frozenset()
    return frozenset({EVERY_TABLE})


def trigger_body(sql: str) -> str:
    """What a ``CREATE TRIGGER`` runs: the text after its ``BEGIN`` (its ``WHEN`` only reads)."""
    found = re.search(r"\bBEGIN\b", sql, re.IGNORECASE)
    return sql if found is None else sql[found.end() :]


class WriteLog:
    """The generation at which each table last changed, by committed writes through one engine."""

    def __init__(self) -> None:
        self.generation = 0
        self._changed: dict[str, int] = {}
        self._cascades: dict[str, frozenset[str]] = {}

    def learn_triggers(self, connection: sqlite3.Connection) -> None:
        """Which tables a write to each table writes too, through the file's triggers (and the
        triggers those fire, in turn)."""
        direct: dict[str, set[str]] = {}
        for table, sql in connection.execute(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL"
        ):
            written = {name.lower() for name in _WRITE.findall(trigger_body(str(sql)))}
            direct.setdefault(str(table).lower(), set()).update(written)
        cascades: dict[str, frozenset[str]] = {}
        for table in direct:
            reached, todo = set(), [table]
            while todo:
                for other in direct.get(todo.pop(), ()):
                    if other not in reached:
                        reached.add(other)
                        todo.append(other)
            cascades[table] = frozenset(reached)
        self._cascades = cascades

    def committed(self, tables: Iterable[str]) -> None:
        """A transaction that wrote ``tables`` committed."""
        self.generation += 1
        for table in tables:
            self._changed[table] = self.generation
            for other in self._cascades.get(table, ()):
                self._changed[other] = self.generation

    def changed_since(self, generation: int, tables: Collection[str]) -> bool:
        """Whether a write committed after ``generation`` changed any of ``tables``."""
        if self._changed.get(EVERY_TABLE, 0) > generation:
            return True
        return any(self._changed.get(table, 0) > generation for table in tables)


_LOGS: weakref.WeakKeyDictionary[Engine, WriteLog] = weakref.WeakKeyDictionary()


def write_log_of(engine: Engine) -> WriteLog:
    """The log of the committed writes through ``engine`` (and the engines derived from it,
    such as its writer), kept from the first time it is asked for."""
    log = _LOGS.get(engine)
    if log is None:
        log = _LOGS[engine] = _keep_write_log(engine)
    return log


def _keep_write_log(engine: Engine) -> WriteLog:
    log = WriteLog()

    def note(connection: Connection, _cursor: Any, statement: str, *_rest: Any) -> None:
        tables = written_tables(statement)
        if tables:
            connection.info.setdefault(_PENDING, set()).update(tables)

    def commit(connection: Connection) -> None:
        tables = connection.info.pop(_PENDING, None)
        if tables:
            log.committed(tables)

    def rollback(connection: Connection) -> None:
        connection.info.pop(_PENDING, None)

    event.listen(engine, "before_cursor_execute", note)
    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    return log
