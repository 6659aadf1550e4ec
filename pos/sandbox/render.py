"""The API's response bodies, built from sandbox records with the seed's field names.

Totals (shift balance, taxes per rate, X/Z reports) come from `pos.domain.reports` over the
shift's receipts, so the sandbox and the POS agree to the kopeck.
"""

from __future__ import annotations

import uuid
from typing import Any

from pos.domain.receipt import FiscalReceipt, Payment, PaymentType, ReceiptTax, ReceiptType
from pos.domain.reports import ShiftReport, shift_report
from pos.domain.taxes import DEFAULT_TAXES, Tax
from pos.sandbox.storage import Record
from pos.sandbox.world import World

TAXES: tuple[Tax, ...] = DEFAULT_TAXES
TAX_CREATED = "2023-09-27T07:57:17.436553+00:00"
_NS = uuid.UUID("0f3a9d2e-7c1b-4e55-8d0a-6b2c4e9f1a77")
PAYMENT_LABELS = {"CASH": "Готівка", "CASHLESS": "Картка"}


def number(value: Any) -> int | float:
    """20 for Decimal("20"), 7.5 for Decimal("7.5"): rates as the API writes them."""
    as_int = int(value)
    return as_int if as_int == value else float(value)


def tax_base(tax: Tax) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(_NS, f"tax-{tax.code}")),
        "code": tax.code,
        "label": tax.label,
        "symbol": tax.symbol,
        "rate": number(tax.rate),
        "extra_rate": None if tax.extra_rate is None else number(tax.extra_rate),
        "included": tax.included,
        "created_at": TAX_CREATED,
        "updated_at": None,
        "no_vat": tax.no_vat,
        "advanced_code": None,
    }


def tax_by_code(code: int) -> Tax:
    for tax in TAXES:
        if tax.code == code:
            return tax
    raise KeyError(code)


def transaction_view(tx: Record | None) -> dict[str, Any] | None:
    if tx is None:
        return None
    keys = (
        "id",
        "type",
        "serial",
        "status",
        "request_signed_at",
        "request_received_at",
        "response_status",
        "response_error_message",
        "response_id",
        "offline_id",
        "created_at",
        "updated_at",
        "original_datetime",
        "previous_hash",
    )
    return {k: tx[k] for k in keys}


def register_brief(register: Record) -> dict[str, Any]:
    return {
        "id": register["id"],
        "fiscal_number": register["fiscal_number"],
        "active": register["active"],
        "created_at": register["created_at"],
        "updated_at": register["updated_at"],
        "number": register["number"],
    }


def cashier_view(cashier: Record) -> dict[str, Any]:
    keys = (
        "id",
        "full_name",
        "nin",
        "key_id",
        "signature_type",
        "permissions",
        "created_at",
        "updated_at",
        "certificate_end",
        "blocked",
    )
    return {k: cashier[k] for k in keys}


def fiscal_receipt(receipt: Record) -> FiscalReceipt:
    fr = receipt["fiscal"]
    return FiscalReceipt(
        type=ReceiptType(fr["type"]),
        total_sum=fr["total_sum"],
        payments=tuple(
            Payment(PaymentType(p["type"]), p["value"], p.get("label") or "")
            for p in fr["payments"]
        ),
        rest=fr["rest"],
        round_sum=fr["round_sum"],
        taxes=tuple(
            ReceiptTax(t["code"], t["value"], t["extra_value"], t["turnover"]) for t in fr["taxes"]
        ),
        discounts_sum=fr["discounts_sum"],
        extra_charge_sum=fr["extra_charge_sum"],
        commission=fr["commission"],
    )


def shift_totals(world: World, shift: Record) -> ShiftReport:
    """The shift's X/Z totals; cached until a receipt is added (receipts never change sums)."""
    key = (shift["id"], len(shift["receipt_ids"]), shift["initial_balance"])
    cached = world.totals_cache.get(shift["id"])
    if cached is not None and cached[0] == key and isinstance(cached[1], ShiftReport):
        return cached[1]
    receipts = [world.records["receipt"][rid] for rid in shift["receipt_ids"]]
    totals = shift_report(
        (fiscal_receipt(r) for r in receipts if r["status"] != "ERROR"),
        shift["initial_balance"],
        TAXES,
    )
    world.totals_cache[shift["id"]] = (key, totals)
    return totals


def shift_view(world: World, shift: Record) -> dict[str, Any]:
    totals = shift_totals(world, shift)
    b = totals.shift_balance
    by_code = {t.tax.code: t for t in totals.taxes}
    taxes = []
    for tax in TAXES:
        t = by_code.get(tax.code)
        taxes.append(
            tax_base(tax)
            | {
                "sales": t.sell_sum if t else 0,
                "returns": t.return_sum if t else 0,
                "sales_turnover": t.sales_turnover if t else 0,
                "returns_turnover": t.returns_turnover if t else 0,
            }
        )
    register = world.records["register"][shift["register_id"]]
    cashier = world.records["cashier"][shift["cashier_id"]]
    z_report = world.get("report", shift["z_report_id"]) if shift["z_report_id"] else None
    txs = world.records["transaction"]
    return {
        "id": shift["id"],
        "serial": shift["serial"],
        "status": shift["status"],
        "z_report": z_report["body"] if z_report else None,
        "opened_at": shift["opened_at"],
        "closed_at": shift["closed_at"],
        "initial_transaction": transaction_view(txs.get(shift["initial_transaction_id"])),
        "closing_transaction": transaction_view(txs.get(shift["closing_transaction_id"] or "")),
        "created_at": shift["created_at"],
        "updated_at": shift["updated_at"],
        "balance": {
            "initial": b.initial,
            "balance": b.balance,
            "cash_sales": b.cash_sales,
            "card_sales": b.card_sales,
            "discounts_sum": b.discounts_sum,
            "extra_charge_sum": b.extra_charge_sum,
            "cash_returns": b.cash_returns,
            "card_returns": b.card_returns,
            "service_in": b.service_in,
            "service_out": b.service_out,
            "updated_at": shift["balance_updated_at"],
        },
        "taxes": taxes,
        "emergency_close": None,
        "emergency_close_details": None,
        "cash_register": register_brief(register),
        "cashier": cashier_view(cashier),
    }


def register_view(world: World, register: Record) -> dict[str, Any]:
    shift = world.get("shift", register["shift_id"]) if register["shift_id"] else None
    return register_brief(register) | {
        "shift": None
        if shift is None
        else {
            "id": shift["id"],
            "serial": shift["serial"],
            "status": shift["status"],
            "opened_at": shift["opened_at"],
            "closed_at": shift["closed_at"],
            "created_at": shift["created_at"],
            "updated_at": shift["updated_at"],
        },
        "offline_mode": register["offline_mode"],
        "stay_offline": register["stay_offline"],
        "has_shift": shift is not None,
        "documents_state": None,
        "branch": None,
        "address": register["address"],
        "type": 0,
    }


def report_body(
    world: World,
    shift: Record,
    *,
    report_id: str,
    serial: int,
    is_z: bool,
    created_at: str | None,
) -> dict[str, Any]:
    """The X/Z-report object of the seed, from the shift's receipts."""
    totals = shift_totals(world, shift)
    payments = [
        {
            "id": str(uuid.uuid5(_NS, f"{report_id}-pay-{p.type.value}")),
            "code": None,
            "type": p.type.value,
            "provider_type": None,
            "label": PAYMENT_LABELS[p.type.value],
            "sell_sum": p.sell_sum,
            "return_sum": p.return_sum,
            "service_in": p.service_in,
            "service_out": p.service_out,
            "cash_withdrawal": p.cash_withdrawal,
            "cash_withdrawal_commission": p.cash_withdrawal_commission,
        }
        for p in totals.payments
    ]
    taxes = [
        {
            "id": str(uuid.uuid5(_NS, f"{report_id}-tax-{t.tax.code}")),
            "code": t.tax.code,
            "label": t.tax.label,
            "symbol": t.tax.symbol,
            "rate": number(t.tax.rate),
            "extra_rate": None if t.tax.extra_rate is None else number(t.tax.extra_rate),
            "sell_sum": t.sell_sum,
            "return_sum": t.return_sum,
            "sales_turnover": t.sales_turnover,
            "returns_turnover": t.returns_turnover,
            "no_vat": t.tax.no_vat,
            "advanced_code": None,
            "included": t.tax.included,
            "created_at": TAX_CREATED,
            "setup_date": TAX_CREATED,
        }
        for t in totals.taxes
    ]
    return {
        "id": report_id,
        "serial": serial,
        "is_z_report": is_z,
        "payments": payments,
        "taxes": taxes,
        "sell_receipts_count": totals.sell_receipts_count,
        "return_receipts_count": totals.return_receipts_count,
        "cash_withdrawal_receipts_count": totals.cash_withdrawal_receipts_count,
        "transfers_count": 0,
        "transfers_sum": 0,
        "balance": totals.balance,
        "initial": totals.initial,
        "sales_round_up": totals.sales_round_up,
        "sales_round_down": totals.sales_round_down,
        "returns_round_up": totals.returns_round_up,
        "returns_round_down": totals.returns_round_down,
        "created_at": created_at,
        "updated_at": None,
        "discounts_sum": totals.discounts_sum,
        "extra_charge_sum": totals.extra_charge_sum,
        "transaction_fail": False,
        "last_receipt_id": shift["receipt_ids"][-1] if shift["receipt_ids"] else None,
    }


def receipt_view(world: World, receipt: Record) -> dict[str, Any]:
    body = {k: v for k, v in receipt.items() if k not in _PRIVATE}
    tx = world.get("transaction", receipt["transaction_id"]) if receipt["transaction_id"] else None
    body["transaction"] = transaction_view(tx)
    shift = world.records["shift"][receipt["shift_id"]]
    body["shift"] = shift_view(world, shift)
    return body


_PRIVATE = frozenset(
    {"fiscal", "shift_id", "register_id", "transaction_id", "received_at", "cashier_id", "lines"}
)
