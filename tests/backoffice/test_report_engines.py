"""The receipts report test suite of ``tests/reports`` run on both engines: the register's own
SQLite journal, and the shop's PostgreSQL database the journal was pushed into.

The tests are the same functions (imported); only their ``sources`` fixture is parametrised
here. Totals and Z-reports are compared as the original tests do, so on PostgreSQL they check
that the copy lost or doubled nothing, to the kopeck.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from reports.test_receipts_report import *  # noqa: F403 (the tests to run again)
from reports.test_receipts_report import Sources
from sqlalchemy import Engine

from pos.backoffice.database import open_database, upgrade
from pos.backoffice.push import Pusher
from pos.backoffice.sources import shop_sources
from pos.reports.sources import open_read_only, register_of

from .pgserver import PostgresServer

del test_several_journals_merge_into_one_report  # noqa: F821 (journal files only: run there)


@pytest.fixture(scope="module")
def pushed_shop(journal_file: Path, postgres: PostgresServer) -> Iterator[Engine]:
    engine = open_database(postgres.create_database("report_engines"))
    upgrade(engine)
    pusher = Pusher(journal_file, engine, "Крамниця")
    try:
        pusher.push_all()
    finally:
        pusher.close()
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def sources(request: pytest.FixtureRequest, journal_file: Path) -> Iterator[Sources]:
    if request.param == "postgresql":
        shop: Engine = request.getfixturevalue("pushed_shop")
        with shop_sources(shop, ["Крамниця"]) as found:
            yield found
        return
    engine = open_read_only(journal_file)
    with engine.connect() as connection:
        yield [(connection, register_of(connection))]
    engine.dispose()
