"""Shifts of the register: open, closed, and the offline opening/closing transactions.

At most one shift is current (not closed or failed). Offline open and close spend an offline code
and a fiscal instant and are queued in the same transaction, like offline receipts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from pos.journal import offline_queue
from pos.journal.errors import NotFoundError, ReceiptStateError
from pos.journal.records import QueueKind, Shift, ShiftState
from pos.journal.store import Store, json_text, json_value
from pos.journal.tables import ShiftRow

_CURRENT = (ShiftState.OPENING.value, ShiftState.OPENED.value, ShiftState.CLOSING.value)


def _record(row: ShiftRow) -> Shift:
    return Shift(
        id=row.id,
        state=ShiftState(row.state),
        is_offline=row.is_offline,
        initial_balance=row.initial_balance,
        created_at=row.created_at,
        updated_at=row.updated_at,
        serial=row.serial,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        open_fiscal_code=row.open_fiscal_code,
        open_fiscal_date=row.open_fiscal_date,
        close_fiscal_code=row.close_fiscal_code,
        close_fiscal_date=row.close_fiscal_date,
        z_report=json_value(row.z_report),
        server_response=json_value(row.server_response),
    )


def _current_row(session: Session) -> ShiftRow | None:
    return session.exec(
        select(ShiftRow)
        .where(col(ShiftRow.state).in_(_CURRENT))
        .order_by(col(ShiftRow.created_at).desc())
        .limit(1)
    ).first()


class Shifts:
    def __init__(self, store: Store) -> None:
        self._store = store

    def open(
        self,
        shift_id: str,
        now: datetime,
        initial_balance: int = 0,
        *,
        offline: bool = False,
        payload: Mapping[str, Any] | None = None,
    ) -> Shift:
        """Journal a new shift: ``opening`` online (the server confirms later), or ``opened``
        offline with its code and fiscal instant taken and the shift-open queued."""
        with self._store.write() as session:
            if _current_row(session) is not None:
                raise ReceiptStateError("a shift is already open")
            row = ShiftRow(
                id=shift_id,
                state=ShiftState.OPENING.value,
                initial_balance=initial_balance,
                created_at=now,
                updated_at=now,
            )
            if offline:
                issue = offline_queue.issue_offline(
                    session, QueueKind.SHIFT_OPEN, shift_id, now, payload
                )
                row.state = ShiftState.OPENED.value
                row.is_offline = True
                row.opened_at = issue.fiscal_date
                row.open_fiscal_code = issue.fiscal_code
                row.open_fiscal_date = issue.fiscal_date
            session.add(row)
            session.flush()
            return _record(row)

    def open_offline(
        self, shift_id: str, now: datetime, payload: Mapping[str, Any] | None = None
    ) -> Shift:
        """An ``opening`` shift whose online open could not be settled is opened locally under
        the same id (code + instant + queued shift-open); at upload the server settles it."""
        with self._store.write() as session:
            row = self._row(session, shift_id)
            if row.state != ShiftState.OPENING.value:
                raise ReceiptStateError(f"shift {shift_id} is {row.state}")
            issue = offline_queue.issue_offline(
                session, QueueKind.SHIFT_OPEN, shift_id, now, payload
            )
            row.state = ShiftState.OPENED.value
            row.is_offline = True
            row.opened_at = issue.fiscal_date
            row.open_fiscal_code = issue.fiscal_code
            row.open_fiscal_date = issue.fiscal_date
            row.updated_at = now
            session.add(row)
            session.flush()
            return _record(row)

    def close_offline(
        self, shift_id: str, now: datetime, z_report: Mapping[str, Any] | None = None
    ) -> Shift:
        """Close the shift locally: code + instant + queued shift-close with its Z-report body."""
        with self._store.write() as session:
            row = self._row(session, shift_id)
            if row.state not in _CURRENT:
                raise ReceiptStateError(f"shift {shift_id} is {row.state}")
            report = None if z_report is None else dict(z_report)
            issue = offline_queue.issue_offline(
                session, QueueKind.SHIFT_CLOSE, shift_id, now, report
            )
            row.state = ShiftState.CLOSED.value
            row.closed_at = issue.fiscal_date
            row.close_fiscal_code = issue.fiscal_code
            row.close_fiscal_date = issue.fiscal_date
            row.z_report = json_text(report)
            row.updated_at = now
            session.add(row)
            session.flush()
            return _record(row)

    def update(
        self,
        shift_id: str,
        now: datetime,
        *,
        state: ShiftState | None = None,
        serial: int | None = None,
        opened_at: datetime | None = None,
        closed_at: datetime | None = None,
        z_report: Mapping[str, Any] | None = None,
        server_response: Mapping[str, Any] | None = None,
    ) -> Shift:
        """Record what the server said about the shift (online open/close, Z-report)."""
        with self._store.write() as session:
            row = self._row(session, shift_id)
            if state is not None:
                if row.state in (ShiftState.CLOSED.value, ShiftState.FAILED.value):
                    raise ReceiptStateError(f"shift {shift_id} is already {row.state}")
                row.state = state.value
            if serial is not None:
                row.serial = serial
            if opened_at is not None:
                row.opened_at = opened_at
            if closed_at is not None:
                row.closed_at = closed_at
            if z_report is not None:
                row.z_report = json_text(dict(z_report))
            if server_response is not None:
                row.server_response = json_text(dict(server_response))
            row.updated_at = now
            session.add(row)
            session.flush()
            return _record(row)

    def current(self) -> Shift | None:
        with self._store.read() as session:
            row = _current_row(session)
            return None if row is None else _record(row)

    def get(self, shift_id: str) -> Shift | None:
        with self._store.read() as session:
            row = session.get(ShiftRow, shift_id)
            return None if row is None else _record(row)

    def list(self, limit: int = 100) -> list[Shift]:
        """The latest shifts, newest first."""
        with self._store.read() as session:
            rows = session.exec(
                select(ShiftRow).order_by(col(ShiftRow.created_at).desc()).limit(limit)
            ).all()
            return [_record(row) for row in rows]

    @staticmethod
    def _row(session: Session, shift_id: str) -> ShiftRow:
        row = session.get(ShiftRow, shift_id)
        if row is None:
            raise NotFoundError(f"shift {shift_id} is not in the journal")
        return row
