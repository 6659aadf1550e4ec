"""The receipts report: the OFD "receipts report" query model over our journal.

Query (``ReceiptsQuery.from_mapping``): ``date_from``/``date_to`` inclusive, Kyiv time (a date alone
is 00:00:00 / 23:59:59); ``limit``/``offset``; filters ``document_types``, ``operation_types``,
``payment_types``, ``shifts`` (shift serials), ``fiscal_sign`` (our fiscal code), ``fiscal_doc``
(our document number), ``cashbox_ids`` (register fiscal numbers), ``offline``, ``sync_states`` and
``search`` (a fiscal code prefix or a document number); ``orders`` applied in sequence, ``-`` for
descending. Anything else is refused, naming it. The answer is ``{"data": [...], "total": N}``
(plus ``totals``, the sums over all N rows, for the totals row).

How each seed field maps to a document of a Ukrainian PRRO (money is integer kopecks, not the
seed's float roubles; a return's sums are positive, its ``operation`` says it is a return):

- ``real_date``: the fiscal date (Kyiv), or when it was committed if the server gave none;
- ``shift``: the shift's serial number given by Checkbox (0 while an offline shift is unknown);
- ``number``: the document's position among its shift's fiscal documents, by fiscal date;
- ``doc_number``: the journal's local document number (the order receipts were committed in;
  shift opening/closing documents have none and show 0);
- ``operation``: ``income`` for a sale, ``income_return`` for a return, ``""`` otherwise;
- ``code_name``: the kind of document, in Ukrainian (``document_type`` carries its key:
  ``receipt``, ``serviceIn``, ``serviceOut``, ``cashWithdrawal``, ``openShift``, ``closeShift``);
- ``totalSum``: the receipt's total; ``cashTotalSum``: cash taken less the change (cash paid out
  for a return or service out); ``ecashTotalSum``: card payments;
- ``prepaidSum``: what was settled from a prepayment (:func:`pos.reports.schema.prepaid_sum`);
- ``creditSum``, ``provisionSum``: always 0 (a PRRO sale has no post-payment or barter);
- ``fn``: the Checkbox register id; ``rn``: the register's fiscal number (ФН ПРРО);
- ``fiscalSign``: the fiscal code printed on the receipt (a string: the tax service's codes are
  not integers).

Our own fields: ``fiscal_code``, ``offline``, ``sync`` (``online``, ``pending`` upload,
``uploaded``), ``id``, ``register`` (the fiscal number of the register the row comes from) and
``shop`` (its shop in the back-office database; "" on a journal).
"""

from __future__ import annotations

import bisect
import functools
import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from pos.reports.order_receipts import (
    OrderRow,
    capabilities,
    order_instants_by_shift,
    order_rows,
)
from pos.reports.periods import Period, ReportInputError, kyiv_text
from pos.reports.schema import (
    NOT_FISCAL_STATES,
    card_of_receipt,
    cash_of_receipt,
    is_fiscal,
    prepaid_sum,
    receipt,
    receipt_hour_total,
    receipt_instant,
    shift,
    shift_close_instant,
    shift_open_instant,
)
from pos.reports.sources import Register

DOCUMENT_TYPES: dict[str, str] = {
    "receipt": "чек",
    "serviceIn": "службове внесення",
    "serviceOut": "службова видача",
    "cashWithdrawal": "видача готівки",
    "openShift": "відкриття зміни",
    "closeShift": "закриття зміни",
}
_TYPE_OF_RECEIPT = {
    "SELL": "receipt",
    "RETURN": "receipt",
    "SERVICE_IN": "serviceIn",
    "SERVICE_OUT": "serviceOut",
    "CASH_WITHDRAWAL": "cashWithdrawal",
}
OPERATIONS: dict[str, str] = {"income": "SELL", "income_return": "RETURN"}
PAYMENT_TYPES: dict[str, str] = {"cash": "CASH", "cashless": "CASHLESS"}
SYNC_STATES: tuple[str, ...] = ("online", "pending", "uploaded")
ORDER_KEYS: tuple[str, ...] = (
    "date",
    "shift",
    "rn",
    "fn",
    "doc_number",
    "number",
    "totalSum",
    "cashTotalSum",
    "ecashTotalSum",
)
_NOT_OURS = ("company_ids", "retail_point_ids", "taxation_types")
_KEYS = (
    "date_from",
    "date_to",
    "limit",
    "offset",
    "cashbox_ids",
    "document_types",
    "operation_types",
    "payment_types",
    "fiscal_sign",
    "fiscal_doc",
    "shifts",
    "offline",
    "sync_states",
    "search",
    "cashiers",
    "orders",
)
MAX_LIMIT = 100_000


def _strings(body: Mapping[str, Any], key: str, allowed: Sequence[str] | None) -> tuple[str, ...]:
    value = body.get(key)
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
        raise ReportInputError(f"{key} must be a list of strings, got {value!r}")
    for item in items:
        if allowed is not None and item not in allowed:
            raise ReportInputError(f"unknown {key} value {item!r}; known: {', '.join(allowed)}")
    return tuple(items)


def _integer(body: Mapping[str, Any], key: str, default: int | None) -> int | None:
    value = body.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ReportInputError(f"{key} must be an integer, got {value!r}")
    try:
        number = int(value)
    except ValueError:
        raise ReportInputError(f"{key} must be an integer, got {value!r}") from None
    if number < 0:
        raise ReportInputError(f"{key} must not be negative, got {value!r}")
    return number


@dataclass(frozen=True)
class ReceiptsQuery:
    date_from: str
    date_to: str
    period: Period
    limit: int | None = None
    offset: int = 0
    cashbox_ids: tuple[str, ...] = ()
    document_types: tuple[str, ...] = ()
    operation_types: tuple[str, ...] = ()
    payment_types: tuple[str, ...] = ()
    fiscal_sign: str | None = None
    fiscal_doc: int | None = None
    shifts: tuple[int, ...] = ()
    offline: bool | None = None
    sync_states: tuple[str, ...] = ()
    search: str | None = None
    cashiers: tuple[str, ...] = ()
    orders: tuple[str, ...] = ()
    shift_ids: tuple[str, ...] = ()  # set by the program (a cashier's own shift), not a filter

    @classmethod
    def from_mapping(cls, body: Mapping[str, Any]) -> ReceiptsQuery:
        """Parse and check a query body; refuses unknown keys and values, naming them."""
        for key in body:
            if key in _NOT_OURS:
                raise ReportInputError(f"filter {key!r} does not apply to a Ukrainian PRRO")
            if key not in _KEYS:
                raise ReportInputError(f"unknown filter {key!r}")
        for key in ("date_from", "date_to"):
            if not isinstance(body.get(key), str):
                raise ReportInputError(f"{key} is required (YYYY-MM-DD[ hh:mm:ss])")
        period = Period.parse(body["date_from"], body["date_to"])
        limit = _integer(body, "limit", None)
        if limit is not None and limit > MAX_LIMIT:
            raise ReportInputError(f"limit {limit} is above {MAX_LIMIT}")
        orders = _strings(body, "orders", None)
        for order in orders:
            if order.removeprefix("-") not in ORDER_KEYS:
                raise ReportInputError(
                    f"unknown order key {order!r}; known: {', '.join(ORDER_KEYS)}"
                )
        raw_shifts = body.get("shifts")
        shifts: tuple[int, ...] = ()
        if raw_shifts is not None:
            items = raw_shifts if isinstance(raw_shifts, list | tuple) else [raw_shifts]
            try:
                shifts = tuple(int(item) for item in items if not isinstance(item, bool))
            except (TypeError, ValueError):
                raise ReportInputError(f"shifts must be integers, got {raw_shifts!r}") from None
            if len(shifts) != len(items):
                raise ReportInputError(f"shifts must be integers, got {raw_shifts!r}")
        offline = body.get("offline")
        if offline is not None and not isinstance(offline, bool):
            raise ReportInputError(f"offline must be true or false, got {offline!r}")
        fiscal_sign = body.get("fiscal_sign")
        if fiscal_sign is not None and not isinstance(fiscal_sign, str | int):
            raise ReportInputError(f"fiscal_sign must be a fiscal code, got {fiscal_sign!r}")
        search = body.get("search")
        if search is not None and not isinstance(search, str):
            raise ReportInputError(f"search must be text, got {search!r}")
        return cls(
            date_from=body["date_from"],
            date_to=body["date_to"],
            period=period,
            limit=limit,
            offset=_integer(body, "offset", 0) or 0,
            cashbox_ids=_strings(body, "cashbox_ids", None),
            document_types=_strings(body, "document_types", tuple(DOCUMENT_TYPES)),
            operation_types=_strings(body, "operation_types", tuple(OPERATIONS)),
            payment_types=_strings(body, "payment_types", tuple(PAYMENT_TYPES)),
            fiscal_sign=None if fiscal_sign is None else str(fiscal_sign),
            fiscal_doc=_integer(body, "fiscal_doc", None),
            shifts=shifts,
            offline=offline,
            sync_states=_strings(body, "sync_states", SYNC_STATES),
            search=(search or "").strip() or None,
            cashiers=_strings(body, "cashiers", None),
            orders=orders,
        )

    def with_page(self, limit: int | None, offset: int) -> ReceiptsQuery:
        return _replace(self, limit=limit, offset=offset)

    def with_orders(self, orders: Sequence[str]) -> ReceiptsQuery:
        return _replace(self, orders=tuple(orders))

    def with_shift_ids(self, shift_ids: Sequence[str]) -> ReceiptsQuery:
        return _replace(self, shift_ids=tuple(shift_ids))


def _replace(query: ReceiptsQuery, **changes: Any) -> ReceiptsQuery:
    return replace(query, **changes)


@dataclass
class ReceiptsAnswer:
    data: list[dict[str, Any]]
    total: int
    totals: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"data": self.data, "total": self.total, "totals": self.totals}


# --- SQL ----------------------------------------------------------------------------------------
#
# Each kind of document is one arm (receipts, shift openings, shift closings). A page is the
# receipts' SELECT ordered and cut by SQLite itself, walking the covering report index (or, by
# amount, migration 12's amount index), merged here with the period's few shift documents and
# chain receipts. Counts and totals are per arm, from the covering report index, added up here.


def keeps_report_figures(connection: Connection) -> bool:
    """The journal keeps each receipt's position in its shift, the hour totals and the index for
    the amount order (migration 12). Read once per journal connection; a back-office database
    has none of them and counts."""
    if connection.dialect.name != "sqlite":
        return False
    cached = connection.info.get("pos_report_figures")
    if isinstance(cached, bool):
        return cached
    columns = connection.exec_driver_sql("SELECT name FROM pragma_table_info('receipt')")
    found = "shift_position" in set(columns.scalars())
    connection.info["pos_report_figures"] = found
    return found


def _number(stored: bool = False) -> ColumnElement[int]:
    """The receipt's position among its shift's fiscal documents, by report date (kept by the
    journal's triggers where ``stored``, else counted)."""
    if stored:
        return func.coalesce(receipt.c.shift_position, 0)
    earlier = receipt.alias("earlier")
    return (
        select(func.count())
        .where(
            earlier.c.shift_id == receipt.c.shift_id,
            earlier.c.report_at <= receipt.c.report_at,
            is_fiscal(earlier),
        )
        .scalar_subquery()
    )


def _serial_of_receipt() -> ColumnElement[int]:
    return func.coalesce(
        select(shift.c.serial).where(shift.c.id == receipt.c.shift_id).scalar_subquery(), 0
    )


def _shift_ids(serials: Sequence[int]) -> Select[tuple[str]]:
    return select(shift.c.id).where(shift.c.serial.in_(serials))


def _receipt_sync(state: ColumnElement[str] = receipt.c.state) -> ColumnElement[str]:
    return case(
        (state == "offline_issued", "pending"),
        (state == "uploaded", "uploaded"),
        else_="online",
    )


def _shift_sync() -> ColumnElement[str]:
    return case(
        (shift.c.is_offline == 0, "online"),
        (shift.c.serial.is_(None), "pending"),
        else_="uploaded",
    )


def _search_clause(text: str, code: ColumnElement[str], number: ColumnElement[int] | None) -> Any:
    clauses: list[Any] = [code.like(f"{text}%")]
    if number is not None and text.isdigit():
        clauses.append(number == int(text))
    return or_(*clauses)


def _receipt_types(q: ReceiptsQuery) -> list[str]:
    wanted = set(q.document_types) or set(DOCUMENT_TYPES)
    types = [t for t, kind in _TYPE_OF_RECEIPT.items() if kind in wanted]
    if q.operation_types:
        types = [t for t in types if t in {OPERATIONS[o] for o in q.operation_types}]
    return types


def _receipt_where(q: ReceiptsQuery, types: Sequence[str], *, walk: bool = False) -> list[Any]:
    """``walk``: the period is not to be read from the report-date index (``report_at + 0`` is
    no index term for SQLite), so that the amount index is walked in the page's order."""
    instant = receipt_instant() + 0 if walk else receipt_instant()
    where: list[Any] = [instant >= q.period.start, instant <= q.period.end, is_fiscal()]
    if len(types) < len(_TYPE_OF_RECEIPT):
        where.append(receipt.c.type.in_(types))
    if q.payment_types:
        paid = {"cash": receipt.c.cash_paid > 0, "cashless": receipt.c.cashless_paid > 0}
        where.append(or_(*(paid[p] for p in q.payment_types)))
    if q.shifts:
        where.append(receipt.c.shift_id.in_(_shift_ids(q.shifts)))
    if q.shift_ids:
        where.append(receipt.c.shift_id.in_(q.shift_ids))
    if q.fiscal_sign is not None:
        where.append(receipt.c.fiscal_code == q.fiscal_sign)
    if q.fiscal_doc is not None:
        where.append(receipt.c.doc_number == q.fiscal_doc)
    if q.offline is not None:
        where.append(receipt.c.is_offline == int(q.offline))
    if q.sync_states:
        where.append(_receipt_sync().in_(q.sync_states))
    if q.search:
        where.append(_search_clause(q.search, receipt.c.fiscal_code, receipt.c.doc_number))
    if q.cashiers:
        where.append(receipt.c.cashier.in_(q.cashiers))
    return where


def _receipt_arm(
    q: ReceiptsQuery, needs: frozenset[str], stored: bool = False, *, walk: bool = False
) -> Select[Any] | None:
    types = _receipt_types(q)
    if not types:
        return None
    others = [(receipt.c.type == t, _TYPE_OF_RECEIPT[t]) for t in types if t not in _SALE_TYPES]
    kind: ColumnElement[str] = case(*others, else_="receipt") if others else literal("receipt")
    zero = literal(0, Integer)
    return select(
        kind.label("kind"),
        literal("").label("id"),  # read with the details: the key query stays index-only
        receipt.c.type.label("type"),
        receipt.c.doc_number.label("doc_number"),
        receipt_instant().label("instant"),
        receipt.c.total_sum.label("total_sum"),
        cash_of_receipt().label("cash"),
        card_of_receipt().label("ecash"),
        (_serial_of_receipt() if "shift" in needs else zero).label("serial"),
        (_number(stored) if "number" in needs else zero).label("number"),
    ).where(*_receipt_where(q, types, walk=walk))


_SALE_TYPES = ("SELL", "RETURN")


def _shift_where(q: ReceiptsQuery, kind: str) -> list[Any] | None:
    if q.document_types and kind not in q.document_types:
        return None
    if q.operation_types or q.payment_types or q.fiscal_doc is not None:
        return None  # shift documents have no operation, payment or document number
    opening = kind == "openShift"
    instant = shift_open_instant() if opening else shift_close_instant()
    code = shift.c.open_fiscal_code if opening else shift.c.close_fiscal_code
    where: list[Any] = [instant >= q.period.start, instant <= q.period.end]
    where.append(shift.c.state != "failed" if opening else shift.c.state == "closed")
    if q.shifts:
        where.append(shift.c.serial.in_(q.shifts))
    if q.shift_ids:
        where.append(shift.c.id.in_(q.shift_ids))
    if q.fiscal_sign is not None:
        where.append(code == q.fiscal_sign)
    if q.offline is not None:
        where.append(shift.c.is_offline == int(q.offline))
    if q.sync_states:
        where.append(_shift_sync().in_(q.sync_states))
    if q.search:
        where.append(_search_clause(q.search, code, None))
    if q.cashiers:
        where.append(shift.c.cashier.in_(q.cashiers))
    return where


def _shift_arm(q: ReceiptsQuery, kind: str, needs: frozenset[str]) -> Select[Any] | None:
    where = _shift_where(q, kind)
    if where is None:
        return None
    instant = shift_open_instant() if kind == "openShift" else shift_close_instant()
    zero = literal(0, Integer)
    return select(
        literal(kind).label("kind"),
        shift.c.id.label("id"),
        literal("").label("type"),
        zero.label("doc_number"),
        instant.label("instant"),
        zero.label("total_sum"),
        zero.label("cash"),
        zero.label("ecash"),
        (func.coalesce(shift.c.serial, 0) if "shift" in needs else zero).label("serial"),
        zero.label("number"),
    ).where(*where)


_ORDER_COLUMN = {
    "date": "instant",
    "shift": "serial",
    "doc_number": "doc_number",
    "number": "number",
    "totalSum": "total_sum",
    "cashTotalSum": "cash",
    "ecashTotalSum": "ecash",
}
_NEEDS = {"shift": "shift", "number": "number"}


def _ordering(orders: Sequence[str]) -> list[tuple[str, bool]]:
    """(order key, descending) as applied: the query's keys, then the report date and the
    document number as tie-breakers, in the direction of the date's order when it was given
    (so the report-date index can deliver the order without sorting)."""
    applied = [(o.removeprefix("-"), o.startswith("-")) for o in orders]
    keys = [key for key, _ in applied]
    date_descending = next((d for k, d in applied if k == "date"), False)
    if "date" not in keys:
        applied.append(("date", False))
    if "doc_number" not in keys:
        applied.append(("doc_number", date_descending))
    return applied


def _order_by(orders: Sequence[str]) -> list[Any]:
    clauses: list[Any] = []
    for key, descending in _ordering(orders):
        name = _ORDER_COLUMN.get(key)
        if name is None:
            continue  # rn, fn: one register per journal; merged in Python
        column: ColumnElement[Any] = literal_column(name)
        clauses.append(column.desc() if descending else column.asc())
    return clauses


def _needs(q: ReceiptsQuery) -> frozenset[str]:
    return frozenset(_NEEDS[o.removeprefix("-")] for o in q.orders if o.removeprefix("-") in _NEEDS)


@dataclass(frozen=True)
class _Key:
    """A page row before its details are read: what it sorts by, and where it comes from (a
    receipt by its document number, a shift document by the shift's id)."""

    kind: str
    id: str
    values: dict[str, Any]
    register: Register

    @property
    def is_shift(self) -> bool:
        return self.kind in _SHIFT_KINDS

    @property
    def is_order(self) -> bool:
        return self.kind == _ORDER_KIND

    @property
    def ref(self) -> Any:
        return self.id if self.is_shift or self.is_order else self.values["doc_number"]


_ORDER_KIND = "orderReceipt"  # a chain receipt of a customer order (document type "receipt")


def _order_matches(q: ReceiptsQuery, row: OrderRow) -> bool:
    """The query's filters on a chain receipt (always online, with no journal number)."""
    sums = row.sums
    checks = (
        not q.document_types or "receipt" in q.document_types,
        not q.operation_types or sums["operation"] in q.operation_types,
        not q.payment_types
        or ("cash" in q.payment_types and sums["cashTotalSum"] > 0)
        or ("cashless" in q.payment_types and sums["ecashTotalSum"] > 0),
        not q.shifts or (row.shift_id is not None and row.serial in q.shifts),
        not q.shift_ids or row.shift_id in q.shift_ids,
        q.fiscal_sign is None or row.fiscal_code == q.fiscal_sign,
        q.fiscal_doc is None,
        not q.offline,
        not q.sync_states or "online" in q.sync_states,
        not q.search or row.fiscal_code.startswith(q.search),
        not q.cashiers or row.cashier in q.cashiers,
    )
    return all(checks)


def _order_rows(connection: Connection, q: ReceiptsQuery) -> list[OrderRow]:
    return [r for r in order_rows(connection, q.period) if _order_matches(q, r)]


def _receipts_before(connection: Connection, shift_id: str, instant: int) -> int:
    """Fiscal receipts of the shift up to this instant (for a chain receipt's position)."""
    statement = select(func.count()).where(
        receipt.c.shift_id == shift_id, receipt.c.report_at <= instant, is_fiscal()
    )
    return int(connection.execute(statement).scalar_one())


def _order_numbers(connection: Connection, rows: Sequence[OrderRow]) -> dict[str, int]:
    """Each chain receipt's position among its shift's fiscal documents (receipts and chain
    receipts, by report date)."""
    shift_ids = sorted({r.shift_id for r in rows if r.shift_id})
    chains = order_instants_by_shift(connection, shift_ids)
    numbers: dict[str, int] = {}
    for r in rows:
        if r.shift_id is None:
            numbers[r.id] = 0
            continue
        before = bisect.bisect_right(chains.get(r.shift_id, []), r.instant)
        numbers[r.id] = _receipts_before(connection, r.shift_id, r.instant) + before
    return numbers


def _order_keys(
    connection: Connection, register: Register, q: ReceiptsQuery, rows: Sequence[OrderRow]
) -> list[_Key]:
    numbers = _order_numbers(connection, rows) if "number" in _needs(q) else {}
    return [
        _Key(
            _ORDER_KIND,
            r.id,
            {
                "kind": _ORDER_KIND,
                "id": r.id,
                "type": r.type,
                "doc_number": 0,
                "instant": r.instant,
                "total_sum": r.sums["totalSum"],
                "cash": r.sums["cashTotalSum"],
                "ecash": r.sums["ecashTotalSum"],
                "serial": r.serial,
                "number": numbers.get(r.id, 0),
                "order_row": r,
            },
            register,
        )
        for r in rows
    ]


def _page_keys(
    connection: Connection, register: Register, q: ReceiptsQuery, limit: int | None, offset: int
) -> list[_Key]:
    """A page of one source: its receipts, cut by SQLite, merged with its shift documents and
    chain receipts, which are few (two a shift; tens a day) and read whole for the period. With K
    of those in the query, the page's receipts are among those from ``offset - K`` to ``offset +
    limit``; each merged row's place is the rows before it, so the cut is exact. (A deep page thus
    costs one walk of the report index to the offset: no compound SELECT to step through.)"""
    others = _shift_keys(connection, register, q)
    others += _order_keys(connection, register, q, _order_rows(connection, q))
    if not others:
        return _receipt_keys(connection, register, q, limit, offset)
    start = max(0, offset - len(others))
    window = None if limit is None else offset + limit - start
    fetched = _receipt_keys(connection, register, q, window, start)
    others.sort(key=_compare(q.orders))
    merged = heapq.merge(fetched, others, key=_compare(q.orders))
    page = []
    for place, key in enumerate(merged, start=start):
        if place >= offset and (limit is None or place < offset + limit):
            page.append(key)
        elif limit is not None and place >= offset + limit:
            break
    return page


def _shift_keys(connection: Connection, register: Register, q: ReceiptsQuery) -> list[_Key]:
    keys = []
    for kind in _SHIFT_KINDS:
        arm = _shift_arm(q, kind, _needs(q))
        if arm is not None:
            keys += [
                _Key(row.kind, row.id, dict(row._mapping), register)
                for row in connection.execute(arm)
            ]
    return keys


_AMOUNT_INDEX_FIRST = "totalSum"  # the order key migration 12's amount index serves


def _walks_amount_index(connection: Connection, q: ReceiptsQuery, rows: int) -> bool:
    """Whether a page sorted by amount is cheaper read in the amount index's order, filtering by
    date, than sorted from the query's receipts: when the index entries to step through to fill
    it (``rows`` times the journal's receipts over the query's) are fewer than the query has.
    Never for a search, a code, a number, shifts or cashiers: they choose few receipts, which
    sort fast, and would walk most of the index (or SQLite would read the cashier's whole year
    by the cashier index). The receipts are counted from the hour totals, or (a payment type)
    from the report index: without reading a row."""
    if not q.orders or q.orders[0].removeprefix("-") != _AMOUNT_INDEX_FIRST:
        return False
    if q.search or q.shifts or q.shift_ids or q.cashiers:
        return False
    types = _receipt_types(q)
    if q.fiscal_sign is not None or q.fiscal_doc is not None or not types:
        return False
    matching = sum(f[0] for f in _receipt_figures(connection, q, types).values())
    journal = connection.execute(select(func.max(receipt.c.doc_number))).scalar_one()
    return bool(matching) and rows * int(journal or 0) <= matching**2


def _receipt_keys(
    connection: Connection, register: Register, q: ReceiptsQuery, limit: int | None, offset: int
) -> list[_Key]:
    stored = keeps_report_figures(connection)
    walk = stored and limit is not None and _walks_amount_index(connection, q, limit + offset)
    arm = _receipt_arm(q, _needs(q), stored, walk=walk)
    if arm is None:
        return []
    statement = arm.order_by(*_order_by(q.orders))
    if limit is not None:
        statement = statement.limit(limit)
    if offset:
        statement = statement.offset(offset)
    return [
        _Key(row.kind, row.id, dict(row._mapping), register)
        for row in connection.execute(statement)
    ]


def _totals(connection: Connection, q: ReceiptsQuery) -> dict[tuple[str, str], list[int]]:
    """(kind, receipt type) → [count, total, cash, card, prepaid] over every row of the query
    (chain receipts by their role: PREPAYMENT, AFTER_PAYMENT, CHAIN_RETURN)."""
    found: dict[tuple[str, str], list[int]] = {}
    types = _receipt_types(q)
    if types:
        for rtype, figures in _receipt_figures(connection, q, types).items():
            found[(_TYPE_OF_RECEIPT[rtype], rtype)] = [*figures, 0]
    for kind in _SHIFT_KINDS:
        where = _shift_where(q, kind)
        if where is None:
            continue
        n = int(connection.execute(select(func.count()).where(*where)).scalar_one())
        if n:
            found[(kind, "")] = [n, 0, 0, 0, 0]
    for row in _order_rows(connection, q):
        acc = found.setdefault(("receipt", row.type), [0, 0, 0, 0, 0])
        acc[0] += 1
        acc[1] += row.sums["totalSum"]
        acc[2] += row.sums["cashTotalSum"]
        acc[3] += row.sums["ecashTotalSum"]
        acc[4] += row.sums["prepaidSum"]
    return found


def _receipt_figures(
    connection: Connection, q: ReceiptsQuery, types: Sequence[str]
) -> dict[str, list[int]]:
    """Receipt type → [count, total, cash, card] of the query's receipts: from the journal's hour
    totals for the period's whole hours, when the query filters nothing they do not keep, and
    from the receipts themselves for the rest."""
    split = _hour_split(connection, q)
    if split is None:
        return _figures_of_rows(connection, q, types)
    first, last, edges = split
    hours = receipt_hour_total
    where: list[Any] = [hours.c.hour >= first, hours.c.hour <= last]
    where.append(hours.c.state.not_in(NOT_FISCAL_STATES))
    if len(types) < len(_TYPE_OF_RECEIPT):
        where.append(hours.c.type.in_(types))
    if q.offline is not None:
        where.append(hours.c.is_offline == int(q.offline))
    if q.sync_states:
        where.append(_receipt_sync(hours.c.state).in_(q.sync_states))
    statement = (
        select(
            hours.c.type,
            func.sum(hours.c.receipts),
            func.sum(hours.c.total_sum),
            func.sum(hours.c.cash),
            func.sum(hours.c.cashless),
        )
        .where(*where)
        .group_by(hours.c.type)
    )
    parts = [_figures(connection.execute(statement))]
    parts += [_figures_of_rows(connection, edge, types) for edge in edges]
    found: dict[str, list[int]] = {}
    for part in parts:
        for rtype, figures in part.items():
            acc = found.setdefault(rtype, [0, 0, 0, 0])
            for i, value in enumerate(figures):
                acc[i] += value
    return {rtype: figures for rtype, figures in found.items() if figures[0]}


def _figures(rows: Any) -> dict[str, list[int]]:
    return {
        rtype: [int(n), int(total), int(cash), int(card)] for rtype, n, total, cash, card in rows
    }


def _figures_of_rows(
    connection: Connection, q: ReceiptsQuery, types: Sequence[str]
) -> dict[str, list[int]]:
    rows = connection.execute(
        select(
            receipt.c.type,
            func.count(),
            func.coalesce(func.sum(receipt.c.total_sum), 0),
            func.coalesce(func.sum(cash_of_receipt()), 0),
            func.coalesce(func.sum(card_of_receipt()), 0),
        )
        .where(*_receipt_where(q, types))
        .group_by(receipt.c.type)
    )
    return _figures(rows)


_HOUR_US = 3_600_000_000


def _hour_split(
    connection: Connection, q: ReceiptsQuery
) -> tuple[int, int, list[ReceiptsQuery]] | None:
    """The period's whole UTC hours (first, last) and its partial ends as queries, when the
    journal keeps hour totals and the query filters only by what they are kept by (type,
    offline, sync state); None otherwise."""
    if not keeps_report_figures(connection):
        return None
    if q.payment_types or q.shifts or q.shift_ids or q.search or q.cashiers:
        return None
    if q.fiscal_sign is not None or q.fiscal_doc is not None:
        return None
    start, end = q.period.start, q.period.end
    first, last = -(-start // _HOUR_US), (end + 1) // _HOUR_US - 1
    if first > last:
        return None
    edges = []
    if start < first * _HOUR_US:
        edges.append(replace(q, period=Period(start, first * _HOUR_US - 1)))
    if (last + 1) * _HOUR_US <= end:
        edges.append(replace(q, period=Period((last + 1) * _HOUR_US, end)))
    return first, last, edges


def _count(connection: Connection, q: ReceiptsQuery) -> int:
    total = 0
    types = _receipt_types(q)
    if types:
        if _hour_split(connection, q) is None:
            statement = select(func.count()).where(*_receipt_where(q, types))
            total += int(connection.execute(statement).scalar_one())
        else:
            total += sum(f[0] for f in _receipt_figures(connection, q, types).values())
    for kind in _SHIFT_KINDS:
        where = _shift_where(q, kind)
        if where is not None:
            total += int(connection.execute(select(func.count()).where(*where)).scalar_one())
    return total + len(_order_rows(connection, q))


# --- page details ----------------------------------------------------------------------------


def _receipt_details(connection: Connection, numbers: Sequence[int]) -> dict[int, dict[str, Any]]:
    if not numbers:
        return {}
    cashier = receipt.c.cashier if capabilities(connection).receipt_cashier else literal(None)
    stored = keeps_report_figures(connection)
    statement = select(
        cashier.label("cashier"),
        receipt.c.id,
        receipt.c.shift_id,
        receipt.c.type,
        receipt.c.state,
        receipt.c.is_offline,
        receipt.c.fiscal_code,
        receipt.c.doc_number.label("doc_number"),
        receipt.c.total_sum,
        receipt_instant().label("instant"),
        cash_of_receipt().label("cash"),
        card_of_receipt().label("ecash"),
        _serial_of_receipt().label("serial"),
        prepaid_sum().label("prepaid"),
        (_number(True) if stored else literal(0, Integer)).label("number"),
    ).where(receipt.c.doc_number.in_(numbers))
    found = {row.doc_number: dict(row._mapping) for row in connection.execute(statement)}
    if not stored:
        _number_in_shift(connection, list(found.values()))
    _count_chain_receipts(connection, list(found.values()))
    return found


def _count_chain_receipts(connection: Connection, details: list[dict[str, Any]]) -> None:
    """A receipt's position in its shift counts the shift's chain receipts before it too."""
    shift_ids = sorted({d["shift_id"] for d in details if d["shift_id"] is not None})
    chains = order_instants_by_shift(connection, shift_ids)
    for d in details:
        instants = chains.get(d["shift_id"]) if d["shift_id"] is not None else None
        if instants and d["number"]:
            d["number"] += bisect.bisect_left(instants, int(d["instant"]))


_WALK_FROM = 10  # rows of one shift on a page from which one walk beats a count per row


def _number_in_shift(connection: Connection, details: list[dict[str, Any]]) -> None:
    """Each receipt's position among its shift's fiscal documents. Many rows of one shift (a
    page in date order): one walk of that shift's report dates; a few rows each of many shifts
    (a page by amount): one index-only count per row, done inside SQLite."""
    by_shift: dict[str, list[dict[str, Any]]] = {}
    for d in details:
        d["number"] = 0
        if d["shift_id"] is not None:
            by_shift.setdefault(d["shift_id"], []).append(d)
    counted: list[int] = []
    for shift_id, rows in by_shift.items():
        if len(rows) < _WALK_FROM:
            counted += [int(d["doc_number"]) for d in rows]
            continue
        dates = connection.execute(
            select(receipt.c.report_at)
            .where(receipt.c.shift_id == shift_id, is_fiscal())
            .order_by(receipt.c.report_at)
        ).scalars()
        ordered = [int(d) for d in dates]
        for d in rows:
            d["number"] = bisect.bisect_right(ordered, int(d["instant"]))
    if counted:
        numbers: dict[int, int] = {
            int(doc): int(n)
            for doc, n in connection.execute(
                select(receipt.c.doc_number, _number()).where(receipt.c.doc_number.in_(counted))
            )
        }
        for d in details:
            if d["doc_number"] in numbers:
                d["number"] = int(numbers[d["doc_number"]])


def _shift_details(connection: Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    cashier = shift.c.cashier if capabilities(connection).shift_cashier else literal(None)
    statement = select(
        cashier.label("cashier"),
        shift.c.id,
        shift.c.serial,
        shift.c.is_offline,
        shift.c.open_fiscal_code,
        shift.c.close_fiscal_code,
        shift_open_instant().label("opened"),
        shift_close_instant().label("closed"),
        _shift_sync().label("sync"),
    ).where(shift.c.id.in_(ids))
    return {row.id: dict(row._mapping) for row in connection.execute(statement)}


def _row(key: _Key, details: Mapping[str, Any]) -> dict[str, Any]:
    register = key.register
    if key.kind in ("openShift", "closeShift"):
        opening = key.kind == "openShift"
        code = details["open_fiscal_code" if opening else "close_fiscal_code"]
        instant = details["opened" if opening else "closed"]
        return {
            "real_date": kyiv_text(instant),
            "shift": int(details["serial"] or 0),
            "number": 0,
            "doc_number": 0,
            "operation": "",
            "code_name": DOCUMENT_TYPES[key.kind],
            "document_type": key.kind,
            "totalSum": 0,
            "cashTotalSum": 0,
            "ecashTotalSum": 0,
            "prepaidSum": 0,
            "creditSum": 0,
            "provisionSum": 0,
            "fn": register.register_id,
            "rn": register.fiscal_number,
            "fiscalSign": code or "",
            "fiscal_code": code or "",
            "offline": bool(details["is_offline"]),
            "sync": details["sync"],
            "id": key.id,
            "cashier": details["cashier"] or "",
            "register": register.fiscal_number,
            "shop": register.shop,
        }
    if key.is_order:
        return _order_row(key, details)
    state = details["state"]
    operation = {"SELL": "income", "RETURN": "income_return"}.get(details["type"], "")
    return {
        "real_date": kyiv_text(details["instant"]),
        "shift": int(details["serial"] or 0),
        "number": int(details["number"] or 0),
        "doc_number": int(details["doc_number"]),
        "operation": operation,
        "code_name": DOCUMENT_TYPES[key.kind],
        "document_type": key.kind,
        "totalSum": int(details["total_sum"]),
        "cashTotalSum": int(details["cash"]),
        "ecashTotalSum": int(details["ecash"]),
        "prepaidSum": int(details["prepaid"]),
        "creditSum": 0,
        "provisionSum": 0,
        "fn": register.register_id,
        "rn": register.fiscal_number,
        "fiscalSign": details["fiscal_code"] or "",
        "fiscal_code": details["fiscal_code"] or "",
        "offline": bool(details["is_offline"]),
        "sync": {"offline_issued": "pending", "uploaded": "uploaded"}.get(state, "online"),
        "id": details["id"],
        "cashier": details["cashier"] or "",
        "register": register.fiscal_number,
        "shop": register.shop,
    }


def _order_row(key: _Key, details: Mapping[str, Any]) -> dict[str, Any]:
    register = key.register
    row: OrderRow = key.values["order_row"]
    sums = row.sums
    return {
        "real_date": kyiv_text(row.instant),
        "shift": row.serial,
        "number": int(details["number"]),
        "doc_number": 0,
        "operation": sums["operation"],
        "code_name": sums["code_name"],
        "document_type": "receipt",
        "totalSum": sums["totalSum"],
        "cashTotalSum": sums["cashTotalSum"],
        "ecashTotalSum": sums["ecashTotalSum"],
        "prepaidSum": sums["prepaidSum"],
        "creditSum": sums["creditSum"],
        "provisionSum": sums["provisionSum"],
        "fn": register.register_id,
        "rn": register.fiscal_number,
        "fiscalSign": row.fiscal_code,
        "fiscal_code": row.fiscal_code,
        "offline": False,
        "sync": "online",
        "id": row.id,
        "cashier": row.cashier,
        "register": register.fiscal_number,
        "shop": register.shop,
        "order": row.order_number,
        "chain_role": row.kind.value,
    }


def _rows(connection: Connection, keys: Sequence[_Key]) -> list[dict[str, Any]]:
    receipts = _receipt_details(
        connection, [k.ref for k in keys if not k.is_shift and not k.is_order]
    )
    shifts = _shift_details(connection, [k.ref for k in keys if k.is_shift])
    chains = [k.values["order_row"] for k in keys if k.is_order]
    numbers = _order_numbers(connection, chains) if chains else {}
    rows = []
    for key in keys:
        if key.is_order:
            details: Mapping[str, Any] = {"number": numbers[key.ref]}
        else:
            details = shifts[key.ref] if key.is_shift else receipts[key.ref]
        rows.append(_row(key, details))
    return rows


_SHIFT_KINDS = ("openShift", "closeShift")


# --- merging several registers ------------------------------------------------------------


def _compare(orders: Sequence[str]) -> Any:
    applied = _ordering(orders)

    def value(key: _Key, name: str) -> Any:
        if name == "rn":
            return key.register.fiscal_number
        if name == "fn":
            return key.register.register_id
        return key.values[_ORDER_COLUMN[name]]

    def compare(a: _Key, b: _Key) -> int:
        for name, descending in (*applied, ("rn", False)):
            left, right = value(a, name), value(b, name)
            if left != right:
                result = -1 if left < right else 1
                return -result if descending else result
        return (a.id > b.id) - (a.id < b.id)

    return functools.cmp_to_key(compare)


def _sum_totals(parts: Sequence[dict[tuple[str, str], list[int]]]) -> dict[str, Any]:
    merged: dict[tuple[str, str], list[int]] = {}
    for part in parts:
        for key, values in part.items():
            acc = merged.setdefault(key, [0, 0, 0, 0, 0])
            for i, v in enumerate(values):
                acc[i] += v
    groups = []
    for (kind, rtype), (count, total, cash, card, prepaid) in sorted(merged.items()):
        operation = _OPERATION_OF_TYPE.get(rtype, "")
        groups.append(
            {
                "document_type": kind,
                "operation": operation,
                "count": count,
                "totalSum": total,
                "cashTotalSum": cash,
                "ecashTotalSum": card,
                "prepaidSum": prepaid,
            }
        )
    return {
        "count": sum(g["count"] for g in groups),
        "totalSum": sum(g["totalSum"] for g in groups),
        "cashTotalSum": sum(g["cashTotalSum"] for g in groups),
        "ecashTotalSum": sum(g["ecashTotalSum"] for g in groups),
        "prepaidSum": sum(g["prepaidSum"] for g in groups),
        "by_type": groups,
    }


_OPERATION_OF_TYPE = {
    "SELL": "income",
    "RETURN": "income_return",
    "PREPAYMENT": "income",
    "AFTER_PAYMENT": "income",
    "CHAIN_RETURN": "income_return",
}

Source = tuple[Connection, Register]


def receipts_report(
    sources: Sequence[Source], query: ReceiptsQuery, *, with_totals: bool = True
) -> ReceiptsAnswer:
    """The receipts report over one or several registers' journals, merged as one."""
    chosen = _chosen(sources, query)
    data = _data(chosen, query)
    if with_totals:
        parts = [_totals(c, query) for c, _ in chosen]
        totals = _sum_totals(parts)
        total = int(totals["count"])
    else:
        totals = {}
        total = sum(_count(c, query) for c, _ in chosen)
    return ReceiptsAnswer(data, total, totals)


def receipts_page(sources: Sequence[Source], query: ReceiptsQuery) -> list[dict[str, Any]]:
    """Only the rows of the query's page (the window's paging: the count is already known)."""
    return _data(_chosen(sources, query), query)


def _chosen(sources: Sequence[Source], query: ReceiptsQuery) -> list[Source]:
    chosen = [
        (c, r) for c, r in sources if not query.cashbox_ids or r.fiscal_number in query.cashbox_ids
    ]
    if query.cashiers:
        for connection, register in chosen:
            found = capabilities(connection)
            if not (found.receipt_cashier and found.shift_cashier):
                raise ReportInputError(
                    f"the records of register {register.fiscal_number or '?'} do not say which "
                    "cashier made each receipt (journal version 9 does): filter cashiers "
                    "is not available there"
                )
    return chosen


def _data(chosen: Sequence[Source], query: ReceiptsQuery) -> list[dict[str, Any]]:
    ordered = [o for o in query.orders if o.removeprefix("-") in ORDER_KEYS]
    if len(chosen) == 1 and not any(o.removeprefix("-") in ("rn", "fn") for o in ordered):
        connection, register = chosen[0]
        keys = _page_keys(connection, register, query, query.limit, query.offset)
        data = _rows(connection, keys)
    else:
        window = None if query.limit is None else query.limit + query.offset
        keys = []
        for connection, register in chosen:
            keys += _page_keys(connection, register, query, window, 0)
        keys.sort(key=_compare(ordered))
        end = None if query.limit is None else query.offset + query.limit
        keys = keys[query.offset : end]
        rows: dict[int, dict[str, Any]] = {}
        for connection, register in chosen:  # details register by register, then page order
            mine = [i for i, k in enumerate(keys) if k.register is register]
            for i, row in zip(mine, _rows(connection, [keys[i] for i in mine]), strict=True):
                rows[i] = row
        data = [rows[i] for i in range(len(keys))]
    return data


def count(sources: Sequence[Source], query: ReceiptsQuery) -> int:
    """How many rows the query has (without reading any)."""
    return sum(_count(c, query) for c, _ in _chosen(sources, query))


def totals(sources: Sequence[Source], query: ReceiptsQuery) -> dict[str, Any]:
    return _sum_totals([_totals(c, query) for c, _ in _chosen(sources, query)])
