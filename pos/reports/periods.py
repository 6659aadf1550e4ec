"""Report periods in Kyiv time, and the one dialect-sensitive piece of SQL: Kyiv-local buckets.

A date alone means the whole Kyiv day (``date_from`` 00:00:00, ``date_to`` 23:59:59, both
inclusive, as the OFD receipts report defines them). Buckets (hour, day, week, month) are built
with integer arithmetic on UTC microseconds plus a ``CASE`` of the Kyiv UTC offset per daylight-
saving stretch of the period, which every SQL dialect evaluates the same way (no time-zone
database needed inside SQLite).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import BigInteger, ColumnElement, case, literal

from pos.domain.offline_limits import KYIV
from pos.journal.instants import from_micros, to_micros

HOUR_US = 3_600_000_000
DAY_US = 24 * HOUR_US
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")


class ReportInputError(ValueError):
    """A report query the reports refuse; the message names the bad value."""


class Bucket(enum.StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def parse_moment(text: str, *, end: bool) -> datetime:
    """``YYYY-MM-DD[ hh:mm[:ss]]`` in Kyiv time → aware datetime. A date alone is the day's
    first second (``end=False``) or its last (``end=True``, 23:59:59.999999 so 23:59:59 is in)."""
    value = text.strip()
    try:
        day = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is not None:
        clock = time(23, 59, 59, 999_999) if end else time(0, 0, 0)
        return datetime.combine(day, clock, tzinfo=KYIV)
    for fmt in _FORMATS:
        try:
            naive = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if end and fmt.endswith("%S"):
            naive = naive.replace(microsecond=999_999)
        elif end:
            naive = naive.replace(second=59, microsecond=999_999)
        return naive.replace(tzinfo=KYIV)
    raise ReportInputError(f"bad date {text!r}: expected YYYY-MM-DD or YYYY-MM-DD hh:mm:ss")


@dataclass(frozen=True)
class Period:
    """An inclusive range of UTC microseconds."""

    start: int
    end: int

    @classmethod
    def parse(cls, date_from: str, date_to: str) -> Period:
        start = to_micros(parse_moment(date_from, end=False))
        end = to_micros(parse_moment(date_to, end=True))
        if end < start:
            raise ReportInputError(f"date_to {date_to!r} is before date_from {date_from!r}")
        return cls(start, end)

    @classmethod
    def days(cls, first: date, last: date) -> Period:
        return cls.parse(first.isoformat(), last.isoformat())


@dataclass(frozen=True)
class WholeHours:
    """A period cut for the journal's hour totals (migration 12): its whole UTC hours ``first``
    to ``last`` (hour numbers since 1970), which the totals answer, and its partial ``edges``
    at either end, which only the receipts themselves can."""

    first: int
    last: int
    edges: tuple[Period, ...]


def whole_hours(period: Period) -> WholeHours | None:
    """The period's whole UTC hours and its partial ends; None when it holds no whole hour.
    Kyiv is always a whole number of hours from UTC, so each Kyiv hour, day, week and month is
    made of whole UTC hours and can be added up from the hour totals."""
    start, end = period.start, period.end
    first, last = -(-start // HOUR_US), (end + 1) // HOUR_US - 1
    if first > last:
        return None
    edges = []
    if start < first * HOUR_US:
        edges.append(Period(start, first * HOUR_US - 1))
    if (last + 1) * HOUR_US <= end:
        edges.append(Period((last + 1) * HOUR_US, end))
    return WholeHours(first, last, tuple(edges))


def kyiv_text(micros: int | None) -> str:
    """An instant as the report shows it: ``YYYY-MM-DD hh:mm:ss`` in Kyiv."""
    if micros is None:
        return ""
    return from_micros(int(micros)).astimezone(KYIV).strftime("%Y-%m-%d %H:%M:%S")


def _offset_stretches(period: Period) -> Iterator[tuple[int, int, int]]:
    """(start, end, offset) in UTC µs covering the period, one per Kyiv UTC offset stretch.
    Stepped from a whole UTC hour: Kyiv's clocks change on one, so a stretch ends exactly there
    (from a period starting at hh:30, an instant in the first half hour of summer time was
    counted in the hour the clocks skip)."""
    start = from_micros(period.start // HOUR_US * HOUR_US) - timedelta(days=1)
    end = from_micros(period.end) + timedelta(days=1)
    moment = start
    offset = _offset(moment)
    stretch_start = start
    while moment < end:
        following = moment + timedelta(hours=1)
        if _offset(following) != offset:
            yield to_micros(stretch_start), to_micros(following), offset
            stretch_start, offset = following, _offset(following)
        moment = following
    yield to_micros(stretch_start), to_micros(end), offset


def _offset(moment: datetime) -> int:
    delta = moment.astimezone(KYIV).utcoffset()
    return int((delta or timedelta(0)).total_seconds()) * 1_000_000


def local_micros(column: ColumnElement[int], period: Period) -> ColumnElement[int]:
    """The instant as Kyiv wall-clock microseconds since 1970-01-01 00:00 Kyiv-local."""
    stretches = list(_offset_stretches(period))
    if len(stretches) == 1:
        return column + literal(stretches[0][2], BigInteger)
    whens = [(column < end, literal(offset, BigInteger)) for _, end, offset in stretches[:-1]]
    return column + case(*whens, else_=literal(stretches[-1][2], BigInteger))


def bucket_key(column: ColumnElement[int], period: Period, bucket: Bucket) -> ColumnElement[int]:
    """An integer key per Kyiv hour, day or Monday-week (months are folded from days)."""
    local = local_micros(column, period)
    if bucket is Bucket.HOUR:
        return local // HOUR_US
    day = local // DAY_US
    if bucket is Bucket.WEEK:
        return (day + 3) // 7  # 1970-01-01 was a Thursday
    return day


_LOCAL_EPOCH = datetime(1970, 1, 1)


def bucket_start(key: int, bucket: Bucket) -> datetime:
    """The Kyiv-local start of a bucket key (naive wall-clock → aware Kyiv)."""
    if bucket is Bucket.HOUR:
        naive = _LOCAL_EPOCH + timedelta(hours=key)
    elif bucket is Bucket.WEEK:
        naive = _LOCAL_EPOCH + timedelta(days=key * 7 - 3)
    else:
        naive = _LOCAL_EPOCH + timedelta(days=key)
    if bucket is Bucket.MONTH:
        naive = naive.replace(day=1)
    return naive.replace(tzinfo=KYIV)


def bucket_label(key: int, bucket: Bucket) -> str:
    start = bucket_start(key, bucket)
    if bucket is Bucket.HOUR:
        return start.strftime("%Y-%m-%d %H:00")
    if bucket is Bucket.MONTH:
        return start.strftime("%Y-%m")
    return start.strftime("%Y-%m-%d")


def month_key(day_key: int) -> str:
    return bucket_label(day_key, Bucket.MONTH)


def utc_now() -> datetime:
    return datetime.now(UTC)
