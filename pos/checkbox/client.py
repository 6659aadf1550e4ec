"""One coroutine per Checkbox endpoint, typed in and out.

Why: the register layer should never build a URL or read a JSON dict. Creates (receipts, shift
open/close) go through ``exactly_once`` so a lost answer can never cause a duplicate or a loss;
everything else is a plain call whose retry safety is stated here, next to the endpoint.
"""

from __future__ import annotations

from pydantic import TypeAdapter

from pos.checkbox import exactly_once
from pos.checkbox.models import (
    AccessToken,
    Cashier,
    CashRegister,
    CashRegisterBrief,
    CashWithdrawalReceipt,
    CloseShift,
    GoOffline,
    OfflineCode,
    OfflineCodesAsked,
    OpenShift,
    Receipt,
    Report,
    SellOfflineReceipt,
    SellReceipt,
    ServiceReceipt,
    Shift,
    StatusAnswer,
    TaxServicePing,
)
from pos.checkbox.ratelimit import Limit
from pos.checkbox.visualisation import VisualisationFetchers

LOOKUP_SECONDS = 5.0
"""The longest a waiting customer's sale spends asking whether Checkbox got a receipt whose
answer was lost, before it is issued offline as the ambiguous receipt."""

_CODES = TypeAdapter(list[OfflineCode])
_REGISTERS = TypeAdapter(list[CashRegisterBrief])
_SHIFTS = TypeAdapter(list[Shift])


class CheckboxClient(VisualisationFetchers):
    """The Checkbox API for one register and one cashier session."""

    # --- cashier ----------------------------------------------------------------------------
    async def sign_out(self) -> None:
        """POST /cashier/signout: the current token stops working."""
        await self.call("POST", "/cashier/signout", safe=True)
        self.session.clear_token()

    async def me(self) -> Cashier:
        return Cashier.model_validate(await self.call("GET", "/cashier/me", safe=True))

    async def cashier_shift(self) -> Shift | None:
        """GET /cashier/shift: the cashier's open shift, or None."""
        answer = await self.call("GET", "/cashier/shift", safe=True)
        return Shift.model_validate(answer) if answer else None

    # --- cash registers ---------------------------------------------------------------------
    async def cash_registers(self, **params: str | int | bool) -> list[CashRegisterBrief]:
        """GET /cash-registers (a page with ``results``, or a bare list)."""
        answer = await self.call("GET", "/cash-registers", params=params, safe=True)
        items = answer.get("results", []) if isinstance(answer, dict) else answer
        return _REGISTERS.validate_python(items)

    async def cash_register(self, cash_register_id: str) -> CashRegister:
        answer = await self.call("GET", f"/cash-registers/{cash_register_id}", safe=True)
        return CashRegister.model_validate(answer)

    async def cash_register_info(self) -> CashRegister:
        """GET /cash-registers/info: the register of the license key."""
        return CashRegister.model_validate(
            await self.call("GET", "/cash-registers/info", safe=True)
        )

    async def ping_tax_service(self) -> TaxServicePing:
        answer = await self.call(
            "POST", "/cash-registers/ping-tax-service", limit=Limit.TRANSACTION, safe=True
        )
        return TaxServicePing.model_validate(answer)

    async def ask_offline_codes(self, count: int, sync: bool = True) -> OfflineCodesAsked:
        """Ask the tax service for offline codes (online only; ≤ 5000; the 6-of-10 rule)."""
        answer = await self.call(
            "GET",
            "/cash-registers/ask-offline-codes",
            params={"count": count, "sync": sync},
            limit=Limit.CODE_REQUEST,
            safe=True,
        )
        return OfflineCodesAsked.model_validate(answer)

    async def get_offline_codes(self, count: int) -> list[OfflineCode]:
        """Unused offline codes Checkbox already holds (works while the tax service is down)."""
        answer = await self.call(
            "GET", "/cash-registers/get-offline-codes", params={"count": count}, safe=True
        )
        return _CODES.validate_python(answer)

    async def go_online(self) -> StatusAnswer:
        """Start going online (≤ 1 per 2 min); poll ``cash_register`` for ``offline_mode``."""
        answer = await self.call("POST", "/cash-registers/go-online", limit=Limit.GO_ONLINE)
        return StatusAnswer.model_validate(answer)

    async def go_offline(self, body: GoOffline | None = None) -> StatusAnswer:
        """Switch to manual offline mode (with the period's start and code, when uploading)."""
        answer = await self.call(
            "POST",
            "/cash-registers/go-offline",
            json=(body or GoOffline()).to_api(),
            limit=Limit.TRANSACTION,
        )
        return StatusAnswer.model_validate(answer)

    # --- shifts -----------------------------------------------------------------------------
    async def open_shift(self, body: OpenShift) -> Shift:
        """POST /shifts, exactly once under ``body.id`` (202: poll with ``wait_shift``)."""
        return await exactly_once.open_shift(self, body)

    async def shifts(self, **params: str | int | bool) -> list[Shift]:
        answer = await self.call("GET", "/shifts", params=params, safe=True)
        items = answer.get("results", []) if isinstance(answer, dict) else answer
        return _SHIFTS.validate_python(items)

    async def shift(self, shift_id: str) -> Shift:
        return Shift.model_validate(await self.call("GET", f"/shifts/{shift_id}", safe=True))

    async def close_shift(self, shift_id: str, body: CloseShift | None = None) -> Shift:
        """POST /shifts/close, exactly once (the shift ``shift_id`` settles a lost answer)."""
        return await exactly_once.close_shift(self, shift_id, body or CloseShift())

    # --- receipts ---------------------------------------------------------------------------
    async def sell(self, body: SellReceipt) -> Receipt:
        """POST /receipts/sell, exactly once under ``body.id``."""
        return await exactly_once.create_receipt(self, "/receipts/sell", body.id, body.to_api())

    async def sell_offline(self, body: SellOfflineReceipt) -> Receipt:
        """POST /receipts/sell-offline (register in manual offline mode), exactly once."""
        return await exactly_once.create_receipt(
            self, "/receipts/sell-offline", body.id, body.to_api()
        )

    async def service(self, body: ServiceReceipt) -> Receipt:
        """POST /receipts/service (cash in > 0, cash out < 0), exactly once."""
        return await exactly_once.create_receipt(self, "/receipts/service", body.id, body.to_api())

    async def cash_withdrawal(self, body: CashWithdrawalReceipt) -> Receipt:
        """POST /receipts/cash-withdrawal, exactly once."""
        return await exactly_once.create_receipt(
            self, "/receipts/cash-withdrawal", body.id, body.to_api()
        )

    async def receipt(self, receipt_id: str, *, brief: bool = False) -> Receipt:
        """GET /receipts/{id} ("Receipt not found" → ``ReceiptNotFound``). ``brief``: one try
        within ``LOOKUP_SECONDS`` (a connect refused is still retried, it costs nothing), for
        the lookup a waiting customer's sale makes after its answer was lost."""
        if brief:
            return Receipt.model_validate(
                await self.call("GET", f"/receipts/{receipt_id}", http_seconds=LOOKUP_SECONDS)
            )
        return Receipt.model_validate(await self.call("GET", f"/receipts/{receipt_id}", safe=True))

    async def wait_receipt(self, receipt_id: str, give_up_after: float = 60.0) -> Receipt:
        """Poll the receipt until DONE, ERROR or CANCELLED."""
        return await exactly_once.wait_receipt(self, receipt_id, give_up_after=give_up_after)

    async def wait_shift(
        self, shift_id: str, until: frozenset[str], give_up_after: float = 60.0
    ) -> Shift:
        """Poll the shift until its status is one of ``until`` (e.g. OPENED/CLOSED)."""
        return await exactly_once.wait_shift(self, shift_id, until, give_up_after=give_up_after)

    # --- reports ----------------------------------------------------------------------------
    async def x_report(self) -> Report:
        """POST /reports: an X report of the open shift (creates nothing fiscal)."""
        return Report.model_validate(await self.call("POST", "/reports"))


__all__ = ["AccessToken", "CheckboxClient"]
