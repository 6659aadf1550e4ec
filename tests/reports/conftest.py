"""The reports tests' shared set-up: a generated journal of a few January days (each module adds
its own documents to it), opened read-only as a report's sources, and the report over it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from pos.reports.receipts import ReceiptsAnswer, ReceiptsQuery, receipts_report
from pos.reports.sources import Register, open_read_only, register_of

from .generated import generate

Sources = list[tuple[Connection, Register]]


def generated_journal(tmp_path_factory: pytest.TempPathFactory, name: str, *, per_day: int) -> Path:
    """Six days from 1 January 2026 of ``per_day`` documents each (the last shift open)."""
    path = tmp_path_factory.mktemp(name) / "journal.sqlite"
    generate(path, first_day=date(2026, 1, 1), days=6, per_day=per_day)
    return path


def journal_sources(path: Path) -> Iterator[Sources]:
    engine = open_read_only(path)
    with engine.connect() as connection:
        yield [(connection, register_of(connection))]
    engine.dispose()


@pytest.fixture
def sources(journal_file: Path) -> Iterator[Sources]:
    """The module's ``journal_file``, read as the reports read a copied journal."""
    yield from journal_sources(journal_file)


def report(sources: Sources, **body: Any) -> ReceiptsAnswer:
    """The receipts report over the six generated days, with the query's other keys."""
    query = {"date_from": "2026-01-01", "date_to": "2026-01-06", **body}
    return receipts_report(sources, ReceiptsQuery.from_mapping(query))
