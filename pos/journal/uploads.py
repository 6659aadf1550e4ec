"""The uploader's atomic steps: what the server said about a queued offline transaction.

Each outcome changes the queue entry, the offline code and the receipt or shift together, in one
transaction, so an upload interrupted by a crash resumes exactly where it stopped: an entry is
either still pending (send it again under the same id) or finished with everything recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from pos.journal import offline_codes
from pos.journal.errors import NotFoundError, ReceiptStateError
from pos.journal.offline_queue import finish, queue_record, set_aside
from pos.journal.records import (
    OfflineCodeState,
    QueueEntry,
    QueueKind,
    QueueState,
    ReceiptState,
)
from pos.journal.store import Store, json_text
from pos.journal.tables import OfflineCodeRow, OfflineQueueRow, ReceiptRow, ShiftRow


def _pending(session: Session, seq: int) -> OfflineQueueRow:
    row = session.get(OfflineQueueRow, seq)
    if row is None:
        raise NotFoundError(f"queue entry {seq} does not exist")
    if row.state != QueueState.PENDING.value:
        raise ReceiptStateError(f"queue entry {seq} is already {row.state}")
    return row


def _receipt(session: Session, receipt_id: str) -> ReceiptRow:
    row = session.get(ReceiptRow, receipt_id)
    if row is None:
        raise NotFoundError(f"receipt {receipt_id} is not in the journal")
    if row.state != ReceiptState.OFFLINE_ISSUED.value:
        raise ReceiptStateError(f"receipt {receipt_id} is {row.state}, not offline_issued")
    return row


class Uploads:
    def __init__(self, store: Store) -> None:
        self._store = store

    def accepted(
        self, seq: int, now: datetime, server_response: Mapping[str, Any] | None = None
    ) -> None:
        """The server accepted the entry: entry done, its code uploaded, a receipt uploaded."""
        with self._store.write() as session:
            entry = _pending(session, seq)
            finish(entry, now)
            session.add(entry)
            code = (
                None
                if entry.fiscal_code is None
                else session.get(OfflineCodeRow, entry.fiscal_code)
            )
            if code is not None and code.state != OfflineCodeState.BURNED.value:
                # (burned already: a go-offline that took a printed copy's code, which stays
                # linked to that copy)
                offline_codes.set_state(session, code.fiscal_code, OfflineCodeState.UPLOADED, now)
            if entry.kind == QueueKind.RECEIPT.value:
                receipt = _receipt(session, entry.subject_id)
                receipt.state = ReceiptState.UPLOADED.value
                receipt.server_response = json_text(
                    None if server_response is None else dict(server_response)
                )
                receipt.updated_at = now
                session.add(receipt)
            elif server_response is not None and entry.kind in (
                QueueKind.SHIFT_OPEN.value,
                QueueKind.SHIFT_CLOSE.value,
            ):
                shift = session.get(ShiftRow, entry.subject_id)
                if shift is not None:
                    shift.server_response = json_text(dict(server_response))
                    shift.updated_at = now
                    session.add(shift)

    def refused(self, seq: int, now: datetime, error: str) -> None:
        """The server refused the entry for good: the entry set aside for the manager, a
        receipt issued offline marked failed and its code burned (printed, so never reused),
        all in one transaction, so a crash never leaves a set-aside receipt "offline issued"."""
        with self._store.write() as session:
            entry = _pending(session, seq)
            set_aside(entry, now, error)
            session.add(entry)
            if entry.kind == QueueKind.RECEIPT.value:
                receipt = session.get(ReceiptRow, entry.subject_id)
                if receipt is not None and receipt.state == ReceiptState.OFFLINE_ISSUED.value:
                    receipt.state = ReceiptState.FAILED.value
                    receipt.error = error
                    receipt.updated_at = now
                    session.add(receipt)
            if entry.fiscal_code is not None:
                code = session.get(OfflineCodeRow, entry.fiscal_code)
                if code is not None and code.state == OfflineCodeState.USED.value:
                    offline_codes.set_state(
                        session, entry.fiscal_code, OfflineCodeState.BURNED, now
                    )

    def server_had_it(
        self,
        seq: int,
        now: datetime,
        note: str,
        server_response: Mapping[str, Any] | None = None,
    ) -> None:
        """ "Вказаний id чеку вже існує" under another code: the online attempt of this receipt
        had arrived and Checkbox fiscalised it itself, while the customer got the offline copy.
        The printed receipt never changes (invariant 9): its offline code and date stay, the
        server's answer (its code, id and date) is recorded beside them, and the entry is set
        aside as a conflict for the manager (``note`` names both), never uploaded again. The
        receipt counts as fiscalised (Checkbox has it once, in its totals); the offline code is
        burned, so it is never issued again, and stays linked to the receipt."""
        with self._store.write() as session:
            entry = _pending(session, seq)
            if entry.kind != QueueKind.RECEIPT.value:
                raise ReceiptStateError(f"queue entry {seq} is a {entry.kind}, not a receipt")
            receipt = _receipt(session, entry.subject_id)
            receipt.state = ReceiptState.DONE.value
            receipt.server_response = json_text(
                None if server_response is None else dict(server_response)
            )
            receipt.error = note
            receipt.updated_at = now
            session.add(receipt)
            set_aside(entry, now, note)
            session.add(entry)
            if entry.fiscal_code is not None:
                offline_codes.set_state(session, entry.fiscal_code, OfflineCodeState.BURNED, now)

    def take_printed_code(self, seq: int, code: str, now: datetime) -> QueueEntry:
        """The period's go-offline spends the code printed on an offline copy Checkbox will never
        take (its receipt id already holds Checkbox's own document): on Checkbox that code is
        then used, so its automatic offline can never sign another document with it. The
        go-offline's own code was never printed nor sent (it is pending), and is burned."""
        with self._store.write() as session:
            entry = _pending(session, seq)
            if entry.kind != QueueKind.GO_OFFLINE.value:
                raise ReceiptStateError(f"queue entry {seq} is a {entry.kind}, not a go-offline")
            old = entry.fiscal_code
            if old == code:
                return queue_record(entry)
            if old is not None:
                offline_codes.set_state(session, old, OfflineCodeState.BURNED, now)
            entry.fiscal_code = code
            entry.error = f"takes the code {code} of a printed copy Checkbox will not take"
            session.add(entry)
            session.flush()
            return queue_record(entry)

    def code_was_used(self, seq: int, now: datetime) -> QueueEntry:
        """ "Offline code … was used before!": burn the entry's code and give it the next free
        one (same fiscal date, same place in the queue); the shift opened with it takes it too.
        Receipts and Z-reports are printed, so they are refused here (invariant 9)."""
        with self._store.write() as session:
            entry = _pending(session, seq)
            if entry.kind in (QueueKind.RECEIPT.value, QueueKind.SHIFT_CLOSE.value):
                # A printed receipt or Z-report never changes its code (invariant 9).
                raise ReceiptStateError(f"queue entry {seq} is printed ({entry.kind}): no re-code")
            old = entry.fiscal_code
            if old is not None:
                offline_codes.set_state(session, old, OfflineCodeState.BURNED, now)
            new = offline_codes.take_free_code(session, entry.subject_id, now)
            entry.fiscal_code = new
            entry.attempts += 1
            entry.error = f"offline code {old} was used before"
            session.add(entry)
            if entry.kind == QueueKind.SHIFT_OPEN.value:
                shift = session.get(ShiftRow, entry.subject_id)
                if shift is not None:
                    shift.open_fiscal_code = new
                    shift.updated_at = now
                    session.add(shift)
            session.flush()
            return queue_record(entry)
