"""Pricing a receipt and settling its payments, with every rule that can be checked locally.

`price_receipt` turns goods and quantities into line sums, discounts, taxes and the total;
`settle` checks the payments against it, rounds the cash part by NBU rules and finds the change.
Both raise the seed's own errors, so a receipt the server would refuse never leaves the POS.

Receipt-level taxes are the sum of the line taxes plus the tax part of each receipt-level
discount or charge (computed per tax code on the share of the lines with that code). With the
seed's sell example this gives VAT 9730 − 794 = 8936, as the seed shows, and excise
2919 − 238 = 2681 (the seed shows 2680); its Z-report counts that receipt's tax as 11617, which is
what this rule gives (8936 + 2681).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from pos.domain.discounts import Discount, distribute
from pos.domain.errors import (
    AlreadyFullyReturned,
    ChangeOnCashless,
    InvalidReceipt,
    MixedReceipt,
    PaymentsLessThanTotal,
    ReturnExceedsSale,
    ReturnPaymentsMismatch,
    TotalNotPositive,
    UnknownReturnGoods,
)
from pos.domain.money import MAX_MONEY, MAX_QUANTITY, line_sum
from pos.domain.rounding import RoundingMode, round_cash
from pos.domain.taxes import DEFAULT_TAXES, Tax, TaxAmount, resolve_tax, tax_of_amount


class ReceiptType(StrEnum):
    SELL = "SELL"
    RETURN = "RETURN"
    SERVICE_IN = "SERVICE_IN"
    SERVICE_OUT = "SERVICE_OUT"
    CASH_WITHDRAWAL = "CASH_WITHDRAWAL"


class PaymentType(StrEnum):
    CASH = "CASH"
    CASHLESS = "CASHLESS"


@dataclass(frozen=True)
class Good:
    """What is sold: price in kopecks per piece or per kilogram, and its tax codes."""

    code: str
    name: str
    price: int
    tax_codes: tuple[int, ...] = ()
    barcode: str | None = None


@dataclass(frozen=True)
class Line:
    """A good on a receipt: quantity in thousandths, with its own discounts or charges."""

    good: Good
    quantity: int
    is_return: bool = False
    discounts: tuple[Discount, ...] = ()


@dataclass(frozen=True)
class Payment:
    """One payment of a receipt; `value` in kopecks, never negative."""

    type: PaymentType
    value: int
    label: str = ""


@dataclass(frozen=True)
class PricedLine:
    """A line after pricing: `net` is its sum after its own discounts, `total` after the
    receipt-level ones too (what a return of the whole line refunds)."""

    line: Line
    sum: int
    discount_sum: int
    extra_charge_sum: int
    taxes: tuple[TaxAmount, ...]
    receipt_adjustment: int = 0

    @property
    def net(self) -> int:
        return self.sum - self.discount_sum + self.extra_charge_sum

    @property
    def total(self) -> int:
        return self.net + self.receipt_adjustment


@dataclass(frozen=True)
class AppliedDiscount:
    """A receipt-level discount with its signed sum (the API's `sum`: -5000 for a discount)."""

    discount: Discount
    sum: int


@dataclass(frozen=True)
class ReceiptTax:
    """The tax of one rate over a whole receipt, and the turnover it was taken from."""

    code: int
    value: int
    extra_value: int
    turnover: int

    @property
    def total(self) -> int:
        return self.value + self.extra_value


@dataclass(frozen=True)
class PricedReceipt:
    type: ReceiptType
    lines: tuple[PricedLine, ...]
    discounts: tuple[AppliedDiscount, ...]
    taxes: tuple[ReceiptTax, ...]
    total_sum: int
    discounts_sum: int
    extra_charge_sum: int


@dataclass(frozen=True)
class Settlement:
    """How a priced receipt is paid: `payable` is the total after cash rounding,
    `round_sum` = payable − total (positive when rounded up), `rest` the change in cash."""

    payments: tuple[Payment, ...]
    total_payment: int
    payable: int
    round_sum: int
    rest: int


def _taxes_of(good: Good, taxes: Sequence[Tax]) -> list[Tax]:
    return [resolve_tax(code, taxes) for code in good.tax_codes]


def _check_line(line: Line) -> None:
    if line.quantity <= 0:
        raise InvalidReceipt(f"Кількість товару '{line.good.name}' має бути більшою нуля")
    if line.quantity > MAX_QUANTITY:
        raise InvalidReceipt(f"Завелика кількість товару '{line.good.name}'")
    if line.good.price < 0 or line.good.price > MAX_MONEY:
        raise InvalidReceipt(f"Неприпустима ціна товару '{line.good.name}'")


def price_line(line: Line, taxes: Sequence[Tax] = DEFAULT_TAXES) -> PricedLine:
    """One line's sum, own discounts and taxes, before the receipt-level discounts (a cart keeps
    it while the line is unchanged: a scan then prices only the line it added or changed)."""
    _check_line(line)
    gross = line_sum(line.good.price, line.quantity)
    discount = charge = 0
    running = gross
    for d in line.discounts:
        amount = d.amount_of(running)
        if d.sign < 0:
            discount += amount
        else:
            charge += amount
        running += d.sign * amount
    if running < 0:
        raise InvalidReceipt(f"Знижка на товар '{line.good.name}' більша за його суму")
    line_taxes = tuple(tax_of_amount(running, tax) for tax in _taxes_of(line.good, taxes))
    return PricedLine(line, gross, discount, charge, line_taxes)


def _covers(discount: Discount, line: Line) -> bool:
    return not discount.tax_codes or bool(set(discount.tax_codes) & set(line.good.tax_codes))


def price_receipt(
    lines: Sequence[Line],
    discounts: Sequence[Discount] = (),
    taxes: Sequence[Tax] = DEFAULT_TAXES,
) -> PricedReceipt:
    """Line sums, discounts, taxes and the total of a sale or a return."""
    receipt_type = _receipt_type(lines)
    return _sum_up(receipt_type, [price_line(line, taxes) for line in lines], discounts, taxes)


def receipt_of_lines(
    priced_lines: Sequence[PricedLine],
    discounts: Sequence[Discount] = (),
    taxes: Sequence[Tax] = DEFAULT_TAXES,
) -> PricedReceipt:
    """The receipt of lines each priced by :func:`price_line`: the very result
    ``price_receipt`` gives for their lines, without pricing each line again."""
    receipt_type = _receipt_type([p.line for p in priced_lines])
    return _sum_up(receipt_type, list(priced_lines), discounts, taxes)


def _receipt_type(lines: Sequence[Line]) -> ReceiptType:
    if not lines:
        raise InvalidReceipt("Чек не містить жодного товару")
    returns = {line.is_return for line in lines}
    if len(returns) > 1:
        raise MixedReceipt()
    return ReceiptType.RETURN if returns == {True} else ReceiptType.SELL


def _sum_up(
    receipt_type: ReceiptType,
    priced: list[PricedLine],
    discounts: Sequence[Discount],
    taxes: Sequence[Tax],
) -> PricedReceipt:
    adjustments = [0] * len(priced)
    applied: list[AppliedDiscount] = []
    # Tax part of receipt-level discounts, per tax code, accumulated share by share.
    extra_tax: dict[int, list[int]] = {}
    for d in discounts:
        covered = [i for i, p in enumerate(priced) if _covers(d, p.line)]
        base = sum(priced[i].net + adjustments[i] for i in covered)
        amount = d.amount_of(base)
        if not covered or (d.sign < 0 and amount > base):
            raise TotalNotPositive()
        shares = distribute(d.sign * amount, [priced[i].net + adjustments[i] for i in covered])
        for i, share in zip(covered, shares, strict=True):
            adjustments[i] += share
        applied.append(AppliedDiscount(d, d.sign * amount))
        by_code: dict[int, int] = {}
        for i, share in zip(covered, shares, strict=True):
            for code in priced[i].line.good.tax_codes:
                by_code[code] = by_code.get(code, 0) + share
        for code, share in by_code.items():
            part = tax_of_amount(share, resolve_tax(code, taxes))
            acc = extra_tax.setdefault(code, [0, 0])
            acc[0] += part.value
            acc[1] += part.extra_value
    if discounts:
        priced = [
            PricedLine(p.line, p.sum, p.discount_sum, p.extra_charge_sum, p.taxes, adj)
            for p, adj in zip(priced, adjustments, strict=True)
        ]
    receipt_taxes = _receipt_taxes(priced, extra_tax, taxes)
    on_top = sum(t.total for t in receipt_taxes if not resolve_tax(t.code, taxes).included)
    total = sum(p.total for p in priced) + on_top
    if total <= 0:
        raise TotalNotPositive()
    discounts_sum = sum(p.discount_sum for p in priced) + sum(-a.sum for a in applied if a.sum < 0)
    charges_sum = sum(p.extra_charge_sum for p in priced) + sum(a.sum for a in applied if a.sum > 0)
    return PricedReceipt(
        receipt_type,
        tuple(priced),
        tuple(applied),
        receipt_taxes,
        total,
        discounts_sum,
        charges_sum,
    )


def _receipt_taxes(
    priced: Sequence[PricedLine], extra_tax: Mapping[int, list[int]], taxes: Sequence[Tax]
) -> tuple[ReceiptTax, ...]:
    order: list[int] = []
    values: dict[int, list[int]] = {}
    for p in priced:
        for amount in p.taxes:
            if amount.code not in values:
                order.append(amount.code)
                values[amount.code] = [0, 0, 0]
            acc = values[amount.code]
            acc[0] += amount.value
            acc[1] += amount.extra_value
            acc[2] += p.total
    result = []
    for code in order:
        value, extra, turnover = values[code]
        more = extra_tax.get(code, [0, 0])
        result.append(ReceiptTax(code, value + more[0], extra + more[1], turnover))
    return tuple(result)


def cash_due(total: int, cashless: int, *, rounding: bool, mode: RoundingMode) -> int:
    """What the customer owes in cash after `cashless` was paid by card (rounded if asked)."""
    due = max(total - cashless, 0)
    return round_cash(due, mode) if rounding else due


def settle(
    priced: PricedReceipt,
    payments: Sequence[Payment],
    *,
    rounding: bool = False,
    rounding_mode: RoundingMode = RoundingMode.ROUND_50,
) -> Settlement:
    """Check payments against the total; round the cash part; compute change (from cash only)."""
    if not payments:
        raise PaymentsLessThanTotal()
    for p in payments:
        if p.value < 0 or p.value > MAX_MONEY:
            raise InvalidReceipt("Неприпустима сума оплати")
    cash = sum(p.value for p in payments if p.type is PaymentType.CASH)
    cashless = sum(p.value for p in payments if p.type is PaymentType.CASHLESS)
    total_payment = cash + cashless
    round_sum = 0
    if rounding and cash > 0:
        due = max(priced.total_sum - cashless, 0)
        round_sum = round_cash(due, rounding_mode) - due
    payable = priced.total_sum + round_sum
    if priced.type is ReceiptType.RETURN:
        if total_payment != payable:
            raise ReturnPaymentsMismatch(payable)
        return Settlement(tuple(payments), total_payment, payable, round_sum, 0)
    if total_payment < payable:
        raise PaymentsLessThanTotal()
    rest = total_payment - payable
    if rest > cash:
        raise ChangeOnCashless(rest)
    return Settlement(tuple(payments), total_payment, payable, round_sum, rest)


def check_return(
    sold: Mapping[str, int],
    returned_before: Mapping[str, int],
    returning: Mapping[str, int],
) -> None:
    """Quantities per good code of a return against its related sale and earlier returns."""
    if sold and all(returned_before.get(code, 0) >= qty for code, qty in sold.items()):
        raise AlreadyFullyReturned()
    unknown = [code for code in returning if code not in sold]
    if unknown:
        raise UnknownReturnGoods(unknown)
    exceeding = [
        code for code, qty in returning.items() if qty + returned_before.get(code, 0) > sold[code]
    ]
    if exceeding:
        raise ReturnExceedsSale(exceeding)


@dataclass(frozen=True)
class FiscalReceipt:
    """What the X/Z report needs from one receipt, whatever its kind."""

    type: ReceiptType
    total_sum: int
    payments: tuple[Payment, ...]
    rest: int = 0
    round_sum: int = 0
    taxes: tuple[ReceiptTax, ...] = field(default=())
    discounts_sum: int = 0
    extra_charge_sum: int = 0
    commission: int = 0

    @classmethod
    def sale(cls, priced: PricedReceipt, settlement: Settlement) -> FiscalReceipt:
        """A sale or a return (its type comes from the priced receipt)."""
        return cls(
            priced.type,
            priced.total_sum,
            settlement.payments,
            settlement.rest,
            settlement.round_sum,
            priced.taxes,
            priced.discounts_sum,
            priced.extra_charge_sum,
        )

    @classmethod
    def service(cls, value: int) -> FiscalReceipt:
        """Service cash-in (value > 0) or cash-out (value < 0), always in cash."""
        if value == 0:
            raise InvalidReceipt("Сума службового чека не може бути нульовою")
        kind = ReceiptType.SERVICE_IN if value > 0 else ReceiptType.SERVICE_OUT
        return cls(kind, abs(value), (Payment(PaymentType.CASH, abs(value)),))

    @classmethod
    def cash_withdrawal(cls, payment: Payment, commission: int = 0) -> FiscalReceipt:
        """Cash handed to a card holder at the till (form ФКЧ-4)."""
        if payment.value <= 0:
            raise TotalNotPositive()
        return cls(ReceiptType.CASH_WITHDRAWAL, payment.value, (payment,), commission=commission)
