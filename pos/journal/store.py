"""Short-lived sessions over the journal engine: one per operation, never shared across threads."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from pos.journal import thread_guard
from pos.journal.engine import writer
from pos.journal.write_log import WriteLog, write_log_of


class Store:
    """Hands out sessions: ``write()`` is one ``BEGIN IMMEDIATE`` transaction, committed on exit
    and rolled back entirely if anything inside raises; ``read()`` is a plain snapshot."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reader = sessionmaker(engine, class_=Session, expire_on_commit=False)
        self._writer = sessionmaker(writer(engine), class_=Session, expire_on_commit=False)
        self.writes: WriteLog = write_log_of(engine)
        """What each committed write changed: a reader that cached something (the register's
        status counters) knows whether the journal, or which of its tables, changed since,
        without reading it."""

    @property
    def generation(self) -> int:
        """Bumped by every committed write through this journal's engine."""
        return self.writes.generation

    @contextmanager
    def write(self) -> Iterator[Session]:
        thread_guard.check()
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        thread_guard.check()
        with self._reader() as session:
            yield session

    def scalar(self, sql: str, parameters: tuple[Any, ...] = ()) -> Any:
        """One value of a plain SQL read (None if no row): no ORM session, for the small figures
        the register asks for after writes (a session costs ten times the query)."""
        thread_guard.check()
        with self.engine.connect() as connection:
            row = connection.exec_driver_sql(sql, parameters).first()
            return None if row is None else row[0]

    def rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[Any]:
        """The rows of a plain SQL read (see :meth:`scalar`)."""
        thread_guard.check()
        with self.engine.connect() as connection:
            return list(connection.exec_driver_sql(sql, parameters).all())


def codes_text(codes: Iterable[int]) -> str:
    return ",".join(str(code) for code in codes)


def codes_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)


def json_text(value: Any | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def json_value(text: str | None) -> Any | None:
    return None if text is None else json.loads(text)
