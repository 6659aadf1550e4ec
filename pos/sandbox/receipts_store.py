"""Building receipt records: pricing through `pos.domain`, then the API's receipt shape.

Every sum, tax, discount, rounding and payment rule comes from `pos.domain.receipt` (the POS
uses the same functions, so both agree to the kopeck). This module only translates between the
API's JSON and the domain's types and fills the fiscal fields when a receipt is delivered.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos.domain.check_link import tax_check_url
from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.receipt import (
    FiscalReceipt,
    Good,
    Line,
    Payment,
    PaymentType,
    PricedReceipt,
    Settlement,
    price_receipt,
    settle,
)
from pos.domain.rounding import RoundingMode
from pos.domain.taxes import UnknownTaxError, resolve_tax
from pos.sandbox.clock import iso, parse_datetime
from pos.sandbox.errors import ApiError
from pos.sandbox.receipt_models import DiscountBody, GoodItemBody, PaymentBody, SellBody
from pos.sandbox.render import PAYMENT_LABELS, TAXES, tax_base, tax_by_code
from pos.sandbox.storage import Record
from pos.sandbox.world import World

NBU_ROUNDING = RoundingMode.ROUND_50
"""`rounding: true` means the payments are already rounded by the NBU rules (the seed); the
seed has no field choosing another mode."""


def _discount(body: DiscountBody) -> Discount:
    mode = DiscountMode(body.mode)
    value: int | Decimal = int(body.value) if mode is DiscountMode.VALUE else body.value
    return Discount(DiscountType(body.type), mode, value, body.name or "", body.codes())


def _line(item: GoodItemBody) -> Line:
    try:
        codes = tuple(resolve_tax(ref, TAXES).code for ref in item.good.tax)
    except UnknownTaxError as exc:
        raise ApiError(400, f"Невідома податкова ставка: {exc}") from exc
    good = Good(item.good.code, item.good.name, item.good.price, codes, item.good.barcode)
    return Line(good, item.quantity, item.is_return, tuple(_discount(d) for d in item.discounts))


def price(body: SellBody) -> tuple[PricedReceipt, Settlement]:
    """The domain's pricing and payment checks for a sale or return body."""
    priced = price_receipt([_line(i) for i in body.goods], [_discount(d) for d in body.discounts])
    payments = [Payment(PaymentType(p.type), p.value, p.label or "") for p in body.payments]
    settlement = settle(priced, payments, rounding=body.rounding, rounding_mode=NBU_ROUNDING)
    return priced, settlement


def fiscal_summary(fiscal: FiscalReceipt) -> dict[str, Any]:
    """What reports need from a receipt, stored with it (rebuilt by render.fiscal_receipt)."""
    return {
        "type": fiscal.type.value,
        "total_sum": fiscal.total_sum,
        "payments": [
            {"type": p.type.value, "value": p.value, "label": p.label} for p in fiscal.payments
        ],
        "rest": fiscal.rest,
        "round_sum": fiscal.round_sum,
        "taxes": [
            {"code": t.code, "value": t.value, "extra_value": t.extra_value, "turnover": t.turnover}
            for t in fiscal.taxes
        ],
        "discounts_sum": fiscal.discounts_sum,
        "extra_charge_sum": fiscal.extra_charge_sum,
        "commission": fiscal.commission,
    }


def _discount_views(discounts: list[DiscountBody], sums: list[int]) -> list[dict[str, Any]]:
    return [
        {
            "type": d.type,
            "mode": d.mode,
            "value": int(d.value) if d.value == int(d.value) else float(d.value),
            "tax_code": None,
            "tax_codes": list(d.codes()),
            "name": d.name,
            "privilege": d.privilege,
            "sum": s,
        }
        for d, s in zip(discounts, sums, strict=True)
    ]


def _line_discount_sums(item: GoodItemBody, gross: int) -> list[int]:
    running = gross
    sums = []
    for d in item.discounts:
        disc = _discount(d)
        amount = disc.sign * disc.amount_of(running)
        sums.append(amount)
        running += amount
    return sums


def goods_view(body: SellBody, priced: PricedReceipt) -> list[dict[str, Any]]:
    goods = []
    for item, line in zip(body.goods, priced.lines, strict=True):
        g = item.good
        excise = list(g.excise_barcodes or ([g.excise_barcode] if g.excise_barcode else []))
        goods.append(
            {
                "good": {
                    "code": g.code,
                    "barcode": g.barcode,
                    "name": g.name,
                    "excise_barcodes": excise,
                    "header": g.header,
                    "footer": g.footer,
                    "uktzed": g.uktzed,
                    "price": g.price,
                },
                "good_id": item.good_id,
                "sum": line.sum,
                "quantity": item.quantity,
                "is_return": item.is_return,
                "taxes": [
                    tax_base(tax_by_code(t.code)) | {"value": t.value, "extra_value": t.extra_value}
                    for t in line.taxes
                ],
                "discounts": _discount_views(item.discounts, _line_discount_sums(item, line.sum)),
            }
        )
    return goods


def sale_fields(body: SellBody, priced: PricedReceipt, settlement: Settlement) -> Record:
    """The receipt fields that depend on its goods, discounts and payments."""
    return {
        "type": priced.type.value,
        "goods": goods_view(body, priced),
        "payments": [p.view(PAYMENT_LABELS[p.type]) for p in body.payments],
        "total_sum": priced.total_sum,
        "sum": priced.total_sum,
        "total_payment": settlement.total_payment,
        "total_rest": settlement.rest,
        "rest": settlement.rest,
        "round_sum": settlement.round_sum,
        "taxes": [
            tax_base(tax_by_code(t.code)) | {"value": t.value, "extra_value": t.extra_value}
            for t in priced.taxes
        ],
        "discounts": _discount_views(body.discounts, [a.sum for a in priced.discounts]),
        "fiscal": fiscal_summary(FiscalReceipt.sale(priced, settlement)),
        "lines": {"codes": quantities_by_code(body)},  # for returns against this receipt
    }


def quantities_by_code(body: SellBody) -> dict[str, int]:
    """The quantity of each good code over all the receipt's lines: a sale may hold the same
    good on two lines (two pieces of cheese weighed apart), and a return is checked against
    their sum."""
    totals: dict[str, int] = {}
    for item in body.goods:
        totals[item.good.code] = totals.get(item.good.code, 0) + item.quantity
    return totals


def new_receipt(
    world: World,
    *,
    receipt_id: str,
    shift: Record,
    register: Record,
    cashier: Record,
    fields: Record,
    payments: list[PaymentBody],
) -> Record:
    """A receipt record in `CREATED` state with the common fields set."""
    register["receipt_serial"] += 1
    now = iso(world.now())
    receipt: Record = {
        "id": receipt_id,
        "type": "SELL",
        "transaction_id": None,
        "serial": register["receipt_serial"],
        "status": "CREATED",
        "goods": [],
        "payments": [p.view(PAYMENT_LABELS[p.type]) for p in payments],
        "total_sum": 0,
        "sum": 0,
        "total_payment": 0,
        "total_rest": 0,
        "rest": 0,
        "round_sum": None,
        "fiscal_code": None,
        "fiscal_date": None,
        "delivered_at": None,
        "created_at": now,
        "updated_at": None,
        "taxes": [],
        "discounts": [],
        "order_id": None,
        "header": None,
        "footer": None,
        "barcode": None,
        "custom": None,
        "context": None,
        "is_created_offline": False,
        "is_sent_dps": False,
        "sent_dps_at": None,
        "tax_url": None,
        "related_receipt_id": None,
        "technical_return": False,
        "stock_code": None,
        "currency_exchange": None,
        "service_currency_exchange": [],
        "control_number": None,
        "shift_id": shift["id"],
        "register_id": register["id"],
        "cashier_id": cashier["id"],
        "received_at": now,
        "lines": None,
    }
    receipt.update(fields)
    shift["receipt_ids"].append(receipt_id)
    shift["balance_updated_at"] = now
    register["last_receipt_id"] = receipt_id
    return receipt


def finish_receipt(
    world: World, receipt: Record, tx: Record, code: str, delivered: datetime | None
) -> None:
    """A receipt's fiscal fields once it has a fiscal code (delivered online, or offline)."""
    register = world.records["register"][receipt["register_id"]]
    moment = parse_datetime(tx["original_datetime"])
    now = iso(world.now())
    receipt.update(
        status="DONE",
        fiscal_code=code,
        fiscal_date=iso(moment),
        delivered_at=iso(delivered),
        is_created_offline=delivered is None,
        is_sent_dps=delivered is not None,
        sent_dps_at=iso(delivered),
        tax_url=tax_check_url(
            code, moment, register["fiscal_number"], receipt["total_sum"], tx["previous_hash"]
        ),
        control_number=str(int(hashlib.sha256(code.encode()).hexdigest(), 16) % 9000 + 1000),
        updated_at=now,
    )
    world.save("receipt", receipt)
