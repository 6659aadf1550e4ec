"""How an advance and its after-payment count, kopeck for kopeck (the POS and the sandbox agree).

A customer order is fiscalised as a Checkbox prepayment chain: a prepayment receipt carries the
order's goods but only the advance as its payments; the after-payment receipt closes the chain
with the whole rest (one advance per chain: nothing public documents a second one). Checkbox's
X/Z reports have no prepayment rows (the public report schema of the `checkbox-sdk` package has
only `sell_sum`/`return_sum` per payment type and per tax), and both
receipts come back with type SELL, so a prepayment is revenue when it is taken and the
after-payment only for the rest:

* the advance is split over the order's lines in proportion to their totals (largest remainder,
  so the parts add up exactly); the tax of each rate is taken from the share of the lines that
  carry it, as for any amount (`tax_of_amount`);
* the after-payment's taxes and turnovers are the whole order's minus what the advance already
  counted, so the chain adds up to exactly the taxes of the order priced as one sale;
* discounts and extra charges of the order count once, on the after-payment (the sale proper);
* returning a chain returns every receipt of it with the same sums and taxes.

Taxes added on top of the price are refused for orders: nothing public says how Checkbox splits
them over an advance.
"""

from __future__ import annotations

from collections.abc import Sequence

from pos.domain.discounts import distribute
from pos.domain.errors import InvalidReceipt
from pos.domain.receipt import (
    FiscalReceipt,
    Payment,
    PaymentType,
    PricedReceipt,
    ReceiptTax,
    ReceiptType,
)
from pos.domain.rounding import RoundingMode, round_cash
from pos.domain.taxes import DEFAULT_TAXES, Tax, resolve_tax, tax_of_amount


class AdvanceTooLarge(InvalidReceipt):
    def __init__(self, total: int) -> None:
        super().__init__(f"Сума передоплати більша за суму чека ({total})")


def check_order_taxes(priced: PricedReceipt, taxes: Sequence[Tax] = DEFAULT_TAXES) -> None:
    for t in priced.taxes:
        if not resolve_tax(t.code, taxes).included:
            raise InvalidReceipt("Податки зверху ціни не підтримуються для передоплати")


def advance_taxes(
    priced: PricedReceipt, paid: int, taxes: Sequence[Tax] = DEFAULT_TAXES
) -> tuple[ReceiptTax, ...]:
    """The taxes (and turnovers) of an advance of ``paid`` kopecks against the priced order."""
    check_order_taxes(priced, taxes)
    shares = distribute(paid, [line.total for line in priced.lines])
    by_code: dict[int, int] = {}
    order: list[int] = []
    for line, share in zip(priced.lines, shares, strict=True):
        for code in line.line.good.tax_codes:
            if code not in by_code:
                order.append(code)
                by_code[code] = 0
            by_code[code] += share
    result = []
    for code in order:
        amount = tax_of_amount(by_code[code], resolve_tax(code, taxes))
        result.append(ReceiptTax(code, amount.value, amount.extra_value, by_code[code]))
    return tuple(result)


def _net(payments: Sequence[Payment], rest: int) -> tuple[Payment, ...]:
    """Payments with the change taken out of the cash (what stayed in the drawer)."""
    out: list[Payment] = []
    left = rest
    for p in payments:
        if p.type is PaymentType.CASH and left:
            take = min(left, p.value)
            left -= take
            out.append(Payment(p.type, p.value - take, p.label))
        else:
            out.append(p)
    return tuple(p for p in out if p.value)


def prepayment_fiscal(
    priced: PricedReceipt, payments: Sequence[Payment], taxes: Sequence[Tax] = DEFAULT_TAXES
) -> FiscalReceipt:
    """The prepayment receipt as the X/Z counts it: its payments, their share of the taxes."""
    paid = sum(p.value for p in payments)
    if paid <= 0:
        raise InvalidReceipt("Сума передоплати має бути більшою нуля")
    if paid > priced.total_sum:
        raise AdvanceTooLarge(priced.total_sum)
    return FiscalReceipt(
        ReceiptType.SELL,
        paid,
        tuple(payments),
        taxes=advance_taxes(priced, paid, taxes),
    )


def _hryvnias(kopecks: int) -> str:
    return f"{kopecks // 100},{kopecks % 100:02d}"


def check_cash_in_coins(
    payments: Sequence[Payment], change: int, mode: RoundingMode = RoundingMode.ROUND_50
) -> None:
    """Cash of a chain receipt is paid (and change given) only in amounts the NBU rounding
    leaves payable: no public source shows a `rounding` flag on prepayment receipts, so a chain
    receipt is never rounded and its cash must already be round (the odd kopecks by card)."""
    step = 10 if mode is RoundingMode.ROUND_10 else 50
    for p in payments:
        if p.type is PaymentType.CASH and round_cash(p.value, mode) != p.value:
            down = p.value - p.value % step
            raise InvalidReceipt(
                f"Готівкою не можна сплатити {_hryvnias(p.value)} грн (заокруглення НБУ): "
                f"{_hryvnias(down)} або {_hryvnias(down + step)} грн готівкою, решту карткою"
            )
    if change and round_cash(change, mode) != change:
        raise InvalidReceipt(
            f"Решту {_hryvnias(change)} грн не можна видати готівкою (заокруглення НБУ): "
            "сплатіть копійки карткою"
        )


def after_payment_fiscal(
    priced: PricedReceipt,
    advances: Sequence[FiscalReceipt],
    payments: Sequence[Payment],
) -> FiscalReceipt:
    """The after-payment: the rest of the order (change only from cash), the rest of its taxes,
    and the order's discounts."""
    before = sum(a.total_sum for a in advances)
    due = priced.total_sum - before
    paid = sum(p.value for p in payments)
    if paid < due:
        raise InvalidReceipt(f"Сума оплати менша за залишок до сплати ({due})")
    rest = paid - due
    cash = sum(p.value for p in payments if p.type is PaymentType.CASH)
    if rest > cash:
        raise InvalidReceipt("Решта можлива лише з готівки")
    counted: dict[int, list[int]] = {}
    for a in advances:
        for t in a.taxes:
            acc = counted.setdefault(t.code, [0, 0, 0])
            acc[0] += t.value
            acc[1] += t.extra_value
            acc[2] += t.turnover
    remaining = []
    for t in priced.taxes:
        acc = counted.get(t.code, [0, 0, 0])
        remaining.append(
            ReceiptTax(t.code, t.value - acc[0], t.extra_value - acc[1], t.turnover - acc[2])
        )
    return FiscalReceipt(
        ReceiptType.SELL,
        due,
        tuple(p for p in payments if p.value),
        rest=rest,
        taxes=tuple(remaining),
        discounts_sum=priced.discounts_sum,
        extra_charge_sum=priced.extra_charge_sum,
    )


def chain_return_fiscal(receipt: FiscalReceipt) -> FiscalReceipt:
    """The return of one receipt of a chain: the money that stayed, its taxes, back."""
    return FiscalReceipt(
        ReceiptType.RETURN,
        receipt.total_sum,
        _net(receipt.payments, receipt.rest),
        taxes=receipt.taxes,
    )
