"""Receipts with their lines, payments and discounts (invariants 1 and 2).

``commit`` stores a receipt and everything in it in ONE transaction, before it is printed or sent;
offline, the same transaction also spends the offline code, takes the fiscal instant and queues the
upload, so a crash leaves either nothing or a complete, queued receipt. The receipt's UUID is fixed
at commit and every later state change refers to it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from pos.journal import offline_queue
from pos.journal.errors import NotFoundError, ReceiptStateError
from pos.journal.held_carts import CLEAR_SOLD
from pos.journal.instants import from_micros, to_micros
from pos.journal.records import (
    NewReceipt,
    QueueKind,
    Receipt,
    ReceiptDiscount,
    ReceiptLine,
    ReceiptPayment,
    ReceiptState,
)
from pos.journal.store import Store, codes_text, codes_tuple, json_text, json_value
from pos.journal.tables import (
    ReceiptDiscountRow,
    ReceiptLineRow,
    ReceiptPaymentRow,
    ReceiptRow,
)

S = ReceiptState
NON_FISCAL_TYPES = frozenset({"SERVICE_IN", "SERVICE_OUT"})
"""Service cash in/out: non-fiscal (the guide: ``fiscal_code``/``fiscal_date`` null, never sent
to the tax service), so issued offline they spend no offline code and take no fiscal instant."""
# Which state may follow which. DONE may follow OFFLINE_ISSUED: the ambiguous receipt whose online
# attempt had arrived after all takes the server's fiscal code.
ALLOWED: dict[ReceiptState, frozenset[ReceiptState]] = {
    S.COMMITTED: frozenset({S.SENDING, S.DONE, S.OFFLINE_ISSUED, S.FAILED, S.VOID}),
    S.SENDING: frozenset({S.COMMITTED, S.DONE, S.OFFLINE_ISSUED, S.FAILED, S.VOID}),
    S.OFFLINE_ISSUED: frozenset({S.UPLOADED, S.DONE, S.FAILED, S.VOID}),
    S.FAILED: frozenset({S.VOID}),
    S.DONE: frozenset(),
    S.UPLOADED: frozenset(),
    S.VOID: frozenset(),
}


def _line_rows(receipt: NewReceipt) -> list[ReceiptLineRow]:
    return [
        ReceiptLineRow(
            receipt_id=receipt.id,
            position=position,
            code=line.code,
            name=line.name,
            barcode=line.barcode,
            price=line.price,
            quantity=line.quantity,
            sum=line.sum,
            tax_codes=codes_text(line.tax_codes),
            is_return=line.is_return,
            excise_barcodes=json.dumps(list(line.excise_barcodes), ensure_ascii=False),
            uktzed=line.uktzed,
        )
        for position, line in enumerate(receipt.lines, start=1)
    ]


def _check_integers(receipt: NewReceipt) -> None:
    """Money is integer kopecks: a float (or Decimal) reaching here is a bug upstream."""
    amounts: list[object] = [
        receipt.total_sum,
        receipt.discounts_sum,
        receipt.extra_charge_sum,
        receipt.round_sum,
        receipt.total_payment,
        receipt.rest,
    ]
    for line in receipt.lines:
        amounts += [line.price, line.quantity, line.sum]
    amounts += [p.value for p in receipt.payments]
    for d in receipt.discounts:
        amounts += [d.value, d.sum]
    for amount in amounts:
        if type(amount) is not int:
            raise TypeError(f"journal amounts must be int, got {type(amount).__name__}")


def _to_record(session: Session, row: ReceiptRow) -> Receipt:
    lines = session.exec(
        select(ReceiptLineRow)
        .where(col(ReceiptLineRow.receipt_id) == row.id)
        .order_by(col(ReceiptLineRow.position))
    ).all()
    payments = session.exec(
        select(ReceiptPaymentRow)
        .where(col(ReceiptPaymentRow.receipt_id) == row.id)
        .order_by(col(ReceiptPaymentRow.position))
    ).all()
    discounts = session.exec(
        select(ReceiptDiscountRow)
        .where(col(ReceiptDiscountRow.receipt_id) == row.id)
        .order_by(col(ReceiptDiscountRow.position))
    ).all()
    return Receipt(
        id=row.id,
        type=row.type,
        state=ReceiptState(row.state),
        is_offline=row.is_offline,
        total_sum=row.total_sum,
        created_at=row.created_at,
        updated_at=row.updated_at,
        lines=tuple(
            ReceiptLine(
                code=li.code,
                name=li.name,
                price=li.price,
                quantity=li.quantity,
                sum=li.sum,
                tax_codes=codes_tuple(li.tax_codes),
                barcode=li.barcode,
                is_return=li.is_return,
                excise_barcodes=tuple(json.loads(li.excise_barcodes)),
                uktzed=li.uktzed,
            )
            for li in lines
        ),
        payments=tuple(
            ReceiptPayment(p.type, p.value, p.label, json_value(p.details)) for p in payments
        ),
        discounts=tuple(
            ReceiptDiscount(
                d.type, d.mode, d.value, d.sum, d.name, d.line_position, codes_tuple(d.tax_codes)
            )
            for d in discounts
        ),
        discounts_sum=row.discounts_sum,
        extra_charge_sum=row.extra_charge_sum,
        round_sum=row.round_sum,
        total_payment=row.total_payment,
        rest=row.rest,
        shift_id=row.shift_id,
        related_receipt_id=row.related_receipt_id,
        fiscal_code=row.fiscal_code,
        fiscal_date=row.fiscal_date,
        server_response=json_value(row.server_response),
        error=row.error,
        delivery=json_value(row.delivery),
    )


_INSERT_RECEIPT = (
    "INSERT INTO receipt (id, shift_id, type, state, is_offline, total_sum, discounts_sum, "
    "extra_charge_sum, round_sum, total_payment, rest, related_receipt_id, created_at, "
    "updated_at, delivery) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_LINE = (
    "INSERT INTO receipt_line (receipt_id, position, code, name, barcode, price, quantity, sum, "
    "tax_codes, is_return, excise_barcodes, uktzed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_PAYMENT = (
    "INSERT INTO receipt_payment (receipt_id, position, type, value, label, details) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
_INSERT_DISCOUNT = (
    "INSERT INTO receipt_discount (receipt_id, position, line_position, type, mode, value, sum, "
    "name, tax_codes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class Receipts:
    def __init__(self, store: Store) -> None:
        self._store = store

    def commit(
        self,
        receipt: NewReceipt,
        *,
        offline_at: datetime | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> Receipt:
        """Store the receipt durably (state ``committed``). With ``offline_at`` (the wall-clock
        now), fiscalise it locally in the same transaction: next free code, next fiscal instant,
        queued for upload (state ``offline_issued``). Raises NoFreeOfflineCodeError, leaving
        nothing behind, if the pool is empty."""
        _check_integers(receipt)
        if offline_at is None:
            return self._commit_online(receipt)
        with self._store.write() as session:
            row = ReceiptRow(
                id=receipt.id,
                shift_id=receipt.shift_id,
                type=str(receipt.type),
                state=S.COMMITTED.value,
                total_sum=receipt.total_sum,
                discounts_sum=receipt.discounts_sum,
                extra_charge_sum=receipt.extra_charge_sum,
                round_sum=receipt.round_sum,
                total_payment=receipt.total_payment,
                rest=receipt.rest,
                related_receipt_id=receipt.related_receipt_id,
                created_at=receipt.created_at,
                updated_at=receipt.created_at,
                delivery=json_text(receipt.delivery),
            )
            session.add(row)
            session.flush()  # the receipt row first: lines refer to it
            session.add_all(_line_rows(receipt))
            session.add_all(
                ReceiptPaymentRow(
                    receipt_id=receipt.id,
                    position=position,
                    type=str(p.type),
                    value=p.value,
                    label=p.label,
                    details=json_text(p.details),
                )
                for position, p in enumerate(receipt.payments, start=1)
            )
            session.add_all(
                ReceiptDiscountRow(
                    receipt_id=receipt.id,
                    position=position,
                    line_position=d.line_position,
                    type=str(d.type),
                    mode=str(d.mode),
                    value=d.value,
                    sum=d.sum,
                    name=d.name,
                    tax_codes=codes_text(d.tax_codes),
                )
                for position, d in enumerate(receipt.discounts, start=1)
            )
            session.flush()
            if receipt.sold_cart is not None:
                session.connection().exec_driver_sql(CLEAR_SOLD, (receipt.sold_cart,))
            if offline_at is not None:
                self._issue_offline(session, row, offline_at, payload)
            return _to_record(session, row)

    def issue_offline(
        self, receipt_id: str, now: datetime, payload: Mapping[str, Any] | None = None
    ) -> Receipt:
        """Fiscalise an already committed receipt locally under the same id (e.g. its online
        attempt timed out and the server is now unreachable)."""
        with self._store.write() as session:
            row = self._row(session, receipt_id)
            self._issue_offline(session, row, now, payload)
            return _to_record(session, row)

    def mark_sending(self, receipt_id: str, now: datetime) -> Receipt:
        return self._move(receipt_id, S.SENDING, now)

    def mark_done(
        self,
        receipt_id: str,
        now: datetime,
        fiscal_code: str | None,
        fiscal_date: datetime | None,
        server_response: Mapping[str, Any] | None = None,
    ) -> Receipt:
        """Fiscalised (online, or the server's copy of an ambiguous receipt wins)."""
        return self._move(
            receipt_id,
            S.DONE,
            now,
            fiscal_code=fiscal_code,
            fiscal_date=fiscal_date,
            server_response=json_text(None if server_response is None else dict(server_response)),
            error=None,
        )

    def mark_uploaded(
        self, receipt_id: str, now: datetime, server_response: Mapping[str, Any] | None = None
    ) -> Receipt:
        return self._move(
            receipt_id,
            S.UPLOADED,
            now,
            server_response=json_text(None if server_response is None else dict(server_response)),
        )

    def mark_failed(self, receipt_id: str, now: datetime, error: str) -> Receipt:
        return self._move(receipt_id, S.FAILED, now, error=error)

    def mark_void(self, receipt_id: str, now: datetime, reason: str) -> Receipt:
        return self._move(receipt_id, S.VOID, now, error=reason)

    def get(self, receipt_id: str) -> Receipt | None:
        with self._store.read() as session:
            row = session.get(ReceiptRow, receipt_id)
            return None if row is None else _to_record(session, row)

    def list(
        self,
        *,
        shift_id: str | None = None,
        states: tuple[ReceiptState, ...] = (),
        limit: int | None = None,
        related_to: str | None = None,
        fiscal_code: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        newest_first: bool = False,
    ) -> list[Receipt]:
        """Receipts in commit order (or newest first), optionally of one shift, in some
        states, returning one sale, with one fiscal code, or committed within [since, until)."""
        query = select(ReceiptRow)
        if shift_id is not None:
            query = query.where(col(ReceiptRow.shift_id) == shift_id)
        if related_to is not None:
            query = query.where(col(ReceiptRow.related_receipt_id) == related_to)
        if fiscal_code is not None:
            query = query.where(col(ReceiptRow.fiscal_code) == fiscal_code)
        if since is not None:
            query = query.where(col(ReceiptRow.created_at) >= since)
        if until is not None:
            query = query.where(col(ReceiptRow.created_at) < until)
        if states:
            query = query.where(col(ReceiptRow.state).in_([s.value for s in states]))
        if newest_first:
            query = query.order_by(col(ReceiptRow.created_at).desc(), col(ReceiptRow.id))
        else:
            query = query.order_by(col(ReceiptRow.created_at), col(ReceiptRow.id))
        if limit is not None:
            query = query.limit(limit)
        with self._store.read() as session:
            return [_to_record(session, row) for row in session.exec(query).all()]

    def count(self, *, states: tuple[ReceiptState, ...]) -> int:
        """How many receipts are in ``states`` (the status line's queue), without loading them."""
        if not states:
            return 0
        marks = ", ".join("?" * len(states))
        return int(
            self._store.scalar(
                f"SELECT count(*) FROM receipt WHERE state IN ({marks})",
                tuple(ReceiptState(s).value for s in states),
            )
        )

    def _commit_online(self, receipt: NewReceipt) -> Receipt:
        """The sale's hot path: one transaction of prepared statements (sqlite3 keeps them
        compiled by their text), no ORM objects, and the record made from what was written
        instead of read back (it was 10× a raw INSERT+COMMIT through the ORM)."""
        created = from_micros(to_micros(receipt.created_at))
        stamp = to_micros(created)
        lines = [
            (
                receipt.id,
                position,
                li.code,
                li.name,
                li.barcode,
                li.price,
                li.quantity,
                li.sum,
                codes_text(li.tax_codes),
                int(li.is_return),
                json.dumps(list(li.excise_barcodes), ensure_ascii=False),
                li.uktzed,
            )
            for position, li in enumerate(receipt.lines, start=1)
        ]
        payments = [
            (receipt.id, position, str(p.type), p.value, p.label, json_text(p.details))
            for position, p in enumerate(receipt.payments, start=1)
        ]
        discounts = [
            (
                receipt.id,
                position,
                d.line_position,
                str(d.type),
                str(d.mode),
                d.value,
                d.sum,
                d.name,
                codes_text(d.tax_codes),
            )
            for position, d in enumerate(receipt.discounts, start=1)
        ]
        with self._store.write() as session:
            connection = session.connection()  # errors come as SQLAlchemy's, as before
            connection.exec_driver_sql(
                _INSERT_RECEIPT,
                (
                    receipt.id,
                    receipt.shift_id,
                    str(receipt.type),
                    S.COMMITTED.value,
                    receipt.total_sum,
                    receipt.discounts_sum,
                    receipt.extra_charge_sum,
                    receipt.round_sum,
                    receipt.total_payment,
                    receipt.rest,
                    receipt.related_receipt_id,
                    stamp,
                    stamp,
                    json_text(receipt.delivery),
                ),
            )
            for statement, rows in (
                (_INSERT_LINE, lines),
                (_INSERT_PAYMENT, payments),
                (_INSERT_DISCOUNT, discounts),
            ):
                if rows:
                    connection.exec_driver_sql(statement, rows)
            if receipt.sold_cart is not None:
                connection.exec_driver_sql(CLEAR_SOLD, (receipt.sold_cart,))
        return Receipt(
            id=receipt.id,
            type=str(receipt.type),
            state=S.COMMITTED,
            is_offline=False,
            total_sum=receipt.total_sum,
            created_at=created,
            updated_at=created,
            lines=tuple(
                dataclasses.replace(
                    li,
                    tax_codes=codes_tuple(codes_text(li.tax_codes)),
                    excise_barcodes=tuple(li.excise_barcodes),
                )
                for li in receipt.lines
            ),
            payments=tuple(
                ReceiptPayment(str(p.type), p.value, p.label, json_value(json_text(p.details)))
                for p in receipt.payments
            ),
            discounts=tuple(
                ReceiptDiscount(
                    str(d.type),
                    str(d.mode),
                    d.value,
                    d.sum,
                    d.name,
                    d.line_position,
                    codes_tuple(codes_text(d.tax_codes)),
                )
                for d in receipt.discounts
            ),
            discounts_sum=receipt.discounts_sum,
            extra_charge_sum=receipt.extra_charge_sum,
            round_sum=receipt.round_sum,
            total_payment=receipt.total_payment,
            rest=receipt.rest,
            shift_id=receipt.shift_id,
            related_receipt_id=receipt.related_receipt_id,
            delivery=json_value(json_text(receipt.delivery)),
        )

    # ---- internals ----------------------------------------------------------------------------

    @staticmethod
    def _row(session: Session, receipt_id: str) -> ReceiptRow:
        row = session.get(ReceiptRow, receipt_id)
        if row is None:
            raise NotFoundError(f"receipt {receipt_id} is not in the journal")
        return row

    @staticmethod
    def _check_move(row: ReceiptRow, to: ReceiptState) -> None:
        current = ReceiptState(row.state)
        if to not in ALLOWED[current]:
            raise ReceiptStateError(f"receipt {row.id} cannot go from {current} to {to}")

    def _issue_offline(
        self,
        session: Session,
        row: ReceiptRow,
        now: datetime,
        payload: Mapping[str, Any] | None,
    ) -> None:
        self._check_move(row, S.OFFLINE_ISSUED)
        row.state = S.OFFLINE_ISSUED.value
        row.is_offline = True
        row.updated_at = now
        if row.type in NON_FISCAL_TYPES:
            offline_queue.queue_non_fiscal(session, QueueKind.RECEIPT, row.id, now, payload)
            session.add(row)
            session.flush()
            return
        issue = offline_queue.issue_offline(session, QueueKind.RECEIPT, row.id, now, payload)
        row.fiscal_code = issue.fiscal_code
        row.fiscal_date = issue.fiscal_date
        row.updated_at = now
        session.add(row)
        session.flush()

    def _move(self, receipt_id: str, to: ReceiptState, now: datetime, **fields: Any) -> Receipt:
        with self._store.write() as session:
            row = self._row(session, receipt_id)
            self._check_move(row, to)
            _keep_printed_code(row, fields)
            row.state = to.value
            row.updated_at = now
            for name, value in fields.items():
                setattr(row, name, value)
            session.add(row)
            session.flush()
            return _to_record(session, row)


def _keep_printed_code(row: ReceiptRow, fields: Mapping[str, Any]) -> None:
    """A printed receipt never changes (invariant 9): once a receipt carries a fiscal code (an
    offline one from the moment it was committed offline), no later move may give it another
    code or date. The server's own code for it, if different, is recorded beside it instead
    (``Uploads.server_had_it``)."""
    if row.fiscal_code is None:
        return
    code = fields.get("fiscal_code", row.fiscal_code)
    date = fields.get("fiscal_date", row.fiscal_date)
    if code != row.fiscal_code or (row.fiscal_date is not None and date != row.fiscal_date):
        raise ReceiptStateError(
            f"receipt {row.id} is printed with code {row.fiscal_code}: it is never re-coded"
        )
