"""Request bodies of the receipt routes, as the seed writes them.

Unknown fields are ignored (as FastAPI does by default), so the seed's curl examples — which
mix `excise_barcode` and `excise_barcodes`, and give `tax_code` as a number where the template
shows a list — are accepted. Wrong types or missing required fields give FastAPI's 422.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field


class GoodBody(BaseModel):
    code: str
    name: str
    price: int
    tax: list[int | str] = Field(default_factory=list)
    barcode: str | None = None
    excise_barcodes: list[str] | None = None
    excise_barcode: str | None = None
    header: str | None = None
    footer: str | None = None
    uktzed: str | None = None


class DiscountBody(BaseModel):
    type: Literal["DISCOUNT", "EXTRA_CHARGE"]
    mode: Literal["VALUE", "PERCENT"]
    value: Decimal = Field(ge=0)
    tax_code: int | list[int] | None = None
    tax_codes: list[int] | None = None
    name: str | None = None
    privilege: str | None = None

    def codes(self) -> tuple[int, ...]:
        codes: list[int] = []
        if isinstance(self.tax_code, int):
            codes.append(self.tax_code)
        elif self.tax_code:
            codes.extend(self.tax_code)
        codes.extend(self.tax_codes or [])
        return tuple(dict.fromkeys(codes))


class GoodItemBody(BaseModel):
    good: GoodBody
    good_id: str | None = None
    quantity: int
    is_return: bool = False
    is_winnings_payout: bool | None = None
    discounts: list[DiscountBody] = Field(default_factory=list)
    total_sum: int | None = None


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


class PaymentBody(BaseModel):
    type: Literal["CASH", "CASHLESS"]
    value: int
    label: str | None = None
    pawnshop_is_return: bool | None = None
    provider_type: str | None = None
    code: int | None = None
    commission: int | None = None
    card_mask: str | None = Field(default=None, max_length=19)
    bank_name: str | None = None
    auth_code: str | None = None
    rrn: str | None = None
    payment_system: str | None = None
    owner_name: str | None = None
    terminal: str | None = None
    acquiring: str | None = None
    acquirer_and_seller: str | None = None
    receipt_no: str | None = None
    signature_required: bool | None = None
    tapxphone_terminal: str | None = None

    def view(self, default_label: str) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type}
        for name in PAYMENT_FIELDS:
            body[name] = getattr(self, name)
        body["value"] = self.value
        body["label"] = self.label or default_label
        if body["acquiring"] is None:
            body["acquiring"] = self.acquirer_and_seller
        return body


class SellBody(BaseModel):
    id: uuid.UUID
    cashier_name: str | None = None
    departament: str | None = None
    goods: list[GoodItemBody] = Field(min_length=1)
    delivery: dict[str, Any] | None = None
    discounts: list[DiscountBody] = Field(default_factory=list)
    bonuses: list[dict[str, Any]] | None = None
    payments: list[PaymentBody] = Field(min_length=1)
    rounding: bool = False
    rounding_mode: Literal["ROUND_50", "ROUND_10"] = "ROUND_50"
    header: str | None = None
    footer: str | None = None
    barcode: str | None = None
    order_id: uuid.UUID | None = None
    related_receipt_id: uuid.UUID | None = None
    previous_receipt_id: uuid.UUID | None = None
    technical_return: bool = False
    is_pawnshop: bool | None = None
    custom: dict[str, Any] | None = None
    context: dict[str, Any] | None = None


class SellOfflineBody(SellBody):
    fiscal_code: str
    fiscal_date: str


class ServicePaymentBody(PaymentBody):
    type: Literal["CASH", "CASHLESS"] = "CASH"


class ServiceBody(BaseModel):
    id: uuid.UUID
    payment: ServicePaymentBody
    custom: dict[str, Any] | None = None
    previous_receipt_id: uuid.UUID | None = None
    header: str | None = None
    footer: str | None = None


class CashWithdrawalBody(BaseModel):
    id: uuid.UUID
    cashier_name: str | None = None
    departament: str | None = None
    payment: PaymentBody
    fiscal_code: str | None = None
    fiscal_date: str | None = None
    header: str | None = None
    footer: str | None = None
    barcode: str | None = None
    delivery: dict[str, Any] | None = None
    previous_receipt_id: uuid.UUID | None = None
