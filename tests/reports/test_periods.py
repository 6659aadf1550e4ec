"""Kyiv periods and buckets: inclusive days, and hour/day/week buckets computed in SQL that agree
with Python's time-zone database across both daylight-saving changes of the year."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, select

from pos.domain.offline_limits import KYIV
from pos.journal.instants import to_micros
from pos.reports.periods import (
    Bucket,
    Period,
    ReportInputError,
    bucket_key,
    bucket_label,
    parse_moment,
)


def test_a_date_alone_is_the_whole_kyiv_day() -> None:
    assert parse_moment("2026-07-01", end=False) == datetime(2026, 7, 1, tzinfo=KYIV)
    end = parse_moment("2026-07-01", end=True)
    assert end == datetime(2026, 7, 1, 23, 59, 59, 999_999, tzinfo=KYIV)
    assert parse_moment("2026-07-01 12:30:15", end=True).second == 15
    assert parse_moment("2026-07-01T12:30", end=False).minute == 30
    with pytest.raises(ReportInputError, match=r"'01\.07\.2026'"):
        parse_moment("01.07.2026", end=False)


def _python_label(moment: datetime, bucket: Bucket) -> str:
    local = moment.astimezone(KYIV)
    if bucket is Bucket.HOUR:
        return local.strftime("%Y-%m-%d %H:00")
    if bucket is Bucket.WEEK:
        return (local - timedelta(days=local.weekday())).strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%d")


@pytest.mark.parametrize("bucket", [Bucket.HOUR, Bucket.DAY, Bucket.WEEK])
def test_sql_buckets_agree_with_the_time_zone_database(bucket: Bucket) -> None:
    engine = create_engine("sqlite://")
    meta = MetaData()
    moments = Table("moments", meta, Column("at", Integer))
    meta.create_all(engine)
    instants = []
    for around in (datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC)):
        for minutes in range(-26 * 60, 26 * 60, 17):
            instants.append(around + timedelta(minutes=minutes, seconds=59))
    instants.append(datetime(2026, 7, 1, 20, 59, 59, tzinfo=UTC))  # 23:59:59 Kyiv
    instants.append(datetime(2026, 7, 1, 21, 0, 0, tzinfo=UTC))  # next day 00:00 Kyiv
    period = Period(to_micros(min(instants)), to_micros(max(instants)))
    with engine.begin() as connection:
        connection.execute(moments.insert(), [{"at": to_micros(m)} for m in instants])
        keys = connection.execute(
            select(moments.c.at, bucket_key(moments.c.at, period, bucket))
        ).all()
    by_micros = {to_micros(m): m for m in instants}
    for at, key in keys:
        assert bucket_label(int(key), bucket) == _python_label(by_micros[at], bucket), at
