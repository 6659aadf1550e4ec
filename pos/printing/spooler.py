"""The receipt printer's queue: one job at a time, off the event loop, never in the sale's way.

Why a queue of its own: a sale is finished when the journal has committed it and the register
has fiscalised it; paper comes after. A printer that is off, out of paper or unplugged must not
hold the next sale nor lose the receipt: the job runs in a worker thread (``asyncio.to_thread``),
its failure becomes the printer's state (shown to the cashier) and the job is kept to be printed
again once the printer is back. Jobs are serialised so two receipts never interleave on paper.

No Qt here: the window, the headless self-test and the tests use the same spooler.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pos.printing.escpos_output import (
    EscposSettings,
    PrinterProblem,
    Trouble,
    drawer_pulse,
    render_document,
    send,
)
from pos.printing.layout import Row

log = logging.getLogger(__name__)

Sender = Callable[[EscposSettings, bytes], None]


class PrinterState(enum.StrEnum):
    READY = "ready"  # nothing printed yet, or the last job went through
    PRINTING = "printing"
    FAILED = "failed"  # the last job did not print; `reason` says why


@dataclass(frozen=True, slots=True)
class PrintJob:
    """One document for the paper. ``document`` names it for the state line and for reprinting
    (a receipt's id); ``open_drawer`` kicks the drawer after the cut (a cash payment)."""

    document: str
    rows: tuple[Row, ...]
    open_drawer: bool = False


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    state: PrinterState = PrinterState.READY
    reason: str = ""
    waiting: tuple[str, ...] = ()  # documents that did not print, oldest first
    trouble: Trouble | None = None  # what kind of trouble, when FAILED


@dataclass
class ReceiptSpooler:
    """Prints jobs one at a time in a worker thread; remembers those that failed."""

    sender: Sender = send
    _failed: dict[str, PrintJob] = field(default_factory=dict)
    _status: PrinterStatus = field(default_factory=PrinterStatus)
    _listeners: list[Callable[[PrinterStatus], None]] = field(default_factory=list)
    _lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return f"ReceiptSpooler({self._status.state.value})"

    @property
    def status(self) -> PrinterStatus:
        return self._status

    def subscribe(self, listener: Callable[[PrinterStatus], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[PrinterStatus], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _set(self, state: PrinterState, reason: str = "", trouble: Trouble | None = None) -> None:
        self._status = PrinterStatus(state, reason, tuple(self._failed), trouble)
        for listener in list(self._listeners):
            listener(self._status)

    async def print(self, job: PrintJob, settings: EscposSettings) -> bool:
        """Print ``job``; True when the printer took it. Never raises for a printer's failure:
        the job is kept (``waiting``) and the state says why."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            self._set(PrinterState.PRINTING)
            try:
                await asyncio.to_thread(self._print_now, job, settings)
            except PrinterProblem as problem:
                self._failed[job.document] = job
                log.warning("not printed: %s (%s)", job.document, problem.reason)
                self._set(PrinterState.FAILED, problem.reason, problem.trouble)
                return False
            self._failed.pop(job.document, None)
            self._set(PrinterState.READY)
            return True

    def _print_now(self, job: PrintJob, settings: EscposSettings) -> None:
        data = render_document(job.rows, settings, open_drawer=job.open_drawer)
        self.sender(settings, data)

    async def run(self, document: str, work: Callable[[], None]) -> bool:
        """Any other blocking print (the system printer's) in the worker thread, in turn with
        the ESC/POS jobs; ``work`` raises PrinterProblem when it fails. The failed document is
        kept by name (the window prints it again from the journal)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            self._set(PrinterState.PRINTING)
            try:
                await asyncio.to_thread(work)
            except PrinterProblem as problem:
                self._failed[document] = PrintJob(document, ())
                log.warning("not printed: %s (%s)", document, problem.reason)
                self._set(PrinterState.FAILED, problem.reason, problem.trouble)
                return False
            self._failed.pop(document, None)
            self._set(PrinterState.READY)
            return True

    async def open_drawer(self, settings: EscposSettings) -> bool:
        """Kick the cash drawer on the printer's port, printing nothing."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            try:
                await asyncio.to_thread(self.sender, settings, drawer_pulse(settings))
            except PrinterProblem as problem:
                self._set(PrinterState.FAILED, problem.reason, problem.trouble)
                return False
            if self._status.state is PrinterState.FAILED and not self._failed:
                self._set(PrinterState.READY)
            return True

    async def print_rows(
        self, document: str, rows: Sequence[Row], settings: EscposSettings
    ) -> bool:
        """Any document from its layout rows (an order's prepayment, a report, a test page)."""
        return await self.print(PrintJob(document, tuple(rows)), settings)

    async def reprint_waiting(self, settings: EscposSettings) -> int:
        """Print again what did not print, oldest first, without kicking the drawer a second
        time; stops at the first failure. Returns how many printed."""
        printed = 0
        for job in list(self._failed.values()):
            again = PrintJob(job.document, job.rows, open_drawer=False)
            if not await self.print(again, settings):
                break
            printed += 1
        return printed

    def forget(self, document: str) -> None:
        """The cashier printed it another way (PDF, system printer): no longer waiting."""
        if self._failed.pop(document, None) is not None:
            self._set(self._status.state, self._status.reason, self._status.trouble)
