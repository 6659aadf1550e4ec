"""The shop's prepayments as MoySklad's `prepayment` entity (seed `002_*`), from every register.

Why here and not a second mapping: the registers push their orders and chain receipts as the
journal holds them, this module reads them back into orders with the till's own code
(``pos.orders.records``) and lets ``pos.orders.moysklad`` make the documents, `search` and
`filter` them, exactly as ``pos order prepayments`` does on one till. What the shop adds is the
union of its registers (each document's `retailStore` is its register), MoySklad's `order`
(``attr[,asc|desc];…`` over the seed's sortable attributes), one prepayment by id and its
positions. Only registers of the asking key's shop are ever read.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from pos.backoffice.schema import customer_order, order_receipt, register
from pos.orders.model import Order
from pos.orders.moysklad import BASE, MEDIA, FilterError, ShopContext, documents, query
from pos.orders.records import order_of

# "Атрибуты доступные для сортировки" of the seed.
SORTABLE = (
    "applicable",
    "created",
    "description",
    "externalCode",
    "id",
    "moment",
    "name",
    "sum",
    "syncId",
    "updated",
)
_JSON_COLUMNS = ("lines", "discount", "body", "fiscal", "server_response")
MAX_LIMIT = 1000


class PrepaymentQueryError(ValueError):
    """A list query the seed does not allow; the message names the parameter."""


def _decoded(row: Any) -> dict[str, Any]:
    values = dict(row._mapping)
    for name in _JSON_COLUMNS:
        if name in values and values[name] is not None:
            values[name] = json.loads(values[name])
    return values


def shop_orders(
    connection: Connection, shop_id: int, register_id: int | None = None
) -> list[tuple[ShopContext, list[Order]]]:
    """Each register of the shop (or only one of them) with its orders, as its till lists them
    (newest first)."""
    found = []
    statement = (
        select(
            register.c.id,
            register.c.fiscal_number,
            register.c.cash_register_id,
            register.c.cashier_name,
        )
        .where(register.c.shop_id == shop_id)
        .order_by(register.c.fiscal_number)
    )
    if register_id is not None:
        statement = statement.where(register.c.id == register_id)
    for reg in connection.execute(statement).all():
        receipts: dict[str, list[dict[str, Any]]] = {}
        for row in connection.execute(
            select(order_receipt)
            .where(order_receipt.c.register_id == reg.id)
            .order_by(order_receipt.c.created_at, order_receipt.c.journal_rowid)
        ):
            values = _decoded(row)
            receipts.setdefault(values["order_id"], []).append(values)
        orders = [
            order_of(values, receipts.get(values["id"], []))
            for values in map(
                _decoded,
                connection.execute(
                    select(customer_order)
                    .where(customer_order.c.register_id == reg.id)
                    .order_by(customer_order.c.number.desc())
                ),
            )
        ]
        shop = ShopContext(
            cash_register_id=reg.cash_register_id,
            fiscal_number=reg.fiscal_number,
            cashier_name=reg.cashier_name,
        )
        found.append((shop, orders))
    return found


def shop_documents(
    connection: Connection, shop_id: int, register_id: int | None = None
) -> list[dict[str, Any]]:
    """Every fiscalised prepayment of the shop, oldest first (by creation, register by
    register when two were made in the same second)."""
    per_register = [
        documents(orders, shop) for shop, orders in shop_orders(connection, shop_id, register_id)
    ]
    return list(heapq.merge(*per_register, key=lambda doc: str(doc["created"])))


def parse_order(expression: str) -> list[tuple[str, bool]]:
    """MoySklad's ``order=name,desc;created``: (attribute, descending) pairs."""
    keys = []
    for part in filter(None, (p.strip() for p in expression.split(";"))):
        attribute, _, direction = (s.strip() for s in part.partition(","))
        if attribute not in SORTABLE:
            raise PrepaymentQueryError(f"order: '{attribute}' cannot be sorted on")
        if direction not in ("", "asc", "desc"):
            raise PrepaymentQueryError(f"order: '{direction}' is not asc or desc ({attribute})")
        keys.append((attribute, direction == "desc"))
    return keys


def sort_documents(docs: list[dict[str, Any]], expression: str | None) -> list[dict[str, Any]]:
    if not expression:
        return docs
    ordered = list(docs)
    for attribute, descending in reversed(parse_order(expression)):  # stable: last key first
        present = [d for d in ordered if d.get(attribute) is not None]
        absent = [d for d in ordered if d.get(attribute) is None]
        present.sort(key=lambda d, a=attribute: d[a], reverse=descending)  # type: ignore[misc]
        ordered = present + absent  # no value sorts last either way
    return ordered


def _count(name: str, value: str | None, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise PrepaymentQueryError(f"{name} must be a whole number, got {value!r}") from None
    if not low <= number <= high:
        raise PrepaymentQueryError(f"{name} must be {low} - {high}, got {number}")
    return number


def prepayment_list(
    connection: Connection,
    shop_id: int,
    *,
    search: str | None = None,
    filter_expression: str | None = None,
    order: str | None = None,
    limit: str | None = None,
    offset: str | None = None,
) -> dict[str, Any]:
    """The answer of ``GET /entity/prepayment`` for one shop (the till's ``query``)."""
    count = _count("limit", limit, MAX_LIMIT, 1, MAX_LIMIT)
    skip = _count("offset", offset, 0, 0, 2**31 - 1)
    parse_order(order or "")  # refuse a bad order before reading anything
    docs = sort_documents(shop_documents(connection, shop_id), order)
    try:
        return query(
            docs, search=search, filter_expression=filter_expression, limit=count, offset=skip
        )
    except FilterError as error:
        raise PrepaymentQueryError(f"filter: {error}") from None


def _owning_register(connection: Connection, shop_id: int, receipt_id: str) -> int | None:
    return connection.execute(
        select(order_receipt.c.register_id)
        .join(register, register.c.id == order_receipt.c.register_id)
        .where(register.c.shop_id == shop_id, order_receipt.c.id == receipt_id)
    ).scalar()


def one_prepayment(connection: Connection, shop_id: int, receipt_id: str) -> dict[str, Any] | None:
    """``GET /entity/prepayment/{id}``: None when the shop has no such prepayment."""
    owner = _owning_register(connection, shop_id, receipt_id)
    if owner is None:
        return None
    found = shop_documents(connection, shop_id, owner)
    return next((d for d in found if d["id"] == receipt_id), None)


def positions(
    connection: Connection,
    shop_id: int,
    receipt_id: str,
    *,
    limit: str | None = None,
    offset: str | None = None,
) -> dict[str, Any] | None:
    """``GET /entity/prepayment/{id}/positions`` with its ``limit`` / ``offset``."""
    count = _count("limit", limit, MAX_LIMIT, 1, MAX_LIMIT)
    skip = _count("offset", offset, 0, 0, 2**31 - 1)
    document = one_prepayment(connection, shop_id, receipt_id)
    if document is None:
        return None
    rows: Sequence[dict[str, Any]] = document["positions"]["rows"]
    return {
        "context": {
            "employee": {
                "meta": {"href": f"{BASE}/context/employee", "type": "employee", "mediaType": MEDIA}
            }
        },
        "meta": {
            **document["positions"]["meta"],
            "size": len(rows),
            "limit": count,
            "offset": skip,
        },
        "rows": list(rows[skip : skip + count]),
    }


def one_position(
    connection: Connection, shop_id: int, receipt_id: str, position_id: str
) -> dict[str, Any] | None:
    document = one_prepayment(connection, shop_id, receipt_id)
    if document is None:
        return None
    rows: Sequence[dict[str, Any]] = document["positions"]["rows"]
    return next((row for row in rows if row["id"] == position_id), None)
