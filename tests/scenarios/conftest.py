"""Scenario fixtures: the shared sandbox reset per test, a clock both sides follow, and a factory
of tills that are closed after the test whatever happened.

The sandbox signs at once (``signing_delay`` 0) so a scenario's time goes into what it checks,
not into polling; every test starts with rate limits on, and only the tests that must send
hundreds of receipts or several go-online switch them off, on both sides.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from pos.sandbox.server import RunningSandbox

from .harness import SimClock, Till, morning_clock, open_till

TillFactory = Callable[..., Awaitable[Till]]


@pytest.fixture
def box(sandbox: RunningSandbox) -> RunningSandbox:
    sandbox.control("POST", "/sandbox/config", {"signing_delay": 0})
    return sandbox


@pytest.fixture
def clock(box: RunningSandbox) -> SimClock:
    """Both sides start at the next 08:00 in Kyiv (see ``morning_clock``)."""
    return morning_clock(box)


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
