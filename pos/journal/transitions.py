"""The connectivity transition log: every change of the register's online/offline state.

Offline-limit accounting (36 h per period, 168 h per month) reads its periods from here, so rows
are only ever appended.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from pos.journal.instants import from_micros, to_micros
from pos.journal.records import ConnectivityTransition
from pos.journal.store import Store
from pos.journal.tables import ConnectivityTransitionRow


class Transitions:
    def __init__(self, store: Store) -> None:
        self._store = store

    def append(self, at: datetime, from_state: str, to_state: str, cause: str = "") -> int:
        with self._store.write() as session:
            row = ConnectivityTransitionRow(
                at=at, from_state=from_state, to_state=to_state, cause=cause
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def list(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[ConnectivityTransition]:
        """Transitions in the order they were journaled, optionally within [since, until]."""
        query = select(ConnectivityTransitionRow)
        if since is not None:
            query = query.where(col(ConnectivityTransitionRow.at) >= since)
        if until is not None:
            query = query.where(col(ConnectivityTransitionRow.at) <= until)
        with self._store.read() as session:
            rows = session.exec(query.order_by(col(ConnectivityTransitionRow.id))).all()
            return [
                ConnectivityTransition(r.at, r.from_state, r.to_state, r.cause, r.id or 0)
                for r in rows
            ]

    def for_month(self, month_start: datetime) -> tuple[ConnectivityTransition, ...]:
        """What the offline limits need of the log: this month's transitions, from the last time
        the register left ONLINE before ``month_start`` (a period still open, or one that spans
        the month's start); a year of history is not read every second. Plain SQL: the status
        asks for it again after a transition."""
        # Walked back from the newest row (``+at``: not along the ``at`` index, which would read
        # every row before the month's start, 6 ms on a year's log, to keep only the last one).
        first = self._store.scalar(
            "SELECT id FROM connectivity_transition WHERE +at < ? AND from_state = 'ONLINE' "
            "ORDER BY id DESC LIMIT 1",
            (to_micros(month_start),),
        )
        return self.after(0 if first is None else int(first) - 1)

    def after(self, last_id: int) -> tuple[ConnectivityTransition, ...]:
        """The transitions journaled after the one numbered ``last_id``, in order (what a
        reader holding the log up to it lacks)."""
        return tuple(
            ConnectivityTransition(from_micros(int(at)), from_state, to_state, cause, int(number))
            for number, at, from_state, to_state, cause in self._store.rows(
                "SELECT id, at, from_state, to_state, cause FROM connectivity_transition "
                "WHERE id > ? ORDER BY id",
                (last_id,),
            )
        )

    def last(self) -> ConnectivityTransition | None:
        with self._store.read() as session:
            row = session.exec(
                select(ConnectivityTransitionRow)
                .order_by(col(ConnectivityTransitionRow.id).desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            return ConnectivityTransition(
                row.at, row.from_state, row.to_state, row.cause, row.id or 0
            )
