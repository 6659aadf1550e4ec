"""Returns: finding the sale, what of it may still come back, and the refund receipt.

Why its own part: a return must never take back more than was sold (counting earlier returns
not yet settled), each line is refunded at what it cost in the sale (its share of every
discount), and the money goes back the way it came: to the card up to what the card paid.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pos.domain.errors import FiscalRuleError
from pos.domain.receipt import (
    Line,
    Payment,
    PaymentType,
    cash_due,
    check_return,
    price_receipt,
    settle,
)
from pos.domain.rounding import RoundingMode
from pos.journal.records import Receipt
from pos.register import bodies, return_reads
from pos.register.cash import CARD_LABEL, CASH_LABEL
from pos.register.errors import Refusal, RegisterError
from pos.register.part import RegisterPart


class Returns(RegisterPart):
    """One register's returns (``RegisterService.returnable`` / ``refund`` / ``find_receipts``)."""

    def returnable(self, sale_id: str) -> dict[int, int]:
        """Line position → quantity that may still be returned from the sale ``sale_id``."""
        return return_reads.returnable(self.journal.receipts, sale_id)

    def _returned_before(self, sale_id: str) -> dict[str, int]:
        return return_reads.returned_before(self.journal.receipts, sale_id)

    def quote_refund(
        self, sale_id: str, quantities: Mapping[int, int]
    ) -> tuple[int, list[Payment]]:
        sale = self._sale(sale_id)
        wanted = {pos: qty for pos, qty in quantities.items() if qty > 0}
        if not wanted or any(not 1 <= pos <= len(sale.lines) for pos in wanted):
            return 0, []
        try:
            priced = price_receipt(self._return_lines(sale, wanted))
        except FiscalRuleError as error:
            raise RegisterError(Refusal.FISCAL_RULE, error.message) from error
        return priced.total_sum, _refund_payments(
            sale, priced.total_sum, self.service.rounding_mode
        )

    async def refund(self, sale_id: str, quantities: Mapping[int, int]) -> Receipt:
        shift = self.service._require_selling()
        sale = self._sale(sale_id)
        wanted = {pos: qty for pos, qty in quantities.items() if qty > 0}
        if not wanted:
            raise RegisterError(Refusal.BAD_INPUT, "nothing to return", field="quantity")
        returning: dict[str, int] = {}
        for pos, qty in wanted.items():
            if not 1 <= pos <= len(sale.lines):
                raise RegisterError(Refusal.BAD_INPUT, "no such line", field="line")
            code = sale.lines[pos - 1].code
            returning[code] = returning.get(code, 0) + qty
        try:
            check_return(
                bodies.quantities_by_code([sale]), self._returned_before(sale_id), returning
            )
            lines = self._return_lines(sale, wanted)
            priced = price_receipt(lines)
            payments = _refund_payments(sale, priced.total_sum, self.service.rounding_mode)
            settlement = settle(
                priced,
                payments,
                rounding=any(p.type is PaymentType.CASH for p in payments),
                rounding_mode=self.service.rounding_mode,
            )
        except FiscalRuleError as error:
            raise RegisterError(Refusal.FISCAL_RULE, error.message) from error
        new = bodies.new_receipt(
            priced,
            settlement,
            now=self.ctx.now(),
            shift_id=shift.id,
            related_receipt_id=sale.id,
        )
        return await self.service._fiscalise(new)

    def _return_lines(self, sale: Receipt, wanted: Mapping[int, int]) -> list[Line]:
        return return_reads.return_lines(sale, wanted)

    def _sale(self, sale_id: str) -> Receipt:
        return return_reads.sale(self.journal.receipts, sale_id)

    def find_receipts(
        self, text: str = "", *, day: datetime | None = None, limit: int = 50
    ) -> list[Receipt]:
        """Sales for a return (``return_reads.find_sales``)."""
        return return_reads.find_sales(self.journal.receipts, text, day=day, limit=limit)


def _refund_payments(sale: Receipt, total: int, mode: RoundingMode) -> list[Payment]:
    """Refund by the sale's payment types: to the card up to what the card paid, the rest in
    cash (rounded by the NBU rule, as cash always is)."""
    card = sum(p.value for p in sale.payments if p.type == PaymentType.CASHLESS.value)
    card_part = min(card, total)
    payments: list[Payment] = []
    if card_part:
        payments.append(Payment(PaymentType.CASHLESS, card_part, CARD_LABEL))
    if total > card_part:
        cash = cash_due(total, card_part, rounding=True, mode=mode)
        payments.append(Payment(PaymentType.CASH, cash, CASH_LABEL))
    return payments
