"""Receipts: the bodies of sell, sell-offline, service and cash-withdrawal, and the receipt answer.

Why one module: the four create bodies share goods, payments and discounts, and the answer of all
four (and of GET /receipts/{id}) is the same ``Receipt``. Money is integer kopecks, quantity
integer thousandths, as the API has them. Line models allow unknown fields in both directions so
a field Checkbox adds later passes through untouched.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import Field

from pos.checkbox.models.base import ApiDateTime, ApiModel, RequestModel, TaxRate
from pos.checkbox.models.shift import Shift, Transaction

RECEIPT_CREATED: Final = "CREATED"
RECEIPT_DONE: Final = "DONE"
RECEIPT_ERROR: Final = "ERROR"
RECEIPT_CANCELLATION: Final = "CANCELLATION"
RECEIPT_CANCELLED: Final = "CANCELLED"
FINAL_RECEIPT_STATUSES: Final = frozenset({RECEIPT_DONE, RECEIPT_ERROR, RECEIPT_CANCELLED})

TaxRef = int | str
"""A tax as the API accepts it: numeric code (1) or letter symbol ("А")."""


class Good(ApiModel):
    """The good of a receipt line."""

    code: str
    name: str
    price: int
    tax: list[TaxRef] | None = None
    barcode: str | None = None
    excise_barcode: str | None = None
    excise_barcodes: list[str] | None = None
    header: str | None = None
    footer: str | None = None
    uktzed: str | None = None


class Discount(ApiModel):
    """A discount or extra charge, on a line or on the whole receipt."""

    type: str
    mode: str
    value: int | float
    tax_code: TaxRef | list[TaxRef] | None = None
    tax_codes: list[TaxRef] | None = None
    name: str | None = None
    privilege: str | None = None
    sum: int | None = None


class LineTax(TaxRate):
    """A tax on a receipt line or receipt, with the amounts the server computed."""

    value: int | None = None
    extra_value: int | None = None


class GoodLine(ApiModel):
    """One line of goods: the good, quantity in thousandths, return flag, line discounts."""

    good: Good
    good_id: str | None = None
    quantity: int
    is_return: bool | None = None
    is_winnings_payout: bool | None = None
    discounts: list[Discount] | None = None
    total_sum: int | None = None
    sum: int | None = None
    taxes: list[LineTax] | None = None


class Payment(ApiModel):
    """A payment (CASH or CASHLESS) in kopecks, with the card details the seed lists."""

    type: str = "CASH"
    value: int
    label: str | None = None
    code: int | None = None
    pawnshop_is_return: bool | None = None
    provider_type: str | None = None
    commission: int | None = None
    card_mask: str | None = None
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


class Delivery(ApiModel):
    """Where to send the customer's copy."""

    email: str | None = None
    emails: list[str] | None = None
    phone: str | None = None


class SellReceipt(RequestModel):
    """Body of POST /receipts/sell (a sale, or a return when lines have ``is_return``)."""

    id: str
    cashier_name: str | None = None
    departament: str | None = None
    goods: list[GoodLine]
    delivery: Delivery | None = None
    discounts: list[Discount] | None = None
    bonuses: list[dict[str, Any]] | None = None
    payments: list[Payment]
    rounding: bool | None = None
    header: str | None = None
    footer: str | None = None
    barcode: str | None = None
    order_id: str | None = None
    related_receipt_id: str | None = None
    previous_receipt_id: str | None = None
    technical_return: bool | None = None
    is_pawnshop: bool | None = None
    custom: dict[str, Any] | None = None


class SellOfflineReceipt(SellReceipt):
    """Body of POST /receipts/sell-offline: a sale with the offline code and fiscal date."""

    fiscal_code: str
    fiscal_date: ApiDateTime


class ServiceReceipt(RequestModel):
    """Body of POST /receipts/service: cash in (value > 0) or out (value < 0)."""

    id: str
    payment: Payment
    custom: dict[str, Any] | None = None
    fiscal_code: str | None = None
    fiscal_date: ApiDateTime | None = None


class CashWithdrawalReceipt(RequestModel):
    """Body of POST /receipts/cash-withdrawal (cash given out to a card holder)."""

    id: str
    cashier_name: str | None = None
    departament: str | None = None
    payment: Payment
    fiscal_code: str | None = None
    fiscal_date: ApiDateTime | None = None
    header: str | None = None
    footer: str | None = None
    barcode: str | None = None
    delivery: Delivery | None = None
    previous_receipt_id: str | None = None


class Receipt(ApiModel):
    """A receipt as the server holds it; ``status`` CREATED → DONE (or ERROR/CANCELLED)."""

    id: str
    type: str | None = None
    transaction: Transaction | None = None
    serial: int | None = None
    status: str
    goods: list[GoodLine] = Field(default_factory=list)
    payments: list[Payment] = Field(default_factory=list)
    total_sum: int | None = None
    sum: int | None = None
    total_payment: int | None = None
    total_rest: int | None = None
    rest: int | None = None
    round_sum: int | None = None
    fiscal_code: str | None = None
    fiscal_date: ApiDateTime | None = None
    delivered_at: ApiDateTime | None = None
    created_at: ApiDateTime | None = None
    updated_at: ApiDateTime | None = None
    taxes: list[LineTax] = Field(default_factory=list)
    discounts: list[Discount] = Field(default_factory=list)
    order_id: str | None = None
    header: str | None = None
    footer: str | None = None
    barcode: str | None = None
    custom: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    is_created_offline: bool | None = None
    is_sent_dps: bool | None = None
    sent_dps_at: ApiDateTime | None = None
    tax_url: str | None = None
    related_receipt_id: str | None = None
    technical_return: bool | None = None
    stock_code: str | None = None
    currency_exchange: dict[str, Any] | None = None
    shift: Shift | None = None
    control_number: str | None = Field(default=None)

    @property
    def is_final(self) -> bool:
        """True once the status can no longer change."""
        return self.status in FINAL_RECEIPT_STATUSES
