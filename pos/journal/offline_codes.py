"""The local pool of offline fiscal codes (invariant 3: each code is used at most once).

A code moves free → reserved → used → uploaded, or to burned from any state but uploaded; it never
goes back to free once used or burned, and a used or burned code is never deleted. Both rules are
triggers in the schema, so no code path (or future bug) can reuse a printed code.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pos.journal.errors import NoFreeOfflineCodeError, NotFoundError, OfflineCodeStateError
from pos.journal.records import CodePoolCounts, OfflineCode, OfflineCodeState
from pos.journal.store import Store
from pos.journal.tables import OfflineCodeRow

_TABLE = OfflineCodeRow.__table__  # type: ignore[attr-defined]


def _record(row: OfflineCodeRow) -> OfflineCode:
    return OfflineCode(row.fiscal_code, row.serial, OfflineCodeState(row.state), row.used_by)


def _first_free(session: Session) -> str:
    row = session.exec(
        select(OfflineCodeRow)
        .where(col(OfflineCodeRow.state) == OfflineCodeState.FREE.value)
        .order_by(col(OfflineCodeRow.serial))
        .limit(1)
    ).first()
    if row is None:
        raise NoFreeOfflineCodeError("no free offline fiscal code left in the local pool")
    return row.fiscal_code


def take_free_code(session: Session, used_by: str, now: datetime) -> str:
    """Inside a write transaction: the free code with the lowest serial, now marked used."""
    code = _first_free(session)
    set_state(session, code, OfflineCodeState.USED, now, used_by=used_by)
    return code


def set_state(
    session: Session,
    fiscal_code: str,
    state: OfflineCodeState,
    now: datetime,
    used_by: str | None = None,
) -> None:
    values: dict[str, object] = {"state": state.value, "changed_at": now}
    if used_by is not None:
        values["used_by"] = used_by
    try:
        result = session.execute(
            update(OfflineCodeRow)
            .where(col(OfflineCodeRow.fiscal_code) == fiscal_code)
            .values(values)
        )
    except IntegrityError as error:
        raise OfflineCodeStateError(
            f"offline code {fiscal_code!r} cannot become {state.value}"
        ) from error
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFoundError(f"offline code {fiscal_code!r} is not in the pool")


class OfflineCodes:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, codes: Iterable[tuple[str, int]], now: datetime) -> int:
        """Store codes fetched from the server; a code we already know keeps its state (a code
        we used is never made free again by a later fetch). Returns how many were new."""
        rows = [
            {
                "fiscal_code": code,
                "serial": serial,
                "state": OfflineCodeState.FREE.value,
                "added_at": now,
                "changed_at": now,
            }
            for code, serial in codes
        ]
        if not rows:
            return 0
        with self._store.write() as session:
            before = self._count(session)
            session.execute(insert(_TABLE).prefix_with("OR IGNORE"), rows)
            return self._count(session) - before

    def reconcile(self, server_free: Iterable[tuple[str, int]], now: datetime) -> tuple[int, int]:
        """``server_free`` is the server's COMPLETE list of unused codes (get-offline-codes).
        New ones are added; local free or reserved codes missing from it were used by the server
        on its own (automatic offline mode) and are burned. Returns (added, burned)."""
        server = dict(server_free)
        with self._store.write() as session:
            local = session.exec(
                select(OfflineCodeRow).where(
                    col(OfflineCodeRow.state).in_(
                        [OfflineCodeState.FREE.value, OfflineCodeState.RESERVED.value]
                    )
                )
            ).all()
            burned = 0
            for row in local:
                if row.fiscal_code not in server:
                    set_state(session, row.fiscal_code, OfflineCodeState.BURNED, now)
                    burned += 1
            before = self._count(session)
            rows = [
                {
                    "fiscal_code": code,
                    "serial": serial,
                    "state": OfflineCodeState.FREE.value,
                    "added_at": now,
                    "changed_at": now,
                }
                for code, serial in server.items()
            ]
            if rows:
                session.execute(insert(_TABLE).prefix_with("OR IGNORE"), rows)
            return self._count(session) - before, burned

    def reserve(self, used_by: str, now: datetime) -> OfflineCode:
        """Set the next free code aside for a transaction that is being prepared."""
        with self._store.write() as session:
            code = _first_free(session)
            set_state(session, code, OfflineCodeState.RESERVED, now, used_by=used_by)
            return self._get(session, code)

    def release(self, fiscal_code: str, now: datetime) -> None:
        """A reserved code goes back to free (its transaction was never issued)."""
        self._set(fiscal_code, OfflineCodeState.FREE, now)

    def mark_used(self, fiscal_code: str, used_by: str, now: datetime) -> None:
        self._set(fiscal_code, OfflineCodeState.USED, now, used_by)

    def mark_uploaded(self, fiscal_code: str, now: datetime) -> None:
        self._set(fiscal_code, OfflineCodeState.UPLOADED, now)

    def burn(self, fiscal_code: str, now: datetime) -> None:
        """After "Offline code … was used before!": the code is dead for good."""
        self._set(fiscal_code, OfflineCodeState.BURNED, now)

    def get(self, fiscal_code: str) -> OfflineCode | None:
        with self._store.read() as session:
            row = session.get(OfflineCodeRow, fiscal_code)
            return None if row is None else _record(row)

    def counts(self) -> CodePoolCounts:
        with self._store.read() as session:
            rows = session.execute(
                sa_select(col(OfflineCodeRow.state), func.count()).group_by(
                    col(OfflineCodeRow.state)
                )
            ).all()
        return CodePoolCounts(**{str(state): int(count) for state, count in rows})

    def free_count(self) -> int:
        return int(
            self._store.scalar(
                "SELECT count(*) FROM offline_code WHERE state = ?", (OfflineCodeState.FREE.value,)
            )
        )

    def _set(
        self, fiscal_code: str, state: OfflineCodeState, now: datetime, used_by: str | None = None
    ) -> None:
        with self._store.write() as session:
            set_state(session, fiscal_code, state, now, used_by)

    def _get(self, session: Session, fiscal_code: str) -> OfflineCode:
        row = session.get(OfflineCodeRow, fiscal_code)
        if row is None:
            raise NotFoundError(f"offline code {fiscal_code!r} is not in the pool")
        session.refresh(row)
        return _record(row)

    @staticmethod
    def _count(session: Session) -> int:
        return int(session.execute(sa_select(func.count()).select_from(_TABLE)).scalar_one())
