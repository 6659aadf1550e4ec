"""The chain receipts of customer orders (advances, after-payments, a chain's return) as rows of
the receipts report.

Why apart from the receipts' SQL: they live in their own table (``order_receipt``, migration 5)
with ISO-text times and the fiscal sums as JSON, and a shop has few of them next to its sales
(tens a day against thousands), so they are read whole for the query's period and merged with
the page of receipts in Python (``pos.reports.receipts``). Their sums follow
``pos.orders.receipts_report.report_sums`` (seed 004's ``prepaidSum``: the advances an
after-payment sets off). Only fiscalised ones (state ``done``) are documents; a chain receipt is
never offline (Checkbox issues prepayment receipts online only).

A source without the table or the cashier columns (an old journal, a back-office database whose
views do not copy them yet) simply has no such rows: :func:`capabilities` says what it holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, inspect, select

from pos.journal.instants import to_micros
from pos.orders.model import ChainRole, OrderReceipt, OrderReceiptState, fiscal_of
from pos.orders.receipts_report import report_sums
from pos.reports.periods import Period
from pos.reports.schema import customer_order, order_receipt, shift


@dataclass(frozen=True)
class Capabilities:
    """What a source's tables hold beyond the reports' schema of migration 4."""

    order_receipts: bool
    receipt_cashier: bool
    shift_cashier: bool
    order_cashier: bool


def capabilities(connection: Connection) -> Capabilities:
    """Read once per journal connection (cached in its ``info``: a journal is migrated before
    anything reads it). Another database's are read each time: a pooled connection serves
    several registers' views, which a back-office upgrade may change under it."""
    cache = connection.dialect.name == "sqlite"
    cached = connection.info.get("pos_report_capabilities") if cache else None
    if isinstance(cached, Capabilities):
        return cached
    inspector = inspect(connection)

    def columns(table: str) -> set[str]:
        if not inspector.has_table(table):
            return set()
        return {c["name"] for c in inspector.get_columns(table)}

    orders = columns("order_receipt")
    found = Capabilities(
        order_receipts=bool(orders),
        receipt_cashier="cashier" in columns("receipt"),
        shift_cashier="cashier" in columns("shift"),
        order_cashier="cashier" in orders,
    )
    if cache:
        connection.info["pos_report_capabilities"] = found
    return found


@dataclass(frozen=True)
class OrderRow:
    """One fiscalised chain receipt with what the report sorts, filters and shows."""

    id: str
    order_id: str
    order_number: int
    kind: ChainRole
    instant: int  # UTC microseconds, as the receipts' report date
    shift_id: str | None
    serial: int
    fiscal_code: str
    cashier: str
    sums: dict[str, Any]

    @property
    def type(self) -> str:
        """The receipt type shown in the report's totals (``by_type``)."""
        return {
            ChainRole.PREPAYMENT: "PREPAYMENT",
            ChainRole.AFTER_PAYMENT: "AFTER_PAYMENT",
            ChainRole.RETURN: "CHAIN_RETURN",
        }[self.kind]


def _when(text: str | None) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stamp(micros: int, margin: timedelta) -> str:
    return (datetime.fromtimestamp(micros / 1_000_000, UTC) + margin).isoformat()


def _receipt(row: Any) -> OrderReceipt:
    created = _when(row.created_at)
    assert created is not None
    fiscal = row.fiscal if isinstance(row.fiscal, dict) else json.loads(row.fiscal)
    return OrderReceipt(
        id=row.id,
        kind=ChainRole(row.kind),
        state=OrderReceiptState(row.state),
        fiscal=fiscal_of(fiscal),
        cash_sum=int(row.cash_sum),
        card_sum=int(row.card_sum),
        qr_sum=int(row.qr_sum),
        created_at=created,
        shift_id=row.shift_id,
        fiscal_code=row.fiscal_code,
        fiscal_date=_when(row.fiscal_date),
    )


def order_rows(connection: Connection, period: Period) -> list[OrderRow]:
    """Every fiscalised chain receipt of the period (inclusive), oldest first."""
    found = capabilities(connection)
    if not found.order_receipts:
        return []
    # ISO UTC text compares as time; a day's margin covers text without microseconds, then the
    # exact instants are compared below.
    margin = timedelta(days=1)
    columns = [
        order_receipt.c.id,
        order_receipt.c.order_id,
        order_receipt.c.kind,
        order_receipt.c.state,
        order_receipt.c.shift_id,
        order_receipt.c.fiscal,
        order_receipt.c.cash_sum,
        order_receipt.c.card_sum,
        order_receipt.c.qr_sum,
        order_receipt.c.fiscal_code,
        order_receipt.c.fiscal_date,
        order_receipt.c.created_at,
    ]
    if found.order_cashier:
        columns.append(order_receipt.c.cashier)
    statement = select(*columns).where(
        order_receipt.c.state == OrderReceiptState.DONE.value,
        order_receipt.c.created_at >= _stamp(period.start, -margin),
        order_receipt.c.created_at <= _stamp(period.end, margin),
    )
    chosen = []
    for row in connection.execute(statement):
        receipt = _receipt(row)
        moment = receipt.fiscal_date or receipt.created_at
        instant = to_micros(moment)
        if period.start <= instant <= period.end:
            chosen.append((row, receipt, instant))
    if not chosen:
        return []
    order_ids = sorted({r.order_id for r, _, _ in chosen})
    chains: dict[str, list[OrderReceipt]] = {}
    for row in connection.execute(
        select(*columns[:12]).where(order_receipt.c.order_id.in_(order_ids))
    ):
        chains.setdefault(row.order_id, []).append(_receipt(row))
    numbers = dict(
        connection.execute(
            select(customer_order.c.id, customer_order.c.number).where(
                customer_order.c.id.in_(order_ids)
            )
        ).all()
    )
    shift_ids = sorted({r.shift_id for r, _, _ in chosen if r.shift_id})
    serials: dict[str, int | None] = {
        sid: serial
        for sid, serial in connection.execute(
            select(shift.c.id, shift.c.serial).where(shift.c.id.in_(shift_ids))
        )
    }
    rows = [
        OrderRow(
            id=receipt.id,
            order_id=row.order_id,
            order_number=int(numbers.get(row.order_id) or 0),
            kind=receipt.kind,
            instant=instant,
            shift_id=receipt.shift_id,
            serial=int(serials.get(receipt.shift_id or "") or 0),
            fiscal_code=receipt.fiscal_code or "",
            cashier=(row.cashier or "") if found.order_cashier else "",
            sums=report_sums(receipt, chains.get(row.order_id, [receipt])),
        )
        for row, receipt, instant in chosen
    ]
    rows.sort(key=lambda r: (r.instant, r.id))
    return rows


def order_instants_by_shift(connection: Connection, shift_ids: list[str]) -> dict[str, list[int]]:
    """The report dates of the fiscalised chain receipts of these shifts, sorted (for each
    document's position in its shift)."""
    if not shift_ids or not capabilities(connection).order_receipts:
        return {}
    found: dict[str, list[int]] = {}
    statement = select(
        order_receipt.c.shift_id, order_receipt.c.fiscal_date, order_receipt.c.created_at
    ).where(
        order_receipt.c.shift_id.in_(shift_ids),
        order_receipt.c.state == OrderReceiptState.DONE.value,
    )
    for shift_id, fiscal_date, created_at in connection.execute(statement):
        moment = _when(fiscal_date) or _when(created_at)
        assert moment is not None
        found.setdefault(shift_id, []).append(to_micros(moment))
    for instants in found.values():
        instants.sort()
    return found
