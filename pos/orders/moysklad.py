"""Advances as MoySklad's `prepayment` entity (seed `002_*`), with its `search` and `filter`.

Why: accountants import prepayments into MoySklad-shaped tools; `pos order prepayments --json` and
the back office give each fiscalised prepayment receipt as one `prepayment` document with the
seed's attribute names and types: money in kopecks (`sum` Int, `cashSum`/`noCashSum`/`qrSum`/
`vatSum` Float), dates as "YYYY-MM-DD HH:MM:SS" in Kyiv time (our fiscal documents' zone), links
as Meta objects, positions expanded.

Our choices where the seed leaves room: Meta links point at `online.moysklad.ru` paths of the
seed's entity types with our own UUIDs (the order, the shift, the register; the organisation,
owner, group, currency and goods get stable UUIDv5s of their codes); `name` is the order's
number; `externalCode` the receipt's fiscal code; `description` the order's note and customer;
`applicable` true (a fiscalised receipt is posted); `returns` lists the chain's return receipts.
A position's `quantity` is an Int for piece goods and a Float of kilograms for weighed ones;
`discount` is the line discount in whole percent; `vat` the line's VAT rate.

`search` is the seed's: a substring of `name`, not a prefix, no tokenising. `filter` is MoySklad's
`attr=value;attr>value` syntax with the operators the seed allows per attribute (`=` `!=` for
Boolean, UUID and Meta; also `<` `>` `<=` `>=` for numbers and dates; `~` contains, `~=` starts
with, `=~` ends with for strings). Filtering on any other attribute is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pos.domain.taxes import DEFAULT_TAXES, Tax, resolve_tax
from pos.orders.model import ChainRole, Order, OrderReceipt, OrderReceiptState

BASE = "https://online.moysklad.ru/api/remap/1.2"
KYIV = ZoneInfo("Europe/Kyiv")
_NS = uuid.UUID("2d1c9a64-0f3e-4b7a-8e55-4c6f1b2a9d03")
MEDIA = "application/json"


@dataclass(frozen=True)
class ShopContext:
    """Who issued the prepayments: the register (retail store) and its organisation."""

    cash_register_id: str
    fiscal_number: str = ""
    cashier_name: str = ""
    organization: str = "Організація"


class FilterError(ValueError):
    """A `filter` the seed's entity does not allow."""


def _uid(kind: str, key: str) -> str:
    return str(uuid.uuid5(_NS, f"{kind}:{key}"))


def meta(entity: str, object_id: str) -> dict[str, Any]:
    return {
        "meta": {
            "href": f"{BASE}/entity/{entity}/{object_id}",
            "metadataHref": f"{BASE}/entity/{entity}/metadata",
            "type": entity,
            "mediaType": MEDIA,
        }
    }


def moment(value: datetime) -> str:
    return value.astimezone(KYIV).strftime("%Y-%m-%d %H:%M:%S")


def _vat(tax_codes: Sequence[int], taxes: Sequence[Tax]) -> tuple[int, bool]:
    rated = [resolve_tax(code, taxes) for code in tax_codes]
    vat = [t for t in rated if not t.no_vat and t.rate]
    if vat:
        return int(vat[0].rate), True
    return 0, not (not rated or all(t.no_vat for t in rated))


def _positions(order: Order, receipt_id: str, taxes: Sequence[Tax]) -> dict[str, Any]:
    priced = order.priced()
    rows = []
    for index, (li, pl) in enumerate(zip(order.lines, priced.lines, strict=True)):
        vat, enabled = _vat(li.tax_codes, taxes)
        discount = round((pl.discount_sum - pl.extra_charge_sum) * 100 / pl.sum) if pl.sum else 0
        quantity: int | float = li.quantity / 1000 if li.is_weighed else li.quantity // 1000
        position_id = _uid("position", f"{receipt_id}:{index}")
        rows.append(
            {
                "meta": {
                    "href": f"{BASE}/entity/prepayment/{receipt_id}/positions/{position_id}",
                    "type": "prepaymentposition",
                    "mediaType": MEDIA,
                },
                "id": position_id,
                "accountId": _uid("account", "pos"),
                "quantity": quantity,
                "price": float(li.price),
                "discount": int(discount),
                "vat": vat,
                "vatEnabled": enabled,
                "assortment": meta("product", _uid("product", li.code)),
            }
        )
    return {
        "meta": {
            "href": f"{BASE}/entity/prepayment/{receipt_id}/positions",
            "type": "prepaymentposition",
            "mediaType": MEDIA,
            "size": len(rows),
            "limit": 1000,
            "offset": 0,
        },
        "rows": rows,
    }


def document(
    order: Order, receipt: OrderReceipt, shop: ShopContext, taxes: Sequence[Tax] = DEFAULT_TAXES
) -> dict[str, Any]:
    """One prepayment receipt of ``order`` as MoySklad's `prepayment`."""
    fiscal = receipt.fiscal
    vat_sum = sum(t.value for t in fiscal.taxes)
    vat_enabled = any(_vat(li.tax_codes, taxes)[1] for li in order.lines)
    when = receipt.fiscal_date or receipt.created_at
    returns = [r for r in order.receipts if r.kind is ChainRole.RETURN]
    description = " · ".join(
        part for part in (order.note, order.customer.name, order.customer.phone) if part
    )
    body: dict[str, Any] = {
        "meta": {
            "href": f"{BASE}/entity/prepayment/{receipt.id}",
            "metadataHref": f"{BASE}/entity/prepayment/metadata",
            "type": "prepayment",
            "mediaType": MEDIA,
        },
        "id": receipt.id,
        "accountId": _uid("account", "pos"),
        "owner": meta("employee", _uid("employee", shop.cashier_name)),
        "shared": False,
        "group": meta("group", _uid("group", "main")),
        "updated": moment(order.updated_at if returns else when),
        "name": order.label,
        "code": receipt.fiscal_code or "",
        "description": description,
        "externalCode": receipt.fiscal_code or receipt.id,
        "moment": moment(when),
        "applicable": True,
        "rate": {"currency": meta("currency", _uid("currency", "UAH"))},
        "sum": int(fiscal.total_sum),
        "organization": meta("organization", _uid("organization", shop.fiscal_number)),
        "files": {
            "meta": {
                "href": f"{BASE}/entity/prepayment/{receipt.id}/files",
                "type": "files",
                "mediaType": MEDIA,
                "size": 0,
                "limit": 1000,
                "offset": 0,
            }
        },
        "created": moment(receipt.created_at),
        "printed": True,
        "published": False,
        "positions": _positions(order, receipt.id, taxes),
        "vatEnabled": vat_enabled,
        "vatIncluded": True,
        "vatSum": float(vat_sum),
        "retailStore": meta("retailstore", shop.cash_register_id),
        "customerOrder": meta("customerorder", order.id),
        "retailShift": meta("retailshift", receipt.shift_id or ""),
        "cashSum": float(receipt.cash_sum),
        "noCashSum": float(receipt.card_sum),
        "qrSum": float(receipt.qr_sum),
    }
    if returns:
        body["returns"] = [meta("prepaymentreturn", r.id) for r in returns]
    return body


def documents(orders: Iterable[Order], shop: ShopContext) -> list[dict[str, Any]]:
    """Every fiscalised prepayment receipt, oldest first."""
    found = [
        (receipt, order)
        for order in orders
        for receipt in order.receipts
        if receipt.kind is ChainRole.PREPAYMENT and receipt.state is OrderReceiptState.DONE
    ]
    found.sort(key=lambda pair: pair[0].created_at)
    return [document(order, receipt, shop) for receipt, order in found]


# --- search and filter --------------------------------------------------------------------------

_STRING_OPS = ("=", "!=", "~", "~=", "=~")
_ORDERED_OPS = ("=", "!=", "<", ">", "<=", ">=")
_EQUAL_OPS = ("=", "!=")

FILTERABLE: dict[str, tuple[str, ...]] = {
    # the entity table's filterable attributes, with their operators
    "accountId": _EQUAL_OPS,
    "applicable": _EQUAL_OPS,
    "code": _STRING_OPS,
    "created": _ORDERED_OPS,
    "deleted": _ORDERED_OPS,
    "description": _STRING_OPS,
    "externalCode": _STRING_OPS,
    "group": _EQUAL_OPS,
    "id": _EQUAL_OPS,
    "moment": _ORDERED_OPS,
    "name": _STRING_OPS,
    "organization": _EQUAL_OPS,
    "owner": _EQUAL_OPS,
    "printed": _EQUAL_OPS,
    "published": _EQUAL_OPS,
    "retailShift": _EQUAL_OPS,
    "retailStore": _EQUAL_OPS,
    "shared": _EQUAL_OPS,
    "state": _EQUAL_OPS,
    "sum": _ORDERED_OPS,
    "syncId": _EQUAL_OPS,
    "updated": _ORDERED_OPS,
    # the list "available for filtering" adds these
    "agent": _EQUAL_OPS,
    "isDeleted": _EQUAL_OPS,
    "updatedBy": _EQUAL_OPS,
}
_OPERATORS = ("!=", "<=", ">=", "~=", "=~", "=", "<", ">", "~")


def _parse(condition: str) -> tuple[str, str, str]:
    best: tuple[int, str] | None = None
    for op in _OPERATORS:
        at = condition.find(op)
        if at > 0 and (best is None or at < best[0] or (at == best[0] and len(op) > len(best[1]))):
            best = (at, op)
    if best is None:
        raise FilterError(f"'{condition}': no operator")
    at, op = best
    return condition[:at].strip(), op, condition[at + len(op) :].strip()


def _value_of(doc: dict[str, Any], attribute: str) -> Any:
    if attribute == "isDeleted":
        return False
    if attribute in ("deleted", "syncId", "state", "agent", "updatedBy"):
        return doc.get(attribute)
    value = doc.get(attribute)
    if isinstance(value, dict) and "meta" in value:
        return value["meta"]["href"]
    return value


def _test(value: Any, op: str, wanted: str) -> bool:
    if isinstance(value, bool):
        truth = wanted.lower() == "true"
        return (value == truth) if op == "=" else (value != truth)
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(wanted)
        return _compare(float(value), op, number)
    text = "" if value is None else str(value)
    if op == "~":
        return wanted in text
    if op == "~=":
        return text.startswith(wanted)
    if op == "=~":
        return text.endswith(wanted)
    if op in ("=", "!="):
        same = text == wanted or (text.endswith("/" + wanted) and "/" in text)
        return same if op == "=" else not same
    return _compare(text, op, wanted)


def _compare(left: Any, op: str, right: Any) -> bool:
    checks: dict[str, Callable[[Any, Any], bool]] = {
        "=": lambda a, b: bool(a == b),
        "!=": lambda a, b: bool(a != b),
        "<": lambda a, b: bool(a < b),
        ">": lambda a, b: bool(a > b),
        "<=": lambda a, b: bool(a <= b),
        ">=": lambda a, b: bool(a >= b),
    }
    return checks[op](left, right)


def matches_filter(doc: dict[str, Any], expression: str) -> bool:
    """MoySklad's `filter`: conditions joined by ";" must all hold (several conditions on the
    same attribute with "=" are alternatives, as in MoySklad)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for condition in filter(None, (c.strip() for c in expression.split(";"))):
        attribute, op, wanted = _parse(condition)
        allowed = FILTERABLE.get(attribute)
        if allowed is None:
            raise FilterError(f"'{attribute}' cannot be filtered on")
        if op not in allowed:
            raise FilterError(f"'{attribute}' does not take the operator '{op}'")
        groups.setdefault((attribute, op), []).append(wanted)
    for (attribute, op), values in groups.items():
        value = _value_of(doc, attribute)
        if op == "=":
            if not any(_test(value, op, v) for v in values):
                return False
        elif not all(_test(value, op, v) for v in values):
            return False
    return True


def query(
    docs: Sequence[dict[str, Any]],
    *,
    search: str | None = None,
    filter_expression: str | None = None,
    limit: int = 1000,
    offset: int = 0,
) -> dict[str, Any]:
    """The list answer of GET /entity/prepayment: `meta` (size, limit, offset) and `rows`."""
    if not 1 <= limit <= 1000:
        raise FilterError("limit must be 1 - 1000")
    if offset < 0:
        raise FilterError("offset must not be negative")
    rows = list(docs)
    if search:
        rows = [d for d in rows if search in str(d["name"])]
    if filter_expression:
        rows = [d for d in rows if matches_filter(d, filter_expression)]
    return {
        "context": {"employee": meta("employee", _uid("employee", "context"))},
        "meta": {
            "href": f"{BASE}/entity/prepayment",
            "type": "prepayment",
            "mediaType": MEDIA,
            "size": len(rows),
            "limit": limit,
            "offset": offset,
        },
        "rows": rows[offset : offset + limit],
    }
