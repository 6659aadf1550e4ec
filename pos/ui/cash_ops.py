"""Cash in, cash out and cash withdrawal: an amount, a reason, one key to confirm.

Why the amount is a text field and not a spin box: cashiers type "150", "150,5" or "150.50", and
``parse_money`` says exactly what is wrong with anything else instead of silently rounding. The
register decides everything else (whether there is that much cash in the drawer, the receipt).
The preset reasons are printed on the receipt, which is a Ukrainian document, so their printed
text is Ukrainian whatever the interface language; the list shows them translated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos.domain.money import MoneyFormatError, format_money, parse_money
from pos.journal.records import Receipt
from pos.register.cash import CARD_LABEL
from pos.register.errors import RegisterError
from pos.ui.asyncio_qt import async_slot
from pos.ui.messages import show_error
from pos.ui.receipt_dialog import ERROR_STYLE, KeyDialog, buttons_row
from pos.ui.register_writes import asked

if TYPE_CHECKING:
    from pos.app import RunningRegister

KINDS = ("in", "out", "withdrawal")


class CashDialog(KeyDialog):
    """One service receipt: cash in ("in"), cash out ("out") or a cash withdrawal ("withdrawal").

    Emits ``receipt_made(receipt)`` with the register's receipt and closes; a refusal is shown
    with ``show_error`` and the dialog stays open to correct it."""

    receipt_made = Signal(object)

    def __init__(self, running: RunningRegister, kind: str, parent: QWidget | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        super().__init__(parent)
        self._running = running
        self.kind = kind
        titles = {
            "in": self.tr("Cash in"),
            "out": self.tr("Cash out"),
            "withdrawal": self.tr("Cash withdrawal"),
        }
        self.setWindowTitle(titles[kind])
        self.resize(520, 320)

        title = QLabel(titles[kind])
        font = QFont(title.font())
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        title.setFont(font)

        self.amount = QLineEdit()
        self.amount.setPlaceholderText("0.00")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        big = QFont(self.amount.font())
        big.setPointSize(big.pointSize() + 6)
        self.amount.setFont(big)
        self.amount_error = QLabel()
        self.amount_error.setStyleSheet(ERROR_STYLE)
        self.amount_error.setWordWrap(True)
        self.amount.textEdited.connect(lambda _text: self.amount_error.clear())

        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for shown, printed in self._presets():
            self.reason.addItem(shown, printed)
        reason_edit = self.reason.lineEdit()
        if reason_edit is not None:
            reason_edit.setPlaceholderText(self.tr("Reason, or type your own"))

        self.balance = QLabel()
        self.balance.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Amount, UAH:"), self.amount)
        form.addRow("", self.amount_error)
        form.addRow(
            self.tr("Card (printed):") if kind == "withdrawal" else self.tr("Reason:"),
            self.reason,
        )
        # A withdrawal must carry the card terminal's slip data (the Checkbox guide requires it).
        self.terminal: dict[str, QLineEdit] = {}
        if kind == "withdrawal":
            for name, label in (
                ("card_mask", self.tr("Card number (masked):")),
                ("auth_code", self.tr("Authorisation code:")),
                ("rrn", self.tr("RRN:")),
                ("terminal", self.tr("Terminal ID:")),
            ):
                edit = QLineEdit()
                edit.setObjectName(f"terminal_{name}")
                edit.setMaxLength(19 if name == "card_mask" else 64)
                self.terminal[name] = edit
                form.addRow(label, edit)

        self.confirm_button = self.key_button(self.tr("Confirm"), Qt.Key.Key_Return, self.confirm)
        self.cancel_button = self.key_button(self.tr("Cancel"), Qt.Key.Key_Escape, self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.balance)
        layout.addWidget(self.notice)
        layout.addStretch(1)
        layout.addLayout(buttons_row(self.confirm_button, self.cancel_button))
        self._show_balance()
        self.amount.setFocus()

    def _presets(self) -> list[tuple[str, str]]:
        """(shown, printed) reasons for this kind of receipt; the first is the default."""
        if self.kind == "in":
            return [
                (self.tr("Change float"), "Розмінна монета"),
                (self.tr("Cash top-up"), "Поповнення каси"),
                (self.tr("Cash"), "Готівка"),
            ]
        if self.kind == "out":
            return [
                (self.tr("Collection"), "Інкасація"),
                (self.tr("Handed to the owner"), "Видача власнику"),
                (self.tr("Cash"), "Готівка"),
            ]
        return [(self.tr("Card"), "Картка")]

    @async_slot()
    async def _show_balance(self) -> None:
        """The cash the register expects in the drawer, so the cashier sees the limit; asked
        of the register without waiting for it (the amount can be typed meanwhile)."""
        from pos.ui.reports import expected_cash

        service = self._running.service
        shift, local, _pending = await asked(service, lambda: expected_cash(service))
        if not shiboken6.isValid(self):
            return  # closed while the register worked
        if shift is None:
            self.balance.setText(self.tr("No shift is open."))
            return
        self.balance.setText(
            self.tr("Cash in the drawer: {amount}").format(
                amount=format_money(int(local.get("balance", 0)))
            )
        )

    # --- input -----------------------------------------------------------------------------

    def amount_kopecks(self) -> int | None:
        """The typed amount, or None with the reason shown under the field."""
        text = self.amount.text().strip()
        if not text:
            self._bad_amount(self.tr("Enter the amount, for example 150 or 150.50."))
            return None
        try:
            kopecks = parse_money(text)
        except MoneyFormatError as error:
            if "decimal places" in str(error):
                message = self.tr("At most two digits after the decimal point (kopecks).")
            elif "larger than" in str(error):
                message = self.tr("That amount is too large.")
            else:
                message = self.tr("“{text}” is not an amount. Type digits, for example 150.50.")
                message = message.format(text=text)
            self._bad_amount(message)
            return None
        if kopecks <= 0:
            self._bad_amount(self.tr("The amount must be more than zero."))
            return None
        return kopecks

    def _bad_amount(self, message: str) -> None:
        self.amount_error.setText(message)
        self.amount.setFocus()
        self.amount.selectAll()

    def reason_text(self) -> str:
        """What is printed: the preset's Ukrainian text, or what the cashier typed."""
        text = self.reason.currentText().strip()
        index = self.reason.currentIndex()
        if index >= 0 and text == self.reason.itemText(index):
            return str(self.reason.itemData(index))
        return text

    # --- confirm ---------------------------------------------------------------------------

    def enter_pressed(self) -> None:
        self.confirm()

    def confirm(self) -> None:
        """Check the input here and now; only a valid amount goes to the register."""
        amount = self.amount_kopecks()
        if amount is not None and not self.busy:
            self._send(amount, self.reason_text())

    @async_slot()
    async def _send(self, amount: int, reason: str) -> None:
        service = self._running.service
        self.set_busy(True, self.tr("Sending to the register…"))
        try:
            if self.kind == "in":
                receipt: Receipt = await service.service_in(amount, reason)
            elif self.kind == "out":
                receipt = await service.service_out(amount, reason)
            else:
                slip = {name: edit.text().strip() for name, edit in self.terminal.items()}
                receipt = await service.cash_withdrawal(amount, reason or CARD_LABEL, slip)
        except RegisterError as error:
            self.set_busy(False)
            self.show_notice("")
            show_error(self, error)
            return
        self.set_busy(False)
        self.receipt_made.emit(receipt)
        self.accept()
