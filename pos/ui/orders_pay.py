"""How the customer pays an order's advance or its rest: cash, card and QR amounts (MoySklad's
cashSum / noCashSum / qrSum), any mix of them.

Why its own dialog: the amounts are typed and checked here (``parse_money`` says what is wrong);
the register decides the rest (an advance at most the order's total, change only from cash). The
rest is paid whole (one advance per order: Checkbox documents no second one), so less than what
is left is refused here before anything reaches the register.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos.domain.money import MoneyFormatError, format_money, parse_money
from pos.orders.model import Order, OrderPayment, PayMethod
from pos.ui.receipt_dialog import ERROR_STYLE, KeyDialog, buttons_row

ADVANCE_SHARE = 30  # the hint: a usual advance of 30 %


def whole_rest_text(left: int) -> str:
    """Why less than the rest is refused: one advance per order, then the whole rest at once."""
    return QCoreApplication.translate(
        "OrderPaymentDialog",
        "Pay the whole rest: {amount} UAH. An order takes one advance; the rest is paid in "
        "full when the goods are handed over (or cancel the order to refund the advance).",
    ).format(amount=format_money(left))


class OrderPaymentDialog(KeyDialog):
    """Emits ``chosen(payments)`` with the non-zero payments and closes."""

    chosen = Signal(object)

    def __init__(self, order: Order, *, advance: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderPaymentDialog")
        self.order = order
        self.advance = advance
        title_text = (
            self.tr("Advance for order {number}")
            if advance
            else self.tr("Rest of order {number}: the goods are handed over")
        ).format(number=order.label)
        self.setWindowTitle(title_text)
        self.resize(520, 360)
        title = QLabel(title_text)
        font = QFont(title.font())
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        title.setFont(font)
        left = order.left_to_pay
        self.summary = QLabel(
            self.tr("Total {total}, paid {paid}, left to pay {left}").format(
                total=format_money(order.total_sum),
                paid=format_money(order.paid),
                left=format_money(left),
            )
        )
        self.summary.setWordWrap(True)
        self.fields: dict[PayMethod, QLineEdit] = {}
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        form = QFormLayout()
        labels = {
            PayMethod.CASH: self.tr("Cash:"),
            PayMethod.CARD: self.tr("Card:"),
            PayMethod.QR: self.tr("QR code:"),
        }
        big = QFont(self.summary.font())
        big.setPointSize(big.pointSize() + 4)
        for method in PayMethod:
            field = QLineEdit()
            field.setObjectName(f"pay_{method.value}")
            field.setPlaceholderText("0.00")
            field.setAlignment(Qt.AlignmentFlag.AlignRight)
            field.setFont(big)
            field.textEdited.connect(lambda _text: self._typed())
            form.addRow(labels[method], field)
            self.fields[method] = field
        if advance:
            hint = left * ADVANCE_SHARE // 100 // 50 * 50  # payable in cash (NBU rounding)
            self.fields[PayMethod.CASH].setPlaceholderText(format_money(hint))
            self.hint = QLabel(
                self.tr("{share} % of the order is {amount}.").format(
                    share=ADVANCE_SHARE, amount=format_money(hint)
                )
            )
        else:
            self.fields[PayMethod.CARD].setText(format_money(left))
            self.hint = QLabel(self.tr("Change is given from cash only."))
        self.confirm_button = self.key_button(
            self.tr("Take the money"), Qt.Key.Key_Return, self.confirm
        )
        self.cancel_button = self.key_button(self.tr("Cancel"), Qt.Key.Key_Escape, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        self.together = QLabel()
        self.together.setObjectName("orderPaymentTogether")
        layout.addWidget(self.hint)
        layout.addWidget(self.together)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons_row(self.confirm_button, self.cancel_button))
        self.fields[PayMethod.CASH if advance else PayMethod.CARD].setFocus()
        self._typed()

    def _typed(self) -> None:
        """The sum of what is typed so far, so the cashier sees the advance before taking it."""
        self.error.clear()
        total = 0
        for field in self.fields.values():
            try:
                total += parse_money(field.text().strip()) if field.text().strip() else 0
            except MoneyFormatError:
                continue
        self.together.setText(self.tr("Together: {amount}").format(amount=format_money(total)))

    def payments(self) -> list[OrderPayment] | None:
        """The typed payments, or None with the reason shown."""
        out: list[OrderPayment] = []
        for method, field in self.fields.items():
            text = field.text().strip()
            if not text:
                continue
            try:
                value = parse_money(text)
            except MoneyFormatError:
                self.error.setText(
                    self.tr("“{text}” is not an amount. Type digits, for example 150.50.").format(
                        text=text
                    )
                )
                field.setFocus()
                return None
            if value < 0:
                self.error.setText(self.tr("The amount must be more than zero."))
                return None
            if value:
                out.append(OrderPayment(method, value))
        if not out and (self.advance or self.order.left_to_pay):
            self.error.setText(self.tr("Enter how much the customer pays."))
            return None
        if not self.advance and sum(p.value for p in out) < self.order.left_to_pay:
            self.error.setText(whole_rest_text(self.order.left_to_pay))
            self.fields[PayMethod.CARD].setFocus()
            return None
        return out

    def enter_pressed(self) -> None:
        self.confirm()

    def confirm(self) -> None:
        payments = self.payments()
        if payments is None:
            return
        self.chosen.emit(payments)
        self.accept()
