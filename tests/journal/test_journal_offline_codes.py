"""Invariant 3: an offline fiscal code is used at most once, whatever happens afterwards."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.journal import Journal, NoFreeOfflineCodeError
from pos.journal.errors import OfflineCodeStateError
from pos.journal.records import NewReceipt, OfflineCodeState, QueueKind

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def receipt() -> NewReceipt:
    return NewReceipt(id=str(uuid.uuid4()), type="SELL", total_sum=100, created_at=T0)


def test_an_offline_service_receipt_is_queued_in_place_without_a_code(journal: Journal) -> None:
    """Service cash in/out is non-fiscal (the guide: fiscal_code null): no code, no instant."""
    journal.codes.add([("A", 1), ("B", 2)], T0)
    sold = journal.receipts.commit(receipt(), offline_at=T0)
    service = NewReceipt(id=str(uuid.uuid4()), type="SERVICE_OUT", total_sum=50, created_at=T0)
    out = journal.receipts.commit(service, offline_at=T0)
    assert (out.fiscal_code, out.fiscal_date, out.is_offline) == (None, None, True)
    assert journal.codes.free_count() == 1
    entries = journal.queue.pending()
    assert [(e.subject_id, e.fiscal_code) for e in entries] == [
        (sold.id, sold.fiscal_code),
        (out.id, None),
    ]
    assert journal.clock.last_instant() == sold.fiscal_date  # no fiscal instant taken


def test_used_or_burned_codes_never_go_back_to_free(journal: Journal) -> None:
    journal.codes.add([("A", 1), ("B", 2), ("C", 3)], T0)
    journal.codes.mark_used("A", "r1", T0)
    journal.codes.burn("B", T0)
    journal.codes.mark_used("C", "r2", T0)
    journal.codes.mark_uploaded("C", T0)
    for code in ("A", "B", "C"):
        with pytest.raises(OfflineCodeStateError):
            journal.codes.release(code, T0)
    with pytest.raises(OfflineCodeStateError):
        journal.codes.mark_used("B", "r3", T0)
    with pytest.raises(OfflineCodeStateError):
        journal.codes.burn("C", T0)  # uploaded is final


def test_the_rule_holds_even_for_raw_sql(journal: Journal) -> None:
    journal.codes.add([("A", 1)], T0)
    journal.codes.mark_used("A", "r1", T0)
    connection = sqlite3.connect(journal.path)
    with pytest.raises(sqlite3.IntegrityError, match="cannot go back"):
        connection.execute("UPDATE offline_code SET state = 'free' WHERE fiscal_code = 'A'")
    with pytest.raises(sqlite3.IntegrityError, match="kept forever"):
        connection.execute("DELETE FROM offline_code WHERE fiscal_code = 'A'")
    connection.close()


def test_a_later_fetch_does_not_resurrect_a_used_code(journal: Journal) -> None:
    journal.codes.add([("A", 1)], T0)
    journal.codes.mark_used("A", "r1", T0)
    assert journal.codes.add([("A", 1), ("B", 2)], T0) == 1
    code = journal.codes.get("A")
    assert code is not None
    assert code.state is OfflineCodeState.USED


def test_reconcile_burns_codes_the_server_used_on_its_own(journal: Journal) -> None:
    journal.codes.add([("A", 1), ("B", 2), ("C", 3)], T0)
    journal.codes.mark_used("C", "r1", T0)
    added, burned = journal.codes.reconcile([("B", 2), ("D", 4)], T0)
    assert (added, burned) == (1, 1)
    states = {c: journal.codes.get(c).state for c in "ABCD"}  # type: ignore[union-attr]
    assert states == {
        "A": OfflineCodeState.BURNED,
        "B": OfflineCodeState.FREE,
        "C": OfflineCodeState.USED,
        "D": OfflineCodeState.FREE,
    }
    assert journal.codes.counts().free == 2


def test_reserve_and_release(journal: Journal) -> None:
    journal.codes.add([("A", 1), ("B", 2)], T0)
    reserved = journal.codes.reserve("go-offline", T0)
    assert (reserved.fiscal_code, reserved.state) == ("A", OfflineCodeState.RESERVED)
    issued = journal.queue.issue(QueueKind.GO_OFFLINE, "go-offline-1", T0)
    assert issued.fiscal_code == "B"  # a reserved code is not handed out again
    journal.codes.release("A", T0)
    assert journal.codes.free_count() == 1


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    operations=st.lists(
        st.sampled_from(["receipt", "burn_next", "refetch", "reconcile"]), min_size=1, max_size=25
    )
)
def test_no_code_is_ever_issued_twice(tmp_path: Path, operations: list[str]) -> None:
    path = tmp_path / f"{uuid.uuid4()}.sqlite"
    pool = [(f"CODE-{n}", n) for n in range(1, 9)]
    with Journal.open(path) as journal:
        journal.codes.add(pool, T0)
        issued: list[str] = []
        for operation in operations:
            if operation == "receipt":
                try:
                    made = journal.receipts.commit(receipt(), offline_at=T0)
                except NoFreeOfflineCodeError:
                    continue
                assert made.fiscal_code is not None
                issued.append(made.fiscal_code)
            elif operation == "burn_next":
                try:
                    reserved = journal.codes.reserve("x", T0)
                except NoFreeOfflineCodeError:
                    continue
                journal.codes.burn(reserved.fiscal_code, T0)
            elif operation == "refetch":
                journal.codes.add(pool, T0)  # the server sends the whole list again
            else:
                journal.codes.reconcile(pool[len(issued) :], T0)
        assert len(issued) == len(set(issued))
        entries = journal.queue.pending()
        assert [e.fiscal_code for e in entries] == issued
