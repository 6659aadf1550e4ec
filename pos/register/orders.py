"""The register's customer orders: create from a cart, take an advance, take the rest and hand
over, cancel with a refund — each money step a Checkbox prepayment-chain receipt.

Why these rules:
* Checkbox offers no offline form of prepayment receipts (see `pos.sandbox.prepayment_routes`),
  so an advance, an after-payment or a chain return is refused *before* any money is taken when
  the register is not online with an empty offline queue (`check_online`): the cashier is told
  to sell nothing against the order until Checkbox is back.
* Journal first (invariant 1): the receipt row is committed in state `sending` before the request
  leaves; its UUID is reused on every retry (invariant 2). A refusal marks it failed and leaves
  the order as it was. A lost answer that cannot be settled leaves it `sending` — counted as
  paid, shown as "not confirmed" — and `settle` resolves it with GET /receipts/{id} (or sends it
  again under the same id) as soon as Checkbox answers, at the next order operation or sync.
* A chain's return is journaled as the order's `pending_action` before it is sent, and settled by
  the relation's status, so a crash or a lost answer never refunds twice.
* The order's own sums come from `pos.domain.prepayment`, the same arithmetic the sandbox uses,
  so local X/Z (which include these receipts) equal Checkbox's to the kopeck.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from pos.checkbox import prepayments
from pos.checkbox.errors import AuthError, CheckboxError, ConnectionFailed, NotFound
from pos.checkbox.models.receipt import RECEIPT_DONE
from pos.checkbox.prepayments import ChainReceipt
from pos.domain.errors import FiscalRuleError
from pos.domain.prepayment import (
    after_payment_fiscal,
    chain_return_fiscal,
    check_cash_in_coins,
    check_order_taxes,
    prepayment_fiscal,
)
from pos.domain.receipt import FiscalReceipt
from pos.journal.errors import NotFoundError
from pos.journal.orders import OrdersJournal
from pos.journal.store import Store
from pos.orders.model import (
    ChainRole,
    Customer,
    Order,
    OrderLine,
    OrderPayment,
    OrderReceiptState,
    OrderState,
    discount_json,
    fiscal_json,
    fiscal_of,
    line_json,
    price_order,
    split,
    state_after,
)
from pos.orders.records import order_of
from pos.register.cart import Cart
from pos.register.connectivity import ConnectivityEvent, ConnectivityState
from pos.register.context import is_unreachable
from pos.register.errors import Refusal, RegisterError

if TYPE_CHECKING:
    from pos.register.service import RegisterService

log = logging.getLogger(__name__)

SETTLE_SECONDS = 20.0
OFFLINE_TEXT = (
    "prepayment receipts cannot be issued offline: take no money for the order until Checkbox "
    "is reachable"
)
NOT_SENT = (
    "Checkbox could not be reached: nothing was fiscalised for the order; take no money for it "
    "(give back what was taken) until Checkbox is reachable"
)
NOT_CONFIRMED = (
    "Checkbox has not confirmed the receipt yet; it is kept and will be settled when Checkbox "
    "answers"
)


class OrderBook:
    """Customer orders as the journal holds them, read only. Why apart from the desk: the
    window's look-up thread reads orders through it over a read-only connection of its own
    (``pos.ui.lookups``) while the register is busy; the desk reads through the same code."""

    def __init__(self, store: OrdersJournal) -> None:
        self.store = store

    def get(self, order_id: str) -> Order:
        try:
            row = self.store.get(order_id)
        except NotFoundError as error:
            raise RegisterError(Refusal.NOT_FOUND, order_id) from error
        return order_of(row, self.store.receipts(order_id=order_id))

    def lookup(self, text: str) -> Order:
        """An order by its id or number (``00012`` or ``12``)."""
        text = text.strip()
        if text.isdigit():
            for row in self.store.find(text):
                if row["number"] == int(text):
                    return self.get(row["id"])
            raise RegisterError(Refusal.NOT_FOUND, text)
        return self.get(text)

    def find(self, query: str = "", limit: int = 100) -> list[Order]:
        """By number, phone or a part of the customer's name (newest first)."""
        return [
            order_of(row, self.store.receipts(order_id=row["id"]))
            for row in self.store.find(query, limit)
        ]

    def all(self) -> list[Order]:
        return self.find("", limit=1_000_000)


class OrderDesk(OrderBook):
    """Customer orders of one register (the window and `pos order` call these)."""

    def __init__(self, service: RegisterService) -> None:
        super().__init__(OrdersJournal(Store(service.journal.engine)))
        self.service = service
        self.ctx = service.ctx

    def fiscal_receipts(self, shift_id: str) -> tuple[list[FiscalReceipt], int]:
        """The shift's fiscalised chain receipts as the X/Z counts them, and how many are not
        settled yet."""
        rows = self.store.receipts(shift_id=shift_id)
        done = [r for r in rows if r["state"] == OrderReceiptState.DONE.value]
        pending = sum(1 for r in rows if r["state"] == OrderReceiptState.SENDING.value)
        return [fiscal_of(r["fiscal"]) for r in done], pending

    # --- creating ----------------------------------------------------------------------------

    def create(
        self,
        cart: Cart,
        customer: Customer,
        *,
        due_date: date | None = None,
        note: str = "",
        excise_codes: Mapping[str, Sequence[str]] | None = None,
    ) -> Order:
        """A new open order from the cart's goods (nothing is fiscalised yet)."""
        if cart.is_empty:
            raise RegisterError(Refusal.BAD_INPUT, "empty cart", field="cart")
        if not (customer.name.strip() or customer.phone.strip()):
            raise RegisterError(Refusal.BAD_INPUT, "customer name or phone", field="customer")
        stamps = excise_codes or {}
        lines = tuple(
            OrderLine(
                code=li.item.code,
                name=li.item.name,
                price=li.price,
                quantity=li.quantity,
                tax_codes=li.item.tax_codes,
                unit=li.item.unit,
                is_weighed=li.item.is_weighed,
                is_excise=li.item.is_excise,
                excise_codes=tuple(stamps.get(li.item.code, ())),
                uktzed=li.item.uktzed,
                discount=li.discount,
            )
            for li in cart.lines
        )
        try:
            priced = price_order(lines, cart.receipt_discount)
            check_order_taxes(priced)
        except FiscalRuleError as error:
            raise RegisterError(Refusal.FISCAL_RULE, error.message) from error
        now = self.ctx.now()
        row = self.store.create(
            {
                "id": str(uuid.uuid4()),
                "state": OrderState.OPEN.value,
                "customer_name": customer.name.strip(),
                "phone": customer.phone.strip(),
                "email": customer.email.strip(),
                "due_date": None if due_date is None else due_date.isoformat(),
                "note": note,
                "lines": [line_json(li) for li in lines],
                "discount": discount_json(cart.receipt_discount),
                "total_sum": priced.total_sum,
                "created_at": now,
                "updated_at": now,
            }
        )
        self.ctx.changed()
        return self.get(row["id"])

    # --- money -------------------------------------------------------------------------------

    def check_online(self) -> None:
        """Refuse before any money is taken when a chain receipt could not be issued now."""
        self.service._require_selling()
        if not self.service.signed_in:
            raise RegisterError(Refusal.NOT_SIGNED_IN)
        if self.ctx.state is not ConnectivityState.ONLINE:
            raise RegisterError(Refusal.UNREACHABLE, OFFLINE_TEXT)
        if self.service.journal.queue.pending_count():
            raise RegisterError(
                Refusal.UPLOAD_PENDING, pending=self.service.journal.queue.pending_count()
            )

    async def take_advance(self, order_id: str, payments: Sequence[OrderPayment]) -> Order:
        """The advance: the prepayment receipt that opens the order's chain. One per order:
        nothing public documents a second advance in a Checkbox chain, so a partly paid order
        takes only its whole rest (`pay_rest`) or is cancelled with a refund."""
        await self.settle(order_id)
        order = self.get(order_id)
        if order.state is not OrderState.OPEN:
            if order.state is OrderState.PARTLY_PAID:
                raise self._whole_rest(order)
            raise RegisterError(Refusal.FISCAL_RULE, f"order {order.label} is {order.state.value}")
        self.check_online()
        payments = [p for p in payments if p.value]  # "card" with nothing left adds nothing
        priced = order.priced()
        try:
            fiscal = prepayment_fiscal(priced, [p.payment() for p in payments])
            check_cash_in_coins([p.payment() for p in payments], 0, self.service.rounding_mode)
        except FiscalRuleError as error:
            raise RegisterError(Refusal.FISCAL_RULE, error.message) from error
        receipt_id = str(uuid.uuid4())
        body = prepayments.PrepaymentReceiptBody.model_validate(
            {
                "id": receipt_id,
                "goods": [_good_line(li) for li in order.lines],
                "payments": [_payment_json(p) for p in payments],
                **({"discounts": [_discount(order)]} if order.discount else {}),
            }
        )
        return await self._send(order, ChainRole.PREPAYMENT, fiscal, payments, body.to_api())

    @staticmethod
    def _whole_rest(order: Order) -> RegisterError:
        """The refusal of paying a partly paid order less than its rest (before anything is
        committed or sent): Checkbox's after-payment closes the chain with the whole rest."""
        left = order.left_to_pay
        return RegisterError(
            Refusal.FISCAL_RULE,
            f"Сплатіть увесь залишок: {_hryvnias(left)} грн (друга передоплата за "
            "замовленням неможлива: чек післяплати закриває його всім залишком)",
            whole_rest=left,
        )

    async def pay_rest(self, order_id: str, payments: Sequence[OrderPayment]) -> Order:
        """The rest (the after-payment receipt that closes the chain): the goods are handed
        over. The whole rest at once (less is refused before anything is committed or sent);
        change only from cash."""
        await self.settle(order_id)
        order = self.get(order_id)
        if order.state not in (OrderState.PARTLY_PAID, OrderState.PAID):
            raise RegisterError(Refusal.FISCAL_RULE, f"order {order.label} is {order.state.value}")
        if order.unsettled:
            raise RegisterError(Refusal.UNREACHABLE, NOT_CONFIRMED)
        payments = [p for p in payments if p.value]
        if sum(p.value for p in payments) < order.left_to_pay:
            raise self._whole_rest(order)
        self.check_online()
        try:
            fiscal = after_payment_fiscal(
                order.priced(),
                [r.fiscal for r in order.advances()],
                [p.payment() for p in payments],
            )
            check_cash_in_coins(
                [p.payment() for p in payments], fiscal.rest, self.service.rounding_mode
            )
        except FiscalRuleError as error:
            raise RegisterError(Refusal.FISCAL_RULE, error.message) from error
        body = prepayments.AfterPaymentBody.model_validate(
            {"id": str(uuid.uuid4()), "payments": [_payment_json(p) for p in payments]}
        )
        return await self._send(order, ChainRole.AFTER_PAYMENT, fiscal, payments, body.to_api())

    async def _send(
        self,
        order: Order,
        role: ChainRole,
        fiscal: FiscalReceipt,
        payments: Sequence[OrderPayment],
        body: dict[str, Any],
    ) -> Order:
        shift = self.service._require_selling()
        cash, card, qr = split(list(payments))
        now = self.ctx.now()
        async with self.ctx.lock:
            self.store.commit_receipt(
                {
                    "id": body["id"],
                    "order_id": order.id,
                    "kind": role.value,
                    "state": OrderReceiptState.SENDING.value,
                    "shift_id": shift.id,
                    "body": body,
                    "fiscal": fiscal_json(fiscal),
                    "cash_sum": cash - fiscal.rest,
                    "card_sum": card,
                    "qr_sum": qr,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            try:
                await self._deliver(order, role, body)
            finally:
                self.ctx.changed()
        return self.get(order.id)

    async def _deliver(self, order: Order, role: ChainRole, body: dict[str, Any]) -> None:
        """Send a committed chain receipt (exactly once) and record Checkbox's word."""
        receipt_id = str(body["id"])
        client = self.service.client
        try:
            if role is ChainRole.PREPAYMENT:  # the chain's opening
                answer = await prepayments.create_prepayment(
                    client, prepayments.PrepaymentReceiptBody.model_validate(body)
                )
            else:
                assert order.relation_id is not None
                answer = await prepayments.create_after_payment(
                    client, order.relation_id, prepayments.AfterPaymentBody.model_validate(body)
                )
            if not answer.is_final:
                await client.wait_receipt(receipt_id, give_up_after=SETTLE_SECONDS)
                answer = await prepayments.chain_receipt(client, receipt_id)
        except Exception as error:
            self._failed(receipt_id, error)
            raise
        self._record(order, role, receipt_id, answer)

    def _failed(self, receipt_id: str, error: BaseException) -> None:
        if isinstance(error, ConnectionFailed) and not error.maybe_sent:
            # It surely never left: nothing exists on the server, nothing is left to settle.
            self.store.update_receipt(
                receipt_id, self.ctx.now(), state=OrderReceiptState.FAILED.value, error="not sent"
            )
            self.ctx.move(ConnectivityEvent.NETWORK_LOST, "order receipt: Checkbox unreachable")
            raise RegisterError(Refusal.UNREACHABLE, NOT_SENT) from error
        if is_unreachable(error) or isinstance(error, TimeoutError):
            self.ctx.move(ConnectivityEvent.NETWORK_LOST, "order receipt: Checkbox unreachable")
            raise RegisterError(
                Refusal.UNREACHABLE, NOT_CONFIRMED, receipt_id=receipt_id
            ) from error
        if isinstance(error, AuthError):
            raise RegisterError(Refusal.NOT_SIGNED_IN, error.message) from error
        if isinstance(error, CheckboxError):
            self.store.update_receipt(
                receipt_id,
                self.ctx.now(),
                state=OrderReceiptState.FAILED.value,
                error=error.message,
            )
            raise RegisterError(Refusal.SERVER_REJECTED, error.message) from error

    def _record(self, order: Order, role: ChainRole, receipt_id: str, answer: ChainReceipt) -> None:
        now = self.ctx.now()
        if answer.status != RECEIPT_DONE:
            text = f"receipt status {answer.status}"
            self.store.update_receipt(
                receipt_id, now, state=OrderReceiptState.FAILED.value, error=text
            )
            raise RegisterError(Refusal.SERVER_REJECTED, text)
        current = self.get(order.id)
        fiscal = next(r.fiscal for r in current.receipts if r.id == receipt_id)
        before = replace(current, receipts=tuple(r for r in current.receipts if r.id != receipt_id))
        changes: dict[str, Any] = {"state": state_after(before, role, fiscal).value}
        if role is ChainRole.PREPAYMENT and answer.pre_payment_relation_id:
            changes["relation_id"] = answer.pre_payment_relation_id
        self.store.update_receipt(
            receipt_id,
            now,
            order_changes=changes,
            state=OrderReceiptState.DONE.value,
            fiscal_code=answer.fiscal_code,
            fiscal_date=answer.fiscal_date,
            server_response=answer.model_dump(mode="json", exclude_none=True),
        )
        if answer.fiscal_date is not None:
            self.service.journal.clock.raise_floor(answer.fiscal_date)

    # --- cancelling --------------------------------------------------------------------------

    async def cancel(self, order_id: str) -> Order:
        """Cancel: an open order at once; a paid one with the return of its chain (refund)."""
        await self.settle(order_id)
        order = self.get(order_id)
        if order.state is OrderState.OPEN and not order.paid and not order.unsettled:
            self.store.update(order.id, self.ctx.now(), state=OrderState.CANCELLED.value)
            self.ctx.changed()
            return self.get(order.id)
        if order.state not in (OrderState.PARTLY_PAID, OrderState.PAID):
            raise RegisterError(Refusal.FISCAL_RULE, f"order {order.label} is {order.state.value}")
        if order.unsettled:
            raise RegisterError(Refusal.UNREACHABLE, NOT_CONFIRMED)
        self.check_online()
        async with self.ctx.lock:
            self.store.update(order.id, self.ctx.now(), pending_action="return")
            try:
                await self._return(self.get(order.id))
            finally:
                self.ctx.changed()
        return self.get(order.id)

    async def _return(self, order: Order) -> None:
        assert order.relation_id is not None
        shift = self.service._require_selling()
        try:
            answers = await prepayments.return_chain(
                self.service.client, order.relation_id, self.ctx.info.cashier_name
            )
        except Exception as error:
            if is_unreachable(error):
                self.ctx.move(ConnectivityEvent.NETWORK_LOST, "order return: Checkbox unreachable")
                raise RegisterError(Refusal.UNREACHABLE, NOT_CONFIRMED) from error
            self.store.update(order.id, self.ctx.now(), pending_action=None)
            if isinstance(error, CheckboxError):
                raise RegisterError(Refusal.SERVER_REJECTED, error.message) from error
            raise
        originals = {r.id: r for r in order.receipts if r.kind is not ChainRole.RETURN}
        now = self.ctx.now()
        for answer in answers:
            original = originals.get(answer.related_receipt_id or "")
            if original is None:
                log.warning("return %s names no receipt of order %s", answer.id, order.label)
                continue
            if answer.status != RECEIPT_DONE and not answer.is_final:
                try:
                    await self.service.client.wait_receipt(answer.id, give_up_after=SETTLE_SECONDS)
                    answer = await prepayments.chain_receipt(self.service.client, answer.id)
                except Exception as error:  # counted as sent; settle() finishes it
                    log.warning("return receipt %s not final yet: %s", answer.id, error)
            fiscal = chain_return_fiscal(original.fiscal)
            self.store.commit_receipt(
                {
                    "id": answer.id,
                    "order_id": order.id,
                    "kind": ChainRole.RETURN.value,
                    "state": (
                        OrderReceiptState.DONE
                        if answer.status == RECEIPT_DONE
                        else OrderReceiptState.SENDING
                    ).value,
                    "shift_id": shift.id,
                    "body": {"relation_id": order.relation_id},
                    "fiscal": fiscal_json(fiscal),
                    "cash_sum": original.cash_sum,
                    "card_sum": original.card_sum,
                    "qr_sum": original.qr_sum,
                    "fiscal_code": answer.fiscal_code,
                    "fiscal_date": answer.fiscal_date,
                    "server_response": answer.model_dump(mode="json", exclude_none=True),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        self.store.update(
            order.id, self.ctx.now(), state=OrderState.CANCELLED.value, pending_action=None
        )

    # --- settling what a lost answer left ----------------------------------------------------

    async def settle(self, order_id: str | None = None) -> None:
        """Resolve chain receipts left `sending` and returns left pending (all orders, or one)."""
        ids = [order_id] if order_id is not None else self.store.unsettled_ids()
        for oid in ids:
            # Under the fiscal lock, read again: an advance or a return in flight has finished
            # by then, and nothing it sent is sent a second time from here.
            async with self.ctx.lock:
                try:
                    order = self.get(oid)
                    for receipt in order.unsettled:
                        await self._settle_receipt(order, receipt.id, receipt.kind, receipt.body)
                    order = self.get(oid)
                    if order.pending_action == "return":
                        await self._settle_return(order)
                except RegisterError as error:
                    log.info("order %s stays unsettled: %s", oid, error)

    async def _settle_receipt(
        self, order: Order, receipt_id: str, role: ChainRole, body: dict[str, Any]
    ) -> None:
        client = self.service.client
        try:
            if role is ChainRole.RETURN:
                answer = await prepayments.chain_receipt(client, receipt_id)
                if answer.status == RECEIPT_DONE:
                    self.store.update_receipt(
                        receipt_id,
                        self.ctx.now(),
                        state=OrderReceiptState.DONE.value,
                        fiscal_code=answer.fiscal_code,
                        fiscal_date=answer.fiscal_date,
                    )
                return
            try:
                answer = await prepayments.chain_receipt(client, receipt_id)
            except NotFound:
                if role is ChainRole.PREPAYMENT and "goods" not in body:
                    # A second advance journaled by an earlier version: Checkbox never took
                    # it and no documented call would, so it is not sent (the cashier is told
                    # by the order's receipts: failed, the money is not counted as paid).
                    log.warning("order %s: second advance %s not sent", order.label, receipt_id)
                    self.store.update_receipt(
                        receipt_id,
                        self.ctx.now(),
                        state=OrderReceiptState.FAILED.value,
                        error="a second advance is not a Checkbox receipt: give the money back",
                    )
                    return
                await self._deliver(order, role, body)
                return
            if not answer.is_final:
                return
            self._record(order, role, receipt_id, answer)
        except RegisterError as error:
            log.info("order %s: receipt %s still unsettled: %s", order.label, receipt_id, error)
        except Exception as error:
            if not is_unreachable(error):
                raise
            log.info("order %s: Checkbox unreachable, %s stays unsettled", order.label, receipt_id)

    async def _settle_return(self, order: Order) -> None:
        assert order.relation_id is not None
        try:
            relation = await prepayments.relation(self.service.client, order.relation_id)
        except Exception as error:
            if not is_unreachable(error):
                raise
            return
        if relation.pre_payment_status == prepayments.CANCELLED:
            await self._return(order)
        else:
            self.store.update(order.id, self.ctx.now(), pending_action=None)


def _good_line(li: OrderLine) -> dict[str, Any]:
    good: dict[str, Any] = {"code": li.code, "name": li.name, "price": li.price}
    if li.tax_codes:
        good["tax"] = list(li.tax_codes)
    if li.excise_codes:
        good["excise_barcodes"] = list(li.excise_codes)
    if li.uktzed:
        good["uktzed"] = li.uktzed
    line: dict[str, Any] = {"good": good, "quantity": li.quantity}
    if li.discount is not None:
        line["discounts"] = [_discount_body(li.discount)]
    return line


def _discount_body(d: Any) -> dict[str, Any]:
    value = int(d.value) if d.mode.value == "VALUE" else float(d.value)
    body: dict[str, Any] = {"type": d.type.value, "mode": d.mode.value, "value": value}
    if d.name:
        body["name"] = d.name
    return body


def _discount(order: Order) -> dict[str, Any]:
    assert order.discount is not None
    return _discount_body(order.discount)


def _hryvnias(kopecks: int) -> str:
    return f"{kopecks // 100},{kopecks % 100:02d}"


def _payment_json(p: OrderPayment) -> dict[str, Any]:
    payment = p.payment()
    return {"type": payment.type.value, "value": payment.value, "label": payment.label}
