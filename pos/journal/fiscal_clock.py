"""The persisted fiscal clock: offline ``fiscal_date`` values strictly increase (invariant 4).

The wall clock may jump backwards (NTP, a dead CMOS battery, a cashier "fixing" the time); the next
instant is always ``max(now, last + 1 µs)``, and ``last`` is stored in the same transaction as the
transaction that uses it, so a crash cannot make two offline transactions share or reverse a date.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from pos.journal.instants import from_micros, to_micros
from pos.journal.store import Store
from pos.journal.tables import FiscalClockRow


def _row(session: Session) -> FiscalClockRow | None:
    return session.get(FiscalClockRow, 1)


def take_next_instant(session: Session, now: datetime) -> datetime:
    """Inside a write transaction: the next fiscal instant, already persisted."""
    row = _row(session)
    candidate = to_micros(now)
    if row is None:
        session.add(FiscalClockRow(id=1, last_instant=candidate))
    else:
        candidate = max(candidate, row.last_instant + 1)
        row.last_instant = candidate
        session.add(row)
    session.flush()
    return from_micros(candidate)


def raise_floor(session: Session, floor: datetime) -> None:
    """Inside a write transaction: no later instant may be earlier than ``floor``."""
    row = _row(session)
    last = to_micros(floor) - 1
    if row is None:
        session.add(FiscalClockRow(id=1, last_instant=last))
    elif row.last_instant < last:
        row.last_instant = last
        session.add(row)
    session.flush()


class FiscalClock:
    def __init__(self, store: Store) -> None:
        self._store = store

    def next_instant(self, now: datetime) -> datetime:
        """``max(now, last + 1 µs)``, persisted before it is returned."""
        with self._store.write() as session:
            return take_next_instant(session, now)

    def raise_floor(self, floor: datetime) -> None:
        """The moment of an ``ask-offline-codes`` call or of the last transaction the server
        confirmed: later offline instants are at or after it."""
        with self._store.write() as session:
            raise_floor(session, floor)

    def last_instant(self) -> datetime | None:
        last = self._store.scalar("SELECT last_instant FROM fiscal_clock WHERE id = 1")
        return None if last is None else from_micros(int(last))
