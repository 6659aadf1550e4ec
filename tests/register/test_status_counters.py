"""status() from counters: the same limits as from the whole log, each figure read again only after
a write that changed it, and then the same as read afresh."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos.checkbox import CheckboxClient
from pos.domain.offline_limits import month_start
from pos.journal import Journal
from pos.journal.errors import NoFreeOfflineCodeError
from pos.journal.records import NewReceipt, ShiftState
from pos.register.connectivity import ConnectivityState
from pos.register.context import CLOCK_SKEW, JOURNAL_BEHIND
from pos.register.limits import Thresholds, limit_state
from pos.register.recovery import UNSETTLED
from pos.register.service import RegisterService
from pos.register.status_counters import StatusCounters

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # 08:00 Kyiv on the 1st: a period spans the month


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite") as opened:
        yield opened


def _log(journal: Journal) -> None:
    t = NOW - timedelta(days=40)
    for _ in range(30):  # last month's history: offline for 2 h every day
        journal.transitions.append(t, "ONLINE", "LOCAL_OFFLINE")
        journal.transitions.append(t + timedelta(hours=2), "LOCAL_OFFLINE", "ONLINE")
        t += timedelta(days=1)
    # offline since 5 h before the month began, still offline now
    journal.transitions.append(month_start(NOW) - timedelta(hours=5), "ONLINE", "LOCAL_OFFLINE")


def test_month_window_gives_the_same_limits_as_the_whole_log(journal: Journal) -> None:
    _log(journal)
    whole = journal.transitions.list()
    window = journal.transitions.for_month(month_start(NOW))
    assert len(window) == 1 < len(whole)
    for transitions in (whole, window):
        state = limit_state(
            now=NOW,
            state=ConnectivityState.LOCAL_OFFLINE,
            transitions=transitions,
            shift_opened_at=None,
            free_codes=50,
            thresholds=Thresholds(),
        )
        assert state.offline_seconds_left == (36 - 13) * 3600  # 5 h before + 8 h since midnight
        assert state.month_offline_seconds_left == (168 - 8) * 3600


def test_status_reads_the_journal_only_after_a_write(journal: Journal) -> None:
    _log(journal)
    service = RegisterService(journal, CheckboxClient("http://127.0.0.1:9"), now=lambda: NOW)
    first = service.status()
    reads: list[str] = []
    for name in ("for_month", "after"):
        original = getattr(journal.transitions, name)

        def counted(*args: object, _name: str = name, _original: object = original) -> object:
            reads.append(_name)
            return _original(*args)  # type: ignore[operator]

        setattr(journal.transitions, name, counted)
    for _ in range(100):
        assert service.status() == first
    assert reads == []
    journal.codes.add([("code-1", 1)], NOW)  # a write: the pool grew, the log did not
    assert service.status().codes_left == first.codes_left + 1
    assert reads == []
    journal.transitions.append(NOW, "LOCAL_OFFLINE", "ONLINE")  # only what was appended is read
    assert service.status() != first
    assert reads == ["after"]


def _sale(**fields: object) -> NewReceipt:
    return NewReceipt(str(uuid.uuid4()), "SELL", 100, NOW, **fields)  # type: ignore[arg-type]


def _as_read_afresh(journal: Journal, counters: StatusCounters) -> None:
    kept = counters.figures(NOW)
    assert kept == StatusCounters(journal, UNSETTLED).figures(NOW)


def test_every_kind_of_write_moves_the_figures_it_changes(journal: Journal) -> None:
    """After each write of the register's kinds the kept figures are those read afresh."""
    _log(journal)
    counters = StatusCounters(journal, UNSETTLED)
    _as_read_afresh(journal, counters)
    shift = journal.shifts.open(str(uuid.uuid4()), NOW, 50000)
    _as_read_afresh(journal, counters)
    journal.shifts.update(shift.id, NOW, state=ShiftState.OPENED, opened_at=NOW)
    _as_read_afresh(journal, counters)
    online = journal.receipts.commit(_sale(shift_id=shift.id))
    _as_read_afresh(journal, counters)
    assert counters.figures(NOW).queued == 1
    journal.receipts.mark_sending(online.id, NOW)
    _as_read_afresh(journal, counters)
    journal.receipts.mark_done(online.id, NOW, "TEST-1", NOW)
    _as_read_afresh(journal, counters)
    journal.codes.add([(f"C{n}", n) for n in range(1, 6)], NOW)
    _as_read_afresh(journal, counters)
    offline = [
        journal.receipts.commit(_sale(shift_id=shift.id), offline_at=NOW + timedelta(seconds=n))
        for n in range(3)
    ]
    _as_read_afresh(journal, counters)
    assert counters.figures(NOW).free_codes == 2
    first, second = journal.queue.pending()[:2]
    journal.queue.mark_done(first.seq, NOW)
    _as_read_afresh(journal, counters)
    journal.queue.set_aside(second.seq, "refused", NOW)
    _as_read_afresh(journal, counters)
    assert counters.figures(NOW).set_aside == 1
    journal.receipts.mark_uploaded(offline[0].id, NOW)
    journal.transitions.append(NOW, "LOCAL_OFFLINE", "ONLINE")
    _as_read_afresh(journal, counters)
    journal.settings.set(JOURNAL_BEHIND, "restored from a backup")
    journal.settings.set(CLOCK_SKEW, "400")
    _as_read_afresh(journal, counters)
    assert counters.figures(NOW).clock_skew == "400"
    with journal.engine.begin() as connection:  # a write outside the journal's own parts
        connection.exec_driver_sql("UPDATE receipt SET state = 'void' WHERE id = ?", (online.id,))
    _as_read_afresh(journal, counters)
    journal.shifts.close_offline(shift.id, NOW)
    _as_read_afresh(journal, counters)


def test_a_rolled_back_write_changes_nothing_and_a_clock_set_back_reads_the_month_again(
    journal: Journal,
) -> None:
    _log(journal)
    counters = StatusCounters(journal, UNSETTLED)
    before, generation = counters.figures(NOW), journal.generation
    with pytest.raises(NoFreeOfflineCodeError):  # the pool is empty: nothing is written
        journal.receipts.commit(_sale(), offline_at=NOW)
    assert journal.generation == generation
    assert counters.figures(NOW) is before
    # A transition dated before the month's start (the PC's clock set back) that leaves ONLINE
    # moves where the month's log begins.
    journal.transitions.append(NOW, "LOCAL_OFFLINE", "ONLINE")
    journal.transitions.append(month_start(NOW) - timedelta(hours=1), "ONLINE", "LOCAL_OFFLINE")
    _as_read_afresh(journal, counters)
    assert len(counters.figures(NOW).transitions) == 1
