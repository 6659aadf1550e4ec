"""The sales analyses of ``tests/reports/test_sales.py`` run on both engines: the register's own
SQLite journal, and the shop's PostgreSQL database the same journal was pushed into.

The test functions are the originals (imported); only their ``sources`` fixture is parametrised
(``tests/backoffice/conftest.py``), over the module's own generated journal. (Before this test
ran there, sales by time on PostgreSQL overflowed an INTEGER with the Kyiv offset in
microseconds, and sales by shelf found no shelves: the catalogue was not copied.)
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from reports.test_sales import Sources, _sources
from reports.test_sales import journal_file as journal_file  # the module's generated journal
from reports.test_sales import test_sales_agree_with_the_receipts_report as _agree
from sqlalchemy import Engine

from pos.backoffice.push import Pusher
from pos.backoffice.sources import shop_sources
from pos.domain.offline_limits import KYIV
from pos.journal import Journal
from pos.journal.instants import to_micros
from pos.reports.periods import Period
from pos.reports.sales import offline_periods


def test_sales_agree_with_the_receipts_report(sources: Sources) -> None:
    _agree(sources)


def test_offline_periods_of_the_shop_database_are_the_registers(
    tmp_path: Path, shop_database: Engine
) -> None:
    path = tmp_path / "journal.sqlite"
    Journal.open(path).close()
    left = datetime(2026, 1, 31, 20, 0, tzinfo=KYIV)
    moves = [
        (left, "ONLINE", "LOCAL_OFFLINE"),
        (left + timedelta(hours=40), "LOCAL_OFFLINE", "UPLOADING"),
        (left + timedelta(hours=40, minutes=30), "UPLOADING", "ONLINE"),
        (datetime(2026, 2, 10, 9, 0, tzinfo=KYIV), "ONLINE", "SERVER_OFFLINE"),
    ]
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO connectivity_transition (at, from_state, to_state) VALUES (?, ?, ?)",
            [(to_micros(at), a, b) for at, a, b in moves],
        )
        connection.execute(
            "INSERT OR REPLACE INTO setting(key, value) VALUES ('fiscal_number', '4000000009')"
        )
    connection.close()
    pusher = Pusher(path, shop_database, "Крамниця")
    try:
        pusher.push_all()
    finally:
        pusher.close()
    period, now = Period.parse("2026-01-01", "2026-02-28"), to_micros(left + timedelta(days=10))
    for local_sources in _sources(path):
        local = offline_periods(local_sources, period, now)
    with shop_sources(shop_database, ["Крамниця"]) as shop:
        assert offline_periods(shop, period, now) == local
    assert local[0]["hours"] == 40.5
    assert len(local) == 2
