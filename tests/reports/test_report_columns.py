"""The report columns the journal keeps by triggers (migration 4) follow the real journal API:
the report date is the commit time until a fiscal date arrives, and payments add up by type."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos.journal import Journal
from pos.journal.instants import to_micros
from pos.journal.records import NewReceipt, ReceiptLine, ReceiptPayment

T = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def _columns(journal: Journal, receipt_id: str) -> tuple[int, int, int]:
    raw = journal.engine.raw_connection()
    try:
        row = raw.execute(
            "SELECT report_at, cash_paid, cashless_paid, doc_number = rowid FROM receipt "
            "WHERE id = ?",
            (receipt_id,),
        ).fetchone()
    finally:
        raw.close()
    assert row[3] == 1  # the journal's document number is the commit order
    return int(row[0]), int(row[1]), int(row[2])


def test_report_date_and_payments_follow_the_receipt(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        new = NewReceipt(
            id="r-1",
            type="SELL",
            total_sum=15000,
            created_at=T,
            lines=(ReceiptLine(code="1", name="Хліб", price=15000, quantity=1000, sum=15000),),
            payments=(ReceiptPayment("CASH", 10000), ReceiptPayment("CASHLESS", 7000)),
            total_payment=17000,
            rest=2000,
        )
        journal.receipts.commit(new)
        assert _columns(journal, "r-1") == (to_micros(T), 10000, 7000)
        fiscal = T + timedelta(seconds=3)
        journal.receipts.mark_sending("r-1", T)
        journal.receipts.mark_done("r-1", T + timedelta(seconds=4), "FC-1", fiscal)
        assert _columns(journal, "r-1") == (to_micros(fiscal), 10000, 7000)


def test_the_benchmark_generator_writes_what_the_triggers_would(tmp_path: Path) -> None:
    import sqlite3
    from datetime import date

    from .generated import generate

    columns = (
        "SELECT rowid, doc_number, id, report_at, cash_paid, cashless_paid, cashier, "
        "shift_position FROM receipt ORDER BY rowid"
    )
    found = []
    for bulk in (False, True):
        path = tmp_path / f"journal-{bulk}.sqlite"
        generate(path, first_day=date(2026, 2, 1), days=2, per_day=30, bulk=bulk)
        connection = sqlite3.connect(path)
        found.append(connection.execute(columns).fetchall())
        found.append(connection.execute("SELECT * FROM receipt_hour_total").fetchall())
        triggers = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'receipt_%'"
        ).fetchone()[0]
        assert triggers == 11
        connection.close()
    assert found[:2] == found[2:]


def test_a_journal_from_before_the_reports_is_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    from pos.cli import main

    path = tmp_path / "old.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 3")
    connection.close()
    assert main(["report", "receipts", "--journal", str(path)]) == 2
    assert "schema version 3" in capsys.readouterr().err
