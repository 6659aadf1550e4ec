"""Upload outcomes change entry, code and receipt together (resumable after a crash)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from pos.journal import Journal, NoFreeOfflineCodeError, ReceiptStateError
from pos.journal.records import NewReceipt, OfflineCodeState, QueueKind, ReceiptState

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def offline_sale(journal: Journal) -> str:
    receipt = NewReceipt(str(uuid.uuid4()), "SELL", 4690, T0)
    return journal.receipts.commit(receipt, offline_at=T0).id


def code_state(journal: Journal, code: str) -> OfflineCodeState:
    found = journal.codes.get(code)
    assert found is not None
    return found.state


def test_accepted_marks_entry_code_and_receipt(journal: Journal) -> None:
    journal.codes.add([("C1", 1), ("C2", 2)], T0)
    shift = journal.shifts.open("s-1", T0, offline=True)
    receipt_id = offline_sale(journal)
    first = journal.queue.peek_next()
    assert first is not None
    assert first.kind is QueueKind.SHIFT_OPEN
    journal.uploads.accepted(first.seq, T0, {"serial": 44})
    assert journal.shifts.get(shift.id).server_response == {"serial": 44}  # type: ignore[union-attr]
    second = journal.queue.peek_next()
    assert second is not None
    journal.uploads.accepted(second.seq, T0, {"id": receipt_id})
    receipt = journal.receipts.get(receipt_id)
    assert receipt is not None
    assert (receipt.state, receipt.server_response) == (ReceiptState.UPLOADED, {"id": receipt_id})
    assert code_state(journal, "C1") is OfflineCodeState.UPLOADED
    assert code_state(journal, "C2") is OfflineCodeState.UPLOADED
    assert journal.queue.peek_next() is None
    with pytest.raises(ReceiptStateError):
        journal.uploads.accepted(second.seq, T0)


def test_server_had_it_keeps_the_printed_code_and_sets_the_receipt_aside(
    journal: Journal,
) -> None:
    journal.codes.add([("C1", 1)], T0)
    receipt_id = offline_sale(journal)
    entry = journal.queue.peek_next()
    assert entry is not None
    printed = journal.receipts.get(receipt_id)
    assert printed is not None
    server = {"id": receipt_id, "fiscal_code": "ONLINE-77", "fiscal_date": "2026-03-01T08:59:55Z"}
    journal.uploads.server_had_it(entry.seq, T0, "CONFLICT: both", server)
    receipt = journal.receipts.get(receipt_id)
    assert receipt is not None
    # The paper in the customer's hand: code and date unchanged; the server's copy beside it.
    assert (receipt.state, receipt.fiscal_code, receipt.fiscal_date) == (
        ReceiptState.DONE,
        "C1",
        printed.fiscal_date,
    )
    assert receipt.server_response == server
    assert receipt.error == "CONFLICT: both"
    code = journal.codes.get("C1")
    assert code is not None
    assert (code.state, code.used_by) == (OfflineCodeState.BURNED, receipt_id)
    assert journal.queue.pending_count() == 0
    assert [(e.seq, e.error) for e in journal.queue.set_aside_entries()] == [
        (entry.seq, "CONFLICT: both")
    ]
    with pytest.raises(NoFreeOfflineCodeError):  # C1 is never issued again
        journal.receipts.commit(NewReceipt(str(uuid.uuid4()), "SELL", 100, T0), offline_at=T0)


def test_code_used_before_re_codes_only_what_nobody_holds_on_paper(journal: Journal) -> None:
    journal.codes.add([("C1", 1), ("C2", 2), ("C3", 3)], T0)
    journal.queue.issue(QueueKind.GO_OFFLINE, str(uuid.uuid4()), T0)
    receipt_id = offline_sale(journal)
    entry = journal.queue.peek_next()
    assert entry is not None
    assert (entry.kind, entry.fiscal_code) == (QueueKind.GO_OFFLINE, "C1")
    again = journal.uploads.code_was_used(entry.seq, T0)
    assert (again.seq, again.fiscal_code, again.fiscal_date) == (entry.seq, "C3", entry.fiscal_date)
    assert code_state(journal, "C1") is OfflineCodeState.BURNED
    assert journal.queue.peek_next() == again
    with pytest.raises(NoFreeOfflineCodeError):  # nothing changes when no code is left
        journal.uploads.code_was_used(entry.seq, T0)
    assert code_state(journal, "C3") is OfflineCodeState.USED
    journal.uploads.accepted(entry.seq, T0)
    # A printed receipt is never re-coded (invariant 9).
    receipt_entry = journal.queue.peek_next()
    assert receipt_entry is not None
    with pytest.raises(ReceiptStateError):
        journal.uploads.code_was_used(receipt_entry.seq, T0)
    assert journal.receipts.get(receipt_id).fiscal_code == "C2"  # type: ignore[union-attr]
    assert code_state(journal, "C2") is OfflineCodeState.USED
