"""Instants in storage: integer microseconds since the Unix epoch, UTC.

Integers sort, compare and add exactly (the fiscal clock needs "+1 µs"), and carry no time-zone
ambiguity; the API layer turns them back into aware datetimes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)


def to_micros(moment: datetime) -> int:
    """Aware datetime → UTC microseconds; a naive datetime is a programming error."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("journal instants must be timezone-aware")
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(micros: int) -> datetime:
    """UTC microseconds → aware UTC datetime."""
    return _EPOCH + timedelta(microseconds=micros)


class UtcInstant(TypeDecorator[datetime]):
    """A column holding an aware datetime as INTEGER UTC microseconds."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        return None if value is None else to_micros(value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        return None if value is None else from_micros(int(value))
