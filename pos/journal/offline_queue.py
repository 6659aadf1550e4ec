"""Offline transactions waiting for upload, strictly in the order they were issued.

The sequence is an AUTOINCREMENT key, so order is the order of commits and a number is never
reused even after rows are gone. The uploader takes the lowest pending entry, sends it, and marks it
done; an entry the server refuses for good is set aside with the error so the manager sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from pos.journal import fiscal_clock, offline_codes
from pos.journal.errors import NotFoundError, ReceiptStateError
from pos.journal.records import OfflineIssue, QueueEntry, QueueKind, QueueState
from pos.journal.store import Store, json_text, json_value
from pos.journal.tables import OfflineQueueRow


def queue_record(row: OfflineQueueRow) -> QueueEntry:
    assert row.seq is not None
    return QueueEntry(
        seq=row.seq,
        kind=QueueKind(row.kind),
        subject_id=row.subject_id,
        fiscal_date=row.fiscal_date,
        state=QueueState(row.state),
        fiscal_code=row.fiscal_code,
        payload=json_value(row.payload),
        attempts=row.attempts,
        error=row.error,
    )


def enqueue(
    session: Session,
    kind: QueueKind,
    subject_id: str,
    fiscal_date: datetime,
    now: datetime,
    fiscal_code: str | None = None,
    payload: Mapping[str, Any] | None = None,
) -> int:
    row = OfflineQueueRow(
        kind=kind.value,
        subject_id=subject_id,
        fiscal_code=fiscal_code,
        fiscal_date=fiscal_date,
        payload=json_text(None if payload is None else dict(payload)),
        enqueued_at=now,
    )
    session.add(row)
    session.flush()
    assert row.seq is not None
    return row.seq


def issue_offline(
    session: Session,
    kind: QueueKind,
    subject_id: str,
    now: datetime,
    payload: Mapping[str, Any] | None = None,
) -> OfflineIssue:
    """Inside a write transaction: spend the next free code, take the next fiscal instant and
    queue the transaction: all three or none."""
    code = offline_codes.take_free_code(session, subject_id, now)
    instant = fiscal_clock.take_next_instant(session, now)
    seq = enqueue(session, kind, subject_id, instant, now, code, payload)
    return OfflineIssue(fiscal_code=code, fiscal_date=instant, queue_seq=seq)


def queue_non_fiscal(
    session: Session,
    kind: QueueKind,
    subject_id: str,
    now: datetime,
    payload: Mapping[str, Any] | None = None,
) -> int:
    """Inside a write transaction: queue a non-fiscal document (a service cash in/out, which the
    guide says never goes to the tax service: ``fiscal_code`` null) in its place among the offline
    transactions. It spends no code and takes no fiscal instant; its entry is dated ``now``, the
    moment it was made, for the manager's list only."""
    return enqueue(session, kind, subject_id, now, now, None, payload)


def finish(row: OfflineQueueRow, now: datetime) -> None:
    """The entry reached the server: done, one more attempt, no error."""
    row.state = QueueState.DONE.value
    row.attempts += 1
    row.error = None
    row.finished_at = now


def set_aside(row: OfflineQueueRow, now: datetime, error: str) -> None:
    """The entry is out of the queue for good, kept for the manager with why."""
    row.state = QueueState.SET_ASIDE.value
    row.attempts += 1
    row.error = error
    row.finished_at = now


class OfflineQueue:
    def __init__(self, store: Store) -> None:
        self._store = store

    def issue(
        self,
        kind: QueueKind,
        subject_id: str,
        now: datetime,
        payload: Mapping[str, Any] | None = None,
    ) -> OfflineIssue:
        """Issue a go-offline (or any other) transaction with the next code and instant."""
        with self._store.write() as session:
            return issue_offline(session, kind, subject_id, now, payload)

    def enqueue(
        self,
        kind: QueueKind,
        subject_id: str,
        fiscal_date: datetime,
        now: datetime,
        fiscal_code: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> int:
        """Queue a transaction that needs no code of its own (e.g. go-online)."""
        with self._store.write() as session:
            return enqueue(session, kind, subject_id, fiscal_date, now, fiscal_code, payload)

    def peek_next(self) -> QueueEntry | None:
        """The oldest pending entry, or None when the queue is drained."""
        with self._store.read() as session:
            row = session.exec(
                select(OfflineQueueRow)
                .where(col(OfflineQueueRow.state) == QueueState.PENDING.value)
                .order_by(col(OfflineQueueRow.seq))
                .limit(1)
            ).first()
            return None if row is None else queue_record(row)

    def pending(self) -> list[QueueEntry]:
        return self._list(QueueState.PENDING)

    def set_aside_entries(self) -> list[QueueEntry]:
        return self._list(QueueState.SET_ASIDE)

    def pending_count(self) -> int:
        return self._count(QueueState.PENDING)

    def set_aside_count(self) -> int:
        """How many entries the server refused for good (the status line's figure)."""
        return self._count(QueueState.SET_ASIDE)

    def _count(self, state: QueueState) -> int:
        return int(
            self._store.scalar("SELECT count(*) FROM offline_queue WHERE state = ?", (state.value,))
        )

    def get(self, seq: int) -> QueueEntry | None:
        with self._store.read() as session:
            row = session.get(OfflineQueueRow, seq)
            return None if row is None else queue_record(row)

    def record_attempt(self, seq: int, error: str | None = None) -> None:
        """An upload attempt that neither succeeded nor failed for good (e.g. a timeout)."""
        with self._store.write() as session:
            row = self._pending_row(session, seq)
            row.attempts += 1
            row.error = error
            session.add(row)

    def mark_done(self, seq: int, now: datetime) -> None:
        with self._store.write() as session:
            row = self._pending_row(session, seq)
            finish(row, now)
            session.add(row)

    def set_aside(self, seq: int, error: str, now: datetime) -> None:
        """The server refused the entry for good; keep it for the manager, go on with the next."""
        with self._store.write() as session:
            row = self._pending_row(session, seq)
            set_aside(row, now, error)
            session.add(row)

    def _list(self, state: QueueState) -> list[QueueEntry]:
        with self._store.read() as session:
            rows = session.exec(
                select(OfflineQueueRow)
                .where(col(OfflineQueueRow.state) == state.value)
                .order_by(col(OfflineQueueRow.seq))
            ).all()
            return [queue_record(row) for row in rows]

    @staticmethod
    def _pending_row(session: Session, seq: int) -> OfflineQueueRow:
        row = session.get(OfflineQueueRow, seq)
        if row is None:
            raise NotFoundError(f"queue entry {seq} does not exist")
        if row.state != QueueState.PENDING.value:
            raise ReceiptStateError(f"queue entry {seq} is already {row.state}")
        return row
