"""Sales analyses: offline stretches as the register counts them, split by Kyiv month against
the 36 h / 168 h limits; sales by payment and by time agree with the receipts report."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection

from pos.domain.offline_limits import KYIV
from pos.journal import Journal
from pos.journal.instants import to_micros
from pos.reports.periods import Bucket, Period
from pos.reports.receipts import ReceiptsQuery, receipts_report
from pos.reports.sales import (
    by_payment,
    by_time,
    cash_movements,
    offline_periods,
    returns_and_discounts,
    top_goods,
)
from pos.reports.sources import Register, open_read_only, register_of

from .generated import generate

Sources = list[tuple[Connection, Register]]


def _sources(path: Path) -> Iterator[Sources]:
    engine = open_read_only(path)
    with engine.connect() as connection:
        yield [(connection, register_of(connection))]
    engine.dispose()


@pytest.fixture(scope="module")
def journal_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sales") / "journal.sqlite"
    generate(path, first_day=date(2026, 1, 1), days=4, per_day=60)
    return path


@pytest.fixture
def sources(journal_file: Path) -> Iterator[Sources]:
    yield from _sources(journal_file)


def test_offline_stretches_follow_the_register_and_split_by_month(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    Journal.open(path).close()
    left = datetime(2026, 1, 31, 20, 0, tzinfo=KYIV)
    moves = [
        (left, "ONLINE", "LOCAL_OFFLINE"),
        (left + timedelta(hours=40), "LOCAL_OFFLINE", "UPLOADING"),
        (left + timedelta(hours=40, minutes=30), "UPLOADING", "ONLINE"),
        (datetime(2026, 2, 10, 9, 0, tzinfo=KYIV), "ONLINE", "SERVER_OFFLINE"),
    ]
    connection = sqlite3.connect(path)
    connection.executemany(
        "INSERT INTO connectivity_transition (at, from_state, to_state) VALUES (?, ?, ?)",
        [(to_micros(at), a, b) for at, a, b in moves],
    )
    connection.commit()
    connection.close()
    now = datetime(2026, 2, 10, 12, 0, tzinfo=KYIV)
    for sources in _sources(path):
        stretches = offline_periods(
            sources, Period.parse("2026-01-01", "2026-02-28"), to_micros(now)
        )
    first, second = stretches
    assert first["hours"] == 40.5
    assert first["over_limit"] is True
    assert first["month"] == "2026-01"
    assert first["month_hours"] == 4.0  # 20:00 to midnight; the rest counts in February
    assert second["ended_at"] == ""
    assert second["hours"] == 3.0
    assert second["month_hours"] == 36.5 + 3.0
    assert second["month_over_limit"] is False


def test_sales_agree_with_the_receipts_report(sources: Sources) -> None:
    period = Period.parse("2026-01-01", "2026-01-04")
    rows = receipts_report(
        sources, ReceiptsQuery.from_mapping({"date_from": "2026-01-01", "date_to": "2026-01-04"})
    ).data
    sales = [r for r in rows if r["operation"] == "income"]
    returns = [r for r in rows if r["operation"] == "income_return"]
    days = by_time(sources, period, Bucket.DAY)
    assert [d["period"] for d in days] == ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]
    assert sum(d["sales_sum"] for d in days) == sum(r["totalSum"] for r in sales)
    assert sum(d["returns_count"] for d in days) == len(returns)
    (month,) = by_time(sources, period, Bucket.MONTH)
    assert month["period"] == "2026-01"
    assert month["sales_sum"] == sum(d["sales_sum"] for d in days)
    hours = by_time(sources, period, Bucket.HOUR)
    assert sum(h["sales_count"] for h in hours) == len(sales)
    assert min(h["period"][11:] for h in hours) >= "08:00"
    pay = {p["type"]: p for p in by_payment(sources, period)}
    assert pay["CASH"]["sales_sum"] == sum(r["cashTotalSum"] for r in sales)
    assert pay["CASHLESS"]["returns_sum"] == sum(r["ecashTotalSum"] for r in returns)
    totals = returns_and_discounts(sources, period)
    assert totals["returns_count"] == len(returns)
    assert totals["returns_sum"] == sum(r["totalSum"] for r in returns)
    goods = top_goods(sources, period, top=3)
    assert len(goods) == 3
    assert goods[0]["net_sum"] >= goods[1]["net_sum"] >= goods[2]["net_sum"]
    shelves = top_goods(sources, period, top=10, by_category=True)
    assert {s["category"] for s in shelves} <= {f"Полиця {i}" for i in range(5)}
    moves = cash_movements(sources, period)
    assert {m["type"] for m in moves} >= {"SERVICE_IN", "SERVICE_OUT"}
    assert len(moves) == sum(
        1 for r in rows if r["document_type"] in ("serviceIn", "serviceOut", "cashWithdrawal")
    )
