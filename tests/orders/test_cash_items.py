"""Unitpay `cashItems` for payment links (seed 001): shape, stages, mappings and every limit."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest

from pos.orders.cash_items import (
    NAME_TOO_LONG,
    SUM_TOO_SMALL,
    TOO_MANY_ITEMS,
    CashItemsError,
    check,
    decode,
    encode,
    measure_of,
    payment_link,
    phone_number,
    vat_of,
)
from pos.orders.model import Customer, OrderLine, OrderPayment

from .builders import CAKE, CANDLES, CARD, CASH, CHEESE, WINE, advanced, order

SEED_KEYS = {"name", "count", "price", "currency", "vat", "type", "paymentMethod", "measure"}


def test_base64_round_trips_to_the_seeds_json_shape() -> None:
    link = payment_link(order(CAKE, CANDLES))
    raw = base64.b64decode(link.cash_items)
    items = json.loads(raw.decode("utf-8"))
    assert isinstance(items, list)
    assert items == decode(link.cash_items) == list(link.items)
    assert encode(items) == link.cash_items
    for item in items:
        assert item.keys() >= SEED_KEYS
        assert isinstance(item["name"], str)
        assert isinstance(item["count"], int | float)
        assert isinstance(item["price"], int | float)
    assert items[0] == {
        "name": "Торт Київський",
        "count": 1,
        "price": 450.0,
        "currency": "UAH",
        "vat": "vat120",
        "type": "commodity",
        "paymentMethod": "full_prepayment",
        "measure": 0,
    }
    assert (items[1]["count"], items[1]["price"], items[1]["vat"]) == (3, 25.0, "none")
    params = link.params()
    assert params["customerEmail"] == "olena@example.com"
    assert params["customerPhone"] == 380671234567
    assert params["sum"] == 525.0


def test_payment_method_sign_follows_the_stage() -> None:
    fresh = order(CAKE, CANDLES)
    assert payment_link(fresh).payment_method == "full_prepayment"
    part = payment_link(fresh, 15000)
    assert part.payment_method == "prepayment"
    assert sum(Decimal(str(i["price"])) * Decimal(str(i["count"])) for i in part.items) == 150
    assert {i["count"] for i in part.items} == {1}
    paid = advanced(fresh, OrderPayment(CASH, 10000), OrderPayment(CARD, 5000))
    rest = payment_link(paid)
    assert rest.payment_method == "full_payment"
    assert rest.amount == fresh.total_sum - 15000
    assert {i["vat"] for i in rest.items} == {"vat20", "none"}  # not vat120 at the end
    with pytest.raises(CashItemsError, match="only the whole rest"):
        payment_link(paid, 100)
    with pytest.raises(CashItemsError, match="at most"):
        payment_link(fresh, fresh.total_sum + 1)


def test_excise_goods_carry_their_mark_codes() -> None:
    items = list(payment_link(order(WINE)).items)
    assert [(i["markCode"], i["quantity"], i["count"]) for i in items] == [
        ("AA1", 1, 1),
        ("AA2", 1, 1),
    ]
    assert {i["type"] for i in items} == {"excise"}
    assert sum(i["price"] for i in items) == 640.0


def test_weighed_goods_in_kilograms() -> None:
    (item,) = payment_link(order(CHEESE)).items
    assert (item["count"], item["price"], item["measure"]) == (0.75, 189.9, 11)


def test_name_over_128_characters_is_refused_naming_the_line() -> None:
    long = OrderLine("L", "Т" * 129, 1000, 1000, (5,))
    with pytest.raises(CashItemsError) as refused:
        payment_link(order(CAKE, long))
    assert refused.value.reason == NAME_TOO_LONG
    assert refused.value.line == 2
    assert "line 2" in str(refused.value)
    payment_link(order(OrderLine("L", "Т" * 128, 1000, 1000, (5,))))  # 128 is allowed


def test_more_than_100_items_is_refused() -> None:
    lines = tuple(OrderLine(f"G{i}", f"Товар {i}", 100, 1000, (5,)) for i in range(101))
    with pytest.raises(CashItemsError) as refused:
        payment_link(order(*lines))
    assert str(refused.value) == TOO_MANY_ITEMS
    payment_link(order(*lines[:100]))


def test_order_sum_below_price_times_count_is_refused_with_the_seeds_words() -> None:
    items = list(payment_link(order(CAKE, CANDLES)).items)
    check(items, 52500)  # equal is fine; more would add an "Adjustment of total"
    check(items, 60000)
    with pytest.raises(CashItemsError) as refused:
        check(items, 52499)
    assert (
        str(refused.value) == "Amount of items is more than the cost of the order" == SUM_TOO_SMALL
    )


@pytest.mark.parametrize(
    ("codes", "prepayment", "expected"),
    [
        ((5,), False, "vat20"),  # Є: ПДВ 20 %
        ((5,), True, "vat120"),
        (("Є",), False, "vat20"),  # by letter too
        ((1,), False, "vat20"),  # А: ПДВ 20 % + акциз
        ((1,), True, "vat120"),
        ((2,), False, "vat0"),  # Б: акциз, ПДВ 0
        ((8,), False, "none"),  # З: без ПДВ
        ((8,), True, "none"),
        ((), False, "none"),
    ],
)
def test_vat_codes_from_our_tax_letters(
    codes: tuple[int | str, ...], prepayment: bool, expected: str
) -> None:
    assert vat_of(codes, prepayment=prepayment) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("unit", "measure"),
    [("шт", 0), ("Шт", 0), ("г", 10), ("кг", 11), ("т", 12), ("см", 20), ("kg", 11)],
)
def test_units_from_our_units(unit: str, measure: int) -> None:
    assert measure_of(unit) == measure


def test_units_unitpay_has_no_measure_for_are_refused_naming_the_line() -> None:
    litre = OrderLine("M", "Молоко розливне", 3000, 2000, (5,), unit="л")
    with pytest.raises(CashItemsError, match=r"line 1 \(Молоко розливне\): unit 'л'"):
        payment_link(order(litre))


def test_phone_in_international_format_without_plus() -> None:
    assert phone_number("+380 (67) 123-45-67") == 380671234567
    assert phone_number("0671234567") == 380671234567
    assert phone_number("") is None
    with pytest.raises(CashItemsError):
        phone_number("12")
    link = payment_link(order(CAKE, customer=Customer("Без телефону")))
    assert "customerPhone" not in link.params()
    assert "customerEmail" not in link.params()
