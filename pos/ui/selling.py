"""The selling screen: scan or search, the cart, categories, totals, and the actions by key.

Why it is built from small parts (``search_input``, ``cart_table``, ``categories``, ``totals``,
``cart_dialogs``, ``payment``): each has one job and can be tested alone; this page wires them to
the cart being rung up and to the register service. It holds no rule of its own: quantities and
discounts are checked by ``Cart``, the sale is made by ``RegisterService.sell``.

Keys (handled by the main window, which knows which page is showing): F3 search, F4 quantity,
F5 discount (manager), F6 park/resume, F12 pay, Del remove the line, +/- one piece more/less,
Esc clear the search (then: cancel the receipt, after a question), Up/Down the results or lines.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from pos.app import RunningRegister
from pos.domain.discounts import Discount
from pos.domain.money import format_money
from pos.journal.records import CatalogueItem, Receipt
from pos.register import held_carts
from pos.register.cart import PIECE, Cart, CartLine
from pos.register.errors import Refusal, RegisterError
from pos.ui.cart_dialogs import DiscountDialog, ParkedCart, ParkedCartsDialog, QuantityDialog
from pos.ui.cart_table import CartModel, CartTable
from pos.ui.categories import CategoryPanel
from pos.ui.lookups import Answer, CatalogueSource, InOrder, ScanResult, resolve_scan
from pos.ui.manager_pin import ManagerPinDialog
from pos.ui.messages import error_text, show_error
from pos.ui.notice_line import NoticePlace
from pos.ui.payment import PaymentDialog
from pos.ui.register_thread import held_at_open, lookups_for
from pos.ui.search_input import ScanSearchInput
from pos.ui.totals import TotalsPanel

log = logging.getLogger(__name__)

RESULTS = 40  # live search results shown
NOTICE_MS = 6000
CART_SAVE_MS = 250
"""How soon a change of the carts is saved: a kill loses at most this much of the scanning
(the cart is not fiscal; what was sold is in its receipt)."""


class SellingPage(QWidget):
    sold = Signal(object)  # the journal's Receipt of a finished sale
    results_shown = Signal(str)  # the live results for this text are on screen

    def __init__(self, running: RunningRegister, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sellingPage")
        self._running = running
        self._service = running.service
        self._lookups = lookups_for(self._service)
        self._in_order = InOrder()  # the cashier's keys, applied in the order they came
        self._shown_for: str | None = None  # the text the results list shows the goods of
        # The open and parked carts as the journal kept them (they survive a restart).
        self.cart, held = held_at_open(self._service)
        self.parked: list[ParkedCart] = [
            ParkedCart(p.cart, p.parked_at, p.number, p.cart.total) for p in held
        ]
        self._parked_number = max((p.number for p in self.parked), default=0)
        self.last_receipt: Receipt | None = None
        self.payment: PaymentDialog | None = None
        self.preview: QDialog | None = None
        self._results_for: str | None = None

        self.search = ScanSearchInput(self)
        self.search.scanned.connect(self.on_scanned)
        self.search.search_changed.connect(self.show_results)
        self.search.activated.connect(self.on_activated)
        self.search.navigate.connect(self.on_navigate)
        self._notice_place = NoticePlace(self)
        self.notice = self._notice_place.line
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(lambda: self.notice.setText(""))

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(CART_SAVE_MS)
        self._save_timer.timeout.connect(self._save_carts)

        self.model = CartModel(self.cart, self)
        self.model.error.connect(lambda error: show_error(self, error))
        self.model.problem.connect(lambda text: self.say(text, error=True))
        self.model.scanned.connect(self._scanned_elsewhere)
        self.model.before_change.connect(self._remember)
        self._undo: list[CartState] = []
        self.model.changed.connect(self._cart_changed)
        self.table = CartTable(self.model, self)
        self.table.remove_requested.connect(self.remove_line)

        self.results = QListWidget(self)
        self.results.setObjectName("searchResults")
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.itemClicked.connect(self._result_clicked)
        self.categories = CategoryPanel(self._lookups, self)
        self.categories.item_chosen.connect(self.add_item)
        self.categories.loaded.connect(self._categories_loaded)
        self.has_categories = False
        self.side = QStackedWidget(self)
        self.side.addWidget(self.categories)
        self.side.addWidget(self.results)
        self.totals = TotalsPanel(self._service.rounding_mode, self)

        right = QVBoxLayout()
        right.addWidget(self.side, 1)
        right.addWidget(self.totals)
        self._right = QWidget(self)
        self._right.setLayout(right)
        right.setContentsMargins(0, 0, 0, 0)

        middle = QHBoxLayout()
        middle.addWidget(self.table, 3)
        middle.addWidget(self._right, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 0)
        layout.addWidget(self.search)
        layout.addWidget(self._notice_place)
        layout.addLayout(middle, 1)

        self.categories.reload()
        self._update_side()
        self._cart_changed()
        self.setFocusProxy(self.search)

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.show_results(self.search.text().strip(), force=True)
        super().changeEvent(event)

    # --- feedback ------------------------------------------------------------------------------

    def say(self, text: str, *, error: bool = False) -> None:
        """A line above the cart that goes away by itself (no box to dismiss between scans)."""
        self.notice.setText(text)
        if self.notice.property("error") != error:
            self.notice.setProperty("error", error)
            self.notice.style().unpolish(self.notice)
            self.notice.style().polish(self.notice)
        if error:
            QApplication.beep()
        self._notice_timer.start(NOTICE_MS)

    def _cart_changed(self) -> None:
        self.totals.show_cart(self.cart)
        if not self._save_timer.isActive():
            self._save_timer.start()

    def save_carts_now(self) -> None:
        """The open and parked carts to the journal now, if a save is due (before a payment:
        the sale's commit clears the saved cart it sells, so the saved one must be that one)."""
        if self._save_timer.isActive():
            self._save_timer.stop()
            self._save_carts()

    @override
    def hideEvent(self, event: QHideEvent) -> None:
        self.save_carts_now()  # the window closes or another page shows: nothing left unsaved
        super().hideEvent(event)

    def _save_carts(self) -> None:
        """The open and parked carts go to the journal within ``CART_SAVE_MS`` of a change:
        one save for a burst of scans, made between them, rather than one per scan competing
        with the cashier's next Enter for the CPU."""
        parked = [held_carts.ParkedCartRecord(p.number, p.parked_at, p.cart) for p in self.parked]
        # Made here (the carts change on this thread), saved on the register's: never waited on.
        self._service.save_carts_soon(held_carts.held(self.cart, parked))

    # --- search, scan, categories -------------------------------------------------------------

    def _update_side(self) -> None:
        searching = bool(self.search.text().strip())
        self.side.setCurrentWidget(self.results if searching else self.categories)
        self.side.setVisible(searching or self.has_categories)

    def show_results(self, text: str, force: bool = False) -> None:
        """Live results for what is typed, shown when the look-up thread answers (an indexed
        query; the list shows the previous results until then)."""
        if text == self._results_for and not force:
            return
        self._results_for = text
        if not text:
            self._fill_results("", [])
            return
        self._lookups.ask(_search, text).add_done_callback(
            lambda answer: self._results_answered(text, answer)
        )

    def _results_answered(self, text: str, answer: Answer[list[CatalogueItem]]) -> None:
        if text == self._results_for:  # not typed over since
            self._fill_results(text, _found(answer))

    def _fill_results(self, text: str, items: list[CatalogueItem]) -> None:
        self.results.clear()
        self._shown_for = text
        if text:
            for item in items:
                entry = QListWidgetItem(_result_text(item))
                entry.setData(Qt.ItemDataRole.UserRole, item)
                entry.setToolTip(item.name)
                self.results.addItem(entry)
            if items:
                self.results.setCurrentRow(0)
            else:
                empty = QListWidgetItem(self.tr("Nothing found for “{text}”").format(text=text))
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                self.results.addItem(empty)
        self._update_side()
        self.results_shown.emit(text)

    def _categories_loaded(self, has_categories: bool) -> None:
        self.has_categories = has_categories
        self._update_side()

    def catalogue_changed(self) -> None:
        """A good was added or changed (the goods editor): the shelves and results again."""
        self.categories.reload()
        self.show_results(self.search.text().strip(), force=True)

    def on_navigate(self, step: int) -> None:
        if self.search.text().strip() and self.results.count():
            row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
            self.results.setCurrentRow(row)
            return
        if self.cart.lines:
            current = self.table.current_row()
            start = len(self.cart.lines) if current < 0 else current
            self.table.select_row(max(0, min(len(self.cart.lines) - 1, start + step)))

    def on_activated(self, text: str) -> None:
        """Enter on typed text: the highlighted result goes into the cart (the results of
        this text are asked for first when the list does not show them yet)."""
        if not text:
            return
        if self._shown_for == text:
            self._in_order.add(None, lambda _answer: self._take_highlighted(text))
            return
        self._results_for = text

        def answered(answer: Answer[list[CatalogueItem]]) -> None:
            self._fill_results(text, _found(answer))
            self._take_highlighted(text)

        self._in_order.add(self._lookups.ask(_search, text), answered)

    def _take_highlighted(self, text: str) -> None:
        entry = self.results.currentItem() if self._shown_for == text else None
        item = entry.data(Qt.ItemDataRole.UserRole) if entry is not None else None
        if isinstance(item, CatalogueItem):
            if self.search.text().strip() == text:
                self.search.reset()
            self.add_item(item)
        else:
            self.say(self.tr("Nothing found for “{text}”").format(text=text), error=True)
            self.search.selectAll()

    def _result_clicked(self, entry: QListWidgetItem) -> None:
        item = entry.data(Qt.ItemDataRole.UserRole)
        if isinstance(item, CatalogueItem):
            self.search.reset()
            self.add_item(item)
            self.search.setFocus()

    def on_scanned(self, code: str) -> None:
        """A barcode: a catalogue good, or a scale label with the weight or price in it. The
        look-up answers later; scans and keys that follow wait for it, in their order."""
        self._in_order.add(self._lookups.ask(resolve_scan, code), self._scan_answered)

    def _scan_answered(self, answer: Answer[ScanResult]) -> None:
        try:
            result = answer.result()
        except Exception as error:  # the catalogue could not be read: say so, keep selling
            show_error(self, error)
            return
        code, found = result.code, result.found
        if result.error is not None:
            if result.error.refusal is not Refusal.BAD_INPUT:
                show_error(self, result.error)
            else:
                self.say(error_text(result.error) + f" ({code})", error=True)
            return
        if found is None:
            self.say(self.tr("No good with the barcode {code}").format(code=code), error=True)
            return
        self.add_item(found.item, found.quantity, price=found.price, barcode=code)

    @property
    def settled(self) -> bool:
        """Every scan and key so far is applied (their look-ups answered)."""
        return self._in_order.idle

    def _after_lookups(self, action: Callable[[], None]) -> bool:
        """Queue ``action`` behind scans whose look-up has not answered yet (F12 right after
        a scan pays for the scanned good too); True when it was queued."""
        if self._in_order.idle or self._in_order.running:
            return False
        self._in_order.add(None, lambda _answer: action())
        return True

    def _scanned_elsewhere(self, code: str) -> None:
        """A barcode that went into a quantity box: it is the next good, not a quantity."""
        self.say(
            self.tr("That was a barcode, not a quantity: {code} is scanned.").format(code=code)
        )
        QTimer.singleShot(0, lambda: self.on_scanned(code))

    # --- the cart ------------------------------------------------------------------------------

    def add_item(
        self,
        item: CatalogueItem,
        quantity: int | None = None,
        *,
        price: int | None = None,
        barcode: str | None = None,
    ) -> None:
        """Put a good in the cart; a weighed good with no weight asks for it first."""
        if item.is_weighed and quantity is None and price is None:
            dialog = QuantityDialog(item.name, weighed=True, unit=item.unit, parent=self)
            dialog.chosen.connect(
                lambda value: self.add_item(item, value, price=price, barcode=barcode)
            )
            dialog.scanned.connect(self._scanned_elsewhere)
            dialog.finished.connect(lambda _result: self.search.setFocus())
            dialog.open()
            return
        before = _state(self.cart)
        try:
            row = self.cart.add(item, quantity, price=price, barcode=barcode)
        except RegisterError as error:
            show_error(self, error)
            return
        self.close_receipt_preview()
        self._keep_for_undo(before)
        self.model.refresh()
        self.table.select_row(row)
        line = self.cart.lines[row]
        self.say(
            self.tr("Added: {name} — {quantity}").format(
                name=item.name, quantity=_quantity_words(line.quantity, line.is_weighed, item)
            )
        )
        self.search.setFocus()

    def current_row(self) -> int:
        row = self.table.current_row()
        if row < 0 and self.cart.lines:
            row = len(self.cart.lines) - 1
        return row

    def remove_line(self, row: int | None = None) -> None:
        """Del: take the line off; once the cart has a discount, only with the manager's PIN
        (a discounted line must not vanish from a receipt unseen)."""
        if self._after_lookups(lambda: self.remove_line(row)):
            return
        row = self.current_row() if row is None else row
        if not 0 <= row < len(self.cart.lines):
            return
        if self.cart.receipt_discount is not None or any(li.discount for li in self.cart.lines):
            line = self.cart.lines[row]
            gate = ManagerPinDialog(
                self._running.config,
                self,
                reason=self.tr("Remove a line after a discount: {name}").format(
                    name=line.item.name
                ),
            )
            gate.granted.connect(lambda: self._remove_line(line))
            gate.finished.connect(lambda _result: self.search.setFocus())
            gate.open()
            return
        self._remove_line(self.cart.lines[row])

    def _remove_line(self, line: CartLine) -> None:
        if line not in self.cart.lines:
            return
        row = self.cart.lines.index(line)
        name = line.item.name
        self._remember()
        self.cart.remove(row)
        self.model.refresh()
        self.table.select_row(min(row, len(self.cart.lines) - 1))
        self.say(self.tr("Removed: {name}").format(name=name))

    def step_quantity(self, step: int) -> None:
        """+/-: one piece more or less; a weighed good asks for its weight instead."""
        if self._after_lookups(lambda: self.step_quantity(step)):
            return
        row = self.current_row()
        if row < 0:
            return
        line = self.cart.lines[row]
        if line.is_weighed:
            self.change_quantity()
            return
        quantity = line.quantity + step * PIECE
        if quantity <= 0:
            self.say(self.tr("To take the line off, press Del."), error=True)
            return
        self._set_quantity(row, quantity)

    def _set_quantity(self, row: int, quantity: int) -> None:
        before = _state(self.cart)
        try:
            self.cart.set_quantity(row, quantity)
        except RegisterError as error:
            show_error(self, error)
            return
        self._keep_for_undo(before)
        self.model.refresh()
        self.table.select_row(row)

    def change_quantity(self) -> None:
        """F4: the quantity (or weight) of the selected line."""
        if self._after_lookups(self.change_quantity):
            return
        row = self.current_row()
        if row < 0:
            self.say(self.tr("The receipt is empty."), error=True)
            return
        line = self.cart.lines[row]
        dialog = QuantityDialog(
            line.item.name,
            weighed=line.is_weighed,
            unit=line.item.unit,
            initial=line.quantity,
            parent=self,
        )
        dialog.chosen.connect(lambda value: self._set_quantity(row, value))
        dialog.scanned.connect(self._scanned_elsewhere)
        dialog.finished.connect(lambda _result: self.search.setFocus())
        dialog.open()

    def ask_discount(self) -> None:
        """F5: a discount or extra charge on the line or the receipt, after the manager's PIN."""
        if self._after_lookups(self.ask_discount):
            return
        if self.cart.is_empty:
            self.say(self.tr("The receipt is empty."), error=True)
            return
        gate = ManagerPinDialog(
            self._running.config, self, reason=self.tr("Discount or extra charge")
        )
        gate.granted.connect(self._open_discount)
        gate.open()

    def _open_discount(self) -> None:
        row = self.current_row()
        line = self.cart.lines[row] if row >= 0 else None
        dialog = DiscountDialog(
            line_name=line.item.name if line else None,
            line_discount=line.discount if line else None,
            receipt_discount=self.cart.receipt_discount,
            parent=self,
        )
        dialog.chosen.connect(lambda target, value: self.apply_discount(target, value, row))
        dialog.finished.connect(lambda _result: self.search.setFocus())
        dialog.open()

    def apply_discount(self, target: str, value: Discount | None, row: int) -> None:
        before = _state(self.cart)
        try:
            if target == "line":
                self.cart.set_line_discount(row, value)
            else:
                self.cart.set_receipt_discount(value)
        except RegisterError as error:
            show_error(self, error)
            return
        self._keep_for_undo(before)
        self.model.refresh()
        if row >= 0:
            self.table.select_row(row)

    # --- parking -------------------------------------------------------------------------------

    def park_or_resume(self) -> None:
        """F6: with nothing parked, park the receipt at once; otherwise choose."""
        if self._after_lookups(self.park_or_resume):
            return
        if not self.parked:
            if self.cart.is_empty:
                self.say(self.tr("Nothing to park: the receipt is empty."), error=True)
                return
            self.park()
            return
        dialog = ParkedCartsDialog(self.parked, can_hold=not self.cart.is_empty, parent=self)
        dialog.hold_requested.connect(self.park)
        dialog.resume_requested.connect(self.resume)
        dialog.finished.connect(lambda _result: self.search.setFocus())
        dialog.open()

    def park(self) -> None:
        if self.cart.is_empty:
            return
        self._parked_number += 1
        self.parked.append(
            ParkedCart(self.cart, datetime.now(UTC), self._parked_number, self.cart.total)
        )
        self.say(
            self.tr("Receipt parked as #{number}. F6 brings it back.").format(
                number=self._parked_number
            )
        )
        self._replace_cart(Cart())

    def resume(self, number: int) -> None:
        chosen = next((p for p in self.parked if p.number == number), None)
        if chosen is None:
            return
        self.parked.remove(chosen)
        if not self.cart.is_empty:  # swap: the current one is parked in its place
            self.park()
        self._replace_cart(chosen.cart)
        self.say(self.tr("Receipt #{number} resumed.").format(number=number))

    def _remember(self) -> None:
        """The cart as it is, before a change (for Ctrl+Z)."""
        self._keep_for_undo(_state(self.cart))

    def _keep_for_undo(self, before: CartState) -> None:
        """One more step for Ctrl+Z; only the last ``UNDO_STEPS`` are kept (a long receipt
        must not keep a copy of its lines per scan)."""
        self._undo.append(before)
        del self._undo[:-UNDO_STEPS]

    def undo(self) -> None:
        """Ctrl+Z: the cart as it was before its last change (add, quantity, discount, removal,
        cancel). A new, parked or resumed cart starts with nothing to undo."""
        if self._after_lookups(self.undo):
            return
        if not self._undo:
            self.say(self.tr("Nothing to undo."), error=True)
            return
        lines, receipt_discount = self._undo.pop()
        self.cart.lines[:] = lines
        self.cart.receipt_discount = receipt_discount
        self.model.refresh()
        self.table.select_row(len(self.cart.lines) - 1)
        self.say(self.tr("Undone: the receipt is as it was before the last change."))
        self.search.setFocus()

    def _replace_cart(self, cart: Cart) -> None:
        self._undo = []
        self.cart = cart
        self.model.set_cart(cart)  # its "changed" saves the carts
        self.table.select_row(len(cart.lines) - 1)
        self.search.reset()
        self.search.setFocus()

    # --- cancel and pay ------------------------------------------------------------------------

    def cancel(self) -> None:
        """Esc: clear the search; on an empty search, offer to cancel the whole receipt."""
        if self.search.text():
            self.search.reset()
            return
        if self._after_lookups(self._ask_cancel):
            return
        self._ask_cancel()

    def _ask_cancel(self) -> None:
        if self.cart.is_empty:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Cancel the receipt"))
        box.setText(self.tr("Remove every line of this receipt?"))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("cancelReceiptBox")
        box.accepted.connect(self._clear_cart)
        box.open()

    def _clear_cart(self) -> None:
        self._remember()
        undo = self._undo
        self.cart.clear()
        self._replace_cart(self.cart)
        self._undo = undo  # Ctrl+Z brings the cancelled receipt back
        self.say(self.tr("The receipt was cancelled. Ctrl+Z brings it back."))

    def pay(self) -> None:
        """F12: the payment dialog for the cart; the sale happens there."""
        if self._after_lookups(self.pay):
            return
        if self.cart.is_empty:
            self.say(self.tr("The receipt is empty: scan or choose goods first."), error=True)
            return
        try:
            self.cart.priced()
        except Exception as error:  # the cart refuses to price (e.g. discount too large)
            show_error(self, error)
            return
        self.save_carts_now()  # saved before the sale that clears it (in the register's order)
        dialog = PaymentDialog(self._running, self.cart, self)
        dialog.paid.connect(self._paid)
        dialog.finished.connect(self._payment_closed)
        self.payment = dialog
        dialog.open()

    def _payment_closed(self) -> None:
        self.payment = None
        self.search.setFocus()

    def _paid(self, receipt: Receipt) -> None:
        self.last_receipt = receipt
        self._replace_cart(Cart())
        self.say(
            self.tr("Sold: {sum}. Receipt {code}.").format(
                sum=format_money(receipt.total_sum), code=receipt.fiscal_code or "…"
            )
        )
        self.sold.emit(receipt)
        printing = getattr(self.window(), "printing", None)  # the window's receipt printer
        if printing is None or not printing.after_sale(receipt):
            self.show_receipt(receipt)

    def show_receipt(self, receipt: Receipt) -> None:
        """The receipt preview (print, PDF, e-mail), not taking the scanner's keys."""
        from pos.ui.receipt_dialog import ReceiptDialog

        self.close_receipt_preview()
        dialog = ReceiptDialog(self._running, receipt, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setObjectName("receiptDialog")
        # Not modal and not taking the keyboard: the next customer's first scan goes on typing
        # into the search box; if the cashier clicked into the preview, its keys come back.
        dialog.setModal(False)
        dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        dialog.hands_on_keys = True
        dialog.typed.connect(self._typed_into_preview)
        dialog.finished.connect(lambda _result: self._preview_closed(dialog))
        self.preview = dialog
        dialog.show()
        self.window().activateWindow()
        self.search.setFocus()

    def close_receipt_preview(self) -> None:
        """The next sale begins: the previous receipt's preview goes away."""
        preview, self.preview = self.preview, None
        if preview is not None and shiboken6.isValid(preview) and preview.isVisible():
            preview.reject()

    def _preview_closed(self, dialog: QWidget) -> None:
        if self.preview is dialog:
            self.preview = None
        self.window().activateWindow()
        self.search.setFocus()

    def _typed_into_preview(self, key: int, text: str) -> None:
        """A key the preview handed back (it closed itself): type it into the search box."""
        self.window().activateWindow()
        self.search.setFocus()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                self.search, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
            )


UNDO_STEPS = 50
CartState = tuple[list[CartLine], Discount | None]
"""A cart's lines and receipt discount at one moment (the lines are frozen records)."""


def _state(cart: Cart) -> CartState:
    return list(cart.lines), cart.receipt_discount


def _search(source: CatalogueSource, text: str) -> list[CatalogueItem]:
    return source.search(text, RESULTS)


def _found(answer: Answer[list[CatalogueItem]]) -> list[CatalogueItem]:
    """A search's goods; none when the catalogue could not be read (said in the log)."""
    try:
        return answer.result()
    except Exception:
        log.exception("the live search failed")
        return []


def _result_text(item: CatalogueItem) -> str:
    price = format_money(item.price)
    return f"{item.name}   —   {price}" + (f" / {item.unit}" if item.is_weighed else "")


def _quantity_words(quantity: int, weighed: bool, item: CatalogueItem) -> str:
    from pos.domain.money import format_quantity

    if weighed:
        return f"{format_quantity(quantity)} {item.unit}"
    return f"{quantity // PIECE} {item.unit}"
