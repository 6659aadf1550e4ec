"""Cash in and out of the drawer: service receipts (внесення, винесення) and card cash-outs.

Why its own part: the drawer must never go below zero, online or offline. Every service out
and cash withdrawal is checked against the journal's own balance before anything is sent,
with the text Checkbox itself would answer, and a withdrawal must carry the terminal's slip.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pos.domain.receipt import ReceiptType
from pos.journal.records import Receipt
from pos.register import bodies
from pos.register.errors import Refusal, RegisterError
from pos.register.part import RegisterPart

CASH_LABEL = "Готівка"
CARD_LABEL = "Картка"
TERMINAL_FIELDS = ("card_mask", "auth_code", "rrn", "terminal")
"""What a cash withdrawal must carry of the card terminal's slip (the guide's required data)."""


class CashDrawer(RegisterPart):
    """One register's drawer operations (``RegisterService.service_in`` / ``service_out``)."""

    async def service_in(self, amount: int, reason: str = "") -> Receipt:
        return await self._service(ReceiptType.SERVICE_IN, amount, reason or CASH_LABEL)

    async def service_out(self, amount: int, reason: str = "") -> Receipt:
        self._check_drawer(amount)
        return await self._service(ReceiptType.SERVICE_OUT, amount, reason or CASH_LABEL)

    async def cash_withdrawal(
        self, amount: int, label: str = CARD_LABEL, terminal: Mapping[str, str] | None = None
    ) -> Receipt:
        details = {k: v for k, v in (terminal or {}).items() if v}
        missing = [name for name in TERMINAL_FIELDS if not details.get(name)]
        if missing:
            raise RegisterError(Refusal.BAD_INPUT, ", ".join(missing), field="terminal")
        self._check_drawer(amount)
        return await self._service(ReceiptType.CASH_WITHDRAWAL, amount, label, details)

    def _check_drawer(self, amount: int) -> None:
        """Before sending, online or offline: never more cash out than the drawer holds (the
        guide's own text, as Checkbox would answer)."""
        shift = self.service._require_selling()
        local, _ = self.service.local_report(shift)
        balance = int(local.get("balance", 0))
        if amount > balance:
            raise RegisterError(
                Refusal.FISCAL_RULE,
                "Неможливо виконати операцію, оскільки в касі недостатньо коштів "
                f"({amount / 100:.2f} > {balance / 100:.2f})",
                balance=balance,
            )

    async def _service(
        self, kind: ReceiptType, amount: int, label: str, details: dict[str, Any] | None = None
    ) -> Receipt:
        shift = self.service._require_selling()
        if amount <= 0:
            raise RegisterError(Refusal.BAD_INPUT, "amount", field="amount")
        new = bodies.service_receipt(
            kind, amount, now=self.ctx.now(), shift_id=shift.id, label=label, details=details
        )
        return await self.service._fiscalise(new)
