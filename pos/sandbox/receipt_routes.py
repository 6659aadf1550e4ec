"""Receipt routes: sell (and return), sell-offline, service in/out, cash withdrawal, get, and
the receipt's visualisations (text, html, png, qrcode)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from pos.domain.errors import NotEnoughCash
from pos.domain.receipt import FiscalReceipt, Payment, PaymentType, check_return
from pos.sandbox.auth import CashierDep, WorldDep
from pos.sandbox.clock import iso, parse_datetime
from pos.sandbox.control import limits_of
from pos.sandbox.errors import (
    NOT_FISCALISED,
    PREVIOUS_MISMATCH,
    RECEIPT_CREATING,
    RECEIPT_EXISTS,
    RECEIPT_NOT_FOUND,
    SHIFT_TOO_OLD,
    SMS_NOT_ENABLED,
    ApiError,
    bad_request,
)
from pos.sandbox.offline import (
    check_not_too_long,
    check_offline_moment,
    offline_moment,
    pick_code,
    require_manual_offline,
)
from pos.sandbox.receipt_models import (
    CashWithdrawalBody,
    DeliveryBody,
    SellBody,
    SellOfflineBody,
    ServiceBody,
)
from pos.sandbox.receipts_store import (
    finish_receipt,
    fiscal_summary,
    new_receipt,
    price,
    quantities_by_code,
    sale_fields,
)
from pos.sandbox.render import receipt_view, shift_totals
from pos.sandbox.shift_routes import open_shift_of, shift_expired
from pos.sandbox.storage import Record
from pos.sandbox.visual import qr_png, receipt_html, receipt_text
from pos.sandbox.world import World

router = APIRouter(tags=["receipts"])


def _context(request: Request, world: World, cashier: Record) -> tuple[Record, Record]:
    shift = open_shift_of(world, cashier)
    register = world.records["register"][shift["register_id"]]
    limits_of(request).receipt(register["id"], world.now())
    if not register["stay_offline"]:  # manual offline: the fiscal date is checked instead
        check_not_too_long(world, register)
    return shift, register


def _check_delivery(request: Request, delivery: DeliveryBody | None) -> None:
    if delivery is not None and delivery.phone and not request.app.state.sms_enabled:
        raise bad_request(SMS_NOT_ENABLED)


def _common_checks(
    world: World,
    shift: Record,
    register: Record,
    receipt_id: str,
    previous: str | None,
    moment: datetime,
) -> None:
    if shift["opened_at"] and shift_expired(shift, moment):
        raise bad_request(SHIFT_TOO_OLD)
    if world.get("receipt", receipt_id) is not None:
        raise bad_request(RECEIPT_EXISTS)
    if previous is not None and previous != register["last_receipt_id"]:
        raise bad_request(PREVIOUS_MISMATCH)


def _check_return(world: World, body: SellBody, is_return: bool) -> None:
    if not is_return or body.related_receipt_id is None:
        return
    related = world.get("receipt", str(body.related_receipt_id))
    if related is None or related["type"] != "SELL":
        raise bad_request(RECEIPT_NOT_FOUND)
    sold: dict[str, int] = dict(related["lines"]["codes"])
    before: dict[str, int] = {}
    for r in world.all("receipt"):
        if r["type"] == "RETURN" and r["related_receipt_id"] == related["id"]:
            for code, qty in r["lines"]["codes"].items():
                before[code] = before.get(code, 0) + qty
    check_return(sold, before, quantities_by_code(body))


def _sell(
    request: Request, world: World, cashier: Record, body: SellBody, offline: bool
) -> dict[str, Any]:
    shift, register = _context(request, world, cashier)
    _check_delivery(request, body.delivery)
    moment, code = world.now(), None
    if offline:
        assert isinstance(body, SellOfflineBody)
        require_manual_offline(register)
        moment = offline_moment(body.fiscal_date, world)
    _common_checks(world, shift, register, str(body.id), _opt(body.previous_receipt_id), moment)
    priced, settlement = price(body)
    _check_return(world, body, priced.type.value == "RETURN")
    if offline:
        assert isinstance(body, SellOfflineBody)
        code = pick_code(world, register, body.fiscal_code)
        check_offline_moment(world, register, moment, code)
    fields = sale_fields(body, priced, settlement)
    fields.update(
        header=body.header,
        footer=body.footer,
        barcode=body.barcode,
        order_id=_opt(body.order_id),
        related_receipt_id=_opt(body.related_receipt_id),
        technical_return=body.technical_return,
        custom=body.custom,
        context=body.context,
        delivery=None if body.delivery is None else body.delivery.model_dump(exclude_none=True),
    )
    return _store(world, shift, register, cashier, str(body.id), fields, body, moment, code)


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _store(
    world: World,
    shift: Record,
    register: Record,
    cashier: Record,
    receipt_id: str,
    fields: Record,
    body: SellBody | CashWithdrawalBody,
    moment: datetime,
    code: str | None,
) -> dict[str, Any]:
    payments = body.payments if isinstance(body, SellBody) else [body.payment]
    receipt = new_receipt(
        world,
        receipt_id=receipt_id,
        shift=shift,
        register=register,
        cashier=cashier,
        fields=fields,
        payments=payments,
    )
    world.save("receipt", receipt)
    tx = world.new_transaction(
        register, "RECEIPT", moment, owner=("receipt", receipt_id), offline_code=code
    )
    receipt["transaction_id"] = tx["id"]
    if code is not None:
        receipt["created_at"] = iso(moment)
        finish_receipt(world, receipt, tx, code, None)
    world.save("receipt", receipt)
    world.save("shift", shift)
    world.save("register", register)
    return receipt_view(world, receipt)


@router.post("/receipts/sell", status_code=201)
async def sell(request: Request, world: WorldDep, cashier: CashierDep, body: SellBody) -> Any:
    return _sell(request, world, cashier, body, offline=False)


@router.post("/receipts/sell-offline", status_code=201)
async def sell_offline(
    request: Request, world: WorldDep, cashier: CashierDep, body: SellOfflineBody
) -> Any:
    return _sell(request, world, cashier, body, offline=True)


@router.post("/receipts/service", status_code=201)
async def service(request: Request, world: WorldDep, cashier: CashierDep, body: ServiceBody) -> Any:
    shift, register = _context(request, world, cashier)
    _common_checks(
        world, shift, register, str(body.id), _opt(body.previous_receipt_id), world.now()
    )
    value = body.payment.value
    fiscal = FiscalReceipt.service(value)
    if value < 0:
        available = shift_totals(world, shift).balance
        if -value > available:
            raise NotEnoughCash(-value, available)
    payment = body.payment.view("Готівка") | {"value": abs(value)}
    fields: Record = {
        "type": fiscal.type.value,
        "status": "DONE",
        "payments": [payment],
        "total_sum": abs(value),
        "sum": abs(value),
        "total_payment": abs(value),
        "fiscal": fiscal_summary(fiscal),
        "custom": body.custom,
        "updated_at": iso(world.now()),
    }
    receipt = new_receipt(
        world,
        receipt_id=str(body.id),
        shift=shift,
        register=register,
        cashier=cashier,
        fields=fields,
        payments=[],
    )
    world.save("receipt", receipt)
    world.save("shift", shift)
    world.save("register", register)
    return receipt_view(world, receipt)


@router.post("/receipts/cash-withdrawal", status_code=201)
async def cash_withdrawal(
    request: Request, world: WorldDep, cashier: CashierDep, body: CashWithdrawalBody
) -> Any:
    shift, register = _context(request, world, cashier)
    _check_delivery(request, body.delivery)
    moment, code = world.now(), None
    if body.fiscal_code is not None or body.fiscal_date is not None:
        require_manual_offline(register)
        moment = offline_moment(body.fiscal_date, world)
    _common_checks(world, shift, register, str(body.id), _opt(body.previous_receipt_id), moment)
    p = body.payment
    fiscal = FiscalReceipt.cash_withdrawal(
        Payment(PaymentType(p.type), p.value, p.label or ""), p.commission or 0
    )
    available = shift_totals(world, shift).balance
    if p.value > available:
        raise NotEnoughCash(p.value, available)
    if register["offline_mode"] and register["stay_offline"]:
        code = pick_code(world, register, body.fiscal_code)
        check_offline_moment(world, register, moment, code)
    fields: Record = {
        "type": fiscal.type.value,
        "total_sum": p.value,
        "sum": p.value,
        "total_payment": p.value,
        "fiscal": fiscal_summary(fiscal),
        "header": body.header,
        "footer": body.footer,
        "barcode": body.barcode,
    }
    return _store(world, shift, register, cashier, str(body.id), fields, body, moment, code)


def _receipt(world: World, receipt_id: str) -> Record:
    receipt = world.get("receipt", receipt_id)
    if receipt is None:
        raise bad_request(RECEIPT_NOT_FOUND)
    return receipt


@router.get("/receipts/{receipt_id}")
async def get_receipt(world: WorldDep, _cashier: CashierDep, receipt_id: str) -> Any:
    receipt = _receipt(world, receipt_id)
    window = timedelta(seconds=world.config.creating_window)
    if window and world.now() - parse_datetime(receipt["received_at"]) < window:
        world.bump("429")
        raise ApiError(429, RECEIPT_CREATING)
    return receipt_view(world, receipt)


def _fiscalised(request: Request, world: World, receipt_id: str) -> Record:
    receipt = _receipt(world, receipt_id)
    limits_of(request).visual(receipt_id, world.now())
    if receipt["status"] != "DONE":
        raise bad_request(NOT_FISCALISED)
    return receipt


@router.get("/receipts/{receipt_id}/text", response_class=PlainTextResponse)
async def receipt_as_text(
    request: Request, world: WorldDep, receipt_id: str, width: int = 42
) -> str:
    receipt = _fiscalised(request, world, receipt_id)
    return receipt_text(world, receipt, max(24, min(width, 80)))


@router.get("/receipts/{receipt_id}/html", response_class=HTMLResponse)
async def receipt_as_html(request: Request, world: WorldDep, receipt_id: str) -> str:
    return receipt_html(world, _fiscalised(request, world, receipt_id))


@router.get("/receipts/{receipt_id}/png")
async def receipt_as_png(request: Request, world: WorldDep, receipt_id: str) -> Response:
    receipt = _fiscalised(request, world, receipt_id)
    return Response(qr_png(receipt["tax_url"] or receipt["id"]), media_type="image/png")


@router.get("/receipts/{receipt_id}/qrcode")
async def receipt_qrcode(request: Request, world: WorldDep, receipt_id: str) -> Response:
    receipt = _fiscalised(request, world, receipt_id)
    return Response(qr_png(receipt["tax_url"] or receipt["id"]), media_type="image/png")
