"""Each receipt's position in its shift and the hour totals, kept by the journal's triggers
(migration 12), are what counting and adding up the receipts would give: after every change a
register makes (commit, done, offline, upload, void), for returns and receipts fiscalised out of
commit order, and for a journal migrated from v11."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pos.journal import Journal
from pos.journal.instants import to_micros
from pos.journal.migrations import LATEST_VERSION, migrate
from pos.journal.records import NewReceipt, ReceiptLine, ReceiptPayment
from pos.reports import receipts

from .conftest import Sources, generated_journal, report
from .generated import CASHIERS

T = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NOT_FISCAL = "('committed', 'sending', 'failed', 'void')"
COUNTED = f"""SELECT id, CASE WHEN shift_id IS NULL OR state IN {NOT_FISCAL} THEN NULL ELSE (
        SELECT count(*) FROM receipt AS e WHERE e.shift_id = r.shift_id
        AND e.report_at <= r.report_at AND e.state NOT IN {NOT_FISCAL}) END
    FROM receipt AS r ORDER BY id"""
HOURS = f"""SELECT report_at / 3600000000, type, state, is_offline, count(*), sum(total_sum),
        sum(cash_paid - rest), sum(cashless_paid)
    FROM receipt WHERE state NOT IN {NOT_FISCAL} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"""
KEPT = "SELECT * FROM receipt_hour_total WHERE receipts <> 0 ORDER BY 1, 2, 3, 4"


def _positions(
    connection: sqlite3.Connection,
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    stored = connection.execute("SELECT id, shift_position FROM receipt ORDER BY id").fetchall()
    return stored, connection.execute(COUNTED).fetchall()


def _shift(connection: sqlite3.Connection, shift_id: str) -> None:
    connection.execute(
        "INSERT INTO shift (id, state, serial, opened_at, created_at, updated_at) "
        "VALUES (?, 'opened', 1, ?, ?, ?)",
        (shift_id, to_micros(T), to_micros(T), to_micros(T)),
    )


def _sale(rid: str, at: datetime, shift_id: str | None, kind: str = "SELL") -> NewReceipt:
    line = ReceiptLine(code="1", name="Хліб", price=2500, quantity=1000, sum=2500)
    return NewReceipt(
        id=rid,
        type=kind,
        total_sum=2500,
        created_at=at,
        lines=(line,),
        payments=(ReceiptPayment("CASH", 2500),),
        total_payment=2500,
        shift_id=shift_id,
    )


def test_positions_follow_every_change_of_the_register(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    with Journal.open(path) as journal:
        raw = sqlite3.connect(path, isolation_level=None)
        _shift(raw, "s-1")
        _shift(raw, "s-2")
        receipts = journal.receipts

        def check() -> None:
            stored, counted = _positions(raw)
            assert stored == counted
            assert raw.execute(KEPT).fetchall() == raw.execute(HOURS).fetchall()

        for n in range(1, 6):  # online sales, done in commit order
            at = T + timedelta(minutes=n)
            receipts.commit(_sale(f"r-{n}", at, "s-1"))
            check()  # committed: not a fiscal document yet
            receipts.mark_sending(f"r-{n}", at)
            receipts.mark_done(f"r-{n}", at, f"FC-{n}", at + timedelta(seconds=2))
            check()
        assert dict(_positions(raw)[0])["r-5"] == 5
        # A return, and a sale whose fiscal date comes before receipts already done.
        receipts.commit(_sale("r-6", T + timedelta(minutes=6), "s-1", kind="RETURN"))
        receipts.mark_done("r-6", T, "FC-6", T + timedelta(minutes=6))
        receipts.commit(_sale("r-7", T + timedelta(minutes=7), "s-1"))
        receipts.mark_done("r-7", T, "FC-7", T + timedelta(minutes=2, seconds=30))
        check()
        assert dict(_positions(raw)[0])["r-5"] == 6
        # One that fails, one voided after its online attempt, one in another shift, one in none.
        receipts.commit(_sale("r-8", T + timedelta(minutes=8), "s-1"))
        receipts.mark_failed("r-8", T, "refused")
        receipts.commit(_sale("r-9", T + timedelta(minutes=9), "s-2"))
        receipts.mark_done("r-9", T, "FC-9", T + timedelta(minutes=9))
        receipts.commit(_sale("r-10", T + timedelta(minutes=10), None))
        receipts.mark_done("r-10", T, "FC-10", T + timedelta(minutes=10))
        check()
        # Offline: issued with a local code and date, uploaded later (set aside meanwhile: the
        # receipt stays issued), and a receipt taken back out of the fiscal documents.
        raw.execute(
            "UPDATE receipt SET state = 'offline_issued', is_offline = 1, fiscal_date = ? "
            "WHERE id = 'r-8'",
            (to_micros(T + timedelta(minutes=1, seconds=30)),),
        )
        check()
        raw.execute("UPDATE receipt SET state = 'uploaded' WHERE id = 'r-8'")
        raw.execute("UPDATE receipt SET state = 'void' WHERE id = 'r-2'")
        check()
        raw.execute("UPDATE receipt SET shift_id = 's-2' WHERE id = 'r-4'")
        check()
        raw.execute("UPDATE receipt_payment SET type = 'CASHLESS' WHERE receipt_id = 'r-3'")
        raw.execute("UPDATE receipt SET rest = 100, is_offline = 1 WHERE id = 'r-5'")
        raw.execute(  # the hour of its report date moves
            "UPDATE receipt SET fiscal_date = fiscal_date + 7200000000 WHERE id = 'r-1'"
        )
        check()
        # Two receipts at the same instant share the higher position, as counting does.
        same = to_micros(T + timedelta(minutes=20))
        for rid in ("r-11", "r-12"):
            raw.execute(
                "INSERT INTO receipt (id, shift_id, type, state, fiscal_code, fiscal_date, "
                "total_sum, created_at, updated_at) VALUES (?, 's-1', 'SELL', 'done', ?, ?, 100,"
                " ?, ?)",
                (rid, f"FC-{rid}", same, same, same),
            )
        check()
        stored = dict(_positions(raw)[0])
        assert stored["r-11"] == stored["r-12"]
        assert stored["r-2"] is None
        raw.close()


def test_migration_12_numbers_the_receipts_already_there_without_filling_the_outbox(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, None, target=11)
    _shift(connection, "s-1")
    for n, (state, minute) in enumerate(
        (
            ("done", 5),
            ("done", 1),
            ("void", 2),
            ("offline_issued", 3),
            ("uploaded", 3),
            ("sending", 9),
        ),
        start=1,
    ):
        at = to_micros(T + timedelta(minutes=minute))
        connection.execute(
            "INSERT INTO receipt (id, shift_id, type, state, fiscal_date, total_sum, created_at, "
            "updated_at) VALUES (?, ?, 'SELL', ?, ?, 100, ?, ?)",
            (f"r-{n}", None if n == 6 else "s-1", state, at, at, at),
        )
    outbox = connection.execute("SELECT count(*), max(seq) FROM backoffice_outbox").fetchone()
    migrate(connection, path)
    assert connection.execute("PRAGMA user_version").fetchone() == (LATEST_VERSION,)
    stored, counted = _positions(connection)
    assert stored == counted
    assert dict(stored) == {"r-1": 4, "r-2": 1, "r-3": None, "r-4": 3, "r-5": 3, "r-6": None}
    assert connection.execute(KEPT).fetchall() == connection.execute(HOURS).fetchall()
    assert (
        connection.execute("SELECT count(*), max(seq) FROM backoffice_outbox").fetchone() == outbox
    )
    # The outbox's update trigger is back: a later change is copied again.
    connection.execute("UPDATE receipt SET fiscal_code = 'FC' WHERE id = 'r-1'")
    assert connection.execute(
        "SELECT subject_id FROM backoffice_outbox ORDER BY seq DESC LIMIT 1"
    ).fetchone() == ("r-1",)
    connection.close()


@pytest.fixture(scope="module")
def journal_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_journal(tmp_path_factory, "kept-figures", per_day=60)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"date_from": "2026-01-02 10:30:15", "date_to": "2026-01-05 14:10:00"},
        {"date_from": "2026-01-03 09:00:00", "date_to": "2026-01-03 09:59:59"},
        {"date_from": "2026-01-03 09:10:00", "date_to": "2026-01-03 09:20:00"},
        {"document_types": ["receipt", "serviceIn"], "operation_types": ["income_return"]},
        {"offline": True, "sync_states": ["pending", "uploaded"]},
        {"sync_states": ["online"], "date_from": "2026-01-02 08:00:01"},
        {"payment_types": ["cashless"], "orders": ["-totalSum"]},
        {"cashiers": [CASHIERS[0]], "orders": ["totalSum", "-date"]},
        {"orders": ["-totalSum"], "offset": 7},
        {"orders": ["number", "-date"], "shifts": [3]},
    ],
)
def test_kept_figures_answer_as_counting_does(
    sources: Sources, body: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Totals from the hour totals plus the partial hours, positions as stored and pages read by
    the amount index equal the same report counted from the receipts alone."""
    kept = report(sources, limit=40, **body)
    monkeypatch.setattr(receipts, "keeps_report_figures", lambda connection: False)
    counted = report(sources, limit=40, **body)
    assert kept.total == counted.total
    assert kept.totals == counted.totals
    assert kept.data == counted.data


def test_a_page_by_amount_walks_the_amount_index_over_a_long_period(sources: Sources) -> None:
    connection = sources[0][0]
    query = receipts.ReceiptsQuery.from_mapping(
        {"date_from": "2026-01-01", "date_to": "2026-01-06", "orders": ["-totalSum"]}
    )
    assert receipts._walks_amount_index(connection, query, 20)
    assert not receipts._walks_amount_index(connection, query, 100_000)
    assert not receipts._walks_amount_index(connection, query.with_orders(["-date"]), 20)
    for selective in ({"search": "TEST"}, {"cashiers": [CASHIERS[0]]}, {"shifts": [2]}):
        narrow = receipts.ReceiptsQuery.from_mapping(
            {"date_from": "2026-01-01", "date_to": "2026-01-06", "orders": ["-totalSum"]}
            | selective
        )
        assert not receipts._walks_amount_index(connection, narrow, 20), selective
