"""The open cart and the parked ones, saved in the journal on every change and restored when the
window opens again (issue 11: they survive a restart, a crash or a power cut).

Why a cart carries its goods as they were rung up (name, price, taxes) and not just codes: what
the cashier saw in the cart is what gets sold after the restart, even if the catalogue changed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.receipt import ReceiptType
from pos.journal import Journal
from pos.journal.held_carts import OPEN, HeldCart
from pos.journal.records import CatalogueItem
from pos.register.cart import Cart, CartLine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParkedCartRecord:
    number: int
    parked_at: datetime
    cart: Cart


def held(cart: Cart, parked: Sequence[ParkedCartRecord]) -> list[HeldCart]:
    """The carts as the journal keeps them: plain data, made where the carts live (the window's
    thread, where they change) and then saved on the register's thread."""
    carts = [HeldCart(p.number, cart_body(p.cart), p.parked_at) for p in parked]
    if not cart.is_empty:
        carts.insert(0, HeldCart(OPEN, cart_body(cart), None))
    return carts


def restore(journal: Journal) -> tuple[Cart, list[ParkedCartRecord]]:
    """The open cart (empty if none) and the parked ones; a cart that cannot be read back
    (written by a newer version?) is left out with a log line, never a crash."""
    cart = Cart()
    parked: list[ParkedCartRecord] = []
    for held in journal.carts.all():
        try:
            restored = cart_from_body(held.body)
        except (KeyError, TypeError, ValueError, ArithmeticError) as error:
            log.warning("held cart %s could not be restored: %s", held.slot, error)
            continue
        if held.slot == OPEN:
            cart = restored
        else:
            parked.append(
                ParkedCartRecord(held.slot, held.parked_at or datetime.now(UTC), restored)
            )
    return cart, parked


def _discount(value: Discount | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "type": value.type.value,
        "mode": value.mode.value,
        "value": str(value.value),
        "name": value.name,
        "tax_codes": list(value.tax_codes),
    }


def _discount_from(body: dict[str, Any] | None) -> Discount | None:
    if body is None:
        return None
    mode = DiscountMode(body["mode"])
    text = str(body["value"])
    value: int | Decimal = int(text) if mode is DiscountMode.VALUE else Decimal(text)
    return Discount(DiscountType(body["type"]), mode, value, body["name"], tuple(body["tax_codes"]))


def cart_body(cart: Cart) -> dict[str, Any]:
    return {
        "type": cart.type.value,
        "receipt_discount": _discount(cart.receipt_discount),
        "lines": [
            {
                "item": {
                    "code": li.item.code,
                    "name": li.item.name,
                    "price": li.item.price,
                    "tax_codes": list(li.item.tax_codes),
                    "unit": li.item.unit,
                    "is_weighed": li.item.is_weighed,
                    "is_excise": li.item.is_excise,
                    "barcodes": list(li.item.barcodes),
                    "uktzed": li.item.uktzed,
                    "category": li.item.category,
                },
                "quantity": li.quantity,
                "price": li.price,
                "barcode": li.barcode,
                "discount": _discount(li.discount),
            }
            for li in cart.lines
        ],
    }


def cart_from_body(body: dict[str, Any]) -> Cart:
    lines = []
    for line in body["lines"]:
        item = dict(line["item"])
        item["tax_codes"] = tuple(int(c) for c in item["tax_codes"])
        item["barcodes"] = tuple(item["barcodes"])
        lines.append(
            CartLine(
                CatalogueItem(**item),
                int(line["quantity"]),
                int(line["price"]),
                line["barcode"],
                _discount_from(line["discount"]),
            )
        )
    return Cart(lines, _discount_from(body["receipt_discount"]), ReceiptType(body["type"]))
