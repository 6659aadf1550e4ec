"""Scenario fixtures: the shared sandbox reset per test, a clock both sides follow, and a factory
of tills that are closed after the test whatever happened.

The sandbox signs at once (``signing_delay`` 0) so a scenario's time goes into what it checks,
not into polling; every test starts with rate limits on, and only the tests that must send
hundreds of receipts or several go-online switch them off, on both sides.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from pos.domain.offline_limits import KYIV
from pos.sandbox.server import RunningSandbox

from .harness import SimClock, Till, open_till

TillFactory = Callable[..., Awaitable[Till]]


@pytest.fixture
def box(sandbox: RunningSandbox) -> RunningSandbox:
    sandbox.control("POST", "/sandbox/config", {"signing_delay": 0})
    return sandbox


@pytest.fixture
def clock(box: RunningSandbox) -> SimClock:
    """Both sides start at the next 08:00 in Kyiv: a shift must close before Kyiv's midnight, so
    a story of hours must not depend on the hour the suite happens to run."""
    sim = SimClock(box)
    sim.set_offset(seconds_to_kyiv_morning(datetime.now(UTC)))
    return sim


def seconds_to_kyiv_morning(now: datetime, hour: int = 8) -> float:
    local = now.astimezone(KYIV)
    morning = datetime.combine(local.date(), time(hour), KYIV)
    if morning <= local:
        morning += timedelta(days=1)
    return (morning - now).total_seconds()


@pytest.fixture
async def tills(box: RunningSandbox, clock: SimClock, tmp_path: Path) -> AsyncIterator[TillFactory]:
    made: list[Till] = []

    async def make(**options: Any) -> Till:
        till = await open_till(box, tmp_path, clock, **options)
        made.append(till)
        return till

    yield make
    for till in made:
        await till.close()
