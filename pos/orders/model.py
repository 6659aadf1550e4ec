"""A customer order and its rules: what it holds, what it costs, where it stands.

Why pure: the window, the headless `pos order` commands, the journal and the exports read the same
order; its sums come from `pos.domain` (the order priced as one sale) and the chain arithmetic of
`pos.domain.prepayment`, so the till, the reports and Checkbox agree to the kopeck.

States: open (nothing paid) → partly paid (an advance) or paid (advance = total) → handed over
(the after-payment receipt closed the chain). Cancelled: an open order is simply cancelled; a paid
or partly paid one only with the return of its chain (the advance is refunded). A handed-over
order is not cancelled here: its goods left the shop, that is a return of goods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.receipt import (
    FiscalReceipt,
    Good,
    Line,
    Payment,
    PaymentType,
    PricedReceipt,
    ReceiptTax,
    ReceiptType,
    price_receipt,
)


class OrderState(StrEnum):
    OPEN = "open"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    HANDED_OVER = "handed_over"
    CANCELLED = "cancelled"


class ChainRole(StrEnum):
    PREPAYMENT = "prepayment"
    AFTER_PAYMENT = "after_payment"
    RETURN = "return"


class OrderReceiptState(StrEnum):
    COMMITTED = "committed"
    SENDING = "sending"
    DONE = "done"
    FAILED = "failed"


class PayMethod(StrEnum):
    """How the customer paid: MoySklad's cashSum / noCashSum / qrSum (QR is cashless for
    Checkbox, with its own label)."""

    CASH = "cash"
    CARD = "card"
    QR = "qr"


METHOD_LABELS = {PayMethod.CASH: "Готівка", PayMethod.CARD: "Картка", PayMethod.QR: "QR-код"}


@dataclass(frozen=True)
class OrderPayment:
    method: PayMethod
    value: int

    def payment(self) -> Payment:
        kind = PaymentType.CASH if self.method is PayMethod.CASH else PaymentType.CASHLESS
        return Payment(kind, self.value, METHOD_LABELS[self.method])


@dataclass(frozen=True)
class OrderLine:
    """A good of the order: price in kopecks, quantity in thousandths, as on a receipt."""

    code: str
    name: str
    price: int
    quantity: int
    tax_codes: tuple[int, ...] = ()
    unit: str = "шт"
    is_weighed: bool = False
    is_excise: bool = False
    excise_codes: tuple[str, ...] = ()
    uktzed: str | None = None
    discount: Discount | None = None

    def domain_line(self) -> Line:
        return Line(
            Good(self.code, self.name, self.price, self.tax_codes),
            self.quantity,
            discounts=(self.discount,) if self.discount else (),
        )


@dataclass(frozen=True)
class Customer:
    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class OrderReceipt:
    """A receipt of the order's chain as the journal holds it."""

    id: str
    kind: ChainRole
    state: OrderReceiptState
    fiscal: FiscalReceipt
    cash_sum: int
    card_sum: int
    qr_sum: int
    created_at: datetime
    shift_id: str | None = None
    fiscal_code: str | None = None
    fiscal_date: datetime | None = None
    error: str | None = None
    body: dict[str, Any] = field(default_factory=dict)
    server_response: dict[str, Any] | None = None  # Checkbox's answer (number, check link)

    @property
    def counts(self) -> bool:
        """Fiscalised, or sent and not refused (a lost answer still counts until settled)."""
        return self.state in (OrderReceiptState.DONE, OrderReceiptState.SENDING)


@dataclass(frozen=True)
class Order:
    id: str
    number: int
    state: OrderState
    customer: Customer
    lines: tuple[OrderLine, ...]
    total_sum: int
    created_at: datetime
    updated_at: datetime
    due_date: date | None = None
    note: str = ""
    discount: Discount | None = None
    relation_id: str | None = None
    pending_action: str | None = None
    receipts: tuple[OrderReceipt, ...] = ()

    def priced(self) -> PricedReceipt:
        return price_order(self.lines, self.discount)

    def advances(self) -> list[OrderReceipt]:
        return [r for r in self.receipts if r.kind is ChainRole.PREPAYMENT and r.counts]

    @property
    def paid(self) -> int:
        """What the customer has paid and not been refunded (change excluded)."""
        kept = sum(
            r.fiscal.total_sum for r in self.receipts if r.kind is not ChainRole.RETURN and r.counts
        )
        back = sum(r.fiscal.total_sum for r in self.receipts if r.kind is ChainRole.RETURN)
        return kept - back

    @property
    def left_to_pay(self) -> int:
        if self.state in (OrderState.CANCELLED, OrderState.HANDED_OVER):
            return 0
        return max(self.total_sum - self.paid, 0)

    @property
    def unsettled(self) -> list[OrderReceipt]:
        return [r for r in self.receipts if r.state is OrderReceiptState.SENDING]

    @property
    def label(self) -> str:
        return f"{self.number:05d}"


def price_order(lines: tuple[OrderLine, ...], discount: Discount | None = None) -> PricedReceipt:
    return price_receipt([li.domain_line() for li in lines], (discount,) if discount else ())


def state_after(order: Order, role: ChainRole, fiscal: FiscalReceipt) -> OrderState:
    """The order's state once a receipt of ``role`` is fiscalised."""
    if role is ChainRole.RETURN:
        return OrderState.CANCELLED
    if role is ChainRole.AFTER_PAYMENT:
        return OrderState.HANDED_OVER
    paid = order.paid + fiscal.total_sum
    return OrderState.PAID if paid >= order.total_sum else OrderState.PARTLY_PAID


def split(payments: list[OrderPayment]) -> tuple[int, int, int]:
    """(cash, card, qr) sums of the payments."""
    sums = dict.fromkeys(PayMethod, 0)
    for p in payments:
        sums[p.method] += p.value
    return sums[PayMethod.CASH], sums[PayMethod.CARD], sums[PayMethod.QR]


# --- JSON forms for the journal ------------------------------------------------------------------


def discount_json(d: Discount | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"type": d.type.value, "mode": d.mode.value, "value": str(d.value), "name": d.name}


def discount_of(data: dict[str, Any] | None) -> Discount | None:
    if not data:
        return None
    mode = DiscountMode(data["mode"])
    value: int | Decimal = (
        int(data["value"]) if mode is DiscountMode.VALUE else Decimal(data["value"])
    )
    return Discount(DiscountType(data["type"]), mode, value, data.get("name", ""))


def line_json(li: OrderLine) -> dict[str, Any]:
    return {
        "code": li.code,
        "name": li.name,
        "price": li.price,
        "quantity": li.quantity,
        "tax_codes": list(li.tax_codes),
        "unit": li.unit,
        "is_weighed": li.is_weighed,
        "is_excise": li.is_excise,
        "excise_codes": list(li.excise_codes),
        "uktzed": li.uktzed,
        "discount": discount_json(li.discount),
    }


def line_of(data: dict[str, Any]) -> OrderLine:
    return OrderLine(
        code=data["code"],
        name=data["name"],
        price=int(data["price"]),
        quantity=int(data["quantity"]),
        tax_codes=tuple(int(c) for c in data.get("tax_codes", ())),
        unit=data.get("unit", "шт"),
        is_weighed=bool(data.get("is_weighed", False)),
        is_excise=bool(data.get("is_excise", False)),
        excise_codes=tuple(data.get("excise_codes", ())),
        uktzed=data.get("uktzed"),
        discount=discount_of(data.get("discount")),
    )


def fiscal_json(f: FiscalReceipt) -> dict[str, Any]:
    return {
        "type": f.type.value,
        "total_sum": f.total_sum,
        "payments": [
            {"type": p.type.value, "value": p.value, "label": p.label} for p in f.payments
        ],
        "rest": f.rest,
        "round_sum": f.round_sum,
        "taxes": [
            {"code": t.code, "value": t.value, "extra_value": t.extra_value, "turnover": t.turnover}
            for t in f.taxes
        ],
        "discounts_sum": f.discounts_sum,
        "extra_charge_sum": f.extra_charge_sum,
    }


def fiscal_of(data: dict[str, Any]) -> FiscalReceipt:
    return FiscalReceipt(
        ReceiptType(data["type"]),
        int(data["total_sum"]),
        tuple(
            Payment(PaymentType(p["type"]), int(p["value"]), p["label"]) for p in data["payments"]
        ),
        rest=int(data["rest"]),
        round_sum=int(data["round_sum"]),
        taxes=tuple(
            ReceiptTax(int(t["code"]), int(t["value"]), int(t["extra_value"]), int(t["turnover"]))
            for t in data["taxes"]
        ),
        discounts_sum=int(data["discounts_sum"]),
        extra_charge_sum=int(data["extra_charge_sum"]),
    )
