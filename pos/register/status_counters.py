"""What ``RegisterService.status()`` needs of the journal, each figure kept until a write moves it.

Why: the window asks for the status every second and after every change; re-reading the queue,
the unsettled receipts and the whole transition log each time cost 64 ms on a journal with a
few months of history, and re-reading every figure after every write still cost 12 ms on a
year's journal. So each figure is read again only when a committed write changed one of its
tables (the journal's write log says which: ``pos.journal.write_log``), with one indexed query;
the transition log is read once from the last time the register left ONLINE before the month's
start (what the 36 h / 168 h limits need), then only the transitions appended since. What
depends on the time alone (the limits' seconds left) is computed from them at each call, without
I/O. A new Kyiv month, or a write the log cannot name the tables of, reads everything again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pos.domain.offline_limits import month_start
from pos.journal import Journal
from pos.journal.records import ConnectivityTransition, ReceiptState, Shift
from pos.register.context import CLOCK_SKEW, JOURNAL_BEHIND


@dataclass(frozen=True)
class JournalFigures:
    unsettled: int  # receipts not settled online
    pending: int  # offline transactions to upload
    set_aside: int
    shift: Shift | None
    free_codes: int
    last_instant: datetime | None
    transitions: tuple[ConnectivityTransition, ...]
    journal_behind: str
    clock_skew: str | None

    @property
    def queued(self) -> int:
        """Offline transactions to upload + receipts not settled online."""
        return self.pending + self.unsettled


class StatusCounters:
    def __init__(self, journal: Journal, unsettled: tuple[ReceiptState, ...]) -> None:
        self._journal = journal
        self._unsettled = unsettled
        self._generation = -1  # the journal's generation the figures were read at
        self._month: datetime | None = None
        self._figures: JournalFigures | None = None

    def figures(self, now: datetime) -> JournalFigures:
        """The journal's figures as of its last write: those a write changed since the last
        call are read again, the others kept."""
        month = month_start(now)
        journal = self._journal
        generation = journal.generation
        held = self._figures
        if held is not None and generation == self._generation and month == self._month:
            return held
        since = self._generation
        if held is None or month != self._month or journal.changed_since(since, ()):
            figures = self._read(month)
        else:

            def changed(*tables: str) -> bool:
                return journal.changed_since(since, tables)

            figures = JournalFigures(
                unsettled=(
                    journal.receipts.count(states=self._unsettled)
                    if changed("receipt")
                    else held.unsettled
                ),
                pending=journal.queue.pending_count() if changed("offline_queue") else held.pending,
                set_aside=(
                    journal.queue.set_aside_count() if changed("offline_queue") else held.set_aside
                ),
                shift=journal.shifts.current() if changed("shift") else held.shift,
                free_codes=journal.codes.free_count()
                if changed("offline_code")
                else held.free_codes,
                last_instant=(
                    journal.clock.last_instant() if changed("fiscal_clock") else held.last_instant
                ),
                transitions=(
                    self._appended(held.transitions, month)
                    if changed("connectivity_transition")
                    else held.transitions
                ),
                journal_behind=(
                    journal.settings.get(JOURNAL_BEHIND) or ""
                    if changed("setting")
                    else held.journal_behind
                ),
                clock_skew=journal.settings.get(CLOCK_SKEW)
                if changed("setting")
                else held.clock_skew,
            )
        self._figures, self._generation, self._month = figures, generation, month
        return figures

    def _read(self, month: datetime) -> JournalFigures:
        journal = self._journal
        return JournalFigures(
            unsettled=journal.receipts.count(states=self._unsettled),
            pending=journal.queue.pending_count(),
            set_aside=journal.queue.set_aside_count(),
            shift=journal.shifts.current(),
            free_codes=journal.codes.free_count(),
            last_instant=journal.clock.last_instant(),
            transitions=journal.transitions.for_month(month),
            journal_behind=journal.settings.get(JOURNAL_BEHIND) or "",
            clock_skew=journal.settings.get(CLOCK_SKEW),
        )

    def _appended(
        self, held: tuple[ConnectivityTransition, ...], month: datetime
    ) -> tuple[ConnectivityTransition, ...]:
        """The month's log with the transitions journaled since it was read. One dated before
        the month's start (the PC's clock set back) may move where the month's log begins: then
        it is read again."""
        new = self._journal.transitions.after(held[-1].id if held else 0)
        if any(t.at < month and t.from_state == "ONLINE" for t in new):
            return self._journal.transitions.for_month(month)
        return held + new
