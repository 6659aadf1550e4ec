"""X and Z reports (POST /reports, a closed shift's ``z_report``) and the offline close body.

Why: invariant 7 (local totals equal the server's to the kopeck) compares these fields one to
one with the journal's own report, so they keep the API's names and integer kopecks.
"""

from __future__ import annotations

from pydantic import Field

from pos.checkbox.models.base import ApiDateTime, ApiModel, Rate, RequestModel, TaxRate


class ReportPayment(ApiModel):
    """Totals per payment type, in kopecks."""

    id: str | None = None
    code: int | None = None
    type: str | None = None
    provider_type: str | None = None
    label: str | None = None
    sell_sum: int = 0
    return_sum: int = 0
    service_in: int = 0
    service_out: int = 0
    cash_withdrawal: int = 0
    cash_withdrawal_commission: int = 0


class ReportTax(TaxRate):
    """Totals per tax code, in kopecks."""

    sell_sum: int = 0
    return_sum: int = 0
    sales_turnover: int = 0
    returns_turnover: int = 0
    setup_date: ApiDateTime | None = None


class Report(ApiModel):
    """An X report (``is_z_report`` false) or a Z report."""

    id: str
    serial: int | None = None
    is_z_report: bool = False
    payments: list[ReportPayment] = Field(default_factory=list)
    taxes: list[ReportTax] = Field(default_factory=list)
    sell_receipts_count: int = 0
    return_receipts_count: int = 0
    cash_withdrawal_receipts_count: int = 0
    transfers_count: int | None = None
    transfers_sum: int | None = None
    balance: int = 0
    initial: int = 0
    sales_round_up: int = 0
    sales_round_down: int = 0
    returns_round_up: int = 0
    returns_round_down: int = 0
    created_at: ApiDateTime | None = None
    updated_at: ApiDateTime | None = None
    discounts_sum: int | None = None
    extra_charge_sum: int | None = None
    transaction_fail: bool | None = None


class ReportPaymentBody(RequestModel):
    """One payment line of the report sent with an offline shift close."""

    provider_type: str | None = None
    code: int | None = None
    type: str | None = None
    label: str | None = None
    sell_sum: int = 0
    return_sum: int = 0
    service_in: int = 0
    service_out: int = 0
    cash_withdrawal: int = 0
    cash_withdrawal_commission: int = 0


class ReportTaxBody(RequestModel):
    """One tax line of the report sent with an offline shift close."""

    code: int
    label: str | None = None
    symbol: str | None = None
    rate: Rate
    extra_rate: Rate | None = None
    sell_sum: int = 0
    return_sum: int = 0
    sales_turnover: int = 0
    returns_turnover: int = 0
    included: bool = True
    no_vat: bool = False


class ReportBody(RequestModel):
    """The ``report`` of POST /shifts/close when the shift is closed offline (seed's fields)."""

    id: str | None = None
    serial: int | None = None
    payments: list[ReportPaymentBody] = Field(default_factory=list)
    taxes: list[ReportTaxBody] = Field(default_factory=list)
    sell_receipts_count: int = 0
    return_receipts_count: int = 0
    cash_withdrawal_receipts_count: int = 0
    initial: int = 0
    balance: int = 0
    sales_round_up: int = 0
    sales_round_down: int = 0
    returns_round_up: int = 0
    returns_round_down: int = 0
    last_receipt_id: str | None = None
    created_at: str | None = None  # the close's fiscal date, filled in when it is uploaded
