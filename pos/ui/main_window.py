"""The cashier's main window: sign-in → open shift → selling, with the register's state always
visible and every action on a key.

Why the window owns the keys: the till is worked from the keyboard (and a scanner), so the
function keys must work wherever the focus is (search box, cart, a button); an application event
filter sees key presses aimed at this window while no dialog is open and dispatches them (see
``KEYS``). Buttons and menu entries show their keys. Which page shows follows the register's
status (``RegisterService.subscribe``): not signed in → PIN pad; no open shift → opening float;
else the selling screen.

Training mode has a purple band on every screen and an outage drill menu (tax service down/up,
network cut/restore) that drives the embedded sandbox; the manager's actions (work offline,
settings) sit behind the manager's PIN. The dialogs for returns, cash operations, reports,
receipts and settings live in their own modules and are imported when first opened.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from pos.app import RunningRegister
from pos.config import AppConfig
from pos.domain.money import format_money
from pos.journal.records import Receipt, ShiftState
from pos.register.cart import Cart
from pos.register.status import RegisterStatus
from pos.ui import window_keys
from pos.ui.asyncio_qt import async_slot
from pos.ui.drill_faults import DRILL_FAULTS, drill_fault_label
from pos.ui.i18n import LANGUAGES, Translations
from pos.ui.manager_pin import ManagerPinDialog
from pos.ui.messages import show_error, show_info
from pos.ui.printer_output import ReceiptPrinting
from pos.ui.register_thread import ServiceFront, latest_status
from pos.ui.selling import SellingPage
from pos.ui.shift_open import ShiftOpenPage
from pos.ui.sign_in import SignInPage
from pos.ui.status_bar import BannerArea, RegisterStatusBar
from pos.ui.widgets import KeyButton

log = logging.getLogger(__name__)

STATUS_REFRESH_MS = 1000  # the timers (shift, offline) move even when nothing happens
DRILL_STEP_TIMEOUT = 15.0


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(
        self,
        running: RunningRegister,
        *,
        translations: Translations | None = None,
        save_config: Callable[[AppConfig], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.running = running
        self.service = running.service
        self._translations = translations
        self._save_config = save_config
        self.status: RegisterStatus = self._current_status()

        self.training_band = QLabel(self)
        self.training_band.setObjectName("trainingBand")
        self.training_band.setVisible(running.training)
        self.banners = BannerArea(self)
        self.sign_in_page = SignInPage(running, self)
        self.sign_in_page.sign_in_ended.connect(self.refresh_status)
        self.shift_page = ShiftOpenPage(running, self)
        self.shift_page.opening_ended.connect(self.refresh_status)
        self.selling: SellingPage = SellingPage(running, self)
        self.selling.sold.connect(lambda _receipt: self.refresh_status())
        self.pages = QStackedWidget(self)
        for page in (self.sign_in_page, self.shift_page, self.selling):
            self.pages.addWidget(page)
        self.status_bar = RegisterStatusBar(self)
        self.printing = ReceiptPrinting(running, self)
        self.printer_state = QLabel(self)
        self.printer_state.setObjectName("printerState")
        self.printer_state.setWordWrap(True)
        self.printer_state.setStyleSheet("color: #8a4b00; font-weight: bold; padding: 2px 8px;")
        self.printer_state.hide()
        self.printing.state_changed.connect(lambda _status: self.show_printer_state())

        self.buttons: dict[str, KeyButton] = {}
        self._dialogs: dict[str, QWidget] = {}
        self.action_bar = QWidget(self)
        self.action_bar.setObjectName("actionBar")
        bar = QHBoxLayout(self.action_bar)
        bar.setContentsMargins(8, 4, 8, 4)
        bar.setSpacing(5)
        for entry in window_keys.buttons():  # one table: buttons, captions, help, dispatch
            button = KeyButton(entry.name, parent=self.action_bar)
            button.setObjectName(f"key{entry.name}")
            action = entry.action
            assert action is not None
            button.clicked.connect(lambda _checked=False, act=action: act(self))
            bar.addWidget(button, entry.stretch)
            self.buttons[entry.name] = button
        self.buttons["F12"].setProperty("role", "primary")

        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.training_band)
        column.addWidget(self.banners)
        column.addWidget(self.pages, 1)
        column.addWidget(self.printer_state)
        column.addWidget(self.action_bar)
        column.addWidget(self.status_bar)
        self.setCentralWidget(central)

        self._build_menus()
        self.retranslate_ui()

        self._refresh_pending = False
        self._leaving = False
        self.service.subscribe(self._status_may_have_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(STATUS_REFRESH_MS)
        self._timer.timeout.connect(self.refresh_status)
        self._timer.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.resize(1024, 768)
        self.refresh_status()

    # --- menus ---------------------------------------------------------------------------------

    def _action(self, menu: QMenu, slot: Callable[[], Any], name: str) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.register_menu = bar.addMenu("")
        self.a_open_shift = self._action(self.register_menu, self.shift_menu, "openShift")
        self.a_return = self._action(self.register_menu, self.open_return, "return")
        self.a_orders = self._action(self.register_menu, self.open_orders, "orders")
        self.a_cash_in = self._action(self.register_menu, lambda: self.open_cash("in"), "cashIn")
        self.a_cash_out = self._action(self.register_menu, lambda: self.open_cash("out"), "cashOut")
        self.a_withdrawal = self._action(
            self.register_menu, lambda: self.open_cash("withdrawal"), "withdrawal"
        )
        self.register_menu.addSeparator()
        self.a_x = self._action(self.register_menu, lambda: self.open_report(z=False), "xReport")
        self.a_z = self._action(self.register_menu, lambda: self.open_report(z=True), "zReport")
        self.a_shift_receipts = self._action(
            self.register_menu, self.open_shift_receipts, "shiftReceipts"
        )
        self.a_reprint = self._action(self.register_menu, self.reprint_last, "reprint")
        self.a_reprint.setShortcut(QKeySequence("Ctrl+P"))
        self.register_menu.addSeparator()
        self.a_sign_out = self._action(self.register_menu, self.sign_out, "signOut")
        self.a_quit = self._action(self.register_menu, self.ask_to_quit, "quit")

        self.manager_menu = bar.addMenu("")
        self.a_offline = QAction(self)
        self.a_offline.setObjectName("workOffline")
        self.a_offline.setCheckable(True)
        self.a_offline.triggered.connect(self._offline_toggled)
        self.manager_menu.addAction(self.a_offline)
        self.a_drawer = self._action(self.manager_menu, self.ask_open_drawer, "openDrawer")
        self.a_settings = self._action(self.manager_menu, self.open_settings, "settings")
        self.a_goods = self._action(self.manager_menu, self.open_goods, "goods")
        self.a_reports = self._action(self.manager_menu, self.open_reports, "reports")

        self.drill_menu: QMenu | None = None
        self.drill_outages: dict[str, bool] = {}
        """Which training outage is on ("tax_down", "net_cut", …): the drill menu ticks it."""
        self.drill_states: dict[QAction, Callable[[], bool]] = {}
        """Each drill entry and whether its state is the current one (entries may be added)."""
        if self.running.training:
            self.drill_menu = bar.addMenu("")
            self.a_tax_down = self._action(
                self.drill_menu, lambda: self.drill(tax_up=False), "taxDown"
            )
            self.a_tax_up = self._action(self.drill_menu, lambda: self.drill(tax_up=True), "taxUp")
            self.drill_menu.addSeparator()
            self.a_net_cut = self._action(self.drill_menu, lambda: self.drill(cut=True), "netCut")
            self.a_net_back = self._action(
                self.drill_menu, lambda: self.drill(cut=False), "netRestore"
            )
            self.drill_states = {
                self.a_tax_down: lambda: self.drill_outages.get("tax_down", False),
                self.a_tax_up: lambda: not self.drill_outages.get("tax_down", False),
                self.a_net_cut: lambda: self.drill_outages.get("net_cut", False),
                self.a_net_back: lambda: not self.drill_outages.get("net_cut", False),
            }
            self.show_drill_state()
            self.drill_menu.addSeparator()
            self.fault_menu = self.drill_menu.addMenu("")
            self.fault_actions: dict[str | None, QAction] = {}
            faults = QActionGroup(self)
            for fault in DRILL_FAULTS:
                action = QAction(self)
                action.setObjectName(f"fault_{fault or 'none'}")
                action.setCheckable(True)
                action.setChecked(fault is None)
                action.triggered.connect(lambda _c=False, f=fault: self.drill_fault(f))
                faults.addAction(action)
                self.fault_menu.addAction(action)
                self.fault_actions[fault] = action

        self.language_menu = bar.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        current = self._translations.language if self._translations else ""
        for code, name in LANGUAGES.items():
            action = QAction(name, self)
            action.setObjectName(f"language_{code}")
            action.setCheckable(True)
            action.setChecked(code == (current or self.running.config.language))
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

        self.help_menu = bar.addMenu("")
        self.a_help = self._action(self.help_menu, self.show_help, "help")
        self.a_diagnostics = self._action(
            self.help_menu, self.ask_export_diagnostics, "exportDiagnostics"
        )
        self.a_about = self._action(self.help_menu, self.show_about, "about")

    # --- texts ---------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        training = self.tr("TRAINING MODE — receipts are not fiscal")
        self.setWindowTitle(self.tr("POS — training") if self.running.training else self.tr("POS"))
        self.training_band.setText(training)
        for entry in window_keys.buttons():
            self.buttons[entry.name].set_caption(entry.caption_text())
        self.register_menu.setTitle(self.tr("&Register"))
        self.a_open_shift.setText(self.tr("Shift…") + "\tF2")
        self.a_return.setText(self.tr("Return…") + "\tF7")
        self.a_orders.setText(self.tr("Customer orders…") + "\tShift+F6")
        self.a_cash_in.setText(self.tr("Cash in…") + "\tF8")
        self.a_cash_out.setText(self.tr("Cash out…"))
        self.a_withdrawal.setText(self.tr("Cash withdrawal by card…"))
        self.a_x.setText(self.tr("X-report") + "\tF9")
        self.a_z.setText(self.tr("Z-report (close the shift)") + "\tF10")
        self.a_reprint.setText(self.tr("Reprint the last receipt"))
        self.a_sign_out.setText(self.tr("Sign out"))
        self.a_quit.setText(self.tr("Quit"))
        self.manager_menu.setTitle(self.tr("&Manager"))
        self.a_offline.setText(self.tr("Work offline"))
        self.a_drawer.setText(self.tr("Open the cash drawer…"))
        self.a_settings.setText(self.tr("Settings…"))
        self.a_goods.setText(self.tr("Goods…"))
        self.a_reports.setText(self.tr("Reports…") + "\tShift+F11")
        self.a_shift_receipts.setText(self.tr("Receipts of this shift…") + "\tF11")
        if self.drill_menu is not None:
            self.show_drill_state()
            self.a_tax_down.setText(self.tr("Tax service down"))
            self.a_tax_up.setText(self.tr("Tax service up"))
            self.a_net_cut.setText(self.tr("Network cut"))
            self.a_net_back.setText(self.tr("Network restore"))
            self.fault_menu.setTitle(self.tr("Checkbox fault"))
            for fault, action in self.fault_actions.items():
                action.setText(drill_fault_label(fault))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.a_help.setText(self.tr("Keys") + "\tF1")
        self.a_diagnostics.setText(self.tr("Export diagnostics…"))
        self.a_about.setText(self.tr("About POS"))
        self.show_printer_state()

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_language(self, language: str) -> None:
        """Switch the language now (every window retranslates) and remember it."""
        if self._translations is not None:
            language = self._translations.install(language)
        self.running.config.language = language
        for code, action in self.language_actions.items():
            action.setChecked(code == language)
        if self._save_config is not None:
            try:
                self._save_config(self.running.config)
            except OSError as error:
                show_error(self, error)

    # --- status --------------------------------------------------------------------------------

    def _status_may_have_changed(self) -> None:
        """The register's callback (on the loop): coalesce bursts into one refresh."""
        if not self._refresh_pending:
            self._refresh_pending = True
            QTimer.singleShot(0, self.refresh_status)

    def _current_status(self) -> RegisterStatus:
        """On the register's thread (the window's register), the snapshot it pushed after its
        last change, and a fresh one asked for: the window never waits for the journal."""
        if isinstance(self.service, ServiceFront):
            self.service.refresh_status_soon()
            return self.service.latest_status()
        return self.service.status()

    def refresh_status(self) -> None:
        self._refresh_pending = False
        self.status = self._current_status()
        self.status_bar.show_status(self.status)
        if self.running.backoffice is not None:  # set by the push thread; read, never waited on
            self.status_bar.show_backoffice(self.running.backoffice.status)
        self.banners.show_status(self.status)
        self.a_offline.setChecked(self.status.forced_offline)
        self._route()

    def _route(self) -> None:
        status = self.status
        shift = status.shift
        if not status.signed_in or self.sign_in_page.signing_in:
            page: QWidget = self.sign_in_page
        elif shift is None or shift.state is not ShiftState.OPENED or self.shift_page.opening:
            page = self.shift_page
            if shift is not None and shift.state is ShiftState.CLOSING:
                self.shift_page.set_message(
                    self.tr(
                        "The shift is being closed: the register is waiting for Checkbox to "
                        "confirm the Z-report."
                    )
                )
        else:
            page = self.selling
        if self.pages.currentWidget() is not page:
            self.pages.setCurrentWidget(page)
            page.setFocus()
        self.action_bar.setVisible(page is self.selling)
        selling = page is self.selling
        for action in (self.a_return, self.a_cash_in, self.a_cash_out, self.a_withdrawal):
            action.setEnabled(selling)
        self.a_x.setEnabled(shift is not None)
        self.a_z.setEnabled(shift is not None)
        self.a_sign_out.setEnabled(status.signed_in)

    @property
    def page_name(self) -> str:
        """ "sign_in", "shift" or "selling" (for tests and screenshots)."""
        page = self.pages.currentWidget()
        if page is self.sign_in_page:
            return "sign_in"
        return "shift" if page is self.shift_page else "selling"

    # --- keys ----------------------------------------------------------------------------------

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QWidget)
            and watched.window() is self
            and QApplication.activeModalWidget() is None
            and QApplication.activePopupWidget() is None
            and isinstance(event, QKeyEvent)
            and self.handle_key(event, watched)
        ):
            return True
        return super().eventFilter(watched, event)

    def handle_key(self, event: QKeyEvent, target: QWidget | None = None) -> bool:
        """The window's keys (``target``: the widget the key was sent to); True when used."""
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if (
            key == Qt.Key.Key_Z
            and modifiers == Qt.KeyboardModifier.ControlModifier
            and self.page_name == "selling"
        ):
            self.selling.undo()
            return True
        if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            return False
        page = self.page_name
        shift = modifiers == Qt.KeyboardModifier.ShiftModifier
        entry = window_keys.dispatched(key, shift, page)
        if entry is not None and entry.action is not None:
            entry.action(self)
            return True
        if page != "selling":
            return False
        selling = self.selling
        target = target or QApplication.focusWidget()
        if isinstance(target, QLineEdit) and target is not selling.search:
            return False  # an editor (the quantity in the cart): its keys are its own
        if target is not selling.search and self._is_scanner_key(event):
            # The focus was moved (a touch on the cart): the scanner still types into the search.
            selling.search.setFocus()
            QApplication.sendEvent(
                selling.search,
                QKeyEvent(event.type(), event.key(), event.modifiers(), event.text()),
            )
            return True
        search_empty = not selling.search.text()
        if key == Qt.Key.Key_Escape:
            selling.cancel()
            return True
        if search_empty and key == Qt.Key.Key_Delete:
            selling.remove_line()
            return True
        if search_empty and key in (Qt.Key.Key_Plus, Qt.Key.Key_Minus, Qt.Key.Key_Equal):
            selling.step_quantity(-1 if key == Qt.Key.Key_Minus else 1)
            return True
        return False

    @staticmethod
    def _is_scanner_key(event: QKeyEvent) -> bool:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return True
        text = event.text()
        return bool(text) and text.isprintable() and text not in "+-="

    def focus_search(self) -> None:
        self.selling.search.setFocus()
        self.selling.search.selectAll()

    def show_help(self) -> None:
        lines = window_keys.help_lines()
        show_info(self, "\n".join(lines), self.tr("Keys"))

    # --- shift, cash, reports, returns ----------------------------------------------------------

    def shift_menu(self) -> None:
        """F2: the opening float on the shift page; on the selling page, the shift's actions."""
        if self.page_name == "shift":
            self.shift_page.amount.setFocus()
            self.shift_page.open_shift()
            return
        if self.page_name != "selling":
            return
        menu = QMenu(self)
        menu.setObjectName("shiftMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("X-report") + "\tF9", lambda: self.open_report(z=False))
        menu.addAction(
            self.tr("Z-report (close the shift)") + "\tF10", lambda: self.open_report(z=True)
        )
        menu.addAction(self.tr("Cash in / cash out…") + "\tF8", self.cash_menu)
        menu.addAction(self.tr("Return…") + "\tF7", self.open_return)
        menu.addSeparator()
        menu.addAction(self.tr("Sign out"), self.sign_out)
        menu.popup(self.buttons["F2"].mapToGlobal(self.buttons["F2"].rect().topLeft()))

    def cash_menu(self) -> None:
        """F8: cash in, cash out or cash withdrawal by card."""
        if self.page_name != "selling":
            return
        menu = QMenu(self)
        menu.setObjectName("cashMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("Cash in (service deposit)…"), lambda: self.open_cash("in"))
        menu.addAction(self.tr("Cash out (service withdrawal)…"), lambda: self.open_cash("out"))
        menu.addAction(self.tr("Cash withdrawal by card…"), lambda: self.open_cash("withdrawal"))
        menu.popup(self.buttons["F8"].mapToGlobal(self.buttons["F8"].rect().topLeft()))

    def open_cash(self, kind: str) -> None:
        from pos.ui.cash_ops import CashDialog

        dialog = CashDialog(self.running, kind, self)
        dialog.receipt_made.connect(self._receipt_made)
        self._open(dialog)

    def open_return(self) -> None:
        if self.page_name != "selling":
            return
        from pos.ui.returns import ReturnDialog

        dialog = ReturnDialog(self.running, self)
        dialog.receipt_made.connect(self._receipt_made)
        self._open(dialog)

    def open_orders(self) -> None:
        """Shift+F6: customer orders (a new one from the cart, advances, hand-over)."""
        if self.page_name != "selling":
            return
        if self.selling._after_lookups(self.open_orders):  # the cart's scans land first
            return
        from pos.ui.orders import OrdersDialog

        dialog = OrdersDialog(self.running, self.selling.cart, self)
        dialog.order_created.connect(lambda _order: self.selling._replace_cart(Cart()))
        dialog.order_changed.connect(lambda _order: self.refresh_status())
        self._open(dialog)

    def open_report(self, *, z: bool) -> None:
        if self.status.shift is None:
            show_info(self, self.tr("No shift is open."))
            return
        from pos.ui.reports import ReportDialog

        dialog = ReportDialog(self.running, z, self)
        dialog.shift_closed.connect(lambda _view: self.refresh_status())
        self._open(dialog)

    def _open(self, dialog: QWidget) -> None:
        """Open one of the shift's dialogs. Not deleted on close: its own coroutines (a report
        being fetched) may still finish after Esc; the previous dialog of the same kind is
        deleted when the next one opens, long after it is done."""
        kind = type(dialog).__name__
        previous = self._dialogs.pop(kind, None)
        if previous is not None:
            previous.deleteLater()
        self._dialogs[kind] = dialog
        finished = getattr(dialog, "finished", None)
        if finished is not None:
            finished.connect(lambda _result: self._dialog_closed())
        dialog.open()  # type: ignore[attr-defined]

    def _dialog_closed(self) -> None:
        self.refresh_status()
        if self.page_name == "selling":
            self.selling.search.setFocus()

    def _receipt_made(self, receipt: Receipt) -> None:
        self.refresh_status()
        if not self.printing.after_sale(receipt):
            QTimer.singleShot(0, lambda: self.selling.show_receipt(receipt))

    # --- printer, drawer, diagnostics, about ----------------------------------------------------

    def show_printer_state(self) -> None:
        text = self.printing.state_text()
        self.printer_state.setText(text)
        self.printer_state.setVisible(bool(text))

    def reprint_last(self) -> None:
        """Ctrl+P: what did not print, else the last receipt (on the printer, or its dialog)."""
        if self.printing.reprint_waiting():
            return
        self._reprint_last()

    # Not exclusive: each Ctrl+P is a copy asked for.
    @async_slot(exclusive=False)
    async def _reprint_last(self) -> None:
        """The last receipt read again by the register, without the window waiting for it."""
        from pos.ui.register_writes import asked

        last, service = self.selling.last_receipt, self.service
        fresh = None if last is None else await asked(service, lambda: service.receipt(last.id))
        if fresh is None:
            show_info(self, self.tr("No receipt has been made since the program started."))
            return
        if self.printing.has_printer():
            self.printing.print_receipt(fresh)
        else:
            self.selling.show_receipt(fresh)

    def ask_open_drawer(self) -> None:
        self._manager(self.tr("Open the cash drawer"), self.open_drawer)

    def open_drawer(self) -> None:
        if not self.printing.open_drawer():
            show_info(
                self,
                self.tr(
                    "The cash drawer opens through an ESC/POS receipt printer. "
                    "Set one up in Settings → Printer."
                ),
            )

    def ask_export_diagnostics(self) -> None:
        from pos.diagnostics import default_name
        from pos.ui.receipt_dialog import ask_save_path

        ask_save_path(
            self,
            default_name(),
            self.tr("Zip (*.zip)"),
            self.export_diagnostics_to,
            title=self.tr("Export diagnostics"),
        )

    @async_slot()
    async def export_diagnostics_to(self, path: Any) -> None:
        from pathlib import Path

        from pos.diagnostics import export

        config = self.running.config
        extra = {"window": {"page": self.page_name, "printer": self.printing.status.state.value}}
        try:
            written = await asyncio.to_thread(
                export, Path(path), config.data, config=config, extra=extra
            )
        except OSError as error:
            show_error(self, error)
            return
        show_info(
            self,
            self.tr(
                "Diagnostics saved to {path}. It holds no secrets and no customer data."
            ).format(path=str(written)),
        )

    def show_about(self) -> None:
        from pos.ui.about import AboutDialog

        dialog = AboutDialog(self.running, self)
        self._open(dialog)

    @async_slot()
    async def sign_out(self) -> None:
        if not self.selling.cart.is_empty or self.selling.parked:
            show_info(self, self.tr("Finish or cancel the receipts in progress first."))
            return
        await self.service.sign_out()
        self.refresh_status()

    # --- manager -------------------------------------------------------------------------------

    def _manager(self, reason: str, granted: Callable[[], Any]) -> ManagerPinDialog:
        gate = ManagerPinDialog(self.running.config, self, reason=reason)
        gate.granted.connect(granted)
        gate.open()
        return gate

    def _offline_toggled(self) -> None:
        # What the manager asked for is the item's new check state (Qt toggles it on trigger),
        # not the negation of a status snapshot that may not yet show the last change.
        wanted = self.a_offline.isChecked()
        self.a_offline.setChecked(not wanted)  # until the PIN is given
        self._manager(
            self.tr("Work offline") if wanted else self.tr("End offline work"),
            lambda: self.set_forced_offline(wanted),
        )

    # Not exclusive: the status the register pushes can show the change before this call's
    # answer is back, and a manager's next click then must not be dropped; the register runs
    # the calls in the order they were made.
    @async_slot(exclusive=False)
    async def set_forced_offline(self, offline: bool) -> None:
        if offline:
            await self.service.force_offline()
        else:
            await self.service.release_offline()
        self.refresh_status()

    def open_reports(self) -> None:
        """The manager's reports window (pos.ui.history_window), behind the manager PIN."""
        self._manager(self.tr("Reports"), self._show_reports)

    def _show_reports(self, shift_id: str | None = None) -> None:
        from pos.ui.history_window import HistoryWindow

        window = HistoryWindow(
            self.running.journal.engine, running=self.running, shift_id=shift_id, parent=self
        )
        self._open(window)

    def open_shift_receipts(self) -> None:
        """The cashier's own receipts of the current shift: no manager PIN needed."""
        shift = self.status.shift
        if shift is None:
            show_info(self, self.tr("No shift is open."))
            return
        self._show_reports(shift.id)

    def open_settings(self) -> None:
        self._manager(self.tr("Settings"), self._show_settings)

    def _show_settings(self) -> None:
        from pos.ui.settings import SettingsDialog

        dialog = SettingsDialog(self.running, self)
        dialog.settings_saved.connect(self._settings_saved)
        self._open(dialog)

    def open_goods(self) -> None:
        self._manager(self.tr("Goods"), self._show_goods)

    def _show_goods(self) -> None:
        from pos.ui.goods_editor import GoodsEditorDialog

        dialog = GoodsEditorDialog(self.running, self)
        dialog.saved.connect(lambda _item: self.selling.catalogue_changed())
        self._open(dialog)

    def _settings_saved(self, config: AppConfig) -> None:
        language = config.language
        if self._translations is not None and language and language != self._translations.language:
            self._translations.install(language)
            for code, action in self.language_actions.items():
                action.setChecked(code == language)

    # --- outage drill (training) ---------------------------------------------------------------

    def show_drill_state(self) -> None:
        """Tick the drill entries whose state is on now; the menu's title says an outage is on."""
        for action, is_on in self.drill_states.items():
            action.setCheckable(True)
            action.setChecked(is_on())
        if self.drill_menu is not None:
            title = self.tr("&Training drill")
            if any(self.drill_outages.values()):
                title += " ⚠"
            self.drill_menu.setTitle(title)

    @async_slot(exclusive=False)
    async def drill(self, *, tax_up: bool | None = None, cut: bool | None = None) -> None:
        """Training: switch the sandbox's tax service or the simulated network, then let the
        register look at once so the status bar follows."""
        if not self.running.training:
            return
        if tax_up is not None:
            await self.running.tax_service(tax_up)
            self.drill_outages["tax_down"] = not tax_up
        if cut is not None:
            self.running.cut_network(cut)
            self.drill_outages["net_cut"] = cut
        self.show_drill_state()
        self.refresh_status()
        try:
            await asyncio.wait_for(self.service.sync(), DRILL_STEP_TIMEOUT)
        except TimeoutError:
            log.info("drill: the register is still looking")
        self.refresh_status()

    @async_slot(exclusive=False)
    async def drill_fault(self, fault: str | None) -> None:
        """Training: schedule one of Checkbox's failures (or none); the menu shows which is on."""
        if not self.running.training:
            return
        await self.running.checkbox_fault(fault)
        for kind, action in self.fault_actions.items():
            action.setChecked(kind == fault)
        self.drill_outages["checkbox_fault"] = fault is not None
        self.show_drill_state()
        self.refresh_status()

    # --- closing -------------------------------------------------------------------------------

    def exit_question(self) -> str:
        """What leaving now would leave behind, in the cashier's words; "" when nothing."""
        selling = self.selling
        parts: list[str] = []
        if not selling.cart.is_empty:
            parts.append(
                self.tr("The open receipt ({lines} line(s), {total}) has not been paid.").format(
                    lines=len(selling.cart.lines), total=format_money(selling.cart.total)
                )
            )
        if selling.parked:
            parts.append(
                self.tr("{count} parked receipt(s) have not been paid.").format(
                    count=len(selling.parked)
                )
            )
        if parts:
            parts.append(
                self.tr(
                    "An unpaid receipt is not a sale: nothing of it has been fiscalised, and no "
                    "money is owed for it. If the customer is still here, finish it first."
                )
            )
        queued = latest_status(self.service).queued  # as last pushed: never waits
        if queued:
            parts.append(
                self.tr(
                    "{count} document(s) made while offline wait to be uploaded. They are kept "
                    "safely in the journal and are uploaded by themselves at the next start, "
                    "as soon as there is a connection."
                ).format(count=queued)
            )
        return "\n\n".join(parts)

    def ask_to_quit(self) -> None:
        """Quit (the menu, the window's ✕): asks first when something is left unfinished."""
        question = self.exit_question()
        if not question:
            self.quit_without_asking()
            return
        box = QMessageBox(self)
        box.setObjectName("exitBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Quit"))
        box.setText(self.tr("Quit the program now?"))
        box.setInformativeText(question)
        leave = box.addButton(self.tr("Quit anyway"), QMessageBox.ButtonRole.AcceptRole)
        stay = box.addButton(self.tr("Stay (Esc)"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        leave.clicked.connect(self.quit_without_asking)
        box.open()

    def quit_without_asking(self) -> None:
        """Close now (a shutdown request, or after the cashier said yes)."""
        self._leaving = True
        self.close()

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        if event.spontaneous() and not self._leaving and self.exit_question():
            # The window manager's ✕ or Alt+F4 with receipts in progress: ask first.
            event.ignore()
            QTimer.singleShot(0, self.ask_to_quit)
            return
        self._timer.stop()
        self.service.unsubscribe(self._status_may_have_changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().closeEvent(event)
        self.closed.emit()
