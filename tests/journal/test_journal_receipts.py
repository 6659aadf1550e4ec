"""Receipts are committed whole or not at all, and keep their id through every state."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from pos.journal import Journal, NoFreeOfflineCodeError, ReceiptStateError
from pos.journal.records import (
    NewReceipt,
    OfflineCodeState,
    QueueKind,
    ReceiptDiscount,
    ReceiptLine,
    ReceiptPayment,
    ReceiptState,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def sale(total: int = 56300, *, quantity: int = 1000, receipt_id: str | None = None) -> NewReceipt:
    return NewReceipt(
        id=receipt_id or str(uuid.uuid4()),
        type="SELL",
        total_sum=total,
        created_at=T0,
        lines=(
            ReceiptLine("500", "Вино ігристе", 19500, quantity, 19500, (1,), "2000000000009"),
            ReceiptLine(
                "501", "Ромовий напій", 20900, 2000, 41800, (1,), excise_barcodes=("ACVI735229",)
            ),
        ),
        payments=(ReceiptPayment("CASHLESS", total, "Картка", {"card_mask": "XXXX6734"}),),
        discounts=(ReceiptDiscount("DISCOUNT", "VALUE", 5000, 5000, "Знижка", None, (1,)),),
        discounts_sum=5000,
        total_payment=total,
    )


def table_counts(journal: Journal) -> dict[str, int]:
    tables = ("receipt", "receipt_line", "receipt_payment", "receipt_discount", "offline_queue")
    with journal.engine.connect() as connection:
        return {
            t: connection.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one() for t in tables
        }


def test_commit_round_trips_every_part(journal: Journal) -> None:
    committed = journal.receipts.commit(sale())
    again = journal.receipts.get(committed.id)
    assert again == committed
    assert committed.state is ReceiptState.COMMITTED
    assert not committed.is_offline
    assert [line.sum for line in committed.lines] == [19500, 41800]
    assert committed.lines[1].excise_barcodes == ("ACVI735229",)
    assert committed.payments[0].details == {"card_mask": "XXXX6734"}
    assert committed.discounts[0].tax_codes == (1,)
    assert committed.created_at == T0


def test_a_failure_mid_commit_leaves_nothing(journal: Journal) -> None:
    # The second line violates a CHECK after the receipt row and first line were written.
    with pytest.raises(IntegrityError):
        journal.receipts.commit(sale(quantity=0))
    assert set(table_counts(journal).values()) == {0}


def test_offline_commit_without_codes_leaves_nothing(journal: Journal) -> None:
    with pytest.raises(NoFreeOfflineCodeError):
        journal.receipts.commit(sale(), offline_at=T0)
    assert set(table_counts(journal).values()) == {0}
    assert journal.clock.last_instant() is None


def test_money_must_be_integer(journal: Journal) -> None:
    bad = NewReceipt(id=str(uuid.uuid4()), type="SELL", total_sum=100.5, created_at=T0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        journal.receipts.commit(bad)


def test_offline_commit_takes_code_instant_and_queue_atomically(journal: Journal) -> None:
    journal.codes.add([("TEST-b", 2), ("TEST-a", 1)], T0)
    receipt = journal.receipts.commit(sale(), offline_at=T0, payload={"cashier_name": "Тест"})
    assert receipt.state is ReceiptState.OFFLINE_ISSUED
    assert receipt.is_offline
    assert receipt.fiscal_code == "TEST-a"  # lowest serial first
    assert receipt.fiscal_date == T0
    code = journal.codes.get("TEST-a")
    assert code is not None
    assert code.state is OfflineCodeState.USED
    assert code.used_by == receipt.id
    entry = journal.queue.peek_next()
    assert entry is not None
    assert entry.kind is QueueKind.RECEIPT
    assert entry.subject_id == receipt.id
    assert (entry.fiscal_code, entry.fiscal_date) == ("TEST-a", T0)
    assert entry.payload == {"cashier_name": "Тест"}


def test_the_same_id_cannot_be_committed_twice(journal: Journal) -> None:
    first = journal.receipts.commit(sale())
    with pytest.raises(IntegrityError):
        journal.receipts.commit(sale(receipt_id=first.id))


def test_ambiguous_receipt_goes_offline_under_the_same_id(journal: Journal) -> None:
    journal.codes.add([("TEST-a", 1)], T0)
    receipt = journal.receipts.commit(sale())
    journal.receipts.mark_sending(receipt.id, T0)
    offline = journal.receipts.issue_offline(receipt.id, T0 + timedelta(seconds=30))
    assert offline.id == receipt.id
    assert offline.state is ReceiptState.OFFLINE_ISSUED
    # A printed receipt is never re-coded: not even the server's code replaces its own.
    server_date = T0 + timedelta(seconds=1)
    with pytest.raises(ReceiptStateError):
        journal.receipts.mark_done(receipt.id, T0, "ONLINE-1", server_date, {"id": receipt.id})
    kept = journal.receipts.get(receipt.id)
    assert kept is not None
    assert (kept.state, kept.fiscal_code) == (ReceiptState.OFFLINE_ISSUED, "TEST-a")


def test_state_rules(journal: Journal) -> None:
    receipt = journal.receipts.commit(sale())
    journal.receipts.mark_sending(receipt.id, T0)
    journal.receipts.mark_done(receipt.id, T0, "FC-1", T0)
    with pytest.raises(ReceiptStateError):
        journal.receipts.mark_sending(receipt.id, T0)
    with pytest.raises(ReceiptStateError):
        journal.receipts.issue_offline(receipt.id, T0)
    failed = journal.receipts.commit(sale())
    journal.receipts.mark_failed(failed.id, T0, "Сума оплат менша за суму чека")
    assert journal.receipts.mark_void(failed.id, T0, "cancelled").state is ReceiptState.VOID


def test_list_filters_by_shift_and_state(journal: Journal) -> None:
    shift = journal.shifts.open(str(uuid.uuid4()), T0)
    a = journal.receipts.commit(
        NewReceipt(
            id=str(uuid.uuid4()),
            type="SERVICE_IN",
            total_sum=100000,
            created_at=T0,
            shift_id=shift.id,
        )
    )
    journal.receipts.commit(sale())
    assert [r.id for r in journal.receipts.list(shift_id=shift.id)] == [a.id]
    assert len(journal.receipts.list(states=(ReceiptState.COMMITTED,))) == 2
    assert journal.receipts.list(states=(ReceiptState.DONE,)) == []


def test_the_fast_commit_gives_what_the_journal_reads_back(journal: Journal) -> None:
    """The sale's hot path writes with prepared statements and builds its record itself: it
    must be exactly what a read gives (lines, payments with details, discounts, instants)."""
    from datetime import timedelta, timezone

    from pos.journal.records import NewReceipt, ReceiptDiscount, ReceiptLine, ReceiptPayment

    kyiv_time = datetime(2026, 12, 1, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    new = NewReceipt(
        id="fast-1",
        type="SELL",
        total_sum=16060,
        created_at=kyiv_time,
        lines=(
            ReceiptLine("1", "Молоко", 4690, 2000, 9380, (5, 1), "4820000000014"),
            ReceiptLine("2", "Пиво", 3690, 1000, 3690, (1,), None, False, ("ABC123",), "2203"),
        ),
        payments=(
            ReceiptPayment("CASH", 10000, "Готівка"),
            ReceiptPayment("CASHLESS", 6100, "Картка", {"rrn": "1", "card_mask": "4***1"}),
        ),
        discounts=(ReceiptDiscount("DISCOUNT", "VALUE", 500, 500, "Знижка", 1, (5,)),),
        discounts_sum=500,
        total_payment=16100,
        rest=40,
    )
    made = journal.receipts.commit(new)
    assert made == journal.receipts.get("fast-1")
    assert made.created_at == kyiv_time
