"""Shifts and their transactions (POST /shifts, GET /shifts/{id}, POST /shifts/close).

Why: the register layer polls a shift until a final status and reads its balance; the statuses
are the API's strings, listed here once.
"""

from __future__ import annotations

from typing import Final

from pydantic import Field

from pos.checkbox.models.auth import Cashier
from pos.checkbox.models.base import ApiDateTime, ApiModel, RequestModel, TaxRate
from pos.checkbox.models.register import CashRegisterBrief
from pos.checkbox.models.report import Report, ReportBody

SHIFT_CREATED: Final = "CREATED"
SHIFT_OPENING: Final = "OPENING"
SHIFT_OPENED: Final = "OPENED"
SHIFT_CLOSING: Final = "CLOSING"
SHIFT_CLOSED: Final = "CLOSED"


class Transaction(ApiModel):
    """A fiscal transaction (shift open/close, receipt, offline switch) and its delivery state."""

    id: str
    type: str | None = None
    serial: int | None = None
    status: str | None = None
    request_signed_at: ApiDateTime | None = None
    request_received_at: ApiDateTime | None = None
    response_status: str | None = None
    response_error_message: str | None = None
    response_id: str | None = None
    offline_id: str | None = None
    created_at: ApiDateTime | None = None
    updated_at: ApiDateTime | None = None
    original_datetime: ApiDateTime | None = None
    previous_hash: str | None = None


class ShiftBalance(ApiModel):
    """The shift's cash balance block, kopecks."""

    initial: int = 0
    balance: int = 0
    cash_sales: int = 0
    card_sales: int = 0
    discounts_sum: int = 0
    extra_charge_sum: int = 0
    cash_returns: int = 0
    card_returns: int = 0
    service_in: int = 0
    service_out: int = 0
    updated_at: ApiDateTime | None = None


class ShiftTax(TaxRate):
    """A tax rate in force in the shift, with the shift's turnover on it."""

    sales: int | None = None
    returns: int | None = None
    sales_turnover: int | None = None
    returns_turnover: int | None = None


class Shift(ApiModel):
    """A shift; ``status`` is CREATED, OPENING, OPENED, CLOSING or CLOSED."""

    id: str
    serial: int | None = None
    status: str
    z_report: Report | None = None
    opened_at: ApiDateTime | None = None
    closed_at: ApiDateTime | None = None
    initial_transaction: Transaction | None = None
    closing_transaction: Transaction | None = None
    created_at: ApiDateTime | None = None
    updated_at: ApiDateTime | None = None
    balance: ShiftBalance | None = None
    taxes: list[ShiftTax] = Field(default_factory=list)
    emergency_close: bool | str | None = None
    emergency_close_details: str | None = None
    cash_register: CashRegisterBrief | None = None
    cashier: Cashier | None = None


class ShiftPage(ApiModel):
    """GET /shifts answers a page: ``meta`` and ``results``."""

    meta: dict[str, object] | None = None
    results: list[Shift] = Field(default_factory=list)


class OpenShift(RequestModel):
    """Body of POST /shifts; ``fiscal_code``/``fiscal_date`` only for an offline open."""

    id: str
    fiscal_code: str | None = None
    fiscal_date: ApiDateTime | None = None


class CloseShift(RequestModel):
    """Body of POST /shifts/close; offline it carries the report, code and date."""

    skip_client_name_check: bool | None = None
    report: ReportBody | None = None
    fiscal_code: str | None = None
    fiscal_date: ApiDateTime | None = None
