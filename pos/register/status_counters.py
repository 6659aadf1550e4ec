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

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
            figures = dataclasses.replace(held, **self._changed(held, since, month))
        self._figures, self._generation, self._month = figures, generation, month
        return figures

    def _changed(self, held: JournalFigures, since: int, month: datetime) -> dict[str, Any]:
        """The figures of the tables written since generation ``since``, read again."""
        journal = self._journal

        def changed(table: str) -> bool:
            return journal.changed_since(since, (table,))

        fresh: dict[str, Any] = {}
        if changed("receipt"):
            fresh["unsettled"] = journal.receipts.count(states=self._unsettled)
        if changed("offline_queue"):
            fresh["pending"] = journal.queue.pending_count()
            fresh["set_aside"] = journal.queue.set_aside_count()
        if changed("shift"):
            fresh["shift"] = journal.shifts.current()
        if changed("offline_code"):
            fresh["free_codes"] = journal.codes.free_count()
        if changed("fiscal_clock"):
            fresh["last_instant"] = journal.clock.last_instant()
        if changed("connectivity_transition"):
            fresh["transitions"] = self._appended(held.transitions, month)
        if changed("setting"):
            fresh.update(self._settings())
        return fresh

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
            **self._settings(),
        )

    def _settings(self) -> dict[str, Any]:
        found = self._journal.settings.get_many((JOURNAL_BEHIND, CLOCK_SKEW))
        return {
            "journal_behind": found.get(JOURNAL_BEHIND) or "",
            "clock_skew": found.get(CLOCK_SKEW),
        }

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
