"""What a return reads of the sale it takes back: the sales found for it, what may still be
returned, what the returned lines refund.

Why one module: the register service reads these before it makes a return receipt, and the
window's look-up thread reads them over a read-only connection of its own while the register is
busy uploading or closing a shift (``pos.ui.lookups``); both call these functions, so the return
dialog shows exactly what the register will decide. The refund of chosen lines needs no journal
at all (:func:`refund_total`): the dialog computes it from the sale it already holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.errors import FiscalRuleError
from pos.domain.money import div_round_half_up
from pos.domain.receipt import Good, Line, ReceiptType, price_receipt
from pos.journal.receipts import Receipts
from pos.journal.records import FISCALISED, Receipt
from pos.register import bodies, recovery
from pos.register.errors import Refusal, RegisterError

SERIAL_SEARCH_DEPTH = 2000
"""How many recent receipts a search by printed number or id start looks through."""


def find_sales(
    receipts: Receipts, text: str = "", *, day: datetime | None = None, limit: int = 50
) -> list[Receipt]:
    """Sales for a return: by fiscal code, the receipt number printed on it, receipt id (or
    its start), scanned receipt barcode, or the Kyiv day they were made; newest first."""
    text = text.strip()
    found: list[Receipt] = []
    if text:
        found = receipts.list(fiscal_code=text)
        if not found:
            exact = receipts.get(text)
            found = [exact] if exact is not None else []
        if not found and text.isdigit():  # the number printed on it ("ЧЕК №")
            recent = receipts.list(newest_first=True, limit=SERIAL_SEARCH_DEPTH)
            found = [r for r in recent if str((r.server_response or {}).get("serial")) == text]
        if not found and len(text) >= 4:
            recent = receipts.list(newest_first=True, limit=SERIAL_SEARCH_DEPTH)
            found = [r for r in recent if r.id.startswith(text.lower())]
    else:
        until = None if day is None else day + timedelta(days=1)
        found = receipts.list(since=day, until=until, newest_first=True, limit=limit)
    return [r for r in found if r.type == ReceiptType.SELL.value and r.state in FISCALISED][:limit]


def sale(receipts: Receipts, sale_id: str) -> Receipt:
    """The fiscalised sale ``sale_id``; NOT_FOUND for anything else."""
    found = receipts.get(sale_id)
    if found is None or found.type != ReceiptType.SELL.value or found.state not in FISCALISED:
        raise RegisterError(Refusal.NOT_FOUND, sale_id, field="receipt")
    return found


def returned_before(receipts: Receipts, sale_id: str) -> dict[str, int]:
    """What earlier returns of the sale take back: the fiscalised ones and those committed
    but not yet settled (a crash, Checkbox unreachable and offline refused), which will
    reach Checkbox under their own ids and count there (the sandbox's "більше, ніж у чеку
    продажу" otherwise, for a printed return)."""
    returns = receipts.list(related_to=sale_id, states=FISCALISED + recovery.UNSETTLED)
    return bodies.quantities_by_code(returns)


def returnable(receipts: Receipts, sale_id: str) -> dict[int, int]:
    """Line position → quantity that may still be returned from the sale ``sale_id``."""
    sold = sale(receipts, sale_id)
    before = returned_before(receipts, sale_id)
    left = {
        code: qty - before.get(code, 0) for code, qty in bodies.quantities_by_code([sold]).items()
    }
    result: dict[int, int] = {}
    for position, li in enumerate(sold.lines, start=1):
        available = max(min(li.quantity, left.get(li.code, 0)), 0)
        result[position] = available
        left[li.code] = left.get(li.code, 0) - available
    return result


def return_lines(sold: Receipt, wanted: Mapping[int, int]) -> list[Line]:
    """Returned lines at what they cost in the sale (their share of every discount)."""
    priced_sale = bodies.repriced(sold)
    lines: list[Line] = []
    for pos, qty in sorted(wanted.items()):
        original = sold.lines[pos - 1]
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


def refund_total(sold: Receipt, quantities: Mapping[int, int]) -> int:
    """What returning ``quantities`` (line position → quantity) of the sale pays back; 0 for
    nothing or a line the sale does not have."""
    wanted = {pos: qty for pos, qty in quantities.items() if qty > 0}
    if not wanted or any(not 1 <= pos <= len(sold.lines) for pos in wanted):
        return 0
    try:
        return price_receipt(return_lines(sold, wanted)).total_sum
    except FiscalRuleError as error:
        raise RegisterError(Refusal.FISCAL_RULE, error.message) from error
