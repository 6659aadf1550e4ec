"""Order fixtures: the shared sandbox (signing at once), a clock both sides follow, and tills
that are closed after the test whatever happened (the scenario harness's)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from scenarios.harness import SimClock, Till, morning_clock, open_till

from pos.sandbox.server import RunningSandbox

TillFactory = Callable[..., Awaitable[Till]]


@pytest.fixture
def box(sandbox: RunningSandbox) -> RunningSandbox:
    sandbox.control("POST", "/sandbox/config", {"signing_delay": 0})
    return sandbox


@pytest.fixture
def clock(box: RunningSandbox) -> SimClock:
    return morning_clock(box)  # no story may cross Kyiv's midnight by the hour the suite runs


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


async def selling_till(tills: TillFactory) -> Till:
    """A till whose cashier is signed in, with a shift open on an empty drawer: where most
    order stories start."""
    till = await tills()
    await till.sign_in()
    await till.service.open_shift(0)
    return till
