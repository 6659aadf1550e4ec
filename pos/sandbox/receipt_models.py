"""Request bodies of the receipt routes, as the seed writes them.

Unknown fields are refused (422 `extra_forbidden`): an invented field is a bug of the client and
must show here, not be silently dropped as the real service may do. Every field the seed's
templates and curl examples use is declared (they mix `excise_barcode` and `excise_barcodes`, and
give `tax_code` as a number where the template shows a list). Wrong types, missing required
fields and values outside the bounds below give FastAPI's 422.

Bounds the seed does not state, chosen by the sandbox: sums and prices 0…10^10 kopecks (100
million hryvnias), quantities 1…10^9 thousandths, a percent discount ≤ 100, names ≤ 1024
characters, codes/barcodes/labels ≤ 256, headers/footers ≤ 4096. A service receipt takes only
`id`, `payment` (`type`, `value`, `label`), `custom`, `previous_receipt_id`, `header`, `footer`:
it is non-fiscal, so fiscal fields (goods, taxes, discounts, fiscal code/date) are refused.
A cash withdrawal (ФКЧ-4, cash given to a card holder) must carry the terminal's data: a CASHLESS
payment with `card_mask`, `auth_code`, `rrn` and `terminal` (the seed: "обов'язкові … блок
payments із даними терміналу").
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_SUM = 10_000_000_000
MAX_QUANTITY = 1_000_000_000
NAME = 1024
SHORT = 256
TEXT = 4096


class Strict(BaseModel):
    """Unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


Short = Annotated[str, Field(max_length=SHORT)]


class GoodBody(Strict):
    code: str = Field(min_length=1, max_length=SHORT)
    name: str = Field(min_length=1, max_length=NAME)
    price: int = Field(ge=0, le=MAX_SUM)
    tax: list[int | Short] = Field(default_factory=list, max_length=16)
    barcode: str | None = Field(default=None, max_length=SHORT)
    excise_barcodes: list[Short] | None = Field(default=None, max_length=1000)
    excise_barcode: str | None = Field(default=None, max_length=SHORT)
    header: str | None = Field(default=None, max_length=TEXT)
    footer: str | None = Field(default=None, max_length=TEXT)
    uktzed: str | None = Field(default=None, max_length=SHORT)


class DiscountBody(Strict):
    type: Literal["DISCOUNT", "EXTRA_CHARGE"]
    mode: Literal["VALUE", "PERCENT"]
    value: Decimal = Field(ge=0, le=MAX_SUM)
    tax_code: int | list[int] | None = None
    tax_codes: list[int] | None = None
    name: str | None = Field(default=None, max_length=NAME)
    privilege: str | None = Field(default=None, max_length=NAME)

    @model_validator(mode="after")
    def _percent(self) -> DiscountBody:
        if self.mode == "PERCENT" and self.value > 100:
            raise ValueError("a percent discount cannot exceed 100")
        return self

    def codes(self) -> tuple[int, ...]:
        codes: list[int] = []
        if isinstance(self.tax_code, int):
            codes.append(self.tax_code)
        elif self.tax_code:
            codes.extend(self.tax_code)
        codes.extend(self.tax_codes or [])
        return tuple(dict.fromkeys(codes))


class GoodItemBody(Strict):
    good: GoodBody
    good_id: str | None = Field(default=None, max_length=SHORT)
    quantity: int = Field(gt=0, le=MAX_QUANTITY)
    is_return: bool = False
    is_winnings_payout: bool | None = None
    discounts: list[DiscountBody] = Field(default_factory=list, max_length=100)
    total_sum: int | None = Field(default=None, ge=0, le=MAX_SUM)


_INT32 = 1 << 31

PAYMENT_FIELDS = (
    "pawnshop_is_return",
    "provider_type",
    "code",
    "commission",
    "card_mask",
    "bank_name",
    "auth_code",
    "rrn",
    "payment_system",
    "owner_name",
    "terminal",
    "acquiring",
    "acquirer_and_seller",
    "receipt_no",
    "signature_required",
    "tapxphone_terminal",
)


class PaymentBody(Strict):
    type: Literal["CASH", "CASHLESS"]
    value: int = Field(ge=0, le=MAX_SUM)
    label: str | None = Field(default=None, max_length=SHORT)
    pawnshop_is_return: bool | None = None
    provider_type: str | None = Field(default=None, max_length=SHORT)
    code: int | None = Field(default=None, ge=-_INT32, lt=_INT32)
    commission: int | None = Field(default=None, ge=0, le=MAX_SUM)
    card_mask: str | None = Field(default=None, max_length=19)
    bank_name: str | None = Field(default=None, max_length=SHORT)
    auth_code: str | None = Field(default=None, max_length=SHORT)
    rrn: str | None = Field(default=None, max_length=SHORT)
    payment_system: str | None = Field(default=None, max_length=SHORT)
    owner_name: str | None = Field(default=None, max_length=SHORT)
    terminal: str | None = Field(default=None, max_length=SHORT)
    acquiring: str | None = Field(default=None, max_length=SHORT)
    acquirer_and_seller: str | None = Field(default=None, max_length=SHORT)
    receipt_no: str | None = Field(default=None, max_length=SHORT)
    signature_required: bool | None = None
    tapxphone_terminal: str | None = Field(default=None, max_length=SHORT)

    def view(self, default_label: str) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type}
        for name in PAYMENT_FIELDS:
            body[name] = getattr(self, name)
        body["value"] = self.value
        body["label"] = self.label or default_label
        if body["acquiring"] is None:
            body["acquiring"] = self.acquirer_and_seller
        return body


class DeliveryBody(Strict):
    """Where the server sends a copy: one e-mail, several, or a phone (SMS/Viber, "380…")."""

    email: str | None = Field(default=None, max_length=SHORT)
    emails: list[Short] | None = Field(default=None, max_length=20)
    phone: str | None = Field(default=None, pattern=r"^380\d{9}$")


class SellBody(Strict):
    id: uuid.UUID
    cashier_name: str | None = Field(default=None, max_length=NAME)
    departament: str | None = Field(default=None, max_length=NAME)
    goods: list[GoodItemBody] = Field(min_length=1, max_length=1000)
    delivery: DeliveryBody | None = None
    discounts: list[DiscountBody] = Field(default_factory=list, max_length=100)
    bonuses: list[dict[str, Any]] | None = Field(default=None, max_length=100)
    payments: list[PaymentBody] = Field(min_length=1, max_length=100)
    rounding: bool = False
    header: str | None = Field(default=None, max_length=TEXT)
    footer: str | None = Field(default=None, max_length=TEXT)
    barcode: str | None = Field(default=None, max_length=SHORT)
    order_id: uuid.UUID | None = None
    related_receipt_id: uuid.UUID | None = None
    previous_receipt_id: uuid.UUID | None = None
    technical_return: bool = False
    is_pawnshop: bool | None = None
    custom: dict[str, Any] | None = None
    context: dict[str, Any] | None = None


class SellOfflineBody(SellBody):
    fiscal_code: str = Field(max_length=SHORT)
    fiscal_date: str = Field(max_length=64)


class ServicePaymentBody(Strict):
    type: Literal["CASH", "CASHLESS"] = "CASH"
    value: int = Field(ge=-MAX_SUM, le=MAX_SUM)
    label: str | None = Field(default=None, max_length=SHORT)

    def view(self, default_label: str) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type}
        for name in PAYMENT_FIELDS:
            body[name] = None
        body["value"] = self.value
        body["label"] = self.label or default_label
        return body


class ServiceBody(Strict):
    id: uuid.UUID
    payment: ServicePaymentBody
    custom: dict[str, Any] | None = None
    previous_receipt_id: uuid.UUID | None = None
    header: str | None = Field(default=None, max_length=TEXT)
    footer: str | None = Field(default=None, max_length=TEXT)


TERMINAL_FIELDS = ("card_mask", "auth_code", "rrn", "terminal")


class CashWithdrawalBody(Strict):
    id: uuid.UUID
    cashier_name: str | None = Field(default=None, max_length=NAME)
    departament: str | None = Field(default=None, max_length=NAME)
    payment: PaymentBody
    fiscal_code: str | None = Field(default=None, max_length=SHORT)
    fiscal_date: str | None = Field(default=None, max_length=64)
    header: str | None = Field(default=None, max_length=TEXT)
    footer: str | None = Field(default=None, max_length=TEXT)
    barcode: str | None = Field(default=None, max_length=SHORT)
    delivery: DeliveryBody | None = None
    previous_receipt_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _terminal(self) -> CashWithdrawalBody:
        if self.payment.type != "CASHLESS":
            raise ValueError("a cash withdrawal is paid from a card: payment.type CASHLESS")
        missing = [f for f in TERMINAL_FIELDS if not getattr(self.payment, f)]
        if missing:
            raise ValueError("terminal data missing: payment." + ", payment.".join(missing))
        return self
