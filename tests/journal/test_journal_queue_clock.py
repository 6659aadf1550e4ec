"""Offline queue order, the persisted fiscal clock, shifts and the connectivity log."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.journal import Journal, ReceiptStateError
from pos.journal.records import NewReceipt, QueueKind, QueueState, ShiftState

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
US = timedelta(microseconds=1)


def test_queue_keeps_issue_order_and_sets_aside(journal: Journal) -> None:
    journal.codes.add([(f"C{n}", n) for n in range(1, 6)], T0)
    journal.queue.issue(QueueKind.GO_OFFLINE, "go-1", T0)
    shift = journal.shifts.open(str(uuid.uuid4()), T0, 50000, offline=True)
    receipts = [
        journal.receipts.commit(
            NewReceipt(str(uuid.uuid4()), "SELL", 100, T0, shift_id=shift.id), offline_at=T0
        )
        for _ in range(3)
    ]
    entries = journal.queue.pending()
    assert [e.subject_id for e in entries] == ["go-1", shift.id] + [r.id for r in receipts]
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    dates = [e.fiscal_date for e in entries]
    assert all(a < b for a, b in itertools.pairwise(dates))

    first = journal.queue.peek_next()
    assert first is not None
    journal.queue.record_attempt(first.seq, "timeout")
    assert journal.queue.peek_next() == journal.queue.get(first.seq)
    journal.queue.mark_done(first.seq, T0)
    second = journal.queue.peek_next()
    assert second is not None
    assert second.subject_id == shift.id
    journal.queue.set_aside(second.seq, "Зміну не відкрито", T0)
    third = journal.queue.peek_next()
    assert third is not None
    assert third.subject_id == receipts[0].id
    assert journal.queue.pending_count() == 3
    aside = journal.queue.set_aside_entries()
    assert [(e.state, e.error) for e in aside] == [(QueueState.SET_ASIDE, "Зміну не відкрито")]
    with pytest.raises(ReceiptStateError):
        journal.queue.mark_done(first.seq, T0)


def test_sequence_numbers_are_never_reused(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    with Journal.open(path) as journal:
        seq = journal.queue.enqueue(QueueKind.GO_ONLINE, "on-1", T0, T0)
        journal.queue.mark_done(seq, T0)
    with Journal.open(path) as journal:
        assert journal.queue.enqueue(QueueKind.GO_ONLINE, "on-2", T0, T0) == seq + 1


def test_fiscal_clock_survives_a_clock_going_backwards(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    with Journal.open(path) as journal:
        assert journal.clock.next_instant(T0) == T0
        assert journal.clock.next_instant(T0) == T0 + US
        assert journal.clock.next_instant(T0 - timedelta(hours=3)) == T0 + 2 * US
    with Journal.open(path) as journal:  # persisted across a restart
        assert journal.clock.next_instant(T0 - timedelta(days=1)) == T0 + 3 * US
        later = T0 + timedelta(minutes=5)
        assert journal.clock.next_instant(later) == later


def test_fiscal_clock_floor_from_ask_offline_codes(journal: Journal) -> None:
    journal.clock.next_instant(T0)
    asked_at = T0 + timedelta(hours=1)
    journal.clock.raise_floor(asked_at)
    assert journal.clock.next_instant(T0) == asked_at
    journal.clock.raise_floor(T0)  # a lower floor changes nothing
    assert journal.clock.next_instant(T0) == asked_at + US


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.integers(min_value=-(10**9), max_value=10**9), min_size=1, max_size=30))
def test_fiscal_clock_strictly_increases(journal: Journal, steps: list[int]) -> None:
    previous = journal.clock.last_instant()
    for step in steps:
        instant = journal.clock.next_instant(T0 + timedelta(microseconds=step))
        if previous is not None:
            assert instant > previous
        assert instant >= T0 + timedelta(microseconds=step)
        previous = instant


def test_shift_lifecycle(journal: Journal) -> None:
    online = journal.shifts.open("s-1", T0, 10000)
    assert online.state is ShiftState.OPENING
    with pytest.raises(ReceiptStateError):
        journal.shifts.open("s-2", T0)  # one current shift at a time
    opened = journal.shifts.update(
        "s-1", T0, state=ShiftState.OPENED, serial=43, opened_at=T0, server_response={"serial": 43}
    )
    assert (opened.serial, opened.server_response) == (43, {"serial": 43})
    assert journal.shifts.current() == opened
    journal.codes.add([("C1", 1)], T0)
    closed = journal.shifts.close_offline(
        "s-1", T0 + timedelta(hours=8), {"sell_receipts_count": 2}
    )
    assert closed.state is ShiftState.CLOSED
    assert closed.close_fiscal_code == "C1"
    assert closed.z_report == {"sell_receipts_count": 2}
    assert journal.shifts.current() is None
    entry = journal.queue.peek_next()
    assert entry is not None
    assert (entry.kind, entry.payload) == (QueueKind.SHIFT_CLOSE, {"sell_receipts_count": 2})
    with pytest.raises(ReceiptStateError):
        journal.shifts.update("s-1", T0, state=ShiftState.OPENED)
    assert [s.id for s in journal.shifts.list()] == ["s-1"]


def test_connectivity_transitions_are_appended_in_order(journal: Journal) -> None:
    journal.transitions.append(T0, "ONLINE", "LOCAL_OFFLINE", "connect timeout")
    journal.transitions.append(T0 + timedelta(hours=2), "LOCAL_OFFLINE", "UPLOADING", "reachable")
    journal.transitions.append(T0 + timedelta(hours=3), "UPLOADING", "ONLINE", "queue drained")
    listed = journal.transitions.list()
    assert [(t.from_state, t.to_state) for t in listed] == [
        ("ONLINE", "LOCAL_OFFLINE"),
        ("LOCAL_OFFLINE", "UPLOADING"),
        ("UPLOADING", "ONLINE"),
    ]
    assert listed[0].cause == "connect timeout"
    assert len(journal.transitions.list(since=T0 + timedelta(hours=1))) == 2
    last = journal.transitions.last()
    assert last is not None
    assert last.to_state == "ONLINE"


def test_settings_are_kept(journal: Journal) -> None:
    journal.settings.set("register_name", "Каса 1")
    journal.settings.set("register_name", "Каса 2")
    assert journal.settings.get("register_name") == "Каса 2"
    assert journal.settings.get("missing", "x") == "x"
    assert journal.settings.all() == {"register_name": "Каса 2"}
