"""Customer orders' chain receipts (advance, after-payment, a chain's return) in the sales
analyses (`pos.reports.sales`) and the shift summaries (`pos.reports.shifts`).

They live in their own table (``order_receipt``, ISO-text times, fiscal sums as JSON), so the
analyses' SQL over ``receipt`` misses them; a shop has few of them, so they are read here whole
for the period and added in Python. What an accountant expects from them, and how Checkbox's own
X/Z counts them (both chain receipts come back as SELL receipts; ``pos.domain.prepayment``):

* **Money** (sales by time, by payment type, returns, a shift's payments, counts and cash
  balance): an advance is a sale of what it took, on the day and in the payment types it was
  taken (cash net of change); the after-payment a sale of the rest only; a chain's return a
  return of what each receipt took. Each is one sale (or return) receipt, as in Checkbox's
  ``sell_receipts_count``; an after-payment of a fully prepaid order is a sale of 0.
* **Tax turnover** (sales by tax): each receipt carries its own share, as its taxes were
  fiscalised: the advance's share of each line is the advance split over the order's lines in
  proportion to their totals (the split the prepayment receipt's tax was taken from); the
  after-payment takes the rest of each line as printed (the line sum less the advances' shares),
  so a chain adds up to its lines' sums, exactly like a sale of the same lines; a return mirrors
  the receipt it returns. Keyed by the line's tax-code set, as the sales' lines are.
* **Goods** (top goods and shelves): the goods leave the shop with the after-payment, so the
  order's whole lines (quantity and line sum) count on the after-payment's day; an advance moves
  no goods, and the return of an advance returns none (the register returns only chains not
  handed over).
* The order's discounts and extra charges count once, with the after-payment (its fiscal
  carries them).

Only fiscalised receipts (state ``done``) count; their moment is the fiscal date (else when
committed). A source without the tables (an old journal, a back-office database whose views do
not copy them) simply has none.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Column, Connection, MetaData, Table, Text, inspect, select

from pos.domain.discounts import distribute
from pos.domain.receipt import FiscalReceipt, PaymentType
from pos.journal.instants import to_micros
from pos.journal.store import codes_text
from pos.orders.model import (
    ChainRole,
    OrderReceiptState,
    discount_of,
    fiscal_of,
    line_of,
    price_order,
)
from pos.reports.periods import Period
from pos.reports.schema import order_receipt

_orders = Table(
    "customer_order",
    MetaData(),
    Column("id", Text, primary_key=True),
    Column("lines", Text),
    Column("discount", Text),
)


@dataclass(frozen=True)
class ChainGood:
    code: str
    name: str
    quantity: int  # thousandths
    sum: int  # the line sum as printed (before discounts)


@dataclass(frozen=True)
class ChainSale:
    """One fiscalised chain receipt as the analyses count it."""

    id: str
    kind: ChainRole
    instant: int  # UTC microseconds
    shift_id: str | None
    fiscal: FiscalReceipt
    turnover: dict[str, int] = field(default_factory=dict)  # tax-code set → share
    goods: tuple[ChainGood, ...] = ()  # handed over (after-payment) or taken back

    @property
    def is_return(self) -> bool:
        return self.kind is ChainRole.RETURN

    def net_by_type(self) -> dict[str, int]:
        """Money per payment type, the change taken out of the cash."""
        net = {PaymentType.CASH.value: 0, PaymentType.CASHLESS.value: 0}
        for p in self.fiscal.payments:
            net[p.type.value] += p.value
        net[PaymentType.CASH.value] -= self.fiscal.rest
        return net


def has_chains(connection: Connection) -> bool:
    """The source holds chain receipts and their orders' lines (cached per SQLite connection)."""
    cache = connection.dialect.name == "sqlite"
    if cache and "pos_chain_sales" in connection.info:
        return bool(connection.info["pos_chain_sales"])
    inspector = inspect(connection)
    found = inspector.has_table("order_receipt") and inspector.has_table("customer_order")
    if found:
        columns = {c["name"] for c in inspector.get_columns("customer_order")}
        found = {"lines", "discount"} <= columns
    if cache:
        connection.info["pos_chain_sales"] = found
    return found


def _when(text: str | None) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


_COLUMNS = (
    order_receipt.c.id,
    order_receipt.c.order_id,
    order_receipt.c.kind,
    order_receipt.c.shift_id,
    order_receipt.c.fiscal,
    order_receipt.c.fiscal_date,
    order_receipt.c.created_at,
)


def _stamp(micros: int, margin: timedelta) -> str:
    return (datetime.fromtimestamp(micros / 1_000_000, UTC) + margin).isoformat()


def chain_sales(
    connection: Connection, period: Period | None = None, shift_id: str | None = None
) -> list[ChainSale]:
    """The fiscalised chain receipts of the period (inclusive) or of one shift, oldest first."""
    if not has_chains(connection):
        return []
    done = order_receipt.c.state == OrderReceiptState.DONE.value
    statement = select(*_COLUMNS).where(done)
    if shift_id is not None:
        statement = statement.where(order_receipt.c.shift_id == shift_id)
    if period is not None:  # ISO text compares as time; a day's margin, exact instants below
        margin = timedelta(days=1)
        statement = statement.where(
            order_receipt.c.created_at >= _stamp(period.start, -margin),
            order_receipt.c.created_at <= _stamp(period.end, margin),
        )
    chosen = []
    for row in connection.execute(statement):
        moment = _when(row.fiscal_date) or _when(row.created_at)
        assert moment is not None
        instant = to_micros(moment)
        if period is None or period.start <= instant <= period.end:
            chosen.append((row, instant))
    if not chosen:
        return []
    order_ids = sorted({row.order_id for row, _ in chosen})
    chains: dict[str, list[Any]] = {}
    for row in connection.execute(
        select(*_COLUMNS).where(done, order_receipt.c.order_id.in_(order_ids))
    ):
        chains.setdefault(row.order_id, []).append(row)
    orders = {
        oid: (lines, discount)
        for oid, lines, discount in connection.execute(
            select(_orders.c.id, _orders.c.lines, _orders.c.discount).where(
                _orders.c.id.in_(order_ids)
            )
        )
    }
    shares: dict[str, tuple[dict[str, int], tuple[ChainGood, ...]]] = {}
    for oid in order_ids:
        lines, discount = orders.get(oid, ("[]", None))
        shares.update(_order_shares(_json(lines) or [], _json(discount), chains.get(oid, [])))
    sales = [
        ChainSale(
            id=row.id,
            kind=ChainRole(row.kind),
            instant=instant,
            shift_id=row.shift_id,
            fiscal=fiscal_of(_json(row.fiscal)),
            turnover=shares.get(row.id, ({}, ()))[0],
            goods=shares.get(row.id, ({}, ()))[1],
        )
        for row, instant in chosen
    ]
    sales.sort(key=lambda s: (s.instant, s.id))
    return sales


def _order_shares(
    lines: Sequence[dict[str, Any]], discount: dict[str, Any] | None, rows: Sequence[Any]
) -> dict[str, tuple[dict[str, int], tuple[ChainGood, ...]]]:
    """Each chain receipt's turnover per tax-code set and the goods it moves (module doc)."""
    if not lines:
        return {}
    priced = price_order(tuple(line_of(li) for li in lines), discount_of(discount))
    keys = [codes_text(pl.line.good.tax_codes) for pl in priced.lines]
    goods = tuple(
        ChainGood(pl.line.good.code, pl.line.good.name, pl.line.quantity, pl.sum)
        for pl in priced.lines
    )
    ordered = sorted(rows, key=lambda r: (str(r.created_at), r.id))
    found: dict[str, tuple[dict[str, int], tuple[ChainGood, ...]]] = {}
    advanced = [0] * len(priced.lines)
    kept: list[tuple[int, dict[str, int], tuple[ChainGood, ...]]] = []  # what a return mirrors
    for row in ordered:
        kind = ChainRole(row.kind)
        total = int(_json(row.fiscal)["total_sum"])
        if kind is ChainRole.PREPAYMENT:
            parts = distribute(total, [pl.total for pl in priced.lines])
            advanced = [a + p for a, p in zip(advanced, parts, strict=True)]
            entry: tuple[dict[str, int], tuple[ChainGood, ...]] = (_by_key(keys, parts), ())
        elif kind is ChainRole.AFTER_PAYMENT:
            parts = [pl.sum - a for pl, a in zip(priced.lines, advanced, strict=True)]
            entry = (_by_key(keys, parts), goods)
        else:
            match = next((k for k in kept if k[0] == total), kept[0] if kept else None)
            if match is not None:
                kept.remove(match)
            entry = ({}, ()) if match is None else (match[1], match[2])
            found[row.id] = entry
            continue
        kept.append((total, *entry))
        found[row.id] = entry
    return found


def _by_key(keys: Sequence[str], parts: Sequence[int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, part in zip(keys, parts, strict=True):
        out[key] = out.get(key, 0) + part
    return out
