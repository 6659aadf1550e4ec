"""The window's side of the receipt printer: auto-print after a sale, the drawer, the state line.

Why a thin bridge: the spooler (``pos.printing.spooler``, on the running register) does the work
off the GUI thread and remembers what did not print; this object turns the settings into a
printer (ESC/POS first, else the named system printer), builds each receipt's rows from the
journal's record, and relays the printer's state to whoever shows it (the window's state line,
the receipt dialog). A failed print never touches the receipt: it is committed and fiscalised
before anything is printed, and "Reprint" prints it again from the journal.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from pos.journal.records import Receipt
from pos.printing.escpos_output import EscposSettings, PrinterProblem, Trouble, settings_from
from pos.printing.layout import Row, receipt_rows
from pos.printing.spooler import PrinterState, PrinterStatus, PrintJob, ReceiptSpooler
from pos.ui.asyncio_qt import spawn

if TYPE_CHECKING:
    from pos.app import RunningRegister
    from pos.ui.lookups import CatalogueSource

log = logging.getLogger(__name__)

_DRAWER_TYPES = frozenset({"SELL", "RETURN", "SERVICE_IN", "SERVICE_OUT"})


def _units_of(source: CatalogueSource, codes: tuple[str, ...]) -> dict[str, str]:
    """On the look-up thread: each good's unit ("кг" prints the line as a weight)."""
    units: dict[str, str] = {}
    for code in codes:
        item = source.item(code)
        if item is not None:
            units[code] = item.unit
    return units


def ask_units(
    running: RunningRegister, receipt: Receipt
) -> concurrent.futures.Future[dict[str, str]]:
    """The units of the receipt's goods, from the catalogue's look-up thread (answered on Qt's
    thread): printing after a sale never waits for the register's thread."""
    from pos.ui.register_thread import lookups_for

    codes = tuple(dict.fromkeys(line.code for line in receipt.lines))
    return lookups_for(running.service).ask(_units_of, codes)


class ReceiptPrinting(QObject):
    """``state_changed(PrinterStatus)`` follows the printer; ``printed(str)`` names a document
    that went to paper."""

    state_changed = Signal(object)
    printed = Signal(str)

    def __init__(self, running: RunningRegister, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running = running
        running.spooler.subscribe(self._relay)
        self.destroyed.connect(lambda _obj=None: running.spooler.unsubscribe(self._relay))

    def close(self) -> None:
        self._running.spooler.unsubscribe(self._relay)

    def _relay(self, status: PrinterStatus) -> None:
        try:
            self.state_changed.emit(status)
        except RuntimeError:  # this bridge's Qt side is gone (its dialog closed)
            self._running.spooler.unsubscribe(self._relay)

    # --- what the settings say --------------------------------------------------------------

    @property
    def escpos(self) -> EscposSettings | None:
        return settings_from(self._running.config)

    @property
    def system_printer(self) -> str:
        return self._running.config.printer

    def has_printer(self) -> bool:
        return self.escpos is not None or bool(self.system_printer)

    def auto_prints(self) -> bool:
        return self.has_printer() and self._running.config.auto_print

    def kicks_drawer(self, receipt: Receipt) -> bool:
        """A cash payment on a receipt that moves cash, and a drawer on the ESC/POS printer."""
        return (
            self.escpos is not None
            and self._running.config.cash_drawer
            and receipt.type in _DRAWER_TYPES
            and any(p.type == "CASH" for p in receipt.payments)
        )

    @property
    def spooler(self) -> ReceiptSpooler:
        return self._running.spooler

    @property
    def status(self) -> PrinterStatus:
        return self._running.spooler.status

    def state_text(self) -> str:
        """One line for the cashier: empty while all is well."""
        status = self.status
        if status.state is PrinterState.PRINTING:
            return self.tr("Printing…")
        if status.state is PrinterState.FAILED:
            reason = self.trouble_text(status)
            text = self.tr("Printer: {reason}. The receipt is saved; reprint it with Ctrl+P.")
            if len(status.waiting) > 1:
                text = self.tr(
                    "Printer: {reason}. {count} receipts are saved but not printed; "
                    "reprint them with Ctrl+P."
                )
            return text.format(reason=reason, count=len(status.waiting))
        return ""

    def trouble_text(self, status: PrinterStatus) -> str:
        """The printer's trouble in the cashier's language (the detail stays in the log)."""
        texts = {
            Trouble.NOT_CONNECTED: self.tr("not connected or switched off"),
            Trouble.NO_ANSWER: self.tr("does not answer (out of paper, cover open?)"),
            Trouble.NO_PAPER: self.tr("out of paper"),
            Trouble.ADDRESS: self.tr("its address in the settings is wrong"),
            Trouble.CODE_PAGE: self.tr("this printer model cannot print Ukrainian letters"),
        }
        if status.trouble in texts:
            return texts[status.trouble]
        return self.tr("error ({detail})").format(detail=status.reason)

    # --- printing ---------------------------------------------------------------------------

    def rows(self, receipt: Receipt, units: Mapping[str, str]) -> list[Row]:
        from pos.ui.receipt_dialog import receipt_header

        return receipt_rows(receipt, receipt_header(self._running), units=units or None)

    def after_sale(self, receipt: Receipt) -> bool:
        """A new receipt: print it when auto-print is on (True: no dialog needed), else only
        open the drawer for cash."""
        if self.auto_prints():
            self.print_receipt(receipt, kick=self.kicks_drawer(receipt))
            return True
        if self.kicks_drawer(receipt):
            self.open_drawer()
        return False

    def print_receipt(self, receipt: Receipt, *, kick: bool = False) -> None:
        """Queue the receipt for the ESC/POS printer, or print it on the system printer."""
        settings = self.escpos
        if settings is not None:
            spawn(self._print_job(receipt, kick, settings))
            return
        self._print_on_system(receipt)

    async def _print_job(self, receipt: Receipt, kick: bool, settings: EscposSettings) -> None:
        units = await asyncio.wrap_future(ask_units(self._running, receipt))
        job = PrintJob(receipt.id, tuple(self.rows(receipt, units)), open_drawer=kick)
        if await self._running.spooler.print(job, settings):
            self.printed.emit(job.document)

    def _print_on_system(self, receipt: Receipt) -> None:
        """The named system printer, through Qt's print support in the spooler's worker
        thread (Qt paints on a QPrinter off the GUI thread), in turn with the other jobs."""
        from pos.printing.html import receipt_html
        from pos.printing.qt_output import PrintError, print_html
        from pos.ui.receipt_dialog import paper_width_mm, receipt_header

        html = receipt_html(receipt, receipt_header(self._running))
        name = self.system_printer
        width = paper_width_mm(self._running.config)

        def work() -> None:
            try:
                print_html(html, name, paper_width_mm=width)
            except PrintError as error:
                raise PrinterProblem(str(error), Trouble.OTHER) from error

        spawn(self._run_system(receipt.id, work))

    async def _run_system(self, document: str, work: Callable[[], None]) -> None:
        if await self._running.spooler.run(document, work):
            self.printed.emit(document)

    def reprint_waiting(self) -> bool:
        """Print again, from the journal, the receipts that did not print; False when none."""
        waiting = self.status.waiting
        if not waiting:
            return False
        spawn(self._reprint(tuple(waiting)))
        return True

    async def _reprint(self, waiting: tuple[str, ...]) -> None:
        """Each receipt read by the register (it may be busy: the window does not wait)."""
        from pos.ui.register_writes import asked

        service = self._running.service
        for receipt_id in waiting:
            receipt: Receipt | None = await asked(service, partial(service.receipt, receipt_id))
            if receipt is None:
                self._running.spooler.forget(receipt_id)
                continue
            self.print_receipt(receipt)

    def open_drawer(self) -> bool:
        """Kick the drawer (after the manager's PIN, or a cash payment); False: no ESC/POS
        printer to kick it through."""
        settings = self.escpos
        if settings is None:
            return False
        spawn(self._running.spooler.open_drawer(settings))
        return True
