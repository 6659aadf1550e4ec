"""X- and Z-report totals computed from the receipts of a shift.

The POS computes the same report the server does (invariant 7: to the kopeck) and sends it as the
`report` body when it closes a shift offline. Field names are the API's.

How each kind of receipt counts, as the seed's examples show it: a sale adds its cash (less the
change) and its card payments to `sell_sum`; a return to `return_sum`; service-in and service-out
move cash in and out; a cash withdrawal (cash given to a card holder) counts as `service_out` and
`cash_withdrawal` of its payment type and takes the cash out of the drawer. Rounding sums are
amounts in kopecks (the seed's `sales_round_up` 3 for 16417 → 16420).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pos.domain.receipt import FiscalReceipt, PaymentType, ReceiptType
from pos.domain.taxes import DEFAULT_TAXES, Tax


@dataclass(frozen=True)
class PaymentTotals:
    type: PaymentType
    sell_sum: int = 0
    return_sum: int = 0
    service_in: int = 0
    service_out: int = 0
    cash_withdrawal: int = 0
    cash_withdrawal_commission: int = 0


@dataclass(frozen=True)
class TaxTotals:
    tax: Tax
    sell_sum: int = 0
    return_sum: int = 0
    sales_turnover: int = 0
    returns_turnover: int = 0


@dataclass(frozen=True)
class ShiftBalance:
    """The shift's `balance` block: cash in the drawer and what moved it."""

    initial: int
    balance: int
    cash_sales: int
    card_sales: int
    discounts_sum: int
    extra_charge_sum: int
    cash_returns: int
    card_returns: int
    service_in: int
    service_out: int


@dataclass(frozen=True)
class ShiftReport:
    payments: tuple[PaymentTotals, ...]
    taxes: tuple[TaxTotals, ...]
    sell_receipts_count: int
    return_receipts_count: int
    cash_withdrawal_receipts_count: int
    initial: int
    balance: int
    sales_round_up: int
    sales_round_down: int
    returns_round_up: int
    returns_round_down: int
    discounts_sum: int
    extra_charge_sum: int
    shift_balance: ShiftBalance


class _PaymentAcc:
    def __init__(self) -> None:
        self.values = dict.fromkeys(
            (
                "sell_sum",
                "return_sum",
                "service_in",
                "service_out",
                "cash_withdrawal",
                "cash_withdrawal_commission",
            ),
            0,
        )


def _net_by_type(receipt: FiscalReceipt) -> dict[PaymentType, int]:
    """Payments per type, with the change taken out of the cash."""
    net = {PaymentType.CASH: 0, PaymentType.CASHLESS: 0}
    for p in receipt.payments:
        net[p.type] += p.value
    net[PaymentType.CASH] -= receipt.rest
    return net


def shift_report(
    receipts: Iterable[FiscalReceipt], initial: int = 0, taxes: Sequence[Tax] = DEFAULT_TAXES
) -> ShiftReport:
    """Totals of a shift's receipts, per payment type and per tax, as in the X/Z report."""
    pay = {t: _PaymentAcc() for t in PaymentType}
    tax_acc = {tax.code: [0, 0, 0, 0] for tax in taxes}
    counts = {ReceiptType.SELL: 0, ReceiptType.RETURN: 0, ReceiptType.CASH_WITHDRAWAL: 0}
    rounds = {"sales_up": 0, "sales_down": 0, "returns_up": 0, "returns_down": 0}
    discounts = charges = 0
    for r in receipts:
        if r.type in (ReceiptType.SELL, ReceiptType.RETURN):
            selling = r.type is ReceiptType.SELL
            counts[r.type] += 1
            field = "sell_sum" if selling else "return_sum"
            for ptype, value in _net_by_type(r).items():
                pay[ptype].values[field] += value
            for t in r.taxes:
                acc = tax_acc.setdefault(t.code, [0, 0, 0, 0])
                acc[0 if selling else 1] += t.total
                acc[2 if selling else 3] += t.turnover
            prefix = "sales" if selling else "returns"
            if r.round_sum > 0:
                rounds[f"{prefix}_up"] += r.round_sum
            elif r.round_sum < 0:
                rounds[f"{prefix}_down"] += -r.round_sum
            if selling:
                discounts += r.discounts_sum
                charges += r.extra_charge_sum
        elif r.type is ReceiptType.SERVICE_IN:
            pay[PaymentType.CASH].values["service_in"] += r.total_sum
        elif r.type is ReceiptType.SERVICE_OUT:
            pay[PaymentType.CASH].values["service_out"] += r.total_sum
        elif r.type is ReceiptType.CASH_WITHDRAWAL:
            counts[r.type] += 1
            for p in r.payments:
                pay[p.type].values["service_out"] += p.value
                pay[p.type].values["cash_withdrawal"] += p.value
            ptype = r.payments[0].type if r.payments else PaymentType.CASHLESS
            pay[ptype].values["cash_withdrawal_commission"] += r.commission
    payments = tuple(PaymentTotals(t, **pay[t].values) for t in PaymentType)
    by_code = {tax.code: tax for tax in taxes}
    tax_totals = tuple(
        TaxTotals(by_code[code], *acc) for code, acc in tax_acc.items() if code in by_code
    )
    cash = pay[PaymentType.CASH].values
    card = pay[PaymentType.CASHLESS].values
    service_in = cash["service_in"] + card["service_in"]
    service_out = cash["service_out"] + card["service_out"]
    balance = initial + cash["sell_sum"] - cash["return_sum"] + service_in - service_out
    shift_balance = ShiftBalance(
        initial=initial,
        balance=balance,
        cash_sales=cash["sell_sum"],
        card_sales=card["sell_sum"],
        discounts_sum=discounts,
        extra_charge_sum=charges,
        cash_returns=cash["return_sum"],
        card_returns=card["return_sum"],
        service_in=service_in,
        service_out=service_out,
    )
    return ShiftReport(
        payments=payments,
        taxes=tax_totals,
        sell_receipts_count=counts[ReceiptType.SELL],
        return_receipts_count=counts[ReceiptType.RETURN],
        cash_withdrawal_receipts_count=counts[ReceiptType.CASH_WITHDRAWAL],
        initial=initial,
        balance=balance,
        sales_round_up=rounds["sales_up"],
        sales_round_down=rounds["sales_down"],
        returns_round_up=rounds["returns_up"],
        returns_round_down=rounds["returns_down"],
        discounts_sum=discounts,
        extra_charge_sum=charges,
        shift_balance=shift_balance,
    )
