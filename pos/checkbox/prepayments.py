"""Checkbox prepayment receipts: open a chain with an advance, close it with the after-payment,
read the relation, return the whole chain.

Why a module of its own: the guide (`003_*`) does not describe these endpoints; what they take and
answer was learnt from the public `checkbox-sdk` package and public integrations (see the
docstring of `pos.sandbox.prepayment_routes`). Bodies carry only fields those sources show.

Exactly-once as for receipts (`exactly_once`): the prepayment and the after-payment carry our
UUID, a lost answer is settled with GET /receipts/{id}, "Вказаний id чеку вже існує" fetches it.
A chain's return carries no id of ours, so the relation settles it: once it says CANCELLED the
return happened, and its receipts are read from `receipt_chain.returned_receipts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field, TypeAdapter

from pos.checkbox.errors import (
    CheckboxError,
    ConnectionFailed,
    NotFound,
    ReceiptIdExists,
    ServiceUnavailable,
)
from pos.checkbox.exactly_once import _create
from pos.checkbox.models.base import ApiDateTime, ApiModel, RequestModel
from pos.checkbox.models.receipt import Delivery, Discount, GoodLine, Payment, Receipt
from pos.checkbox.ratelimit import Limit

if TYPE_CHECKING:
    from pos.checkbox.client import CheckboxClient

PREFIX = "/prepayment-receipts"
CANCELLED = "CANCELLED"


class PrepaymentReceiptBody(RequestModel):
    """Body of POST /prepayment-receipts: the order's goods, the advance as payments."""

    id: str
    cashier_name: str | None = None
    departament: str | None = None
    goods: list[GoodLine]
    delivery: Delivery | None = None
    discounts: list[Discount] | None = None
    payments: list[Payment]
    header: str | None = None
    footer: str | None = None


class AfterPaymentBody(RequestModel):
    """Body of POST /prepayment-receipts/{relation_id}: the rest, which closes the chain."""

    id: str
    cashier_name: str | None = None
    departament: str | None = None
    payments: list[Payment] = Field(default_factory=list)
    delivery: Delivery | None = None
    header: str | None = None
    footer: str | None = None


class ChainReceipt(Receipt):
    """A receipt of a prepayment chain (its answer carries the chain's relation id)."""

    pre_payment_relation_id: str | None = None


class ReceiptChain(ApiModel):
    pre_payment_receipts: list[str] = Field(default_factory=list)
    after_payment_receipt: str | None = None
    returned_receipts: list[str] = Field(default_factory=list)


class PrepaymentRelation(ApiModel):
    """GET /prepayment-receipts/{relation_id}: where a chain stands."""

    id: str
    relation_id: str
    paid_sum: int
    total_sum: int
    left_to_pay: int | None = 0
    paid_by_cash_sum: int | None = None
    last_returned_receipt_at: ApiDateTime | None = None
    receipt_chain_count: int | None = None
    is_debt_receipt: bool | None = None
    pre_payment_status: str
    created_at: ApiDateTime | None = None
    updated_at: ApiDateTime | None = None
    receipt_chain: ReceiptChain = Field(default_factory=ReceiptChain)


_RECEIPTS = TypeAdapter(list[ChainReceipt])


async def chain_receipt(client: CheckboxClient, receipt_id: str) -> ChainReceipt:
    """GET /receipts/{id} of a chain receipt."""
    answer = await client.call("GET", f"/receipts/{receipt_id}", safe=True)
    return ChainReceipt.model_validate(answer)


async def create_prepayment(client: CheckboxClient, body: PrepaymentReceiptBody) -> ChainReceipt:
    """POST /prepayment-receipts exactly once under ``body.id`` (opens a chain)."""
    return await _create(
        client,
        PREFIX,
        body.id,
        body.to_api(),
        Limit.RECEIPT,
        fetch=lambda: chain_receipt(client, body.id),
        parse=ChainReceipt.model_validate,
        already_there=(ReceiptIdExists,),
    )


async def create_after_payment(
    client: CheckboxClient, relation_id: str, body: AfterPaymentBody
) -> ChainReceipt:
    """POST /prepayment-receipts/{relation_id} exactly once under ``body.id`` (closes it)."""
    return await _create(
        client,
        f"{PREFIX}/{relation_id}",
        body.id,
        body.to_api(),
        Limit.RECEIPT,
        fetch=lambda: chain_receipt(client, body.id),
        parse=ChainReceipt.model_validate,
        already_there=(ReceiptIdExists,),
    )


async def relation(client: CheckboxClient, relation_id: str) -> PrepaymentRelation:
    answer = await client.call("GET", f"{PREFIX}/{relation_id}", safe=True)
    return PrepaymentRelation.model_validate(answer)


async def search_relations(client: CheckboxClient, **params: str | int | bool) -> list[Any]:
    """GET /prepayment-receipts/search (``search``, ``status``, dates, limit/offset)."""
    answer = await client.call("GET", f"{PREFIX}/search", params=params, safe=True)
    items = answer.get("results", []) if isinstance(answer, dict) else answer
    return [PrepaymentRelation.model_validate(item) for item in items]


async def _returned(client: CheckboxClient, relation_id: str) -> list[ChainReceipt] | None:
    """The chain's return receipts if it was returned, else None."""
    current = await relation(client, relation_id)
    if current.pre_payment_status != CANCELLED:
        return None
    return [await chain_receipt(client, rid) for rid in current.receipt_chain.returned_receipts]


async def return_chain(
    client: CheckboxClient, relation_id: str, cashier_name: str | None = None
) -> list[ChainReceipt]:
    """POST /prepayment-receipts/{relation_id}/return, exactly once: the relation's status
    settles a lost answer, and a refusal of an already returned chain gives its receipts."""
    body: dict[str, Any] = {} if cashier_name is None else {"cashier_name": cashier_name}
    last: CheckboxError | None = None
    for round_ in range(3):
        if round_:
            await client.sleep(client.retry.delay(round_ - 1))
        try:
            answer = await client.call(
                "POST", f"{PREFIX}/{relation_id}/return", json=body, limit=Limit.RECEIPT
            )
            return _RECEIPTS.validate_python(answer)
        except NotFound:
            raise  # there is no such chain
        except ConnectionFailed as exc:
            if not exc.maybe_sent:
                raise
            last = exc
        except ServiceUnavailable as exc:
            last = exc
        except CheckboxError:
            found = await _returned(client, relation_id)
            if found is not None:
                return found
            raise
        found = await _returned(client, relation_id)
        if found is not None:
            return found
    assert last is not None
    raise last
