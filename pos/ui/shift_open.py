"""Opening the shift: the cash the drawer should hold (the agreed float).

Checkbox carries the register's cash over from the last shift (``balance.initial``); the page
shows it, and only the difference to the float typed is booked (a service cash-in, or a cash-out
when the drawer holds more). Empty keeps the carried balance as it is. The shift opens online or,
when Checkbox cannot be reached and this is not the register's first shift, offline.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from typing_extensions import override

from pos.app import RunningRegister
from pos.domain.money import format_money
from pos.register.errors import RegisterError
from pos.ui.asyncio_qt import async_slot
from pos.ui.messages import show_error
from pos.ui.register_thread import ServiceFront
from pos.ui.widgets import MoneyEdit

log = logging.getLogger(__name__)

QUICK_FLOATS = (0, 20000, 50000, 100000)


class ShiftOpenPage(QWidget):
    #: The open ended, opened or refused: the window routes again (it stays here meanwhile).
    opening_ended = Signal()
    carried_known = Signal(int)  # the carried balance, read on the register's thread

    def __init__(self, running: RunningRegister, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shiftOpenPage")
        self._running = running
        #: True from "Open" until the float is booked: the shift is opened on Checkbox before its
        #: float's service receipt, and the selling screen must not show a half-opened shift.
        self.opening = False
        self.carried_known.connect(self._show_carried_amount)
        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt = QLabel(self)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setWordWrap(True)
        self.carried = QLabel(self)
        self.carried.setObjectName("carriedBalance")
        self.carried.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.carried.setWordWrap(True)
        self.amount = MoneyEdit(self)
        self.amount.setObjectName("floatEdit")
        self.amount.setMaximumWidth(360)
        self.amount.returnPressed.connect(self.open_shift)
        quick = QHBoxLayout()
        self.quick_buttons: list[QPushButton] = []
        for value in QUICK_FLOATS:
            button = QPushButton(format_money(value), self)
            button.setProperty("role", "quick")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, v=value: self._quick(v))
            quick.addWidget(button)
            self.quick_buttons.append(button)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openShiftButton")
        self.open_button.setProperty("role", "primary")
        self.open_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.open_button.clicked.connect(self.open_shift)
        self.message = QLabel(self)
        self.message.setObjectName("notice")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)

        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.prompt)
        column.addWidget(self.carried)
        column.addWidget(self.amount, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addLayout(quick)
        column.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.message)
        column.addStretch(2)
        self.setFocusProxy(self.amount)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Open the shift"))
        self.prompt.setText(
            self.tr("Opening float: the cash the drawer should hold (empty: as carried), Enter")
        )
        self.show_carried()
        self.amount.setPlaceholderText("0.00")
        self.open_button.setText(self.tr("Open shift (Enter)"))

    def show_carried(self) -> None:
        """The balance Checkbox carries from the last shift; only the difference is booked.
        Read on the register's thread and shown when it answers: the page shows after a Z,
        while the register may still be busy, and must not wait for it."""
        service = self._running.service
        if isinstance(service, ServiceFront):
            service.soon("carried_balance").add_done_callback(self._carried_read)
        else:
            self._show_carried_amount(service.carried_balance())

    def _carried_read(self, future: concurrent.futures.Future[int]) -> None:
        """On the register's thread: the answer goes to the page's (a queued signal)."""
        if future.cancelled() or future.exception() is not None:
            log.error("the carried balance could not be read", exc_info=future.exception())
            return
        with contextlib.suppress(RuntimeError):  # the page is gone: nothing to show
            self.carried_known.emit(future.result())

    def _show_carried_amount(self, carried: int) -> None:
        self.carried.setText(
            self.tr(
                "Carried from the last shift: {amount}. Only the difference to the float is "
                "booked (in or out)."
            ).format(amount=format_money(carried))
        )

    @override
    def showEvent(self, event: QShowEvent) -> None:
        self.show_carried()
        super().showEvent(event)

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _quick(self, value: int) -> None:
        self.amount.set_value(value)
        self.amount.setFocus()

    def set_message(self, text: str) -> None:
        self.message.setText(text)

    @async_slot()
    async def open_shift(self) -> None:
        amount = self.amount.value()
        if amount is None and self.amount.text().strip():
            self.amount.selectAll()
            return
        self.open_button.setEnabled(False)
        self.amount.setReadOnly(True)
        self.message.setText(self.tr("Opening the shift…"))
        self.opening = True
        try:
            await self._running.service.open_shift(amount or 0)
        except RegisterError as error:
            self.message.setText("")
            show_error(self, error)
            return
        finally:
            self.opening = False
            self.open_button.setEnabled(True)
            self.amount.setReadOnly(False)
            self.opening_ended.emit()
        self.amount.clear()
        self.message.setText("")
