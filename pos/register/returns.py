"""Returns: finding the sale, what of it may still come back, and the refund receipt.

Why its own part: a return must never take back more than was sold (counting earlier returns
not yet settled), each line is refunded at what it cost in the sale (its share of every
discount), and the money goes back the way it came: to the card up to what the card paid.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.errors import FiscalRuleError
from pos.domain.money import div_round_half_up
from pos.domain.receipt import (
    Good,
    Line,
    Payment,
    PaymentType,
    ReceiptType,
    cash_due,
    check_return,
    price_receipt,
    settle,
)
from pos.domain.rounding import RoundingMode
from pos.journal.records import Receipt
from pos.register import bodies
from pos.register.cash import CARD_LABEL, CASH_LABEL
from pos.register.errors import Refusal, RegisterError
from pos.register.shifts import FISCALISED, UNSETTLED

if TYPE_CHECKING:
    from pos.register.service import RegisterService


class Returns:
    """One register's returns (``RegisterService.returnable`` / ``refund`` / ``find_receipts``)."""

    def __init__(self, service: RegisterService) -> None:
        self.service = service
        self.ctx = service.ctx
        self.journal = service.journal

    def returnable(self, sale_id: str) -> dict[int, int]:
        sale = self._sale(sale_id)
        before = self._returned_before(sale_id)
        left = {
            code: qty - before.get(code, 0)
            for code, qty in bodies.quantities_by_code([sale]).items()
        }
        result: dict[int, int] = {}
        for position, li in enumerate(sale.lines, start=1):
            available = max(min(li.quantity, left.get(li.code, 0)), 0)
            result[position] = available
            left[li.code] = left.get(li.code, 0) - available
        return result

    def _returned_before(self, sale_id: str) -> dict[str, int]:
        """What earlier returns of the sale take back: the fiscalised ones and those committed
        but not yet settled (a crash, Checkbox unreachable and offline refused), which will
        reach Checkbox under their own ids and count there (the sandbox's "більше, ніж у чеку
        продажу" otherwise, for a printed return)."""
        returns = self.journal.receipts.list(related_to=sale_id, states=FISCALISED + UNSETTLED)
        return bodies.quantities_by_code(returns)

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
        """Returned lines at what they cost in the sale (their share of every discount)."""
        priced_sale = bodies.repriced(sale)
        lines: list[Line] = []
        for pos, qty in sorted(wanted.items()):
            original = sale.lines[pos - 1]
            paid = priced_sale.lines[pos - 1].total
            refund = div_round_half_up(paid * qty, original.quantity)
            gross = div_round_half_up(original.price * qty, 1000)
            discounts: tuple[Discount, ...] = ()
            if refund != gross:
                kind = DiscountType.DISCOUNT if refund < gross else DiscountType.EXTRA_CHARGE
                discounts = (Discount(kind, DiscountMode.VALUE, abs(gross - refund)),)
            good = Good(
                original.code, original.name, original.price, original.tax_codes, original.barcode
            )
            lines.append(Line(good, qty, is_return=True, discounts=discounts))
        return lines

    def _sale(self, sale_id: str) -> Receipt:
        sale = self.journal.receipts.get(sale_id)
        if sale is None or sale.type != ReceiptType.SELL.value or sale.state not in FISCALISED:
            raise RegisterError(Refusal.NOT_FOUND, sale_id, field="receipt")
        return sale

    def find_receipts(
        self, text: str = "", *, day: datetime | None = None, limit: int = 50
    ) -> list[Receipt]:
        text = text.strip()
        found: list[Receipt] = []
        if text:
            found = self.journal.receipts.list(fiscal_code=text)
            if not found:
                exact = self.journal.receipts.get(text)
                found = [exact] if exact is not None else []
            if not found and text.isdigit():  # the number printed on it ("ЧЕК №")
                recent = self.journal.receipts.list(newest_first=True, limit=2000)
                found = [r for r in recent if str((r.server_response or {}).get("serial")) == text]
            if not found and len(text) >= 4:
                recent = self.journal.receipts.list(newest_first=True, limit=2000)
                found = [r for r in recent if r.id.startswith(text.lower())]
        else:
            since = day
            until = None if day is None else day + timedelta(days=1)
            found = self.journal.receipts.list(
                since=since, until=until, newest_first=True, limit=limit
            )
        return [r for r in found if r.type == ReceiptType.SELL.value and r.state in FISCALISED][
            :limit
        ]


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
