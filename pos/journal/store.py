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


class Store:
    """Hands out sessions: ``write()`` is one ``BEGIN IMMEDIATE`` transaction, committed on exit
    and rolled back entirely if anything inside raises; ``read()`` is a plain snapshot."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reader = sessionmaker(engine, class_=Session, expire_on_commit=False)
        self._writer = sessionmaker(writer(engine), class_=Session, expire_on_commit=False)
        self.generation = 0
        """Bumped after every committed write: a reader that cached something (the register's
        status counters) knows whether the journal changed since, without reading it."""

    @contextmanager
    def write(self) -> Iterator[Session]:
        thread_guard.check()
        with self._writer() as session, session.begin():
            yield session
        self.generation += 1

    @contextmanager
    def read(self) -> Iterator[Session]:
        thread_guard.check()
        with self._reader() as session:
            yield session


def codes_text(codes: Iterable[int]) -> str:
    return ",".join(str(code) for code in codes)


def codes_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)


def json_text(value: Any | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def json_value(text: str | None) -> Any | None:
    return None if text is None else json.loads(text)
