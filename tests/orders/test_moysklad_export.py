"""Prepayments in MoySklad's `prepayment` shape (seed 002): every attribute the seed requires in
an answer, with its type; `search` on the name; `filter` with the seed's filterable attributes."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from pos.orders.model import Customer, OrderPayment
from pos.orders.moysklad import FilterError, ShopContext, documents, query

from .builders import CAKE, CANDLES, CARD, CASH, CHEESE, QR, WINE, advanced, order

SHOP = ShopContext("74d91f6e-c5e7-5821-abde-c358bfbc58dd", "TEST4000000001", "Тестовий касир 1")
DATETIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")

# "+Обязательное при ответе" attributes of the entity table, with their types.
REQUIRED: dict[str, str] = {
    "accountId": "UUID",
    "applicable": "Boolean",
    "cashSum": "Float",
    "created": "DateTime",
    "customerOrder": "Meta",
    "externalCode": "String",
    "files": "MetaArray",
    "group": "Meta",
    "id": "UUID",
    "meta": "MetaObject",
    "moment": "DateTime",
    "name": "String",
    "noCashSum": "Float",
    "organization": "Meta",
    "owner": "Meta",
    "positions": "MetaArray",
    "printed": "Boolean",
    "published": "Boolean",
    "qrSum": "Float",
    "rate": "Object",
    "retailShift": "Meta",
    "retailStore": "Meta",
    "shared": "Boolean",
    "sum": "Int",
    "updated": "DateTime",
    "vatEnabled": "Boolean",
    "vatSum": "Float",
}
OPTIONAL: dict[str, str] = {"vatIncluded": "Boolean", "description": "String", "code": "String"}
POSITION: dict[str, str] = {
    "accountId": "UUID",
    "assortment": "Meta",
    "discount": "Int",
    "id": "UUID",
    "price": "Float",
    "quantity": "Number",
    "vat": "Int",
    "vatEnabled": "Boolean",
}


def has_type(value: Any, kind: str) -> bool:
    if kind == "UUID":
        return isinstance(value, str) and str(uuid.UUID(value)) == value
    if kind == "Boolean":
        return isinstance(value, bool)
    if kind == "Float":
        return isinstance(value, float)
    if kind == "Int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "Number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "DateTime":
        return isinstance(value, str) and bool(DATETIME.match(value))
    if kind == "String":
        return isinstance(value, str) and len(value) <= 255
    if kind == "Meta":
        meta = value["meta"]
        return {"href", "type", "mediaType"} <= meta.keys() and meta["href"].endswith(
            "/" + meta["href"].rsplit("/", 1)[-1]
        )
    if kind == "MetaObject":
        return value["type"] == "prepayment" and value["href"].startswith("https://")
    if kind == "MetaArray":
        return {"href", "type", "mediaType", "size", "limit", "offset"} <= value["meta"].keys()
    if kind == "Object":
        return isinstance(value, dict)
    raise AssertionError(kind)


def exported() -> list[dict[str, Any]]:
    first = advanced(order(CAKE, CANDLES), OrderPayment(CASH, 15000), OrderPayment(CARD, 10000))
    second = advanced(
        order(WINE, CHEESE, customer=Customer("Іван"), number=2),
        OrderPayment(QR, 30000),
        returned=True,
    )
    third = order(CAKE, number=3)  # open: no prepayment yet
    return documents([first, second, third], SHOP)


def test_every_required_attribute_with_its_type() -> None:
    docs = exported()
    assert len(docs) == 2
    for doc in docs:
        for name, kind in (REQUIRED | OPTIONAL).items():
            assert name in doc, name
            assert has_type(doc[name], kind), (name, doc[name])
        rows = doc["positions"]["rows"]
        assert doc["positions"]["meta"]["size"] == len(rows)
        for row in rows:
            for name, kind in POSITION.items():
                assert has_type(row[name], kind), (name, row[name])
    first, second = docs
    assert (first["name"], first["sum"]) == ("00001", 25000)
    assert (first["cashSum"], first["noCashSum"], first["qrSum"]) == (15000.0, 10000.0, 0.0)
    assert (second["cashSum"], second["noCashSum"], second["qrSum"]) == (0.0, 0.0, 30000.0)
    assert first["customerOrder"]["meta"]["type"] == "customerorder"
    assert first["retailStore"]["meta"]["href"].endswith(SHOP.cash_register_id)
    assert first["retailShift"]["meta"]["type"] == "retailshift"
    assert first["vatIncluded"] is True
    assert first["externalCode"] == "TEST-1"
    assert "returns" not in first
    assert second["returns"][0]["meta"]["type"] == "prepaymentreturn"
    cake = first["positions"]["rows"][0]
    assert (cake["quantity"], cake["price"], cake["vat"], cake["vatEnabled"]) == (
        1,
        45000.0,
        20,
        True,
    )
    candles = first["positions"]["rows"][1]
    assert (candles["quantity"], candles["vat"], candles["vatEnabled"]) == (3, 0, False)
    cheese = second["positions"]["rows"][1]
    assert cheese["quantity"] == 0.75
    # The advance's VAT: 250.00 split over 450.00 (20 %) and 75.00 (none) gives 214.29 with
    # VAT; 21429 × 20 / 120 = 3571.5, rounded half up.
    assert first["vatSum"] == 3572.0


def test_search_is_a_substring_of_the_name_only() -> None:
    docs = exported()
    assert [d["name"] for d in query(docs, search="0002")["rows"]] == ["00002"]
    assert [d["name"] for d in query(docs, search="2")["rows"]] == ["00002"]  # not a prefix
    assert query(docs, search="Іван")["rows"] == []  # the customer is not searched
    assert query(docs)["meta"]["size"] == 2


@pytest.mark.parametrize(
    ("expression", "names"),
    [
        ("sum>25000", ["00002"]),
        ("sum>=25000", ["00001", "00002"]),
        ("sum=25000", ["00001"]),
        ("sum!=25000", ["00002"]),
        ("name=00001;name=00002", ["00001", "00002"]),
        ("name~001", ["00001"]),
        ("name~=000", ["00001", "00002"]),
        ("name=~02", ["00002"]),
        ("applicable=true", ["00001", "00002"]),
        ("applicable=false", []),
        ("shared=false;sum<30000", ["00001"]),
        ("moment>=2026-12-01 00:00:00", ["00001", "00002"]),
        ("moment<2026-12-01 00:00:00", []),
        ("externalCode=TEST-2", ["00002"]),
        ("description~суботу", ["00001", "00002"]),
        (f"retailStore={SHOP.cash_register_id}", ["00001", "00002"]),
        ("isDeleted=false", ["00001", "00002"]),
    ],
)
def test_filter_on_the_seeds_filterable_attributes(expression: str, names: list[str]) -> None:
    assert [d["name"] for d in query(exported(), filter_expression=expression)["rows"]] == names


@pytest.mark.parametrize(
    "expression",
    ["cashSum=15000", "qrSum>0", "positions=1", "sum~2", "applicable>true", "nonsense"],
)
def test_filters_the_seed_does_not_allow_are_refused(expression: str) -> None:
    with pytest.raises(FilterError):
        query(exported(), filter_expression=expression)


def test_limit_and_offset() -> None:
    docs = exported()
    page = query(docs, limit=1, offset=1)
    assert [d["name"] for d in page["rows"]] == ["00002"]
    assert (page["meta"]["limit"], page["meta"]["offset"], page["meta"]["size"]) == (1, 1, 2)
    with pytest.raises(FilterError):
        query(docs, limit=1001)
    with pytest.raises(FilterError):
        query(docs, limit=0)
