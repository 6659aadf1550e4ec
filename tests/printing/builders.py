"""Receipt records for the printing tests, priced by the domain exactly as the register prices them.

Why price through `pos.domain`: the printout recomputes taxes from the lines, so a hand-written
record whose sums disagree with the domain would test nothing real.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.receipt import Good, Line, Payment, PaymentType, price_receipt, settle
from pos.journal.records import (
    Receipt,
    ReceiptDiscount,
    ReceiptLine,
    ReceiptPayment,
    ReceiptState,
)
from pos.printing.layout import ReceiptHeader

T0 = datetime(2023, 11, 29, 14, 7, 28, tzinfo=UTC)  # 16:07:28 in Kyiv
MAC = "5db006ff9126fcb39146c017f4f8d7e8668dee4220dce5136ff795716c483f73"

WINE = Good(
    "500", "Вино ігристе біле Вінтаж де Локсарел БН Резерва, Loxarel брют 0,125", 19500, (1,)
)
WINE_2 = Good("501", "Вино тихе червоне", 41800, (1,))
CHEESE = Good("700", "Сир твердий вагою", 8990, (5,))
BREAD = Good("800", "Хліб", 2999, (8,))

HEADER = ReceiptHeader(
    shop_name="ТОВ «Тестовий магазин»",
    shop_address="м. Київ, вул. Хрещатик, 1",
    register_fiscal_number="TEST551151",
    cashier_name="Тестовий касир",
    training=False,
)
TRAINING_HEADER = replace(HEADER, training=True)


def _discount_record(d: Discount, amount: int, line_position: int | None) -> ReceiptDiscount:
    value = int(d.value) if d.mode is DiscountMode.VALUE else int(Decimal(d.value) * 1000)
    return ReceiptDiscount(
        d.type.value, d.mode.value, value, amount, d.name, line_position, d.tax_codes
    )


def build_receipt(
    lines: Sequence[Line],
    payments: Sequence[Payment],
    *,
    discounts: Sequence[Discount] = (),
    rounding: bool = False,
    card_details: dict[str, Any] | None = None,
    state: ReceiptState = ReceiptState.DONE,
    is_offline: bool = False,
    fiscal_code: str | None = "TEST-e11111",
    server_response: dict[str, Any] | None = None,
) -> Receipt:
    """A sale or return record as the register would commit and the journal hand back."""
    priced = price_receipt(lines, discounts)
    settlement = settle(priced, payments, rounding=rounding)
    records: list[ReceiptDiscount] = []
    for position, p in enumerate(priced.lines, start=1):
        for d in p.line.discounts:
            amount = p.discount_sum if d.type is DiscountType.DISCOUNT else p.extra_charge_sum
            records.append(_discount_record(d, amount, position))
    records += [_discount_record(a.discount, a.sum, None) for a in priced.discounts]
    return Receipt(
        id="7c4ad1f1-3a0e-4b55-9d0c-5d1a4f3c2b10",
        type=priced.type.value,
        state=state,
        is_offline=is_offline,
        total_sum=priced.total_sum,
        created_at=T0,
        updated_at=T0,
        lines=tuple(
            ReceiptLine(
                p.line.good.code,
                p.line.good.name,
                p.line.good.price,
                p.line.quantity,
                p.sum,
                p.line.good.tax_codes,
                is_return=p.line.is_return,
            )
            for p in priced.lines
        ),
        payments=tuple(
            ReceiptPayment(
                p.type.value,
                p.value,
                p.label,
                card_details if p.type is PaymentType.CASHLESS else None,
            )
            for p in settlement.payments
        ),
        discounts=tuple(records),
        discounts_sum=priced.discounts_sum,
        extra_charge_sum=priced.extra_charge_sum,
        round_sum=settlement.round_sum,
        total_payment=settlement.total_payment,
        rest=settlement.rest,
        fiscal_code=fiscal_code if state is not ReceiptState.COMMITTED else None,
        fiscal_date=T0 if fiscal_code and state is not ReceiptState.COMMITTED else None,
        server_response=server_response,
    )


def service_receipt(kind: str, amount: int, **changes: Any) -> Receipt:
    """Service cash in/out (cash) or a cash withdrawal (card), as the register stores them."""
    ptype = "CASHLESS" if kind == "CASH_WITHDRAWAL" else "CASH"
    base = Receipt(
        id="0b9e2c4e-8f0a-4c7e-9a51-2f7d3c1e6a42",
        type=kind,
        state=ReceiptState.DONE,
        is_offline=False,
        total_sum=amount,
        created_at=T0,
        updated_at=T0,
        payments=(ReceiptPayment(ptype, amount, "Готівка" if ptype == "CASH" else "Картка"),),
        total_payment=amount,
        fiscal_code="TEST-s22222",
        fiscal_date=T0,
    )
    return replace(base, **changes)


SEED_Z_REPORT: dict[str, Any] = {
    "serial": 43,
    "is_z_report": True,
    "payments": [
        {
            "type": "CASH",
            "label": "Готівка",
            "sell_sum": 16420,
            "return_sum": 0,
            "service_in": 10000,
            "service_out": 0,
            "cash_withdrawal": 0,
            "cash_withdrawal_commission": 0,
        },
        {
            "type": "CASHLESS",
            "label": "Картка",
            "sell_sum": 56300,
            "return_sum": 0,
            "service_in": 0,
            "service_out": 20000,
            "cash_withdrawal": 20000,
            "cash_withdrawal_commission": 0,
        },
    ],
    "taxes": [
        {
            "code": 1,
            "label": "ПДВ + Акцизний збір",
            "symbol": "А",
            "rate": 20,
            "sell_sum": 11617,
            "return_sum": 0,
            "sales_turnover": 56300,
            "returns_turnover": 0,
            "no_vat": False,
        },
        {
            "code": 2,
            "label": "Акцизний збір",
            "symbol": "Б",
            "rate": 0,
            "sell_sum": 0,
            "return_sum": 0,
            "sales_turnover": 0,
            "returns_turnover": 0,
            "no_vat": False,
        },
        {
            "code": 8,
            "label": "Без ПДВ",
            "symbol": "З",
            "rate": 0,
            "sell_sum": 0,
            "return_sum": 0,
            "sales_turnover": 16417,
            "returns_turnover": 0,
            "no_vat": True,
        },
    ],
    "sell_receipts_count": 2,
    "return_receipts_count": 0,
    "cash_withdrawal_receipts_count": 1,
    "balance": 6420,
    "initial": 0,
    "sales_round_up": 3,
    "sales_round_down": 0,
    "returns_round_up": 0,
    "returns_round_down": 0,
    "discounts_sum": 5583,
    "extra_charge_sum": 0,
}
"""The seed's Z report (shift 43), with the fields the printout reads."""
