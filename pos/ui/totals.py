"""The sum to pay, in big type, always visible while selling.

Shows the receipt's total after discounts, how many lines and units, the discounts/charges
sum, and what the customer pays in cash after the NBU rounding (cash only is rounded; the
service applies the same rule when the sale is paid in cash).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget
from typing_extensions import override

from pos.domain.money import format_money
from pos.domain.receipt import cash_due
from pos.domain.rounding import RoundingMode
from pos.register.cart import Cart


class TotalsPanel(QFrame):
    def __init__(
        self, rounding_mode: RoundingMode = RoundingMode.ROUND_50, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("totals")
        self._mode = rounding_mode
        self.caption = QLabel(self)
        self.caption.setObjectName("totalCaption")
        self.value = QLabel("0.00", self)
        self.value.setObjectName("totalValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.lines = QLabel(self)
        self.discounts = QLabel(self)
        self.discounts.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.cash = QLabel(self)
        self.cash.setObjectName("totalCash")
        self.cash.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 6, 12, 6)
        grid.addWidget(self.caption, 0, 0)
        grid.addWidget(self.value, 0, 1)
        grid.addWidget(self.lines, 1, 0)
        grid.addWidget(self.discounts, 1, 1)
        grid.addWidget(self.cash, 2, 0, 1, 2)
        self._cart: Cart | None = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.caption.setText(self.tr("TOTAL"))
        if self._cart is not None:
            self.show_cart(self._cart)

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def show_cart(self, cart: Cart) -> None:
        self._cart = cart
        if cart.is_empty:
            self.value.setText(format_money(0))
            self.lines.setText(self.tr("Empty receipt"))
            self.discounts.setText("")
            self.cash.setText("")
            return
        priced = cart.priced()
        total = priced.total_sum
        self.value.setText(format_money(total))
        self.lines.setText(self.tr("Lines: {count}").format(count=len(cart.lines)))
        adjustment = sum(line.sum for line in priced.lines) - total  # discounts − charges
        if adjustment:
            word = self.tr("Discount") if adjustment > 0 else self.tr("Extra charge")
            self.discounts.setText(f"{word}: {format_money(abs(adjustment))}")
        else:
            self.discounts.setText("")
        in_cash = cash_due(total, 0, rounding=True, mode=self._mode)
        self.cash.setText(
            self.tr("In cash (NBU rounding): {sum}").format(sum=format_money(in_cash))
            if in_cash != total
            else ""
        )
