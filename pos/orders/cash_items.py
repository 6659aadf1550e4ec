"""Unitpay's `cashItems` for an order's payment link (seed `001_*`): the receipt lines sent with
an online payment request, base64 of a JSON array.

What the seed fixes, and how we follow it:
* each item has `name` (≤ 128 characters), `count`, `price` (per unit, in currency units),
  `currency` (UAH), `vat`, `type`, `paymentMethod`; excise goods carry `markCode`, with
  `quantity` 1 and `measure` (0 piece, 10 g, 11 kg, 12 t, 20 cm);
* at most 100 items; the order amount must be ≥ Σ price × count, else Unitpay answers
  "Amount of items is more than the cost of the order";
* `paymentMethod`: `full_prepayment` when the whole order is paid before the goods are handed
  over, `prepayment` for a part of it, `full_payment` for the rest paid when the goods are handed
  over (`advance` — an advance not tied to goods — is not used: an order always has goods);
* `vat110/120/105/107` only with prepayment signs: our 20 % becomes `vat120` for an advance and
  `vat20` for the final payment;
* `customerEmail`, `customerPhone` (international format without "+", a number).

Our choices where the seed is silent: an advance for part of the order lists every line once
(`count` 1, measure 0) priced at its share of the advance (largest remainder, so the items add
up to the amount exactly); the rest after an advance likewise; only a link for the whole order
lists the real quantities. A line with several excise stamps becomes one item per stamp. Units we
cannot map (litres, packs) and VAT rates Unitpay has no code for are refused, naming the line.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pos.domain.discounts import distribute
from pos.domain.taxes import DEFAULT_TAXES, Tax, resolve_tax
from pos.orders.model import Order, OrderLine, OrderState

MAX_NAME = 128
MAX_ITEMS = 100
CURRENCY = "UAH"

NAME_TOO_LONG = "no more than 128 characters per position"
TOO_MANY_ITEMS = "the total amount in the receipt can not be more than 100 items"
SUM_TOO_SMALL = "Amount of items is more than the cost of the order"

FULL_PAYMENT = "full_payment"
FULL_PREPAYMENT = "full_prepayment"
PREPAYMENT = "prepayment"

UNITS: dict[str, int] = {
    "шт": 0,
    "шт.": 0,
    "pc": 0,
    "pcs": 0,
    "г": 10,
    "гр": 10,
    "g": 10,
    "кг": 11,
    "kg": 11,
    "т": 12,
    "t": 12,
    "см": 20,
    "cm": 20,
}
"""Our units of measure → Unitpay's `measure`."""

VAT_CODES: dict[Decimal, str] = {
    Decimal(0): "vat0",
    Decimal(5): "vat5",
    Decimal(7): "vat7",
    Decimal(10): "vat10",
    Decimal(20): "vat20",
}
PREPAYMENT_VAT = {"vat5": "vat105", "vat7": "vat107", "vat10": "vat110", "vat20": "vat120"}


class CashItemsError(ValueError):
    """Unitpay would refuse these items; ``line`` is the 1-based order line at fault (or None)."""

    def __init__(self, message: str, line: int | None = None, name: str = "") -> None:
        text = message if line is None else f"line {line} ({name[:40]}): {message}"
        super().__init__(text)
        self.reason = message
        self.line = line


@dataclass(frozen=True)
class PaymentLink:
    """What goes with the payment request: the amount and the receipt parameters."""

    amount: int  # kopecks
    payment_method: str
    items: tuple[dict[str, Any], ...]
    customer_email: str | None
    customer_phone: int | None

    @property
    def cash_items(self) -> str:
        return encode(self.items)

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sum": money(self.amount), "cashItems": self.cash_items}
        if self.customer_email:
            out["customerEmail"] = self.customer_email
        if self.customer_phone is not None:
            out["customerPhone"] = self.customer_phone
        return out


def money(kopecks: int) -> float:
    return float(Decimal(kopecks) / 100)


def encode(items: Sequence[dict[str, Any]]) -> str:
    """base64 of the JSON array (UTF-8, names as they are)."""
    text = json.dumps(list(items), ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def decode(value: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(base64.b64decode(value).decode("utf-8"))
    return items


def measure_of(unit: str, line: int = 0, name: str = "") -> int:
    found = UNITS.get(unit.strip().casefold())
    if found is None:
        raise CashItemsError(
            f"unit '{unit}' has no Unitpay measure (0, 10, 11, 12, 20)", line, name
        )
    return found


def vat_of(
    tax_codes: Sequence[int],
    *,
    prepayment: bool,
    taxes: Sequence[Tax] = DEFAULT_TAXES,
    line: int = 0,
    name: str = "",
) -> str:
    """Unitpay's `vat` for a good with our tax codes (letters resolve to codes too)."""
    rated = [resolve_tax(code, taxes) for code in tax_codes]
    if not rated or all(t.no_vat for t in rated):
        return "none"
    rates = {t.rate for t in rated if not t.no_vat}
    if len(rates) != 1:
        raise CashItemsError("a good with more than one VAT rate", line, name)
    rate = rates.pop()
    code = VAT_CODES.get(rate)
    if code is None:
        raise CashItemsError(f"VAT {rate}% has no Unitpay code", line, name)
    return PREPAYMENT_VAT.get(code, code) if prepayment else code


def _item(
    li: OrderLine,
    position: int,
    *,
    count: Decimal,
    price: int,
    measure: int,
    method: str,
    mark: str | None,
) -> dict[str, Any]:
    if len(li.name) > MAX_NAME:
        raise CashItemsError(NAME_TOO_LONG, position, li.name)
    item: dict[str, Any] = {
        "name": li.name,
        "count": int(count) if count == count.to_integral_value() else float(count),
        "price": money(price),
        "currency": CURRENCY,
        "vat": vat_of(li.tax_codes, prepayment=method != FULL_PAYMENT, line=position, name=li.name),
        "type": "excise" if li.is_excise else "commodity",
        "paymentMethod": method,
        "measure": measure,
    }
    if mark is not None:
        item["markCode"] = mark
        item["quantity"] = 1
    return item


def items_for(order: Order, amount: int, method: str) -> list[dict[str, Any]]:
    """The items of a link for ``amount`` kopecks of ``order`` at the stage ``method``."""
    priced = order.priced()
    whole = method == FULL_PREPAYMENT or (method == FULL_PAYMENT and order.paid == 0)
    items: list[dict[str, Any]] = []
    if whole and amount == order.total_sum:
        for position, (li, pl) in enumerate(zip(order.lines, priced.lines, strict=True), start=1):
            measure = measure_of(li.unit, position, li.name)
            if li.excise_codes:
                shares = distribute(pl.total, [1] * len(li.excise_codes))
                for mark, share in zip(li.excise_codes, shares, strict=True):
                    items.append(
                        _item(
                            li,
                            position,
                            count=Decimal(1),
                            price=share,
                            measure=0,
                            method=method,
                            mark=mark,
                        )
                    )
                continue
            if li.is_weighed and pl.total == pl.sum:
                # price per kilogram × weight; the kopeck Checkbox rounded off stays within
                # the amount (Unitpay adds it as "Adjustment of total").
                count, price = Decimal(li.quantity) / 1000, li.price
            elif (
                not li.is_weighed
                and li.quantity % 1000 == 0
                and pl.total % (li.quantity // 1000) == 0
            ):
                count, price = Decimal(li.quantity // 1000), pl.total // (li.quantity // 1000)
                measure = 0
            else:  # a discount that does not divide evenly: the line as one unit
                count, price, measure = Decimal(1), pl.total, 0
            items.append(
                _item(
                    li,
                    position,
                    count=count,
                    price=price,
                    measure=measure,
                    method=method,
                    mark=None,
                )
            )
    else:
        shares = distribute(amount, [pl.total for pl in priced.lines])
        for position, (li, share) in enumerate(zip(order.lines, shares, strict=True), start=1):
            if share == 0:
                continue
            measure_of(li.unit, position, li.name)  # refused the same way in every stage
            stamp: str | None = li.excise_codes[0] if li.excise_codes else None
            items.append(
                _item(
                    li,
                    position,
                    count=Decimal(1),
                    price=share,
                    measure=0,
                    method=method,
                    mark=stamp,
                )
            )
    check(items, amount)
    return items


def check(items: Sequence[dict[str, Any]], amount: int) -> None:
    """Unitpay's own limits on a list of items for an order amount of ``amount`` kopecks."""
    if len(items) > MAX_ITEMS:
        raise CashItemsError(TOO_MANY_ITEMS)
    for position, item in enumerate(items, start=1):
        if len(str(item["name"])) > MAX_NAME:
            raise CashItemsError(NAME_TOO_LONG, position, str(item["name"]))
    cost = sum(Decimal(str(item["price"])) * Decimal(str(item["count"])) for item in items)
    if Decimal(amount) / 100 < cost:
        raise CashItemsError(SUM_TOO_SMALL)


def phone_number(phone: str) -> int | None:
    """International format without "+", as a number (a Ukrainian 0XX… gets its 38)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not digits:
        return None
    if len(digits) == 10 and digits.startswith("0"):
        digits = "38" + digits
    if not 10 <= len(digits) <= 15:
        raise CashItemsError(f"phone '{phone}' is not an international number")
    return int(digits)


def payment_link(order: Order, amount: int | None = None) -> PaymentLink:
    """The link's parameters for ``amount`` (default: what is left to pay) of ``order``."""
    if order.state in (OrderState.CANCELLED, OrderState.HANDED_OVER):
        raise CashItemsError(f"order {order.label} is {order.state.value}: nothing to pay")
    left = order.left_to_pay
    amount = left if amount is None else amount
    if amount <= 0 or amount > left:
        raise CashItemsError(f"the amount must be more than 0 and at most {money(left):.2f}")
    if order.paid == 0:
        method = FULL_PREPAYMENT if amount == order.total_sum else PREPAYMENT
    elif amount == left:
        method = FULL_PAYMENT
    else:
        raise CashItemsError("after an advance only the whole rest can be paid")
    return PaymentLink(
        amount,
        method,
        tuple(items_for(order, amount, method)),
        order.customer.email or None,
        phone_number(order.customer.phone),
    )
