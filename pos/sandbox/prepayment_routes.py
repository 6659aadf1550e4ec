"""Prepayment receipts: a chain opened by a prepayment receipt and closed by an after-payment.

The Checkbox guide (`003_*`) does not describe these endpoints. What the sandbox does, and where
it was learnt:

* From the public `checkbox-sdk` Python package (github.com/dismine/checkbox-sdk,
  `checkbox_sdk/methods/prepayment_receipts.py` and its tests/models):
  `POST /prepayment-receipts` takes a sell-like body (`goods`, `payments` less than the goods,
  `discounts`, `delivery`) and answers a receipt with `pre_payment_relation_id` and `shift`;
  `POST /prepayment-receipts/{relation_id}` takes `payments` (the rest) and `delivery` and
  answers the after-payment receipt; `GET /prepayment-receipts/{relation_id}` answers the
  relation (`id`, `relation_id`, `paid_sum`, `total_sum`, `left_to_pay`, `paid_by_cash_sum`,
  `last_returned_receipt_at`, `receipt_chain_count`, `is_debt_receipt`, `pre_payment_status` of
  PARTIAL_PAID / FULL_PAID / CANCELLED / PARTIAL_CANCELLED, `created_at`, `updated_at`,
  `receipt_chain` {`pre_payment_receipts`, `after_payment_receipt`, `returned_receipts`});
  `GET /prepayment-receipts/search` with `from_date`, `to_date`, `desc`, `search`,
  `cash_register_id`, `status`, `limit`, `offset`; `POST /prepayment-receipts/{relation_id}/return`
  returns the chain and answers a list of receipts. Both receipts of a chain have type SELL.
* From the public PHP SDK igorbunov/checkbox-in-ua-php-sdk (`AfterPaymentReceipt`: `id`,
  `cashier_name`, `departament`, `delivery`, `payments`, `header`, `footer`) and public shop
  integrations (an `id` chosen by the client on both receipts, `custom_relation_id` on the
  prepayment, `cashier_name` as the return's body; "the relation is the only source of truth
  whether a chain is closed").

Where nothing public says, the sandbox refuses rather than accepts (our texts, in Ukrainian):

* no prepayment, after-payment or chain return while the register is in offline mode of either
  kind: no public source shows an offline variant (there is no `fiscal_code`/`fiscal_date` in any
  of their bodies), so the POS must not take an advance it cannot fiscalise;
* one prepayment receipt opens a chain; it has no return lines (`is_return`); its payments
  are > 0 and at most the goods' total;
* `POST /prepayment-receipts/{relation_id}` is the after-payment only: it pays at least what is
  left (change only from cash; with nothing left its payments may be empty) and closes the chain
  once. Paying less is refused with 400 "Сума оплати менша за залишок до сплати (<left, in
  kopecks>)" (our text: the guide has no prepayment receipts at all). Neither the guide nor
  `checkbox-sdk` documents a second advance in a chain (the SDK's own test pays the whole rest;
  `receipt_chain.pre_payment_receipts` being a list documents no route), and one third-party shop
  integration's guess that "Checkbox tells advance from closing by the sum" is not evidence, so
  the sandbox does not accept one. A closed or returned chain takes no more receipts; a chain is
  returned whole and once, only when all its receipts are fiscalised;
* an after-payment or return while a receipt of the chain is still being fiscalised is refused;
* receipt ids are used once across all receipt kinds ("Вказаний id чеку вже існує");
  a `custom_relation_id` is used once.

The receipts are ordinary receipt records (GET /receipts/{id} and its visualisations work), in
the shift's X/Z the way `pos.domain.prepayment` counts them: the advance when taken, the rest with
the after-payment; a chain's return adds one return receipt per receipt of the chain.
`total_sum` of a chain receipt is what that receipt fiscalises (the advance, or the rest).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from pos.domain.errors import InvalidReceipt
from pos.domain.prepayment import (
    after_payment_fiscal,
    chain_return_fiscal,
    check_order_taxes,
    prepayment_fiscal,
)
from pos.domain.receipt import FiscalReceipt, Payment, PaymentType, PricedReceipt, price_receipt
from pos.sandbox.auth import CashierDep, WorldDep
from pos.sandbox.clock import parse_datetime
from pos.sandbox.errors import ApiError, bad_request
from pos.sandbox.receipt_models import DiscountBody, GoodItemBody, PaymentBody, SellBody
from pos.sandbox.receipt_routes import _common_checks, _context, _store
from pos.sandbox.receipts_store import _discount, _line, fiscal_summary, goods_view
from pos.sandbox.render import PAYMENT_LABELS, fiscal_receipt, tax_base, tax_by_code
from pos.sandbox.storage import Record
from pos.sandbox.world import World

router = APIRouter(tags=["prepayment receipts"])

PREPAYMENT_OFFLINE = "Чеки передоплати не можна створювати, коли каса в офлайн режимі"
RELATION_NOT_FOUND = "Ланцюжок передоплати не знайдено"
RELATION_EXISTS = "Ланцюжок передоплати з таким relation_id вже існує"
CHAIN_CLOSED = "Ланцюжок передоплати вже закрито чеком післяплати"
CHAIN_RETURNED = "Ланцюжок передоплати вже повернуто"
CHAIN_NOT_FISCALISED = "Чеки ланцюжка ще не фіскалізовано, повторіть запит пізніше"
ADVANCE_NOT_POSITIVE = "Сума передоплати має бути більшою нуля"
PAYMENT_NOT_POSITIVE = "Сума кожної оплати має бути більшою нуля"
NO_RETURN_LINES = "Чек передоплати не може містити товари повернення"

STATUSES = ("PARTIAL_PAID", "FULL_PAID", "CANCELLED", "PARTIAL_CANCELLED")
_NS = uuid.UUID("5b7c1e0a-3f64-4d8e-9a21-7e4c2d9b8f10")


class PrepaymentBody(BaseModel):
    id: uuid.UUID
    cashier_name: str | None = None
    departament: str | None = None
    goods: list[GoodItemBody] = Field(min_length=1)
    delivery: dict[str, Any] | None = None
    discounts: list[DiscountBody] = Field(default_factory=list)
    payments: list[PaymentBody] = Field(min_length=1)
    header: str | None = None
    footer: str | None = None
    barcode: str | None = None
    custom_relation_id: str | None = Field(default=None, min_length=1, max_length=128)
    previous_receipt_id: uuid.UUID | None = None


class AfterPaymentBody(BaseModel):
    id: uuid.UUID
    cashier_name: str | None = None
    departament: str | None = None
    payments: list[PaymentBody] = Field(default_factory=list)
    delivery: dict[str, Any] | None = None
    header: str | None = None
    footer: str | None = None
    barcode: str | None = None
    previous_receipt_id: uuid.UUID | None = None


class ReturnChainBody(BaseModel):
    cashier_name: str | None = None
    departament: str | None = None
    delivery: dict[str, Any] | None = None


# --- the chain, read from its receipts -----------------------------------------------------------


def _chain(world: World, relation_id: str) -> list[Record]:
    found = [
        r
        for r in world.all("receipt")
        if r.get("pre_payment_relation_id") == relation_id and _role(r) is not None
    ]
    if not found:
        raise ApiError(404, RELATION_NOT_FOUND)
    return sorted(found, key=lambda r: (r["received_at"], int(r["serial"])))


def _role(receipt: Record) -> str | None:
    lines = receipt.get("lines") or {}
    chain = lines.get("chain") if isinstance(lines, dict) else None
    return None if chain is None else str(chain["role"])


def _order_priced(opening: Record) -> PricedReceipt:
    order = opening["lines"]["chain"]["order"]
    goods = [GoodItemBody.model_validate(g) for g in order["goods"]]
    discounts = [DiscountBody.model_validate(d) for d in order["discounts"]]
    return price_receipt([_line(g) for g in goods], [_discount(d) for d in discounts])


def _status(chain: list[Record]) -> str:
    if any(_role(r) == "return" for r in chain):
        return "CANCELLED"
    opening = chain[0]
    paid = sum(r["total_sum"] for r in chain if _role(r) != "return")
    return "FULL_PAID" if paid >= opening["lines"]["chain"]["total"] else "PARTIAL_PAID"


def relation_view(chain: list[Record]) -> dict[str, Any]:
    opening = chain[0]
    relation_id = opening["pre_payment_relation_id"]
    total = opening["lines"]["chain"]["total"]
    sales = [r for r in chain if _role(r) != "return"]
    returns = [r for r in chain if _role(r) == "return"]
    paid = sum(r["total_sum"] for r in sales)
    cash = sum(
        p.value for r in sales for p in fiscal_receipt(r).payments if p.type is PaymentType.CASH
    ) - sum(r["rest"] or 0 for r in sales)
    after = [r["id"] for r in sales if _role(r) == "after_payment"]
    return {
        "id": str(uuid.uuid5(_NS, relation_id)),
        "relation_id": relation_id,
        "paid_sum": paid,
        "total_sum": total,
        "left_to_pay": max(total - paid, 0),
        "paid_by_cash_sum": cash,
        "last_returned_receipt_at": returns[-1]["created_at"] if returns else None,
        "receipt_chain_count": len(chain),
        "is_debt_receipt": False,
        "pre_payment_status": _status(chain),
        "created_at": opening["created_at"],
        "updated_at": chain[-1]["updated_at"] or chain[-1]["created_at"],
        "receipt_chain": {
            "pre_payment_receipts": [r["id"] for r in sales if _role(r) == "prepayment"],
            "after_payment_receipt": after[0] if after else None,
            "returned_receipts": [r["id"] for r in returns],
        },
    }


# --- helpers -------------------------------------------------------------------------------------


def _online_only(register: Record) -> None:
    if register["offline_mode"]:
        raise bad_request(PREPAYMENT_OFFLINE)


def _payments(bodies: list[PaymentBody]) -> list[Payment]:
    if any(p.value <= 0 for p in bodies):
        raise bad_request(PAYMENT_NOT_POSITIVE)
    return [Payment(PaymentType(p.type), p.value, p.label or "") for p in bodies]


def _fields(
    fiscal: FiscalReceipt,
    goods: list[dict[str, Any]],
    payments: list[PaymentBody],
    relation_id: str,
    chain: dict[str, Any],
    body: PrepaymentBody | AfterPaymentBody,
) -> Record:
    return {
        "type": fiscal.type.value,
        "goods": goods,
        "payments": [p.view(PAYMENT_LABELS[p.type]) for p in payments],
        "total_sum": fiscal.total_sum,
        "sum": fiscal.total_sum,
        "total_payment": sum(p.value for p in fiscal.payments),
        "total_rest": fiscal.rest,
        "rest": fiscal.rest,
        "round_sum": 0,
        "taxes": [
            tax_base(tax_by_code(t.code)) | {"value": t.value, "extra_value": t.extra_value}
            for t in fiscal.taxes
        ],
        "discounts": [],
        "fiscal": fiscal_summary(fiscal),
        "header": body.header,
        "footer": body.footer,
        "barcode": body.barcode,
        "pre_payment_relation_id": relation_id,
        "lines": {"codes": {}, "chain": chain},
    }


_PLACEHOLDER = GoodItemBody.model_validate(
    {"good": {"code": "-", "name": "-", "price": 0}, "quantity": 1}
)


def _as_sell(body: PrepaymentBody | AfterPaymentBody, goods: list[GoodItemBody]) -> SellBody:
    """The receipt store's shape (it takes a sell body; only its payments are read, and the
    chain receipt's own fields replace them)."""
    return SellBody(
        id=body.id,
        goods=goods,
        payments=body.payments or [PaymentBody(type="CASHLESS", value=0)],
        previous_receipt_id=body.previous_receipt_id,
    )


def _rule(error: InvalidReceipt) -> ApiError:
    return bad_request(error.message)


# --- routes --------------------------------------------------------------------------------------


@router.post("/prepayment-receipts", status_code=201)
async def create_prepayment(
    request: Request, world: WorldDep, cashier: CashierDep, body: PrepaymentBody
) -> Any:
    shift, register = _context(request, world, cashier)
    _online_only(register)
    moment = world.now()
    previous = None if body.previous_receipt_id is None else str(body.previous_receipt_id)
    _common_checks(world, shift, register, str(body.id), previous, moment)
    if body.custom_relation_id is not None and any(
        r.get("pre_payment_relation_id") == body.custom_relation_id for r in world.all("receipt")
    ):
        raise bad_request(RELATION_EXISTS)
    priced = price_receipt([_line(g) for g in body.goods], [_discount(d) for d in body.discounts])
    if priced.type.value != "SELL":
        raise bad_request(NO_RETURN_LINES)
    payments = _payments(body.payments)
    try:
        check_order_taxes(priced)
        fiscal = prepayment_fiscal(priced, payments)
    except InvalidReceipt as error:
        raise _rule(error) from error
    relation_id = body.custom_relation_id or str(uuid.uuid4())
    sell = _as_sell(body, body.goods)
    chain = {
        "role": "prepayment",
        "total": priced.total_sum,
        "order": {
            "goods": [g.model_dump(mode="json") for g in body.goods],
            "discounts": [d.model_dump(mode="json") for d in body.discounts],
        },
    }
    fields = _fields(fiscal, goods_view(sell, priced), body.payments, relation_id, chain, body)
    return _store(world, shift, register, cashier, str(body.id), fields, sell, moment, None)


@router.get("/prepayment-receipts/search")
async def search_relations(
    world: WorldDep,
    _cashier: CashierDep,
    from_date: datetime | None = None,
    to_date: datetime | None = None,
    desc: bool = False,
    search: str | None = None,
    cash_register_id: uuid.UUID | None = None,
    status: Literal["PARTIAL_PAID", "FULL_PAID", "CANCELLED", "PARTIAL_CANCELLED"] | None = None,
    limit: int = Query(default=25, ge=1, le=1000),
    offset: int = Query(default=0, ge=0),
) -> Any:
    relations: dict[str, list[Record]] = {}
    for r in world.all("receipt"):
        rid = r.get("pre_payment_relation_id")
        if rid and _role(r) is not None:
            relations.setdefault(rid, []).append(r)
    views = []
    for rid, receipts in relations.items():
        chain = sorted(receipts, key=lambda r: (r["received_at"], int(r["serial"])))
        if cash_register_id is not None and chain[0]["register_id"] != str(cash_register_id):
            continue
        view = relation_view(chain)
        created = parse_datetime(view["created_at"])
        if from_date is not None and created < _aware(from_date):
            continue
        if to_date is not None and created > _aware(to_date):
            continue
        if search and search not in rid:
            continue
        if status is not None and view["pre_payment_status"] != status:
            continue
        views.append(view)
    views.sort(key=lambda v: str(v["created_at"]), reverse=desc)
    page = views[offset : offset + limit]
    return {"meta": {"limit": limit, "offset": offset}, "results": page}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@router.get("/prepayment-receipts/{relation_id}")
async def get_relation(world: WorldDep, _cashier: CashierDep, relation_id: str) -> Any:
    return relation_view(_chain(world, relation_id))


def _open_chain(world: World, relation_id: str) -> list[Record]:
    chain = _chain(world, relation_id)
    if any(_role(r) == "return" for r in chain):
        raise bad_request(CHAIN_RETURNED)
    if any(r["status"] != "DONE" for r in chain):
        raise bad_request(CHAIN_NOT_FISCALISED)
    return chain


@router.post("/prepayment-receipts/{relation_id}", status_code=201)
async def create_after_payment(
    request: Request,
    world: WorldDep,
    cashier: CashierDep,
    relation_id: str,
    body: AfterPaymentBody,
) -> Any:
    shift, register = _context(request, world, cashier)
    _online_only(register)
    moment = world.now()
    previous = None if body.previous_receipt_id is None else str(body.previous_receipt_id)
    _common_checks(world, shift, register, str(body.id), previous, moment)
    chain = _open_chain(world, relation_id)
    if any(_role(r) == "after_payment" for r in chain):
        raise bad_request(CHAIN_CLOSED)
    opening = chain[0]
    priced = _order_priced(opening)
    payments = _payments(body.payments)
    try:
        fiscal = after_payment_fiscal(priced, [fiscal_receipt(r) for r in chain], payments)
    except InvalidReceipt as error:  # less than is left included: no second advance
        raise _rule(error) from error
    goods = [GoodItemBody.model_validate(g) for g in opening["lines"]["chain"]["order"]["goods"]]
    sell = _as_sell(body, goods)
    chain_info = {"role": "after_payment", "total": opening["lines"]["chain"]["total"]}
    fields = _fields(fiscal, opening["goods"], body.payments, relation_id, chain_info, body)
    return _store(world, shift, register, cashier, str(body.id), fields, sell, moment, None)


@router.post("/prepayment-receipts/{relation_id}/return", status_code=201)
async def return_chain(
    request: Request,
    world: WorldDep,
    cashier: CashierDep,
    relation_id: str,
    body: ReturnChainBody | None = None,
) -> Any:
    shift, register = _context(request, world, cashier)
    _online_only(register)
    chain = _open_chain(world, relation_id)
    moment = world.now()
    views = []
    for original in chain:
        fiscal = chain_return_fiscal(fiscal_receipt(original))
        return_id = str(uuid.uuid5(_NS, f"return-{original['id']}"))
        _common_checks(world, shift, register, return_id, None, moment)
        payments = [
            PaymentBody(type=p.type.value, value=p.value, label=p.label or None)
            for p in fiscal.payments
        ]
        fields: Record = {
            "type": "RETURN",
            "goods": [g | {"is_return": True} for g in original["goods"]],
            "payments": [p.view(PAYMENT_LABELS[p.type]) for p in payments],
            "total_sum": fiscal.total_sum,
            "sum": fiscal.total_sum,
            "total_payment": fiscal.total_sum,
            "total_rest": 0,
            "rest": 0,
            "round_sum": 0,
            "taxes": original["taxes"],
            "discounts": [],
            "fiscal": fiscal_summary(fiscal),
            "related_receipt_id": original["id"],
            "pre_payment_relation_id": relation_id,
            "lines": {"codes": {}, "chain": {"role": "return", "total": 0}},
        }
        sell = SellBody(id=uuid.UUID(return_id), goods=[_PLACEHOLDER], payments=payments)
        views.append(_store(world, shift, register, cashier, return_id, fields, sell, moment, None))
    del body  # accepted for its cashier name and delivery, which the sandbox does not render
    return views
