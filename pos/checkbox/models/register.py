"""The cash register (ПРРО) and its offline machinery: mode, tax-service ping, offline codes."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from pos.checkbox.models.base import ApiDateTime, ApiModel, RequestModel


class CashRegisterBrief(ApiModel):
    """The register block inside a shift (and the list items of GET /cash-registers)."""

    id: str
    fiscal_number: str | None = None
    active: bool | None = None
    number: str | None = None
    created_at: ApiDateTime | None = None
    updated_at: ApiDateTime | None = None


class CashRegister(CashRegisterBrief):
    """GET /cash-registers/{id} and /cash-registers/info: ``offline_mode`` is the truth."""

    shift: dict[str, Any] | None = None
    offline_mode: bool = False
    stay_offline: bool | None = None
    branch: dict[str, Any] | None = None
    address: str | None = None
    type: int | None = None


class CashRegisterPage(ApiModel):
    """GET /cash-registers answers a page: ``meta`` and ``results``."""

    meta: dict[str, Any] | None = None
    results: list[CashRegisterBrief] = Field(default_factory=list)


class TaxServicePing(ApiModel):
    """POST /cash-registers/ping-tax-service: any answer means the tax service is reachable."""

    status: str
    error: str | None = None


class OfflineCodesAsked(ApiModel):
    """GET /cash-registers/ask-offline-codes: OK (async), DONE/TIMEOUT (sync) or ERROR."""

    status: str
    error: str | None = None


class OfflineCode(ApiModel):
    """One item of GET /cash-registers/get-offline-codes."""

    fiscal_code: str
    serial_id: int | None = None
    cash_register_id: str | None = None
    created_at: ApiDateTime | None = None


class GoOffline(RequestModel):
    """Body of POST /cash-registers/go-offline; both fields optional (server fills them)."""

    go_offline_date: ApiDateTime | None = None
    fiscal_code: str | None = None


class StatusAnswer(ApiModel):
    """``{"status": "ok"}`` of go-online, and go-offline's ``{"status", "id"}``."""

    status: str
    id: str | None = None
