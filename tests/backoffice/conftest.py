"""One PostgreSQL server per test session; each test that asks for ``shop_url`` gets a fresh,
empty database on it (``shop_database`` also has the schema created by Alembic)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from pos.backoffice.database import open_database, upgrade

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
