"""A sale: the cart and its tenders committed as one receipt, then fiscalised.

Why its own part: the receipt is priced and settled (the cash rounded) before anything is
committed, refused with nothing kept when a rule says no, and journaled with its delivery
and the cart it came from, so a kiosk's retry under the same id fiscalises once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from pos.domain.errors import FiscalRuleError
from pos.domain.receipt import Payment, PaymentType, settle
from pos.journal.held_carts import cart_text
from pos.journal.records import Receipt
from pos.register import bodies
from pos.register.cart import Cart, Tender
from pos.register.cash import CARD_LABEL, CASH_LABEL
from pos.register.errors import Refusal, RegisterError
from pos.register.held_carts import cart_body
from pos.register.part import RegisterPart


class Sales(RegisterPart):
    """One register's sales (``RegisterService.sell``)."""

    async def sell(
        self,
        cart: Cart,
        tenders: Sequence[Tender],
        *,
        email: str | None = None,
        receipt_id: str | None = None,
        phone: str | None = None,
    ) -> Receipt:
        if receipt_id is not None:
            existing = self.journal.receipts.get(receipt_id)
            if existing is not None:
                return existing
        shift = self.service._require_selling()
        if cart.is_empty:
            raise RegisterError(Refusal.BAD_INPUT, "empty cart", field="cart")
        try:
            delivery = bodies.delivery(email, phone) or None
        except ValueError as error:
            raise RegisterError(Refusal.BAD_INPUT, str(error), field="delivery") from error
        payments = [_payment(t) for t in tenders]
        has_cash = any(t.type is PaymentType.CASH for t in tenders)
        try:
            priced = cart.priced()
            settlement = settle(
                priced, payments, rounding=has_cash, rounding_mode=self.service.rounding_mode
            )
        except FiscalRuleError as error:
            raise RegisterError(Refusal.FISCAL_RULE, error.message) from error
        new = bodies.new_receipt(
            priced,
            settlement,
            now=self.ctx.now(),
            shift_id=shift.id,
            payment_details=[t.details for t in tenders],
            receipt_id=receipt_id,
        )
        if delivery is not None:
            new = dataclasses.replace(new, delivery=delivery)
        # The window's open cart, if it is this one, is cleared by the sale's own commit.
        new = dataclasses.replace(new, sold_cart=cart_text(cart_body(cart)))
        return await self.service._fiscalise(new)


def _payment(tender: Tender) -> Payment:
    label = tender.label or (CASH_LABEL if tender.type is PaymentType.CASH else CARD_LABEL)
    return Payment(tender.type, tender.value, label)
