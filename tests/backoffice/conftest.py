"""One PostgreSQL server per test session; each test that asks for ``shop_url`` gets a fresh,
empty database on it (``shop_database`` also has the schema created by Alembic).

The reports' tests run again on both engines (``test_report_engines``, ``test_sales_engines``):
such a module names its generated ``journal_file``; ``pushed_shop`` is that journal pushed into
a shop database, once per module, and ``sources`` reads the report from either."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from reports.conftest import Sources, journal_sources
from sqlalchemy import Engine

from pos.backoffice.database import open_database, upgrade
from pos.backoffice.push import Pusher
from pos.backoffice.sources import shop_sources

from .pgserver import PostgresServer, binaries, running_postgres

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    if binaries() is None:
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
    with running_postgres() as server:
        yield server


@pytest.fixture
def shop_url(postgres: PostgresServer) -> str:
    return postgres.create_database(f"shop_{next(_numbers)}")


@pytest.fixture
def shop_database(shop_url: str) -> Iterator[Engine]:
    engine = open_database(shop_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def pushed_shop(
    request: pytest.FixtureRequest, journal_file: Path, postgres: PostgresServer
) -> Iterator[Engine]:
    """The module's journal pushed into a shop database of its own (named after the module)."""
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    engine = open_database(postgres.create_database(name))
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
    """The module's journal as a report reads it: the file itself, or the shop's copy of it."""
    if request.param == "postgresql":
        shop: Engine = request.getfixturevalue("pushed_shop")
        with shop_sources(shop, ["Крамниця"]) as found:
            yield found
        return
    yield from journal_sources(journal_file)
