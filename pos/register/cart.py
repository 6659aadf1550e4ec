"""The cart being rung up: goods, quantities, discounts, priced by ``pos.domain`` on every change.

Why here and not in the window: the cart is the part of a sale that exists before anything is
committed; keeping it pure lets the window, the headless ``pos register sell`` and the tests build
exactly the same receipt. Quantities are thousandths (1 pc = 1000, 1.250 kg = 1250), money kopecks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.money import MAX_MONEY, MAX_QUANTITY
from pos.domain.receipt import (
    Good,
    Line,
    PaymentType,
    PricedLine,
    PricedReceipt,
    ReceiptType,
    price_line,
    receipt_of_lines,
)
from pos.journal.records import CatalogueItem
from pos.register.errors import Refusal, RegisterError

PIECE = 1000


@dataclass(frozen=True)
class CartLine:
    item: CatalogueItem
    quantity: int
    price: int  # the item's price, or the price a scale label carried
    barcode: str | None = None
    discount: Discount | None = None

    @property
    def is_weighed(self) -> bool:
        return self.item.is_weighed


def discount(
    kind: DiscountType, mode: DiscountMode, value: int | Decimal, name: str = ""
) -> Discount:
    """A line or receipt discount/extra charge: VALUE in kopecks, PERCENT in percent."""
    if mode is DiscountMode.VALUE and not 0 < int(value) <= MAX_MONEY:
        raise RegisterError(Refusal.BAD_INPUT, "discount value", field="discount")
    if mode is DiscountMode.PERCENT and not 0 < Decimal(value) <= 100:
        raise RegisterError(Refusal.BAD_INPUT, "discount percent", field="discount")
    return Discount(kind, mode, value, name)


@dataclass
class Cart:
    lines: list[CartLine] = field(default_factory=list)
    receipt_discount: Discount | None = None
    type: ReceiptType = ReceiptType.SELL
    _priced: tuple[tuple[CartLine, ...], Discount | None, ReceiptType, PricedReceipt] | None = (
        field(default=None, init=False, repr=False, compare=False)
    )
    """The last pricing and what it priced: the window's table, totals and the total check
    all ask after one change; the lines are frozen, so the same line objects price the same."""
    _line_prices: dict[int, tuple[CartLine, ReceiptType, PricedLine]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Each line's own pricing (by the line's identity, the line kept with it so the identity
    stays its): a scan prices the one line it added or changed, the rest are summed up again."""

    def add(
        self,
        item: CatalogueItem,
        quantity: int | None = None,
        *,
        price: int | None = None,
        barcode: str | None = None,
    ) -> int:
        """Add a good (or one more of a piece good already last in the cart); returns the index."""
        qty = quantity if quantity is not None else PIECE
        _check_quantity(qty, item.is_weighed)
        unit_price = price if price is not None else item.price
        if self.lines and quantity is None and price is None and not item.is_weighed:
            last = self.lines[-1]
            if last.item.code == item.code and last.price == unit_price and last.discount is None:
                self.set_quantity(len(self.lines) - 1, last.quantity + PIECE)
                return len(self.lines) - 1
        self.lines.append(CartLine(item, qty, unit_price, barcode))
        self._check_total()
        return len(self.lines) - 1

    def set_quantity(self, index: int, quantity: int) -> None:
        line = self.lines[index]
        _check_quantity(quantity, line.is_weighed)
        previous = self.lines[index]
        self.lines[index] = replace(line, quantity=quantity)
        try:
            self._check_total()
        except RegisterError:
            self.lines[index] = previous
            raise

    def remove(self, index: int) -> None:
        del self.lines[index]

    def set_line_discount(self, index: int, value: Discount | None) -> None:
        previous = self.lines[index]
        self.lines[index] = replace(previous, discount=value)
        try:
            self.priced()
        except Exception as error:
            self.lines[index] = previous
            raise RegisterError(
                Refusal.BAD_INPUT, "discount exceeds the line", field="discount"
            ) from error

    def set_receipt_discount(self, value: Discount | None) -> None:
        previous = self.receipt_discount
        self.receipt_discount = value
        try:
            self.priced()
        except Exception as error:
            self.receipt_discount = previous
            raise RegisterError(
                Refusal.BAD_INPUT, "discount exceeds the total", field="discount"
            ) from error

    def clear(self) -> None:
        self.lines.clear()
        self.receipt_discount = None

    @property
    def is_empty(self) -> bool:
        return not self.lines

    def domain_lines(self) -> list[Line]:
        return [self._domain_line(li) for li in self.lines]

    def _domain_line(self, li: CartLine) -> Line:
        return Line(
            Good(
                code=li.item.code,
                name=li.item.name,
                price=li.price,
                tax_codes=li.item.tax_codes,
                barcode=li.barcode,
            ),
            li.quantity,
            is_return=self.type is ReceiptType.RETURN,
            discounts=(li.discount,) if li.discount else (),
        )

    def priced(self) -> PricedReceipt:
        """The cart priced by ``pos.domain``; computed once per change of the cart, and then
        only the lines that changed are priced again (``price_receipt`` of ``domain_lines``
        gives the same receipt: the tests hold the two to it)."""
        memo = self._priced
        if (
            memo is not None
            and memo[1] is self.receipt_discount
            and memo[2] is self.type
            and len(memo[0]) == len(self.lines)
            and all(a is b for a, b in zip(memo[0], self.lines, strict=True))
        ):
            return memo[3]
        kept = self._line_prices
        prices: dict[int, tuple[CartLine, ReceiptType, PricedLine]] = {}
        lines: list[PricedLine] = []
        for li in self.lines:
            known = kept.get(id(li))
            if known is not None and known[0] is li and known[1] is self.type:
                priced_line = known[2]
            else:
                priced_line = price_line(self._domain_line(li))
            prices[id(li)] = (li, self.type, priced_line)
            lines.append(priced_line)
        self._line_prices = prices
        discounts = (self.receipt_discount,) if self.receipt_discount else ()
        priced = receipt_of_lines(lines, discounts)
        self._priced = (tuple(self.lines), self.receipt_discount, self.type, priced)
        return priced

    @property
    def total(self) -> int:
        return self.priced().total_sum if self.lines else 0

    def _check_total(self) -> None:
        if self.lines and self.priced().total_sum > MAX_MONEY:
            raise RegisterError(Refusal.BAD_INPUT, "total too large", field="quantity")


def _check_quantity(quantity: int, weighed: bool) -> None:
    if quantity <= 0 or quantity > MAX_QUANTITY:
        raise RegisterError(Refusal.BAD_INPUT, "quantity out of range", field="quantity")
    if not weighed and quantity % PIECE:
        raise RegisterError(Refusal.BAD_INPUT, "pieces must be whole", field="quantity")


@dataclass(frozen=True)
class Tender:
    """One payment the customer makes: cash tendered (change comes back from it) or card.

    ``details`` carries the card terminal's data with the API's names (``rrn``, ``auth_code``,
    ``card_mask``, ``payment_system``, ``terminal``…).
    """

    type: PaymentType
    value: int
    label: str = ""
    details: dict[str, Any] | None = None
