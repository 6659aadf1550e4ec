"""How an order's chain receipts fill the money fields of the receipts report (seed `004_*`).

Why here: the receipts report (`pos.reports`) lists the journal's receipts; the chain receipts of
customer orders live in their own table, and their sums mean something particular. The seed's
`prepaidSum` is "the sum of a receipt with prepayment (the advance set off)": it belongs to the
after-payment receipt, whose `totalSum` is the whole order while only the rest moved money now.

* prepayment receipt: `totalSum` = the advance, `cashTotalSum` / `ecashTotalSum` = how it was
  paid (QR and card are cashless), `prepaidSum` 0;
* after-payment receipt: `totalSum` = the order's total, `prepaidSum` = the advances set off,
  `cashTotalSum` + `ecashTotalSum` = the rest (cash net of change), so
  totalSum = cashTotalSum + ecashTotalSum + prepaidSum;
* a chain's return: `totalSum` = what that receipt returns, paid back as it was paid.

Shift and revenue totals are `cashTotalSum + ecashTotalSum` (what Checkbox's X/Z counts), never
`totalSum`, or an order would count twice. `creditSum` and `provisionSum` stay 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pos.orders.model import ChainRole, Order, OrderReceipt

CODE_NAMES = {
    ChainRole.PREPAYMENT: "чек передоплати",
    ChainRole.AFTER_PAYMENT: "чек післяплати",
    ChainRole.RETURN: "чек повернення",
}
OPERATIONS = {
    ChainRole.PREPAYMENT: "income",
    ChainRole.AFTER_PAYMENT: "income",
    ChainRole.RETURN: "income_return",
}
"""The seed's `operation_types` values (income, income_return)."""


def _money(kopecks: int) -> float:
    return float(Decimal(kopecks) / 100)


def report_sums(receipt: OrderReceipt, chain: Sequence[OrderReceipt]) -> dict[str, Any]:
    """The receipts report's fields of one chain receipt, in kopecks as the report keeps them.
    ``chain`` is every receipt of its order (the advances set off by an after-payment are those
    that count and were made before it)."""
    cashless = receipt.card_sum + receipt.qr_sum
    total, prepaid = receipt.fiscal.total_sum, 0
    if receipt.kind is ChainRole.AFTER_PAYMENT:
        prepaid = sum(
            r.fiscal.total_sum
            for r in chain
            if r.kind is ChainRole.PREPAYMENT and r.counts and r.created_at <= receipt.created_at
        )
        total = receipt.fiscal.total_sum + prepaid
    return {
        "totalSum": total,
        "cashTotalSum": receipt.cash_sum,
        "ecashTotalSum": cashless,
        "prepaidSum": prepaid,
        "creditSum": 0,
        "provisionSum": 0,
        "code_name": CODE_NAMES[receipt.kind],
        "operation": OPERATIONS[receipt.kind],
    }


def money_fields(order: Order, receipt: OrderReceipt) -> dict[str, Any]:
    """The receipts report's sum fields of one chain receipt (currency units, as the seed)."""
    fields = report_sums(receipt, order.receipts)
    for key in ("totalSum", "cashTotalSum", "ecashTotalSum", "prepaidSum", "creditSum"):
        fields[key] = _money(fields[key])
    fields["provisionSum"] = _money(fields["provisionSum"])
    return fields
