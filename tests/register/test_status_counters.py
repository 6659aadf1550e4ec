"""status() from counters: the same limits as from the whole log, read again only after a write."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos.checkbox import CheckboxClient
from pos.domain.offline_limits import month_start
from pos.journal import Journal
from pos.journal.records import ConnectivityTransition
from pos.register.connectivity import ConnectivityState
from pos.register.limits import Thresholds, limit_state
from pos.register.service import RegisterService

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
    original = journal.transitions.for_month

    def counted(month: datetime) -> tuple[ConnectivityTransition, ...]:
        reads.append("read")
        return original(month)

    journal.transitions.for_month = counted  # type: ignore[method-assign]
    for _ in range(100):
        assert service.status() == first
    assert reads == []
    journal.codes.add([("code-1", 1)], NOW)  # a write: the pool grew
    assert service.status().codes_left == first.codes_left + 1
    assert reads == ["read"]
