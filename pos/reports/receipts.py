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

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement

from pos.reports.periods import Period, ReportInputError, kyiv_text
from pos.reports.schema import (
    FISCAL_STATES,
    prepaid_sum,
    receipt,
    receipt_instant,
    receipt_payment,
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
            orders=orders,
        )

    def with_page(self, limit: int | None, offset: int) -> ReceiptsQuery:
        return _replace(self, limit=limit, offset=offset)

    def with_orders(self, orders: Sequence[str]) -> ReceiptsQuery:
        return _replace(self, orders=tuple(orders))

    def with_shift_ids(self, shift_ids: Sequence[str]) -> ReceiptsQuery:
        return _replace(self, shift_ids=tuple(shift_ids))


def _replace(query: ReceiptsQuery, **changes: Any) -> ReceiptsQuery:
    from dataclasses import replace

    return replace(query, **changes)


@dataclass
class ReceiptsAnswer:
    data: list[dict[str, Any]]
    total: int
    totals: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"data": self.data, "total": self.total, "totals": self.totals}


# --- SQL ----------------------------------------------------------------------------------------


def _paid(kind: str) -> ColumnElement[int]:
    return func.coalesce(
        select(func.sum(receipt_payment.c.value))
        .where(receipt_payment.c.receipt_id == receipt.c.id, receipt_payment.c.type == kind)
        .scalar_subquery(),
        0,
    )


def _cash() -> ColumnElement[int]:
    return _paid("CASH") - receipt.c.rest


def _number() -> ColumnElement[int]:
    earlier = receipt.alias("earlier")
    mine = receipt_instant()
    theirs = func.coalesce(earlier.c.fiscal_date, earlier.c.created_at)
    return (
        select(func.count())
        .where(
            earlier.c.shift_id == receipt.c.shift_id,
            earlier.c.state.in_(FISCAL_STATES),
            theirs <= mine,
        )
        .scalar_subquery()
    )


def _serial_of_receipt() -> ColumnElement[int]:
    return func.coalesce(
        select(shift.c.serial).where(shift.c.id == receipt.c.shift_id).scalar_subquery(), 0
    )


def _shift_ids(serials: Sequence[int]) -> Select[tuple[str]]:
    return select(shift.c.id).where(shift.c.serial.in_(serials))


def _receipt_sync() -> ColumnElement[str]:
    return case(
        (receipt.c.state == "offline_issued", "pending"),
        (receipt.c.state == "uploaded", "uploaded"),
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


def _receipt_arm(q: ReceiptsQuery, needs: frozenset[str]) -> Select[Any] | None:
    wanted = set(q.document_types) or set(DOCUMENT_TYPES)
    types = [t for t, kind in _TYPE_OF_RECEIPT.items() if kind in wanted]
    if q.operation_types:
        types = [t for t in types if t in {OPERATIONS[o] for o in q.operation_types}]
    if not types:
        return None
    instant = receipt_instant()
    where: list[Any] = [
        instant >= q.period.start,
        instant <= q.period.end,
        receipt.c.state.in_(FISCAL_STATES),
        receipt.c.type.in_(types),
    ]
    if q.payment_types:
        where.append(
            exists().where(
                receipt_payment.c.receipt_id == receipt.c.id,
                receipt_payment.c.type.in_([PAYMENT_TYPES[p] for p in q.payment_types]),
            )
        )
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
    kind = case(
        *((receipt.c.type == t, _TYPE_OF_RECEIPT[t]) for t in types),
        else_="receipt",
    )
    columns: list[Any] = [
        kind.label("kind"),
        receipt.c.id.label("id"),
        receipt.c.type.label("type"),
        receipt.c.doc_number.label("doc_number"),
        instant.label("instant"),
        receipt.c.total_sum.label("total_sum"),
    ]
    columns.append((_cash() if "cash" in needs else literal(0, Integer)).label("cash"))
    columns.append((_paid("CASHLESS") if "ecash" in needs else literal(0, Integer)).label("ecash"))
    columns.append((_serial_of_receipt() if "shift" in needs else literal(0)).label("serial"))
    columns.append((_number() if "number" in needs else literal(0)).label("number"))
    return select(*columns).where(*where)


def _shift_arm(q: ReceiptsQuery, kind: str, needs: frozenset[str]) -> Select[Any] | None:
    if q.document_types and kind not in q.document_types:
        return None
    if q.operation_types or q.payment_types or q.fiscal_doc is not None:
        return None  # shift documents have no operation, payment or document number
    opening = kind == "openShift"
    instant = shift_open_instant() if opening else shift_close_instant()
    code = shift.c.open_fiscal_code if opening else shift.c.close_fiscal_code
    where: list[Any] = [instant >= q.period.start, instant <= q.period.end]
    if not opening:
        where.append(shift.c.state == "closed")
    else:
        where.append(shift.c.state != "failed")
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


def _empty() -> Any:
    zero = literal(0, Integer)
    names = ("doc_number", "instant", "total_sum", "cash", "ecash", "serial", "number")
    empty: Any = select(
        literal("").label("kind"),
        literal("").label("id"),
        literal("").label("type"),
        *(zero.label(name) for name in names),
    ).where(false())
    return empty


_ORDER_COLUMN = {
    "date": "instant",
    "shift": "serial",
    "doc_number": "doc_number",
    "number": "number",
    "totalSum": "total_sum",
    "cashTotalSum": "cash",
    "ecashTotalSum": "ecash",
}
_NEEDS = {"cashTotalSum": "cash", "ecashTotalSum": "ecash", "shift": "shift", "number": "number"}


def _arms(q: ReceiptsQuery, needs: frozenset[str]) -> list[Select[Any]]:
    arms = [_receipt_arm(q, needs), _shift_arm(q, "openShift", needs)]
    arms.append(_shift_arm(q, "closeShift", needs))
    return [arm for arm in arms if arm is not None]


def _documents(q: ReceiptsQuery, needs: frozenset[str]) -> Any:
    arms = _arms(q, needs)
    if not arms:  # the filters exclude every kind of document
        return _empty().subquery("documents")
    if len(arms) == 1:
        return arms[0].subquery("documents")
    return union_all(*arms).subquery("documents")


def _order_by(documents: Any, orders: Sequence[str]) -> list[Any]:
    clauses: list[Any] = []
    for order in orders:
        key = order.removeprefix("-")
        name = _ORDER_COLUMN.get(key)
        if name is None:
            continue  # rn, fn: one register per journal; merged in Python
        column = documents.c[name]
        clauses.append(column.desc() if order.startswith("-") else column.asc())
    clauses += [documents.c.instant.asc(), documents.c.doc_number.asc(), documents.c.id.asc()]
    return clauses


def _needs(q: ReceiptsQuery) -> frozenset[str]:
    return frozenset(_NEEDS[o.removeprefix("-")] for o in q.orders if o.removeprefix("-") in _NEEDS)


@dataclass(frozen=True)
class _Key:
    """A page row before its details are read: what it sorts by, and where it comes from."""

    kind: str
    id: str
    values: dict[str, Any]
    register: Register


def _page_keys(
    connection: Connection, register: Register, q: ReceiptsQuery, limit: int | None, offset: int
) -> list[_Key]:
    documents = _documents(q, _needs(q))
    statement = select(documents).order_by(*_order_by(documents, q.orders))
    if limit is not None:
        statement = statement.limit(limit)
    if offset:
        statement = statement.offset(offset)
    return [
        _Key(row.kind, row.id, dict(row._mapping), register)
        for row in connection.execute(statement)
    ]


def _totals(connection: Connection, q: ReceiptsQuery) -> dict[tuple[str, str], list[int]]:
    """(kind, type) → [count, total, cash, card] over every row of the query."""
    documents = _documents(q, frozenset({"cash", "ecash"}))
    statement = select(
        documents.c.kind,
        documents.c.type,
        func.count(),
        func.coalesce(func.sum(documents.c.total_sum), 0),
        func.coalesce(func.sum(documents.c.cash), 0),
        func.coalesce(func.sum(documents.c.ecash), 0),
    ).group_by(documents.c.kind, documents.c.type)
    return {
        (row[0], row[1]): [int(row[2]), int(row[3]), int(row[4]), int(row[5])]
        for row in connection.execute(statement)
    }


def _count(connection: Connection, q: ReceiptsQuery) -> int:
    documents = _documents(q, frozenset())
    return int(connection.execute(select(func.count()).select_from(documents)).scalar_one())


# --- page details ----------------------------------------------------------------------------


def _receipt_details(connection: Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    statement = select(
        receipt.c.id,
        receipt.c.type,
        receipt.c.state,
        receipt.c.is_offline,
        receipt.c.fiscal_code,
        receipt.c.doc_number.label("doc_number"),
        receipt.c.total_sum,
        receipt_instant().label("instant"),
        _cash().label("cash"),
        _paid("CASHLESS").label("ecash"),
        _serial_of_receipt().label("serial"),
        _number().label("number"),
        prepaid_sum().label("prepaid"),
    ).where(receipt.c.id.in_(ids))
    return {row.id: dict(row._mapping) for row in connection.execute(statement)}


def _shift_details(connection: Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    statement = select(
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
            "register": register.fiscal_number,
            "shop": register.shop,
        }
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
        "id": key.id,
        "register": register.fiscal_number,
        "shop": register.shop,
    }


def _rows(connection: Connection, keys: Sequence[_Key]) -> list[dict[str, Any]]:
    receipts = _receipt_details(connection, [k.id for k in keys if k.kind not in _SHIFT_KINDS])
    shifts = _shift_details(connection, [k.id for k in keys if k.kind in _SHIFT_KINDS])
    rows = []
    for key in keys:
        details = shifts[key.id] if key.kind in _SHIFT_KINDS else receipts[key.id]
        rows.append(_row(key, details))
    return rows


_SHIFT_KINDS = ("openShift", "closeShift")


# --- merging several registers ------------------------------------------------------------


def _compare(orders: Sequence[str]) -> Any:
    def value(key: _Key, name: str) -> Any:
        if name == "rn":
            return key.register.fiscal_number
        if name == "fn":
            return key.register.register_id
        return key.values[_ORDER_COLUMN[name]]

    def compare(a: _Key, b: _Key) -> int:
        for order in (*orders, "date", "rn", "doc_number"):
            name = order.removeprefix("-")
            left, right = value(a, name), value(b, name)
            if left != right:
                result = -1 if left < right else 1
                return -result if order.startswith("-") else result
        return (a.id > b.id) - (a.id < b.id)

    return functools.cmp_to_key(compare)


def _sum_totals(parts: Sequence[dict[tuple[str, str], list[int]]]) -> dict[str, Any]:
    merged: dict[tuple[str, str], list[int]] = {}
    for part in parts:
        for key, values in part.items():
            acc = merged.setdefault(key, [0, 0, 0, 0])
            for i, v in enumerate(values):
                acc[i] += v
    groups = []
    for (kind, rtype), (count, total, cash, card) in sorted(merged.items()):
        operation = {"SELL": "income", "RETURN": "income_return"}.get(rtype, "")
        groups.append(
            {
                "document_type": kind,
                "operation": operation,
                "count": count,
                "totalSum": total,
                "cashTotalSum": cash,
                "ecashTotalSum": card,
            }
        )
    return {
        "count": sum(g["count"] for g in groups),
        "totalSum": sum(g["totalSum"] for g in groups),
        "cashTotalSum": sum(g["cashTotalSum"] for g in groups),
        "ecashTotalSum": sum(g["ecashTotalSum"] for g in groups),
        "by_type": groups,
    }


Source = tuple[Connection, Register]


def receipts_report(
    sources: Sequence[Source], query: ReceiptsQuery, *, with_totals: bool = True
) -> ReceiptsAnswer:
    """The receipts report over one or several registers' journals, merged as one."""
    chosen = [
        (c, r) for c, r in sources if not query.cashbox_ids or r.fiscal_number in query.cashbox_ids
    ]
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
        by_source = {id(r): c for c, r in chosen}
        grouped: dict[int, list[_Key]] = {}
        for key in keys:  # details in one read per register, then back in page order
            grouped.setdefault(id(key.register), []).append(key)
        found: dict[tuple[int, str, str], dict[str, Any]] = {}
        for source, its_keys in grouped.items():
            for key, row in zip(its_keys, _rows(by_source[source], its_keys), strict=True):
                found[(source, key.kind, key.id)] = row
        data = [found[(id(k.register), k.kind, k.id)] for k in keys]
    if with_totals:
        parts = [_totals(c, query) for c, _ in chosen]
        totals = _sum_totals(parts)
        total = int(totals["count"])
    else:
        totals = {}
        total = sum(_count(c, query) for c, _ in chosen)
    return ReceiptsAnswer(data, total, totals)


def count(sources: Sequence[Source], query: ReceiptsQuery) -> int:
    """How many rows the query has (without reading any)."""
    return sum(
        _count(c, query)
        for c, r in sources
        if not query.cashbox_ids or r.fiscal_number in query.cashbox_ids
    )


def totals(sources: Sequence[Source], query: ReceiptsQuery) -> dict[str, Any]:
    return _sum_totals(
        [
            _totals(c, query)
            for c, r in sources
            if not query.cashbox_ids or r.fiscal_number in query.cashbox_ids
        ]
    )
