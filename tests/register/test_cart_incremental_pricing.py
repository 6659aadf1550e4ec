"""The cart prices only the lines that changed; the receipt must be the one a full pricing gives.

Random sequences of what a cashier does (scans, more of the last good, quantities, removals,
line and receipt discounts, Ctrl+Z putting earlier lines back) are held, after every step, to
``price_receipt`` of the whole cart priced from nothing.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.discounts import DiscountMode, DiscountType
from pos.domain.errors import FiscalRuleError
from pos.domain.receipt import PricedReceipt, ReceiptType, price_receipt
from pos.journal.records import CatalogueItem
from pos.register.cart import Cart, CartLine, discount
from pos.register.errors import RegisterError

GOODS = (
    CatalogueItem("1", "Хліб", 3490, (8,)),
    CatalogueItem("2", "Сир", 45990, (5,), unit="кг", is_weighed=True),
    CatalogueItem("3", "Горілка", 21999, (1,)),
    CatalogueItem("4", "Пиво", 4150, (2, 5)),
    CatalogueItem("5", "Сік", 1, ()),
)

kinds = st.sampled_from(DiscountType)
discounts = st.one_of(
    st.none(),
    st.builds(
        discount, kinds, st.just(DiscountMode.VALUE), st.integers(min_value=1, max_value=30_000)
    ),
    st.builds(
        discount,
        kinds,
        st.just(DiscountMode.PERCENT),
        st.decimals(min_value=Decimal("0.5"), max_value=100, places=1),
    ),
)
operations = st.one_of(
    st.tuples(st.just("scan"), st.sampled_from(GOODS)),
    st.tuples(st.just("add"), st.sampled_from(GOODS), st.integers(min_value=1, max_value=9)),
    st.tuples(st.just("quantity"), st.integers(min_value=0, max_value=40), st.integers(1, 20)),
    st.tuples(st.just("remove"), st.integers(min_value=0, max_value=40)),
    st.tuples(st.just("line discount"), st.integers(min_value=0, max_value=40), discounts),
    st.tuples(st.just("receipt discount"), discounts),
    st.tuples(st.just("undo"), st.integers(min_value=0, max_value=40)),
)


def full(cart: Cart) -> PricedReceipt | type[Exception]:
    try:
        discounts = (cart.receipt_discount,) if cart.receipt_discount else ()
        return price_receipt(cart.domain_lines(), discounts)
    except FiscalRuleError as error:
        return type(error)


def kept(cart: Cart) -> PricedReceipt | type[Exception]:
    try:
        return cart.priced()
    except FiscalRuleError as error:
        return type(error)


def apply(cart: Cart, operation: tuple[Any, ...], history: list[list[CartLine]]) -> None:
    name, *args = operation
    history.append(list(cart.lines))
    size = len(cart.lines)
    if name == "scan":
        item = args[0]
        cart.add(item, 1250 if item.is_weighed else None)
    elif name == "add":
        item, count = args
        cart.add(item, count * (137 if item.is_weighed else 1000))
    elif name == "quantity" and size:
        line = cart.lines[args[0] % size]
        cart.set_quantity(args[0] % size, args[1] * (111 if line.is_weighed else 1000))
    elif name == "remove" and size:
        cart.remove(args[0] % size)
    elif name == "line discount" and size:
        cart.set_line_discount(args[0] % size, args[1])
    elif name == "receipt discount" and size:
        cart.set_receipt_discount(args[0])
    elif name == "undo" and history:
        cart.lines[:] = history[args[0] % len(history)]


@settings(max_examples=150, deadline=None)
@given(
    steps=st.lists(operations, min_size=1, max_size=40),
    returning=st.booleans(),
)
def test_pricing_only_what_changed_is_pricing_everything(
    steps: list[tuple[Any, ...]], returning: bool
) -> None:
    cart = Cart(type=ReceiptType.RETURN if returning else ReceiptType.SELL)
    history: list[list[CartLine]] = []
    for operation in steps:
        with contextlib.suppress(RegisterError):
            apply(cart, operation, history)
        if cart.lines:
            assert kept(cart) == full(cart)


def test_a_scan_prices_only_the_line_it_changed() -> None:
    cart = Cart()
    for item in GOODS[:4]:
        cart.add(item, 1000)
    first = cart.priced()
    cart.add(GOODS[3])  # one more of the last good
    again = cart.priced()
    assert again.lines[:3] == first.lines[:3]
    assert all(a is b for a, b in zip(again.lines[:3], first.lines[:3], strict=True))
    assert again.lines[3].line.quantity == 2000
    assert again == full(cart)
