"""Sales by time and by payment read from the journal's hour totals (migration 12) plus the
receipts of the partial hours at either end give what counting every receipt gives: for whole
days, partial hours at both ends, a period inside one hour, returns, offline receipts, customer
orders' chain receipts and the Kyiv daylight-saving change; an older journal without the totals
still counts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from pos.journal import Journal
from pos.journal.instants import to_micros
from pos.journal.migrations import migrate
from pos.reports import sales
from pos.reports.periods import Bucket, Period
from pos.reports.receipts import keeps_report_figures

from .conftest import Sources, generated_journal, journal_sources
from .generated import generate
from .test_order_receipts_report import _add_orders

# The Kyiv clocks go forward at 01:00 UTC on 29 March 2026 (03:00 EET becomes 04:00 EEST).
_AROUND_THE_CHANGE = (
    datetime(2026, 3, 28, 21, 59, 59, tzinfo=UTC),  # 23:59:59 EET, 28 March
    datetime(2026, 3, 28, 22, 0, 0, tzinfo=UTC),  # 00:00:00 EET, 29 March
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 02:30 EET
    datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # 02:59:59 EET
    datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC),  # 04:00:00 EEST
    datetime(2026, 3, 29, 1, 45, tzinfo=UTC),  # 04:45 EEST
    datetime(2026, 3, 29, 20, 59, 59, tzinfo=UTC),  # 23:59:59 EEST, 29 March
    datetime(2026, 3, 29, 21, 0, 0, tzinfo=UTC),  # 00:00:00 EEST, 30 March
)


def _add_night_sales(path: Path) -> None:
    """Sales and a return around the change, paid in cash with change (cash less the change is
    what stayed in the drawer), one of them offline."""
    connection = sqlite3.connect(path, isolation_level=None)
    (shift_id,) = connection.execute("SELECT id FROM shift WHERE serial = 2").fetchone()
    for n, moment in enumerate(_AROUND_THE_CHANGE):
        at = to_micros(moment)
        rid = f"night-{n}"
        kind = "RETURN" if n == 3 else "SELL"
        total, given = 1000 + 111 * n, 2000 + 111 * n
        connection.execute(
            "INSERT INTO receipt (id, shift_id, type, state, is_offline, fiscal_code, "
            "fiscal_date, total_sum, total_payment, rest, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rid, shift_id, kind, "uploaded" if n == 5 else "done", int(n == 5), f"N{n}", at,
             total, given, given - total, at, at),
        )  # fmt: skip
        connection.execute(
            "INSERT INTO receipt_payment (receipt_id, position, type, value, label) "
            "VALUES (?, 1, 'CASH', ?, 'Готівка')",
            (rid, given),
        )
    connection.close()


@pytest.fixture(scope="module")
def january(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six generated days (returns, offline receipts uploaded and, on the last, still pending)
    with two customer orders' chain receipts on 2 and 3 January."""
    path = generated_journal(tmp_path_factory, "sales-hours", per_day=80)
    _add_orders(path)
    return path


@pytest.fixture(scope="module")
def spring(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three generated days over the change to summer time, with sales in the night of it."""
    path = tmp_path_factory.mktemp("sales-dst") / "journal.sqlite"
    generate(path, first_day=date(2026, 3, 28), days=3, per_day=60)
    _add_night_sales(path)
    return path


def _both_ways(
    sources: Sources, monkeypatch: pytest.MonkeyPatch, answer: Any
) -> tuple[Any, Any, list[str]]:
    """The answer from the hour totals (and the statements it ran), then counted."""
    (connection, _), *_ = sources
    assert keeps_report_figures(connection)
    statements: list[str] = []

    def note(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", note)
    kept = answer()
    event.remove(connection, "before_cursor_execute", note)
    with monkeypatch.context() as patch:
        patch.setattr(sales, "keeps_report_figures", lambda connection: False)
        counted = answer()
    return kept, counted, statements


def _sources(path: Path) -> Iterator[Sources]:
    yield from journal_sources(path)


JANUARY = [
    ("2026-01-01", "2026-01-06"),
    ("2026-01-02 10:30:15", "2026-01-05 14:10:00"),
    ("2026-01-02 11:00:00", "2026-01-03 16:59:59"),  # whole hours holding the chain receipts
    ("2026-01-03 09:10:00", "2026-01-03 09:20:00"),  # no whole hour at all
    ("2026-01-06 08:00:00", "2026-01-06 15:45:30"),  # offline receipts not yet uploaded
]
SPRING = [
    ("2026-03-28", "2026-03-30"),
    ("2026-03-28 23:30:00", "2026-03-29 04:50:00"),
    ("2026-03-29 02:15:00", "2026-03-29 09:40:00"),
    ("2026-03-29", "2026-03-29"),
]


@pytest.mark.parametrize(("date_from", "date_to"), JANUARY)
@pytest.mark.parametrize("bucket", list(Bucket))
def test_sales_by_time_from_hour_totals_equal_the_count(
    january: Path, monkeypatch: pytest.MonkeyPatch, date_from: str, date_to: str, bucket: Bucket
) -> None:
    period = Period.parse(date_from, date_to)
    for sources in _sources(january):
        kept, counted, statements = _both_ways(
            sources, monkeypatch, lambda s=sources: sales.by_time(s, period, bucket)
        )
    assert kept == counted
    assert sum(row["sales_count"] for row in kept)
    whole_hour = (period.end + 1 - period.start) >= 2 * 3_600_000_000
    assert whole_hour == any("receipt_hour_total" in s for s in statements)


@pytest.mark.parametrize(("date_from", "date_to"), JANUARY)
def test_sales_by_payment_from_hour_totals_equal_the_count(
    january: Path, monkeypatch: pytest.MonkeyPatch, date_from: str, date_to: str
) -> None:
    period = Period.parse(date_from, date_to)
    for sources in _sources(january):
        kept, counted, _ = _both_ways(
            sources, monkeypatch, lambda s=sources: sales.by_payment(s, period)
        )
    assert kept == counted
    assert {row["type"] for row in kept} >= {"CASH", "CASHLESS"}


def test_the_chain_receipts_still_count(january: Path) -> None:
    """The orders' advances and after-payment (2 and 3 January) are in the day totals: the same
    days without them differ by exactly their sums."""
    period = Period.parse("2026-01-02", "2026-01-03")
    for sources in _sources(january):
        days = {row["period"]: row for row in sales.by_time(sources, period, Bucket.DAY)}
        (connection, _), *_ = sources
        chains = sales.chain_sales(connection, period)
    assert len(chains) == 4
    for day, rows in days.items():
        ours = [c for c in chains if sales._local_key(c.instant, Bucket.DAY) == _day_key(day)]
        assert ours, day
        plain = Period.parse(day, day)
        for sources in _sources(january):
            (connection, _), *_ = sources
            receipts_only = sales._time_rows(connection, plain, Bucket.DAY)
        (only,) = receipts_only
        assert rows["sales_sum"] - only[1][1] == sum(
            c.fiscal.total_sum for c in ours if not c.is_return
        )
        assert rows["returns_count"] - only[1][2] == sum(1 for c in ours if c.is_return)


def _day_key(day: str) -> int:
    return (date.fromisoformat(day) - date(1970, 1, 1)).days


@pytest.mark.parametrize(("date_from", "date_to"), SPRING)
@pytest.mark.parametrize("bucket", list(Bucket))
def test_the_change_to_summer_time(
    spring: Path, monkeypatch: pytest.MonkeyPatch, date_from: str, date_to: str, bucket: Bucket
) -> None:
    period = Period.parse(date_from, date_to)
    for sources in _sources(spring):
        kept, counted, _ = _both_ways(
            sources, monkeypatch, lambda s=sources: sales.by_time(s, period, bucket)
        )
        paid, paid_counted, _ = _both_ways(
            sources, monkeypatch, lambda s=sources: sales.by_payment(s, period)
        )
    assert kept == counted
    assert paid == paid_counted


def test_the_night_of_the_change_by_hour(spring: Path) -> None:
    """29 March has 23 Kyiv hours: 02:00 EET is followed by 04:00 EEST; a receipt at 23:59:59
    belongs to its day, at 00:00:00 to the next."""
    for sources in _sources(spring):
        hours = sales.by_time(sources, Period.parse("2026-03-29", "2026-03-29"), Bucket.HOUR)
        days = sales.by_time(sources, Period.parse("2026-03-28", "2026-03-30"), Bucket.DAY)
    night = {row["period"][11:]: row for row in hours if row["period"][11:] < "08:00"}
    assert sorted(night) == ["00:00", "02:00", "04:00"]
    assert night["02:00"]["sales_count"] == 1
    assert night["02:00"]["returns_count"] == 1
    assert night["04:00"]["sales_count"] == 2
    assert [row["period"] for row in days] == ["2026-03-28", "2026-03-29", "2026-03-30"]


def test_a_journal_without_hour_totals_counts(tmp_path: Path) -> None:
    """A v11 journal opened read-only has no hour totals: the sales count its receipts."""
    path = tmp_path / "v11.sqlite"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, None, target=11)
    connection.execute("INSERT INTO setting VALUES ('fiscal_number', '4000000011')")
    at = to_micros(datetime(2026, 1, 2, 10, 0, tzinfo=UTC))
    connection.execute(
        "INSERT INTO receipt (id, type, state, is_offline, fiscal_date, total_sum, total_payment, "
        "rest, created_at, updated_at) VALUES ('r', 'SELL', 'done', 0, ?, 700, 1000, 300, ?, ?)",
        (at, at, at),
    )
    connection.execute(
        "INSERT INTO receipt_payment (receipt_id, position, type, value, label) "
        "VALUES ('r', 1, 'CASH', 1000, 'Готівка')"
    )
    connection.close()
    period = Period.parse("2026-01-02", "2026-01-02")
    for sources in _sources(path):
        (journal, _), *_ = sources
        assert not keeps_report_figures(journal)
        (day,) = sales.by_time(sources, period, Bucket.DAY)
        payments = sales.by_payment(sources, period)
    assert (day["sales_count"], day["sales_sum"]) == (1, 700)
    assert payments == [{"type": "CASH", "sales_sum": 700, "returns_sum": 0, "net_sum": 700}]
    Journal.open(path).close()  # and once migrated, the hour totals hold the same
    for sources in _sources(path):
        (journal, _), *_ = sources
        assert keeps_report_figures(journal)
        assert sales.by_time(sources, period, Bucket.DAY) == [day]
        assert sales.by_payment(sources, period) == payments
