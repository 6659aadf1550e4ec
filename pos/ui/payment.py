"""Taking the money: cash (tendered, quick amounts, change), card (optional terminal data), or
mixed (a card part and the rest in cash), then the sale through ``RegisterService.sell``.

What the dialog shows about cash follows the service's own rule: when any cash is tendered, the
cash part (total minus the card part) is rounded by the NBU rule (``pos.domain.receipt.cash_due``
with the service's ``rounding_mode``, ROUND_50), so the cashier sees the rounded sum to ask for
and the change to give. An empty "tendered" field means the exact amount. Enter pays; a refusal
is shown and the cart is kept, so the cashier can change the payment or cancel.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from pos.app import RunningRegister
from pos.domain.money import format_money
from pos.domain.receipt import PaymentType, cash_due
from pos.journal.records import Receipt
from pos.register.cart import Cart, Tender
from pos.register.errors import RegisterError
from pos.register.service import RegisterService
from pos.ui.asyncio_qt import async_slot
from pos.ui.cart_dialogs import EnterDialog
from pos.ui.messages import show_error
from pos.ui.widgets import KeyButton, MoneyEdit

CASH, CARD, MIXED = "cash", "card", "mixed"
QUICK_NOTES = (5000, 10000, 20000, 50000, 100000)
QUICK_KEYS = (
    Qt.Key.Key_F5,
    Qt.Key.Key_F6,
    Qt.Key.Key_F7,
    Qt.Key.Key_F8,
    Qt.Key.Key_F9,
    Qt.Key.Key_F10,
)
"""Exact, then each quick note: the key is shown on the button."""


class PaymentDialog(EnterDialog):
    paid = Signal(object)  # the journal's Receipt

    def __init__(self, running: RunningRegister, cart: Cart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self._running = running
        self._cart = cart
        self.total = cart.total
        self.mode = CASH
        self.busy = False
        self.receipt: Receipt | None = None

        self.title = QLabel(self)
        self.title.setObjectName("dialogTitle")
        self.due = QLabel(self)
        self.due.setObjectName("payDue")
        self.due.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.cash_mode = KeyButton("F2", parent=self, role="quick")
        self.card_mode = KeyButton("F3", parent=self, role="quick")
        self.mixed_mode = KeyButton("F4", parent=self, role="quick")
        self.cash_mode.clicked.connect(lambda: self.set_mode(CASH))
        self.card_mode.clicked.connect(lambda: self.set_mode(CARD))
        self.mixed_mode.clicked.connect(lambda: self.set_mode(MIXED))
        modes = QHBoxLayout()
        for button in (self.cash_mode, self.card_mode, self.mixed_mode):
            modes.addWidget(button)

        # card part
        self.card_box = QGroupBox(self)
        self.card_amount = MoneyEdit(self)
        self.card_amount.setObjectName("cardAmount")
        self.rrn = QLineEdit(self)
        self.rrn.setObjectName("rrn")
        self.auth_code = QLineEdit(self)
        self.auth_code.setObjectName("authCode")
        self.card_mask = QLineEdit(self)
        self.card_mask.setObjectName("cardMask")
        self.payment_system = QLineEdit(self)
        self.payment_system.setObjectName("paymentSystem")
        card_form = QFormLayout(self.card_box)
        self.card_amount_label = QLabel(self)
        self.rrn_label = QLabel(self)
        self.auth_label = QLabel(self)
        self.mask_label = QLabel(self)
        self.system_label = QLabel(self)
        card_form.addRow(self.card_amount_label, self.card_amount)
        terminal = QGridLayout()
        terminal.addWidget(self.rrn_label, 0, 0)
        terminal.addWidget(self.rrn, 0, 1)
        terminal.addWidget(self.auth_label, 0, 2)
        terminal.addWidget(self.auth_code, 0, 3)
        terminal.addWidget(self.mask_label, 1, 0)
        terminal.addWidget(self.card_mask, 1, 1)
        terminal.addWidget(self.system_label, 1, 2)
        terminal.addWidget(self.payment_system, 1, 3)
        card_form.addRow(terminal)

        # cash part
        self.cash_box = QGroupBox(self)
        self.cash_due_label = QLabel(self)
        self.cash_due_label.setObjectName("cashDue")
        self.rounding = QLabel(self)
        self.rounding.setObjectName("payRounding")
        self.rounding.setWordWrap(True)
        self.tendered = MoneyEdit(self)
        self.tendered.setObjectName("tendered")
        self.tendered_label = QLabel(self)
        self.exact = QPushButton(self)
        self.exact.setObjectName("quickExact")
        self.quick: list[QPushButton] = [self.exact]
        quick = QHBoxLayout()
        quick.addWidget(self.exact)
        self.exact.clicked.connect(lambda: self._set_tendered(None))
        for value in QUICK_NOTES:
            note = QPushButton(self)
            note.setObjectName(f"quick{value // 100}")
            note.clicked.connect(lambda _checked=False, v=value: self._set_tendered(v))
            quick.addWidget(note)
            self.quick.append(note)
        for note in self.quick:
            note.setProperty("role", "quick")
            note.setAutoDefault(False)
            note.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cash_form = QFormLayout(self.cash_box)
        cash_form.addRow(self.cash_due_label)
        cash_form.addRow(self.rounding)
        cash_form.addRow(self.tendered_label, self.tendered)
        cash_form.addRow(quick)

        self.change = QLabel(self)
        self.change.setObjectName("payChange")
        self.change.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.email = QLineEdit(self)
        self.email.setObjectName("email")
        self.email_label = QLabel(self)
        email_row = QHBoxLayout()
        email_row.addWidget(self.email_label)
        email_row.addWidget(self.email, 1)
        self.message = QLabel(self)
        self.message.setObjectName("notice")
        self.message.setWordWrap(True)

        self.pay = self.button("primary")
        self.pay.setObjectName("payButton")
        self.pay.clicked.connect(self.confirm)
        self.cancel = self.button()
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.pay, 2)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.due, 1)
        layout.addLayout(top)
        layout.addLayout(modes)
        layout.addWidget(self.card_box)
        layout.addWidget(self.cash_box)
        layout.addWidget(self.change)
        layout.addLayout(email_row)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        for edit in (self.card_amount, self.tendered):
            edit.textEdited.connect(lambda _text: self._update())
        self.setMinimumWidth(640)
        # card part → cash tendered in one Tab (the terminal's data come after, if wanted)
        QWidget.setTabOrder(self.card_amount, self.tendered)
        QWidget.setTabOrder(self.tendered, self.rrn)
        QWidget.setTabOrder(self.rrn, self.auth_code)
        QWidget.setTabOrder(self.auth_code, self.card_mask)
        QWidget.setTabOrder(self.card_mask, self.payment_system)
        QWidget.setTabOrder(self.payment_system, self.email)
        self.retranslate_ui()
        self.set_mode(CASH)

    # --- texts ---------------------------------------------------------------------------------

    @override
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Payment"))
        self.title.setText(self.tr("To pay:"))
        self.cash_mode.set_caption(self.tr("Cash"))
        self.card_mode.set_caption(self.tr("Card"))
        self.mixed_mode.set_caption(self.tr("Card + cash"))
        self.card_box.setTitle(self.tr("Card"))
        self.card_amount_label.setText(self.tr("Card part:"))
        self.rrn_label.setText(self.tr("RRN:"))
        self.auth_label.setText(self.tr("Auth code:"))
        self.mask_label.setText(self.tr("Card number:"))
        self.system_label.setText(self.tr("Payment system:"))
        self.card_mask.setPlaceholderText("4444 **** **** 1234")
        self.payment_system.setPlaceholderText("VISA / MasterCard")
        self.cash_box.setTitle(self.tr("Cash"))
        self.tendered_label.setText(self.tr("Tendered:"))
        self.tendered.setPlaceholderText(self.tr("exact"))
        self.exact.setText(self.tr("Exact") + " (F5)")
        for note, value, key in zip(self.quick[1:], QUICK_NOTES, QUICK_KEYS[1:], strict=True):
            note.setText(
                f"{format_money(value).removesuffix('.00')} ({QKeySequence(key).toString()})"
            )
        self.email_label.setText(self.tr("E-mail for the receipt:"))
        self.email.setPlaceholderText(self.tr("optional"))
        self.pay.setText(self.tr("Pay (Enter)"))
        self.cancel.setText(self.tr("Cancel (Esc)"))
        self._update()

    # --- input ---------------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        for button, name in (
            (self.cash_mode, CASH),
            (self.card_mode, CARD),
            (self.mixed_mode, MIXED),
        ):
            button.setProperty("mode", name == mode)
            button.style().unpolish(button)
            button.style().polish(button)
        self.card_box.setVisible(mode in (CARD, MIXED))
        self.cash_box.setVisible(mode in (CASH, MIXED))
        self.card_amount.setReadOnly(mode == CARD)
        if mode == CARD:
            self.card_amount.set_value(self.total)
        elif mode == MIXED:
            self.card_amount.clear()
        self._update()
        (self.card_amount if mode == MIXED else self.tendered).setFocus()
        if mode == CARD:
            self.rrn.setFocus()
        self.adjustSize()

    def _set_tendered(self, value: int | None) -> None:
        self.tendered.set_value(value)
        self.tendered.setFocus()
        self._update()

    def card_part(self) -> int:
        if self.mode == CARD:
            return self.total
        if self.mode == MIXED:
            return min(self.card_amount.value() or 0, self.total)
        return 0

    def cash_to_pay(self) -> int:
        """What the customer owes in cash: the rest after the card part, NBU-rounded."""
        rest = self.total - self.card_part()
        if rest <= 0:
            return 0
        return cash_due(
            self.total, self.card_part(), rounding=True, mode=self._service.rounding_mode
        )

    @property
    def _service(self) -> RegisterService:
        return self._running.service

    def tendered_cash(self) -> int:
        value = self.tendered.value()
        return self.cash_to_pay() if value is None else value

    def _update(self) -> None:
        if not hasattr(self, "change"):
            return
        self.due.setText(format_money(self.total))
        card = self.card_part()
        rest = self.total - card
        due = self.cash_to_pay()
        self.cash_due_label.setText(self.tr("Cash to pay: {sum}").format(sum=format_money(due)))
        if self.mode != CARD and rest > 0 and due != rest:
            self.rounding.setText(
                self.tr("NBU cash rounding: {exact} → {rounded} ({diff})").format(
                    exact=format_money(rest),
                    rounded=format_money(due),
                    diff=("+" if due > rest else "") + format_money(due - rest),
                )
            )
            self.rounding.show()
        else:
            self.rounding.hide()
        short = False
        if self.mode == CARD or due == 0:
            self.change.setText("")
        else:
            change = self.tendered_cash() - due
            short = change < 0
            self.change.setText(
                self.tr("Not enough: {sum} more").format(sum=format_money(-change))
                if short
                else self.tr("Change: {sum}").format(sum=format_money(change))
            )
        if self.change.property("short") != short:
            self.change.setProperty("short", short)
            self.change.style().unpolish(self.change)
            self.change.style().polish(self.change)
        self.pay.setEnabled(not self.busy and self.can_pay())

    def can_pay(self) -> bool:
        if self.total <= 0:
            return False
        if self.mode == MIXED and (self.card_amount.value() or 0) > self.total:
            return False
        if self.mode == CARD:
            return True
        return self.tendered_cash() >= self.cash_to_pay()

    def tenders(self) -> list[Tender]:
        tenders: list[Tender] = []
        card = self.card_part()
        if card > 0:
            fields = {
                "rrn": self.rrn.text().strip(),
                "auth_code": self.auth_code.text().strip(),
                "card_mask": self.card_mask.text().strip(),
                "payment_system": self.payment_system.text().strip(),
            }
            details = {name: value for name, value in fields.items() if value}
            tenders.append(Tender(PaymentType.CASHLESS, card, details=details or None))
        if self.mode != CARD and self.cash_to_pay() > 0:
            tenders.append(Tender(PaymentType.CASH, self.tendered_cash()))
        return tenders

    # --- keys and paying -----------------------------------------------------------------------

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        modes = {Qt.Key.Key_F2: CASH, Qt.Key.Key_F3: CARD, Qt.Key.Key_F4: MIXED}
        if event.key() in modes and not self.busy:
            event.accept()
            self.set_mode(modes[Qt.Key(event.key())])
            return
        if event.key() in QUICK_KEYS and not self.busy and self.cash_box.isVisible():
            event.accept()
            self.quick[QUICK_KEYS.index(Qt.Key(event.key()))].click()
            return
        super().keyPressEvent(event)

    def say(self, text: str, *, error: bool = False) -> None:
        """The dialog's line: red for what stops the payment, green for progress."""
        self.message.setText(text)
        if self.message.property("error") != error:
            self.message.setProperty("error", error)
            self.message.style().unpolish(self.message)
            self.message.style().polish(self.message)

    @override
    def reject(self) -> None:
        if not self.busy:  # a sale being fiscalised cannot be walked away from
            super().reject()

    @override
    def confirm(self) -> None:
        if self.busy:
            return
        if not self.can_pay():
            self.say(self.tr("The payment does not cover the sum to pay."), error=True)
            self.tendered.selectAll()
            return
        self._pay()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.card_amount, self.tendered, self.email, self.rrn, self.auth_code):
            widget.setReadOnly(busy)
        self.cancel.setEnabled(not busy)
        self._update()

    @async_slot()
    async def _pay(self) -> None:
        email = self.email.text().strip() or None
        if email is not None and "@" not in email:
            self.say(self.tr("The e-mail address does not look right."), error=True)
            self.email.setFocus()
            return
        self._set_busy(True)
        self.say(self.tr("Fiscalising the receipt…"))
        try:
            receipt = await self._service.sell(self._cart, self.tenders(), email=email)
        except RegisterError as error:
            self.message.setText("")
            self._set_busy(False)
            show_error(self, error)
            return
        self._set_busy(False)
        self.receipt = receipt
        self.paid.emit(receipt)
        self.accept()
