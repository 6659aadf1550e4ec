"""The order screen (Shift+F6): make a customer order from the cart, find orders, take an advance,
take the rest and hand over, cancel with a refund, copy the payment-link data, print.

Why the money buttons ask the register first: Checkbox issues prepayment receipts online only,
so the cashier must learn that *before* taking the customer's money (`OrderDesk.check_online`).
The widgets only show and collect; every rule is `pos.register.orders`'. Finding orders never
waits on the register (busy uploading or closing a shift): the window's look-up thread reads
them (``pos.ui.lookups``), and the mode line reads the status the register last pushed; only
what writes (creating an order, the money steps) goes to the register.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos.domain.money import format_money, format_quantity
from pos.orders.cash_items import CashItemsError, payment_link
from pos.orders.model import (
    ChainRole,
    Customer,
    Order,
    OrderPayment,
    OrderReceipt,
    OrderReceiptState,
    OrderState,
)
from pos.register.cart import Cart
from pos.register.connectivity import ConnectivityState
from pos.register.errors import Refusal, RegisterError
from pos.register.orders import OrderDesk
from pos.register.status import RegisterStatus
from pos.ui.asyncio_qt import async_slot
from pos.ui.lookups import Answer, InOrder, LookupSource
from pos.ui.messages import error_text, show_error, show_info
from pos.ui.orders_pay import OrderPaymentDialog, whole_rest_text
from pos.ui.receipt_dialog import ERROR_STYLE, OK_STYLE, WARN_STYLE, KeyDialog, buttons_row
from pos.ui.register_thread import ServiceFront, lookups_for
from pos.ui.register_writes import asked, written

if TYPE_CHECKING:
    from pos.app import RunningRegister

COLUMNS = 6


class OrdersDialog(KeyDialog):
    """Customer orders. Emits ``order_created(order)`` when the cart became an order (the
    window then empties the cart) and ``order_changed(order)`` after every money step."""

    order_created = Signal(object)
    order_changed = Signal(object)

    def __init__(
        self, running: RunningRegister, cart: Cart | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ordersDialog")
        self._running = running
        self._lookups = lookups_for(running.service)
        self._asked = 0  # the latest search asked; earlier answers are shown no more
        self._in_order = InOrder()  # the lists asked for, then the keys pressed behind them
        self.cart = cart if cart is not None else Cart()
        self._orders: list[Order] = []
        self._cancel_armed: str | None = None
        self._desk: OrderDesk | None = None  # the register's order desk, once asked for
        self.link_text = ""  # the last payment-link data copied (JSON)
        self.setWindowTitle(self.tr("Customer orders"))
        self.resize(980, 680)

        title = QLabel(self.tr("Customer orders"))
        font = QFont(title.font())
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        title.setFont(font)

        self.mode = QLabel()
        self.mode.setObjectName("ordersMode")
        self.mode.setWordWrap(True)

        # --- a new order from the cart --------------------------------------------------------
        self.new_box = QGroupBox(self.tr("New order from the cart"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Customer's name"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("+380 67 123 45 67")
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@example.com")
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("dd.MM.yyyy")
        tomorrow = date.today() + timedelta(days=1)
        self.due.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Note (what, when, how)"))
        self.cart_summary = QLabel()
        self.cart_summary.setWordWrap(True)
        self.create_error = QLabel()
        self.create_error.setStyleSheet(ERROR_STYLE)
        self.create_error.setWordWrap(True)
        self.create_button = self.key_button(
            self.tr("Create order"), Qt.Key.Key_F2, self.create_order
        )
        form = QFormLayout()
        form.addRow(self.tr("Customer:"), self.name)
        form.addRow(self.tr("Phone:"), self.phone)
        form.addRow(self.tr("E-mail:"), self.email)
        form.addRow(self.tr("Due:"), self.due)
        form.addRow(self.tr("Note:"), self.note)
        new_column = QVBoxLayout(self.new_box)
        new_column.addLayout(form)
        new_column.addWidget(self.cart_summary)
        new_column.addWidget(self.create_error)
        new_column.addWidget(self.create_button)
        new_column.addStretch(1)

        # --- finding orders ------------------------------------------------------------------
        self.search = QLineEdit()
        self.search.setObjectName("ordersSearch")
        self.search.setPlaceholderText(self.tr("Find: order number, phone or name"))
        self.search.textEdited.connect(lambda _text: self.refresh())
        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("ordersTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.details = QLabel()
        self.details.setObjectName("orderDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        find_column = QVBoxLayout()
        find_column.addWidget(self.search)
        find_column.addWidget(self.table, 3)
        find_column.addWidget(self.details, 2)

        top = QHBoxLayout()
        self.new_box.setMaximumWidth(340)
        top.addWidget(self.new_box, 1)
        top.addLayout(find_column, 2)

        self.advance_button = self.key_button(self.tr("Advance"), Qt.Key.Key_F4, self.advance)
        self.rest_button = self.key_button(self.tr("Rest and hand over"), Qt.Key.Key_F5, self.rest)
        self.link_button = self.key_button(self.tr("Payment link"), Qt.Key.Key_F6, self.link)
        self.cancel_order_button = self.key_button(
            self.tr("Cancel order"), Qt.Key.Key_F8, self.cancel_order
        )
        self.print_button = self.key_button(self.tr("Print"), Qt.Key.Key_F9, self.print_last)
        self._order_keys = {
            int(key): button
            for key, button in (
                (Qt.Key.Key_F4, self.advance_button),
                (Qt.Key.Key_F5, self.rest_button),
                (Qt.Key.Key_F6, self.link_button),
                (Qt.Key.Key_F8, self.cancel_order_button),
                (Qt.Key.Key_F9, self.print_button),
            )
        }
        self.close_button = self.key_button(self.tr("Close"), Qt.Key.Key_Escape, self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.mode)
        layout.addLayout(top, 1)
        layout.addWidget(self.notice)
        layout.addLayout(
            buttons_row(self.advance_button, self.rest_button, self.cancel_order_button)
        )
        layout.addLayout(buttons_row(self.link_button, self.print_button, self.close_button))
        self._show_cart()
        self.refresh()
        # Connectivity can change while the screen is open: the mode line and the money keys
        # follow it (no journal reads, only the register's state).
        self._online = self.online()
        self._mode_timer = QTimer(self)
        self._mode_timer.setInterval(1000)
        self._mode_timer.timeout.connect(self._mode_tick)
        self._mode_timer.start()
        (self.name if not self.cart.is_empty else self.search).setFocus()

    # --- what is shown ---------------------------------------------------------------------

    def _show_cart(self) -> None:
        empty = self.cart.is_empty
        self.create_button.setEnabled(not empty)
        for field in (self.name, self.phone, self.email, self.due, self.note):
            field.setEnabled(not empty)
        if empty:
            self.cart_summary.setText(
                self.tr("The cart is empty: ring up the goods first, then press Shift+F6.")
            )
        else:
            self.cart_summary.setText(
                self.tr("{count} lines, total {total}").format(
                    count=len(self.cart.lines), total=format_money(self.cart.total)
                )
            )

    @property
    def desk(self) -> OrderDesk:
        """The register's order desk: only for what writes (asked when needed, so opening the
        screen does not wait for a busy register)."""
        return self._running.service.orders

    def _status(self) -> RegisterStatus:
        service = self._running.service
        if isinstance(service, ServiceFront):  # never waits for the register's thread
            return service.latest_status()
        return service.status()

    def online(self) -> bool:
        """As the register last said: online with nothing waiting for upload (the register
        checks again before any money is taken: ``OrderDesk.check_online``)."""
        status = self._status()
        return status.state is ConnectivityState.ONLINE and not status.queued

    def refresh(self, select: str | None = None) -> Answer[list[Order]]:
        """Ask for the orders of the search text; the list shows them when the look-up answers
        (the mode line and the buttons follow at once, and again then)."""
        chosen = self.selected()
        current = select or (chosen.id if chosen is not None else None)
        text = self.search.text()
        self._asked += 1
        asked = self._asked
        answer = self._lookups.ask(_find_orders, text)
        self._in_order.add(answer, lambda found: self._found(asked, current, found))
        self._show_mode()
        self._selected()
        return answer

    @property
    def settled(self) -> bool:
        """Every list asked for is shown, and every key waiting behind one has run."""
        return self._in_order.idle and not self.busy

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """An order key pressed while a list is still being looked up acts on the order that
        list selects (F4 right after F2 takes the advance of the order just created)."""
        button = self._order_keys.get(int(event.key()))
        if (
            button is not None
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and not self._in_order.idle
        ):
            event.accept()
            self._in_order.add(None, lambda _answer: self._press(button))
            return
        super().keyPressEvent(event)

    def _press(self, button: QPushButton) -> None:
        if button.isEnabled() and not self.busy:
            button.click()

    def _found(self, asked: int, current: str | None, answer: Answer[list[Order]]) -> None:
        if asked != self._asked:  # typed over since: a newer answer follows
            return
        try:
            self._orders = answer.result()
        except Exception as error:  # the journal could not be read: say so, keep the screen
            self.show_notice(error_text(error), ERROR_STYLE)
            return
        self.table.setRowCount(len(self._orders))
        for row, order in enumerate(self._orders):
            cells = (
                order.label,
                order.customer.name,
                order.customer.phone,
                format_money(order.total_sum),
                format_money(order.left_to_pay),
                self.state_text(order),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (3, 4):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("No."),
                self.tr("Customer"),
                self.tr("Phone"),
                self.tr("Total"),
                self.tr("Left"),
                self.tr("State"),
            ]
        )
        ids = [o.id for o in self._orders]
        if current in ids:
            self.table.selectRow(ids.index(current))
        elif self._orders:
            self.table.selectRow(0)
        self._show_mode()
        self._selected()

    def _mode_tick(self) -> None:
        online = self.online()
        if online != self._online and not self.busy:
            self._online = online
            armed = self._cancel_armed
            self._show_mode()
            self._selected()
            self._cancel_armed = armed

    def _show_mode(self) -> None:
        if self.online():
            self.mode.setStyleSheet(OK_STYLE)
            self.mode.setText(self.tr("Checkbox is online: advances and payments can be taken."))
        else:
            self.mode.setStyleSheet(WARN_STYLE)
            self.mode.setText(
                self.tr(
                    "Checkbox is not reachable: prepayment receipts cannot be issued offline. "
                    "Take NO money for orders now; orders can still be created and found."
                )
            )

    def state_text(self, order: Order) -> str:
        texts = {
            OrderState.OPEN: self.tr("open"),
            OrderState.PARTLY_PAID: self.tr("partly paid"),
            OrderState.PAID: self.tr("paid"),
            OrderState.HANDED_OVER: self.tr("handed over"),
            OrderState.CANCELLED: self.tr("cancelled"),
        }
        text = texts[order.state]
        if order.unsettled:
            text += " · " + self.tr("not confirmed")
        return text

    def selected(self) -> Order | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._orders):
            return None
        return self._orders[rows[0].row()]

    def _selected(self) -> None:
        order = self.selected()
        self._cancel_armed = None
        money = self.online()
        # One advance per order (Checkbox documents no second one): then the whole rest.
        self.advance_button.setEnabled(
            money and order is not None and order.state is OrderState.OPEN
        )
        takes_rest = order is not None and order.state in (OrderState.PARTLY_PAID, OrderState.PAID)
        self.rest_button.setEnabled(money and takes_rest)
        self.cancel_order_button.setEnabled(
            order is not None
            and order.state in (OrderState.OPEN, OrderState.PARTLY_PAID, OrderState.PAID)
        )
        self.link_button.setEnabled(order is not None and order.left_to_pay > 0)
        self.print_button.setEnabled(order is not None and self._last_done(order) is not None)
        self.details.setText("" if order is None else self.describe(order))

    def describe(self, order: Order) -> str:
        lines = [
            self.tr("Order {number} · {customer} · {phone} · {email}").format(
                number=order.label,
                customer=order.customer.name or "—",
                phone=order.customer.phone or "—",
                email=order.customer.email or "—",
            )
        ]
        if order.due_date is not None:
            lines.append(self.tr("Due: {date}").format(date=order.due_date.strftime("%d.%m.%Y")))
        if order.note:
            lines.append(order.note)
        for li in order.lines:
            quantity = format_quantity(li.quantity) if li.is_weighed else str(li.quantity // 1000)
            lines.append(f"  {li.name} × {quantity} {li.unit} — {format_money(li.price)}")
        kinds = {
            ChainRole.PREPAYMENT: self.tr("Advance"),
            ChainRole.AFTER_PAYMENT: self.tr("After-payment"),
            ChainRole.RETURN: self.tr("Refund"),
        }
        for r in order.receipts:
            if r.state is OrderReceiptState.FAILED:
                continue
            confirmed = (
                "" if r.state is OrderReceiptState.DONE else " · " + self.tr("not confirmed")
            )
            line = self.tr("{kind}: {sum} (cash {cash}, card {card}, QR {qr}) {code}").format(
                kind=kinds[r.kind],
                sum=format_money(r.fiscal.total_sum),
                cash=format_money(r.cash_sum),
                card=format_money(r.card_sum),
                qr=format_money(r.qr_sum),
                code=r.fiscal_code or "",
            )
            lines.append(line + confirmed)
        lines.append(
            self.tr("Total {total}, paid {paid}, left to pay {left}").format(
                total=format_money(order.total_sum),
                paid=format_money(order.paid),
                left=format_money(order.left_to_pay),
            )
        )
        return "\n".join(lines)

    # --- actions ---------------------------------------------------------------------------

    def enter_pressed(self) -> None:
        if self.focusWidget() in (self.name, self.phone, self.email, self.note):
            self.create_order()

    def create_order(self) -> None:
        if self.cart.is_empty or self.busy:
            return
        customer = Customer(self.name.text(), self.phone.text(), self.email.text())
        if not (customer.name.strip() or customer.phone.strip()):
            self.create_error.setText(self.tr("Enter the customer's name or phone."))
            self.name.setFocus()
            return
        due = self.due.date()
        self.set_busy(True, self.tr("Creating the order…"))  # at once: a second F2 waits
        self._create(customer, date(due.year(), due.month(), due.day()), self.note.text().strip())

    @async_slot()
    async def _create(self, customer: Customer, due: date, note: str) -> None:
        """The order is written by the register; the screen stays alive while it is busy."""
        cart = self.cart
        try:
            order = await written(
                self._running.service,
                lambda: self.desk.create(cart, customer, due_date=due, note=note),
            )
        except RegisterError as error:
            self.set_busy(False)
            self.show_notice("")
            show_error(self, error)
            return
        self.set_busy(False)
        self.create_error.clear()
        self.cart = Cart()
        self._show_cart()
        for field in (self.name, self.phone, self.email, self.note):
            field.clear()
        self.search.clear()
        self.refresh(select=order.id)
        self.show_notice(
            self.tr("Order {number} is created. Take an advance with F4.").format(
                number=order.label
            )
        )
        self.order_created.emit(order)

    async def _the_desk(self) -> OrderDesk:
        """``desk`` fetched once without waiting for the register's thread (it is a property
        of the register, read on its thread); then its front is kept."""
        if self._desk is None:
            service = self._running.service
            self._desk = await asked(service, lambda: service.orders)
        return self._desk

    async def _money_allowed(self) -> bool:
        """Ask the register before any money changes hands (the screen does not wait for it
        meanwhile: the register may be busy uploading)."""
        try:
            desk = await self._the_desk()
            await asked(self._running.service, desk.check_online)
        except RegisterError as error:
            if not shiboken6.isValid(self):
                return False
            self._show_mode()
            if error.refusal is Refusal.UNREACHABLE:
                show_info(
                    self,
                    self.tr(
                        "Checkbox is not reachable, and prepayment receipts cannot be issued "
                        "offline. Take NO money for this order now; try again when the register "
                        "is online."
                    ),
                    self.tr("No advances offline"),
                )
            else:
                show_error(self, error)
            return False
        return True

    @async_slot()
    async def advance(self) -> None:
        order = self.selected()
        if order is None or order.state is not OrderState.OPEN:
            return
        if await self._money_allowed() and shiboken6.isValid(self):
            self._pay(order, advance=True)

    @async_slot()
    async def rest(self) -> None:
        order = self.selected()
        if order is not None and await self._money_allowed() and shiboken6.isValid(self):
            self._pay(order, advance=False)

    def _pay(self, order: Order, *, advance: bool) -> None:
        dialog = OrderPaymentDialog(order, advance=advance, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(lambda payments: self._send(order.id, advance, payments))
        self.payment_dialog = dialog
        dialog.open()

    @async_slot()
    async def _send(self, order_id: str, advance: bool, payments: list[OrderPayment]) -> None:
        self.set_busy(True, self.tr("Sending to Checkbox…"))
        try:
            desk = await self._the_desk()
            if advance:
                order = await desk.take_advance(order_id, payments)
            else:
                order = await desk.pay_rest(order_id, payments)
        except RegisterError as error:
            self.set_busy(False)
            self.show_notice("")
            if "whole_rest" in error.params:
                show_info(self, whole_rest_text(int(error.params["whole_rest"])))
            else:
                show_error(self, error)
            self.refresh(select=order_id)
            return
        self.set_busy(False)
        self.refresh(select=order.id)
        last = self._last_done(order)
        text = (
            self.tr("Advance taken for order {number}: fiscal code {code}. Print it with F9.")
            if advance
            else self.tr("Order {number} is paid and handed over: fiscal code {code}.")
        )
        self.show_notice(text.format(number=order.label, code=last.fiscal_code if last else "—"))
        self.order_changed.emit(order)

    @async_slot()
    async def cancel_order(self) -> None:
        order = self.selected()
        if order is None or self.busy:
            return
        if order.paid and self._cancel_armed != order.id:
            if not await self._money_allowed() or not shiboken6.isValid(self):
                return
            self._cancel_armed = order.id
            kept = [r for r in order.receipts if r.kind is not ChainRole.RETURN and r.counts]
            self.show_notice(
                self.tr(
                    "Press F8 again to cancel order {number} and refund {amount}: "
                    "cash {cash}, to the card {card}, QR {qr}."
                ).format(
                    number=order.label,
                    amount=format_money(order.paid),
                    cash=format_money(sum(r.cash_sum for r in kept)),
                    card=format_money(sum(r.card_sum for r in kept)),
                    qr=format_money(sum(r.qr_sum for r in kept)),
                )
            )
            return
        self._cancel(order.id)

    @async_slot()
    async def _cancel(self, order_id: str) -> None:
        self.set_busy(True, self.tr("Cancelling…"))
        try:
            order = await (await self._the_desk()).cancel(order_id)
        except RegisterError as error:
            self.set_busy(False)
            self.show_notice("")
            show_error(self, error)
            return
        self.set_busy(False)
        self.refresh(select=order.id)
        self.show_notice(self.tr("Order {number} is cancelled.").format(number=order.label))
        self.order_changed.emit(order)

    def link(self) -> None:
        """Copy the payment-link parameters (Unitpay's cashItems with the customer's contacts)."""
        order = self.selected()
        if order is None:
            return
        try:
            params = payment_link(order).params()
        except CashItemsError as error:
            self.show_notice(self.tr("No payment link: {reason}").format(reason=str(error)))
            return
        text = json.dumps(params, ensure_ascii=False)
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(text)
        self.link_text = text
        self.show_notice(
            self.tr(
                "Payment link data for {amount} copied (cashItems, customer's contacts)."
            ).format(amount=format_money(payment_link(order).amount))
        )

    @staticmethod
    def _last_done(order: Order) -> OrderReceipt | None:
        done = [
            r
            for r in order.receipts
            if r.state is OrderReceiptState.DONE and r.kind is not ChainRole.RETURN
        ]
        return done[-1] if done else None

    def print_last(self) -> None:
        """Print the order's latest receipt in our receipt layout (the ESC/POS roll when one is
        set, else the system printer), from what the journal holds: no network needed."""
        from pos.printing.html import rows_html
        from pos.printing.order_receipt import order_receipt_rows
        from pos.ui.receipt_dialog import receipt_header

        order = self.selected()
        last = None if order is None else self._last_done(order)
        if order is None or last is None:
            return
        rows = order_receipt_rows(
            order, last, receipt_header(self._running), server_response=last.server_response
        )
        page = rows_html(rows, title=f"Чек {last.fiscal_code or last.id}")
        self.print_document(page, self._running.config, self.tr("Receipt"), rows=rows)


def _find_orders(source: LookupSource, text: str) -> list[Order]:
    """On the look-up thread: by number, phone or a part of the name."""
    return source.orders.find(text)
