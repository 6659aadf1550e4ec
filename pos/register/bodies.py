"""Between the register's three vocabularies: the cart, the journal's records, the API's bodies.

Why one module: a receipt is priced once (``pos.domain``), stored as a journal record, sent as an
API body, and re-read from the journal for the X/Z report; doing every conversion here keeps the
four views of one receipt from drifting apart.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.receipt import (
    FiscalReceipt,
    Good,
    Line,
    Payment,
    PaymentType,
    PricedReceipt,
    ReceiptType,
    Settlement,
    price_receipt,
)
from pos.domain.reports import ShiftReport
from pos.domain.rounding import RoundingMode
from pos.journal.records import (
    NewReceipt,
    Receipt,
    ReceiptDiscount,
    ReceiptLine,
    ReceiptPayment,
)

PERCENT_SCALE = 1000  # the journal keeps a percentage in thousandths of a percent


def new_id() -> str:
    return str(uuid.uuid4())


# --- cart → journal ----------------------------------------------------------------------------


def _discount_record(d: Discount, amount: int, line_position: int | None) -> ReceiptDiscount:
    value = int(d.value) if d.mode is DiscountMode.VALUE else int(Decimal(d.value) * PERCENT_SCALE)
    return ReceiptDiscount(
        type=d.type.value,
        mode=d.mode.value,
        value=value,
        sum=amount,
        name=d.name,
        line_position=line_position,
        tax_codes=d.tax_codes,
    )


def new_receipt(
    priced: PricedReceipt,
    settlement: Settlement,
    *,
    now: datetime,
    shift_id: str | None,
    payment_details: Sequence[dict[str, Any] | None] = (),
    related_receipt_id: str | None = None,
    receipt_id: str | None = None,
) -> NewReceipt:
    """A sale or return as the journal commits it: every sum from the domain's pricing."""
    lines = tuple(
        ReceiptLine(
            code=p.line.good.code,
            name=p.line.good.name,
            price=p.line.good.price,
            quantity=p.line.quantity,
            sum=p.sum,
            tax_codes=p.line.good.tax_codes,
            barcode=p.line.good.barcode,
            is_return=p.line.is_return,
        )
        for p in priced.lines
    )
    discounts: list[ReceiptDiscount] = []
    for position, p in enumerate(priced.lines, start=1):
        for d in p.line.discounts:
            amount = p.discount_sum if d.type is DiscountType.DISCOUNT else p.extra_charge_sum
            discounts.append(_discount_record(d, amount, position))
    for applied in priced.discounts:
        discounts.append(_discount_record(applied.discount, abs(applied.sum), None))
    details = list(payment_details) + [None] * (len(settlement.payments) - len(payment_details))
    payments = tuple(
        ReceiptPayment(p.type.value, p.value, p.label, details[i])
        for i, p in enumerate(settlement.payments)
    )
    return NewReceipt(
        id=receipt_id or new_id(),
        type=priced.type.value,
        total_sum=priced.total_sum,
        created_at=now,
        lines=lines,
        payments=payments,
        discounts=tuple(discounts),
        discounts_sum=priced.discounts_sum,
        extra_charge_sum=priced.extra_charge_sum,
        round_sum=settlement.round_sum,
        total_payment=settlement.total_payment,
        rest=settlement.rest,
        shift_id=shift_id,
        related_receipt_id=related_receipt_id,
    )


def service_receipt(
    kind: ReceiptType,
    amount: int,
    *,
    now: datetime,
    shift_id: str | None,
    label: str,
    details: dict[str, Any] | None = None,
) -> NewReceipt:
    """Service cash in/out (always cash) or a cash withdrawal (paid out against a card)."""
    ptype = PaymentType.CASHLESS if kind is ReceiptType.CASH_WITHDRAWAL else PaymentType.CASH
    return NewReceipt(
        id=new_id(),
        type=kind.value,
        total_sum=amount,
        created_at=now,
        payments=(ReceiptPayment(ptype.value, amount, label, details or None),),
        total_payment=amount,
        shift_id=shift_id,
    )


MAX_EMAILS = 20
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
_PHONE = re.compile(r"^380\d{9}$")


def _phone(text: str) -> str | None:
    """ "+380 50 052-11-11", "(050) 052 11 11", "380500521111" → "380500521111"."""
    digits = re.sub(r"[\s()+\-]", "", text)
    if digits.startswith("0") and len(digits) == 10:
        digits = "38" + digits
    return digits if _PHONE.match(digits) else None


def delivery(addresses: str | Sequence[str] | None, phone: str | None = None) -> dict[str, Any]:
    """Where the electronic copy goes, as the journal keeps it: ``{"emails": [...], "phone":
    "380…"}`` (empty when nowhere). ``addresses`` may hold several e-mails (and a phone number)
    separated by commas, semicolons or spaces. ValueError names what is not an address."""
    tokens: list[str] = []
    if isinstance(addresses, str):
        tokens = re.split(r"[,;\s]+", addresses)
    elif addresses:
        tokens = [t for a in addresses for t in re.split(r"[,;\s]+", a)]
    emails: list[str] = []
    phones: list[str] = [phone] if phone and phone.strip() else []
    for token in (t.strip() for t in tokens):
        if not token:
            continue
        if "@" in token:
            if not _EMAIL.match(token):
                raise ValueError(f"not an e-mail address: {token}")
            if token.lower() not in (e.lower() for e in emails):
                emails.append(token)
        else:
            phones.append(token)
    found: dict[str, Any] = {}
    if len(emails) > MAX_EMAILS:
        raise ValueError(f"at most {MAX_EMAILS} e-mail addresses")
    if emails:
        found["emails"] = emails
    normalised = {p: _phone(p) for p in phones}
    for text, number in normalised.items():
        if number is None:
            raise ValueError(f"not a phone number (380XXXXXXXXX): {text}")
    numbers = sorted(set(n for n in normalised.values() if n))
    if len(numbers) > 1:
        raise ValueError("one phone number per receipt")
    if numbers:
        found["phone"] = numbers[0]
    return found


def delivery_body(kept: dict[str, Any]) -> dict[str, Any]:
    """The guide's ``delivery`` object: one ``email``, or ``emails`` for several; ``phone``."""
    body: dict[str, Any] = {}
    emails = list(kept.get("emails") or [])
    if len(emails) == 1:
        body["email"] = emails[0]
    elif emails:
        body["emails"] = emails
    if kept.get("phone"):
        body["phone"] = kept["phone"]
    return body


# --- journal → domain (the local X/Z report) ---------------------------------------------------


def _domain_discount(d: ReceiptDiscount) -> Discount:
    value: int | Decimal = (
        d.value if d.mode == DiscountMode.VALUE else Decimal(d.value) / PERCENT_SCALE
    )
    return Discount(DiscountType(d.type), DiscountMode(d.mode), value, d.name, d.tax_codes)


def domain_lines(receipt: Receipt | NewReceipt) -> list[Line]:
    by_line: dict[int, list[Discount]] = {}
    for d in receipt.discounts:
        if d.line_position is not None:
            by_line.setdefault(d.line_position, []).append(_domain_discount(d))
    return [
        Line(
            Good(li.code, li.name, li.price, li.tax_codes, li.barcode),
            li.quantity,
            is_return=li.is_return,
            discounts=tuple(by_line.get(position, ())),
        )
        for position, li in enumerate(receipt.lines, start=1)
    ]


def repriced(receipt: Receipt | NewReceipt) -> PricedReceipt:
    receipt_discounts = [_domain_discount(d) for d in receipt.discounts if d.line_position is None]
    return price_receipt(domain_lines(receipt), receipt_discounts)


def fiscal_receipt(receipt: Receipt) -> FiscalReceipt:
    kind = ReceiptType(receipt.type)
    payments = tuple(Payment(PaymentType(p.type), p.value, p.label) for p in receipt.payments)
    if kind in (ReceiptType.SELL, ReceiptType.RETURN):
        settlement = Settlement(
            payments,
            receipt.total_payment,
            receipt.total_sum + receipt.round_sum,
            receipt.round_sum,
            receipt.rest,
        )
        return FiscalReceipt.sale(repriced(receipt), settlement)
    if kind is ReceiptType.SERVICE_IN:
        return FiscalReceipt.service(receipt.total_sum)
    if kind is ReceiptType.SERVICE_OUT:
        return FiscalReceipt.service(-receipt.total_sum)
    return FiscalReceipt.cash_withdrawal(payments[0])


def report_fields(report: ShiftReport) -> dict[str, Any]:
    """A domain report with the API's field names (the offline close ``report`` body, and the
    local X/Z the window shows)."""
    return {
        "payments": [
            {
                "type": p.type.value,
                "label": "Готівка" if p.type is PaymentType.CASH else "Картка",
                "sell_sum": p.sell_sum,
                "return_sum": p.return_sum,
                "service_in": p.service_in,
                "service_out": p.service_out,
                "cash_withdrawal": p.cash_withdrawal,
                "cash_withdrawal_commission": p.cash_withdrawal_commission,
            }
            for p in report.payments
        ],
        "taxes": [
            {
                "code": t.tax.code,
                "label": t.tax.label,
                "symbol": t.tax.symbol,
                "rate": _rate(t.tax.rate),
                **({"extra_rate": _rate(t.tax.extra_rate)} if t.tax.extra_rate is not None else {}),
                "sell_sum": t.sell_sum,
                "return_sum": t.return_sum,
                "sales_turnover": t.sales_turnover,
                "returns_turnover": t.returns_turnover,
                "included": t.tax.included,
                "no_vat": t.tax.no_vat,
            }
            for t in report.taxes
        ],
        "sell_receipts_count": report.sell_receipts_count,
        "return_receipts_count": report.return_receipts_count,
        "cash_withdrawal_receipts_count": report.cash_withdrawal_receipts_count,
        "initial": report.initial,
        "balance": report.balance,
        "sales_round_up": report.sales_round_up,
        "sales_round_down": report.sales_round_down,
        "returns_round_up": report.returns_round_up,
        "returns_round_down": report.returns_round_down,
        "discounts_sum": report.discounts_sum,
        "extra_charge_sum": report.extra_charge_sum,
    }


def _rate(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# --- journal → API bodies ----------------------------------------------------------------------


def _api_discount(d: ReceiptDiscount) -> dict[str, Any]:
    # Always the absolute amount it made (the guide recommends VALUE): the server then cannot
    # round a percent differently from us, so its sums equal the journal's.
    body: dict[str, Any] = {"type": d.type, "mode": DiscountMode.VALUE.value, "value": d.sum}
    if d.name:
        body["name"] = d.name
    if d.tax_codes:
        body["tax_codes"] = list(d.tax_codes)
    return body


def _api_payment(p: ReceiptPayment) -> dict[str, Any]:
    body: dict[str, Any] = {"type": p.type, "value": p.value}
    if p.label:
        body["label"] = p.label
    for key, value in (p.details or {}).items():
        if value not in (None, ""):
            body[key] = value
    return body


def sell_body(
    receipt: Receipt | NewReceipt,
    *,
    rounding_mode: RoundingMode | None = RoundingMode.ROUND_50,
    email: str | None = None,
    header: str | None = None,
) -> dict[str, Any]:
    """The body of POST /receipts/sell (and sell-offline, with the code and date added)."""
    goods: list[dict[str, Any]] = []
    for position, li in enumerate(receipt.lines, start=1):
        good: dict[str, Any] = {"code": li.code, "name": li.name, "price": li.price}
        if li.tax_codes:
            good["tax"] = list(li.tax_codes)
        if li.barcode:
            good["barcode"] = li.barcode
        if li.excise_barcodes:
            good["excise_barcodes"] = list(li.excise_barcodes)
        if li.uktzed:
            good["uktzed"] = li.uktzed
        line: dict[str, Any] = {"good": good, "quantity": li.quantity}
        if li.is_return:
            line["is_return"] = True
        line_discounts = [
            _api_discount(d) for d in receipt.discounts if d.line_position == position
        ]
        if line_discounts:
            line["discounts"] = line_discounts
        goods.append(line)
    body: dict[str, Any] = {
        "id": receipt.id,
        "goods": goods,
        "payments": [_api_payment(p) for p in receipt.payments],
    }
    receipt_discounts = [_api_discount(d) for d in receipt.discounts if d.line_position is None]
    if receipt_discounts:
        body["discounts"] = receipt_discounts
    if receipt.round_sum and rounding_mode is not None:
        body["rounding"] = True  # the seed has no rounding_mode: NBU rules are implied
    if receipt.related_receipt_id:
        body["related_receipt_id"] = receipt.related_receipt_id
    kept = receipt.delivery or ({"emails": [email]} if email else {})
    if kept:
        body["delivery"] = delivery_body(kept)
    if header:
        body["header"] = header
    return body


def service_body(receipt: Receipt | NewReceipt) -> dict[str, Any]:
    """POST /receipts/service: cash in is positive, cash out negative."""
    payment = receipt.payments[0]
    sign = -1 if receipt.type == ReceiptType.SERVICE_OUT else 1
    body: dict[str, Any] = {"type": payment.type, "value": sign * payment.value}
    if payment.label:
        body["label"] = payment.label
    return {"id": receipt.id, "payment": body}


def cash_withdrawal_body(receipt: Receipt | NewReceipt) -> dict[str, Any]:
    return {"id": receipt.id, "payment": _api_payment(receipt.payments[0])}


ENDPOINTS = {
    ReceiptType.SELL: "/receipts/sell",
    ReceiptType.RETURN: "/receipts/sell",
    ReceiptType.SERVICE_IN: "/receipts/service",
    ReceiptType.SERVICE_OUT: "/receipts/service",
    ReceiptType.CASH_WITHDRAWAL: "/receipts/cash-withdrawal",
}


def receipt_body(receipt: Receipt | NewReceipt, **options: Any) -> dict[str, Any]:
    kind = ReceiptType(receipt.type)
    if kind in (ReceiptType.SELL, ReceiptType.RETURN):
        return sell_body(receipt, **options)
    if kind is ReceiptType.CASH_WITHDRAWAL:
        return cash_withdrawal_body(receipt)
    return service_body(receipt)


def offline_path(kind: ReceiptType) -> str:
    return (
        "/receipts/sell-offline"
        if kind in (ReceiptType.SELL, ReceiptType.RETURN)
        else ENDPOINTS[kind]
    )


def with_fiscal(body: dict[str, Any], fiscal_code: str, fiscal_date: datetime) -> dict[str, Any]:
    return {**body, "fiscal_code": fiscal_code, "fiscal_date": fiscal_date.isoformat()}


FISCAL_FIELDS = ("fiscal_code", "fiscal_date")


def without_fiscal(body: dict[str, Any]) -> dict[str, Any]:
    """A service receipt's body as ``/receipts/service`` takes it: no fiscal fields."""
    return {k: v for k, v in body.items() if k not in FISCAL_FIELDS}


def quantities_by_code(receipts: Iterable[Receipt]) -> dict[str, int]:
    """Quantity per good code over ``receipts`` (a sale, or the returns made against it)."""
    totals: dict[str, int] = {}
    for r in receipts:
        for li in r.lines:
            totals[li.code] = totals.get(li.code, 0) + li.quantity
    return totals
