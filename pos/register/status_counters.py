"""What ``RegisterService.status()`` needs of the journal, kept until the journal changes.

Why: the window asks for the status every second and after every change; re-reading the queue,
the unsettled receipts and the whole transition log each time cost 64 ms on a journal with a
few months of history. The figures here are read again only when the journal's write generation
moved (every committed write bumps it), and the transition log only from the last time the
register left ONLINE before the month's start (what the 36 h / 168 h limits need). What depends
on the time alone (the limits' seconds left) is computed from them at each call, without I/O.
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
    queued: int  # offline transactions to upload + receipts not settled online
    set_aside: int
    shift: Shift | None
    free_codes: int
    last_instant: datetime | None
    transitions: tuple[ConnectivityTransition, ...]
    journal_behind: str
    clock_skew: str | None


class StatusCounters:
    def __init__(self, journal: Journal, unsettled: tuple[ReceiptState, ...]) -> None:
        self._journal = journal
        self._unsettled = unsettled
        self._generation = -1
        self._month: datetime | None = None
        self._figures: JournalFigures | None = None

    def figures(self, now: datetime) -> JournalFigures:
        """The journal's figures as of its last write (read again only after a write, or
        when a new Kyiv month began)."""
        month = month_start(now)
        generation = self._journal.generation
        if self._figures is None or generation != self._generation or month != self._month:
            self._figures = self._read(month)
            self._generation, self._month = generation, month
        return self._figures

    def _read(self, month: datetime) -> JournalFigures:
        journal = self._journal
        unsettled = journal.receipts.count(states=self._unsettled)
        return JournalFigures(
            queued=journal.queue.pending_count() + unsettled,
            set_aside=len(journal.queue.set_aside_entries()),
            shift=journal.shifts.current(),
            free_codes=journal.codes.free_count(),
            last_instant=journal.clock.last_instant(),
            transitions=journal.transitions.for_month(month),
            journal_behind=journal.settings.get(JOURNAL_BEHIND) or "",
            clock_skew=journal.settings.get(CLOCK_SKEW),
        )
