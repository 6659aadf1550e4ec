"""Receipt preview, printing and PDF (``ReceiptDialog``), and what the cash-desk dialogs share.

Why the shared part lives here: the return, cash, report and settings dialogs all print through
``pos.printing`` with the same header and the same printer choice, and all handle keys the same
way (Enter = the main action, Esc = cancel, every button shows its key), so one ``KeyDialog`` base
keeps them alike. Texts on paper are Ukrainian (a fiscal document); texts on screen go through
``tr()``. Widgets here read records and call the register service, nothing below it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pos.journal.records import Receipt, ReceiptState
from pos.printing.escpos_output import EscposSettings, settings_from
from pos.printing.html import receipt_html
from pos.printing.layout import ReceiptHeader, Row
from pos.printing.qt_output import RECEIPT_PAPER_WIDTH_MM, PrintError, print_html, save_pdf
from pos.register.upload import CONFLICT
from pos.ui.asyncio_qt import async_slot, spawn

if TYPE_CHECKING:
    from pos.app import RunningRegister
    from pos.config import AppConfig

PREVIEW_FONT_PT = 10.0
"""The preview is read on a screen at arm's length: a little larger than the 8 pt paper."""

TOUCH_STYLE = """
QPushButton { min-height: 44px; padding: 4px 16px; font-size: 11pt; }
QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox, QDateEdit { min-height: 36px; font-size: 11pt; }
QTabBar::tab { min-height: 36px; padding: 4px 14px; }
"""

ERROR_STYLE = "color: #b00020; font-weight: bold;"
OK_STYLE = "color: #1b5e20; font-weight: bold;"
WARN_STYLE = "color: #8a4b00; font-weight: bold;"

_KEY_NAMES = {
    Qt.Key.Key_Return: "Enter",
    Qt.Key.Key_Escape: "Esc",
    Qt.Key.Key_Delete: "Del",
}


def key_name(key: Qt.Key) -> str:
    """What the button says about its key ("F2", "Enter", "Esc")."""
    if key in _KEY_NAMES:
        return _KEY_NAMES[key]
    from PySide6.QtGui import QKeySequence

    return QKeySequence(key).toString()


BUTTON_PADDING = 2 * 16 + 16
"""TOUCH_STYLE's horizontal padding, the frame and a little air, in px."""


def fit_text(button: QPushButton, minimum: int = 120) -> None:
    """Wide enough for its whole caption in the font it will be shown in (a style sheet's
    padding is not always in the size hint: Ukrainian captions were clipped, "берегти PDF (F3")."""
    button.ensurePolished()
    needed = button.fontMetrics().horizontalAdvance(button.text()) + BUTTON_PADDING
    button.setMinimumWidth(max(minimum, needed))


def paper_width_mm(config: AppConfig) -> float:
    """The receipt roll's width from the settings; 80 mm when the settings do not say."""
    return float(config.paper_width_mm or RECEIPT_PAPER_WIDTH_MM)


def receipt_header(running: RunningRegister) -> ReceiptHeader:
    """What the paper says about the shop and the register; training marks every page.

    The register's fiscal number and the cashier's name change only at a sign-in, which pushes
    a new status before it returns: the pushed snapshot has them, and printing never waits for
    a busy register."""
    from pos.ui.register_thread import latest_status

    status = latest_status(running.service)
    return ReceiptHeader(
        shop_name=running.config.shop_name,
        shop_address=running.config.shop_address,
        register_fiscal_number=status.fiscal_number or "",
        cashier_name=status.cashier_name or "",
        training=running.training,
    )


class KeyDialog(QDialog):
    """A dialog driven from the keyboard: each action button has a key shown on it, Enter runs
    ``enter_pressed`` (the main action where the focus is), Esc cancels unless work is running.

    Keys are handled in ``keyPressEvent`` rather than by window shortcuts, so they work the same
    whether or not the window manager thinks the dialog is active (touch screens, tests)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(TOUCH_STYLE)
        self._keys: dict[int, QPushButton] = {}
        self._busy = False
        self._paused: list[QPushButton] = []
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()

    # --- keys ------------------------------------------------------------------------------

    def key_button(self, text: str, key: Qt.Key, slot: Callable[[], Any]) -> QPushButton:
        """A large button labelled with its key; the key clicks it."""
        button = QPushButton(f"{text} ({key_name(key)})", self)
        button.setAutoDefault(False)
        button.setDefault(False)
        fit_text(button)
        button.clicked.connect(lambda _checked=False: slot())
        if key not in (Qt.Key.Key_Return,):
            self._keys[int(key)] = button
        return button

    def enter_pressed(self) -> None:
        """Enter: the dialog's main action for where the focus is (subclasses decide)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if not self._busy:
                self.enter_pressed()
            return
        button = self._keys.get(int(key)) if modifiers == Qt.KeyboardModifier.NoModifier else None
        if button is not None:
            event.accept()
            if button.isEnabled() and button.isVisible() and not self._busy:
                button.click()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        """Esc or closing: not while the register is working on something for this dialog."""
        if self._busy:
            return
        super().reject()

    def set_busy(self, busy: bool, text: str = "") -> None:
        """While the register works, the enabled buttons are disabled and Esc waits; afterwards
        exactly those come back (a button that was off for its own reason stays off)."""
        if busy and not self._busy:
            self._paused = [b for b in self.findChildren(QPushButton) if b.isEnabled()]
            for button in self._paused:
                button.setEnabled(False)
        elif not busy and self._busy:
            for button in self._paused:
                button.setEnabled(True)
            self._paused = []
        self._busy = busy
        if text:
            self.show_notice(text)

    @property
    def busy(self) -> bool:
        return self._busy

    def show_notice(self, text: str, style: str = "") -> None:
        """One line of feedback inside the dialog (no extra window to dismiss)."""
        self.notice.setStyleSheet(style)
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # --- printing --------------------------------------------------------------------------

    def print_document(
        self, html: str, config: AppConfig, what: str, *, rows: Sequence[Row] | None = None
    ) -> None:
        """Print on the printer from the settings, or let the cashier pick one when none is set.
        With its layout ``rows`` (any document: report, prepayment…) it goes to the ESC/POS
        receipt printer when one is set, off the GUI thread."""
        settings = settings_from(config)
        running = self._register()
        if rows is not None and settings is not None and running is not None:
            spawn(self._print_rows(running, list(rows), settings, what))
            return
        if config.printer:
            self._print_on(html, config.printer, config, what, copies=1)
            return
        dialog = QPrintDialog(self)
        dialog.setWindowTitle(
            QCoreApplication.translate("KeyDialog", "Print {what}").format(what=what)
        )
        dialog.accepted.connect(lambda: self._print_with(html, dialog.printer(), config, what))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()  # as open(): never a nested event loop

    def _register(self) -> RunningRegister | None:
        """The running register of the dialogs that print (they keep it as ``_running``)."""
        from pos.app import RunningRegister

        running = getattr(self, "_running", None)
        return running if isinstance(running, RunningRegister) else None

    async def _print_rows(
        self, running: RunningRegister, rows: list[Row], settings: EscposSettings, what: str
    ) -> None:
        from pos.ui.printer_output import ReceiptPrinting

        spooler = ReceiptPrinting(running, self)
        self.show_notice(QCoreApplication.translate("KeyDialog", "Printing…"))
        document = f"{type(self).__name__}-{id(self)}"
        if await spooler.spooler.print_rows(document, rows, settings):
            self.show_notice(
                QCoreApplication.translate("KeyDialog", "{what} was printed.").format(what=what),
                OK_STYLE,
            )
            return
        reason = spooler.trouble_text(spooler.spooler.status)
        spooler.spooler.forget(document)  # the dialog is open: the cashier prints it again
        self.show_notice(
            QCoreApplication.translate("KeyDialog", "Printing failed: {reason}").format(
                reason=reason
            ),
            ERROR_STYLE,
        )

    def _print_with(self, html: str, printer: QPrinter, config: AppConfig, what: str) -> None:
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
            self.write_pdf(html, Path(printer.outputFileName()), config)
            return
        self._print_on(html, printer.printerName(), config, what, copies=printer.copyCount())

    def _print_on(self, html: str, name: str, config: AppConfig, what: str, copies: int) -> None:
        try:
            print_html(html, name or None, paper_width_mm=paper_width_mm(config), copies=copies)
        except PrintError as error:
            self.show_notice(
                QCoreApplication.translate("KeyDialog", "Printing failed: {reason}").format(
                    reason=str(error)
                ),
                ERROR_STYLE,
            )
            return
        self.show_notice(
            QCoreApplication.translate("KeyDialog", "{what} sent to the printer {name}.").format(
                what=what, name=name
            ),
            OK_STYLE,
        )

    def ask_pdf_path(self, suggested: str, on_chosen: Callable[[Path], object]) -> QFileDialog:
        """A non-blocking save dialog (Qt's own, so it looks the same everywhere)."""
        return ask_save_path(
            self,
            suggested,
            QCoreApplication.translate("KeyDialog", "PDF (*.pdf)"),
            on_chosen,
            title=QCoreApplication.translate("KeyDialog", "Save as PDF"),
        )

    def write_pdf(self, html: str, path: Path, config: AppConfig) -> bool:
        """Save ``html`` as a PDF strip of the roll's width; says where, or why not."""
        try:
            save_pdf(html, path, paper_width_mm=paper_width_mm(config))
        except (OSError, PrintError) as error:
            self.show_notice(
                QCoreApplication.translate("KeyDialog", "Could not save the PDF: {reason}").format(
                    reason=str(error)
                ),
                ERROR_STYLE,
            )
            return False
        self.show_notice(
            QCoreApplication.translate("KeyDialog", "Saved to {path}").format(path=str(path)),
            OK_STYLE,
        )
        return True


def ask_save_path(
    parent: QWidget,
    suggested: str,
    name_filter: str,
    on_chosen: Callable[[Path], object],
    *,
    title: str = "",
) -> QFileDialog:
    """A non-blocking save dialog in the Documents folder (Qt's own, the same everywhere)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    dialog = QFileDialog(parent, title, folder, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setDefaultSuffix(Path(suggested).suffix.lstrip(".") or "pdf")
    dialog.selectFile(suggested)
    dialog.fileSelected.connect(lambda name: on_chosen(Path(name)))
    dialog.open()
    return dialog


def buttons_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    return row


def _delivery_email(receipt: Receipt) -> str:
    """The e-mail the copy went to, when the server's answer records it."""
    delivery = (receipt.server_response or {}).get("delivery")
    if not isinstance(delivery, Mapping):
        return ""
    emails = delivery.get("emails")
    if isinstance(emails, list) and emails:
        return ", ".join(str(e) for e in emails)
    email = delivery.get("email")
    return str(email) if email else ""


class ReceiptDialog(KeyDialog):
    """A receipt as it is printed (with the check-link QR), to print, reprint or save as PDF.

    The preview is ``pos.printing``'s own HTML, so screen, paper and PDF cannot disagree.
    Training receipts carry the training mark, offline ones their fiscal code, ОФЛАЙН and the QR
    link, exactly as the layout prints them.

    After a sale it is not modal and never keeps the scanner's keys: a character or Enter typed
    into it (the next customer's first scan) closes it and comes out as ``typed(key, text)``,
    for the selling screen to put into its search box."""

    typed = Signal(int, str)

    def __init__(
        self, running: RunningRegister, receipt: Receipt, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.hands_on_keys = False
        """Set by the selling screen: typed characters close the preview and go to ``typed``."""
        self._running = running
        self.receipt = receipt
        self.setWindowTitle(self.tr("Receipt"))
        self.resize(560, 720)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.setMinimumWidth(440)

        self.email = QLineEdit()
        self.email.setReadOnly(True)
        self.email.setPlaceholderText(self.tr("none given"))
        self.email_note = QLabel()
        self.email_note.setWordWrap(True)
        email_row = QHBoxLayout()
        email_row.addWidget(QLabel(self.tr("E-mail:")))
        email_row.addWidget(self.email, 1)

        self.print_button = self.key_button(self.tr("Print"), Qt.Key.Key_F2, self.print_receipt)
        self.pdf_button = self.key_button(self.tr("Save PDF"), Qt.Key.Key_F3, self.ask_pdf)
        self.reprint_button = self.key_button(self.tr("Reprint"), Qt.Key.Key_F4, self.reprint)
        self.reprint_button.setToolTip(
            self.tr("Reads the receipt again (it may have been uploaded since) and prints a copy")
        )
        self.close_button = self.key_button(self.tr("Close"), Qt.Key.Key_Escape, self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addLayout(email_row)
        layout.addWidget(self.email_note)
        layout.addWidget(self.notice)
        layout.addLayout(
            buttons_row(self.print_button, self.pdf_button, self.reprint_button, self.close_button)
        )
        from pos.ui.printer_output import ReceiptPrinting, ask_units

        self.printing = ReceiptPrinting(running, self)
        self.printing.state_changed.connect(lambda _status: self.show_printer_state())
        self.printing.printed.connect(self._printed)
        self._renders = 0  # pages asked for the preview; the last one asked is shown
        self._rendered = 0
        self.units: dict[str, str] = {}
        """The goods' units (a weighed line prints in kg), from the look-up thread."""
        self._units = ask_units(running, receipt)
        self.refresh_view()
        self._units.add_done_callback(self._units_known)
        self.show_printer_state()

    # --- content ---------------------------------------------------------------------------

    def _units_known(self, answer: concurrent.futures.Future[dict[str, str]]) -> None:
        """On Qt's thread: the preview again, with the weighed lines in kg."""
        if answer.cancelled() or answer.exception() is not None or not shiboken6.isValid(self):
            return
        self.units = answer.result()
        if self.units:
            self.refresh_view()

    @property
    def units_known(self) -> bool:
        """The look-up of the goods' units has answered (tests wait for it)."""
        return self._units.done()

    def _with_units(self, then: Callable[[], object]) -> None:
        """``then()`` once the units are known (at once, nearly always): paper and PDF show
        a weighed line as the preview does."""
        if self._units.done():
            then()
        else:
            self._units.add_done_callback(lambda _answer: then())

    def html(self, *, font_pt: float = 8.0) -> str:
        return receipt_html(
            self.receipt, receipt_header(self._running), units=self.units or None, font_pt=font_pt
        )

    def refresh_view(self) -> None:
        """The summary at once; the preview's page is made off the GUI thread (its QR code
        takes ~50 ms to encode: a frozen till after every sale) and shown when ready."""
        self.summary.setText(self._summary_text())
        self._renders += 1
        spawn(self._render(self._renders, self.receipt, receipt_header(self._running)))
        email = _delivery_email(self.receipt)
        self.email.setText(email)
        if email:
            self.email_note.setText(
                self.tr(
                    "The copy was e-mailed to this address when the receipt was made. "
                    "This register cannot send it again."
                )
            )
        else:
            self.email_note.setText(
                self.tr(
                    "No e-mail was recorded for this receipt. This register cannot e-mail a "
                    "receipt afterwards: print it or save a PDF instead."
                )
            )

    async def _render(self, number: int, receipt: Receipt, header: ReceiptHeader) -> None:
        units = dict(self.units) or None
        page = await asyncio.to_thread(
            receipt_html, receipt, header, units=units, font_pt=PREVIEW_FONT_PT
        )
        if number == self._renders and shiboken6.isValid(self):  # not a later one's turn
            self.preview.setHtml(page)
            self._rendered = number

    @property
    def rendered(self) -> bool:
        """The preview shows the latest page asked for (tests wait for it)."""
        return self._rendered == self._renders

    def _kind_text(self) -> str:
        kinds = {
            "SELL": self.tr("Sale"),
            "RETURN": self.tr("Return"),
            "SERVICE_IN": self.tr("Cash in"),
            "SERVICE_OUT": self.tr("Cash out"),
            "CASH_WITHDRAWAL": self.tr("Cash withdrawal"),
        }
        return kinds.get(self.receipt.type, self.receipt.type)

    def _state_text(self) -> str:
        state = self.receipt.state
        if state is ReceiptState.DONE and (self.receipt.error or "").startswith(CONFLICT):
            # The printed offline copy keeps its code; Checkbox holds the receipt under its own.
            server = (self.receipt.server_response or {}).get("fiscal_code") or "?"
            return self.tr(
                "fiscalised by Checkbox under its own code {code}: set aside for the manager"
            ).format(code=server)
        if state is ReceiptState.DONE:
            return self.tr("fiscalised")
        if state is ReceiptState.OFFLINE_ISSUED:
            return self.tr("fiscalised offline, waiting to be uploaded")
        if state is ReceiptState.UPLOADED:
            return self.tr("fiscalised offline, uploaded")
        if state is ReceiptState.VOID:
            return self.tr("void: the server's receipt replaces this copy")
        if state is ReceiptState.FAILED:
            return self.tr("rejected: {reason}").format(reason=self.receipt.error or "")
        return self.tr("not fiscalised yet")

    def _summary_text(self) -> str:
        parts = [self._kind_text(), self._state_text()]
        if self.receipt.fiscal_code:
            parts.append(self.tr("fiscal code {code}").format(code=self.receipt.fiscal_code))
        if self._running.training:
            parts.append(self.tr("TRAINING"))
        return " · ".join(parts)

    # --- actions ---------------------------------------------------------------------------

    def enter_pressed(self) -> None:
        self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """A scanner's key (a printable character, or Enter after some) belongs to the next
        sale: close, and hand it on (see the class docstring)."""
        text = event.text()
        modifiers = event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier
        )
        if (
            text
            and text.isprintable()
            and modifiers == Qt.KeyboardModifier.NoModifier
            and self.focusWidget() is not self.email
            and self.hands_on_keys
        ):
            event.accept()
            self.reject()
            self.typed.emit(int(event.key()), text)
            return
        super().keyPressEvent(event)

    def show_printer_state(self) -> None:
        """The receipt printer's trouble, when it has one (the receipt itself is safe)."""
        text = self.printing.state_text()
        if text:
            self.show_notice(text, WARN_STYLE if "…" in text else ERROR_STYLE)

    def _printed(self, document: str) -> None:
        if document == self.receipt.id:
            self.show_notice(self.tr("The receipt was printed."), OK_STYLE)

    def print_receipt(self) -> None:
        if self.printing.escpos is not None:
            self.printing.print_receipt(self.receipt)
            return
        self._with_units(
            lambda: self.print_document(self.html(), self._running.config, self.tr("The receipt"))
        )

    # Not exclusive: each press is a copy the cashier asked for (as before, when it waited).
    @async_slot(exclusive=False)
    async def reprint(self) -> None:
        """The receipt read again by the register (uploaded since?), then printed; the dialog
        does not wait for a busy register meanwhile."""
        from pos.ui.register_writes import asked

        service, receipt_id = self._running.service, self.receipt.id
        fresh = await asked(service, lambda: service.receipt(receipt_id))
        if not shiboken6.isValid(self):
            return
        if fresh is not None:
            self.receipt = fresh
            self.refresh_view()
        self.print_receipt()

    def ask_pdf(self) -> None:
        name = (self.receipt.fiscal_code or self.receipt.id[:8]).replace("/", "-")
        self.ask_pdf_path(f"receipt-{name}.pdf", self.save_pdf_to)

    def save_pdf_to(self, path: Path) -> bool:
        if not self._units.done():  # the cashier chose the file faster than a look-up: rare
            self._with_units(lambda: self.save_pdf_to(path))
            return True
        return self.write_pdf(self.html(), path, self._running.config)
