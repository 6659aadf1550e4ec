"""Field faults: tills on real journal files that a test restores, copies, locks or restarts,
each with this PC's journal mark (``ChainMarker``) in a folder the test chooses ("this PC").

The scenario harness (simulated clock shared with the sandbox, recorder transport, readers of
the sandbox's own records) is reused; a till here may also get a monotonic clock of its own and a
transport that fails chosen requests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from scenarios.harness import (
    CATALOGUE,
    FAST_INTERVALS,
    FAST_RETRY,
    Recorder,
    SimClock,
    Till,
    morning_clock,
)

from pos.checkbox import CheckboxClient
from pos.checkbox.network_switch import NetworkSwitch
from pos.journal import Journal
from pos.journal.chain_marker import ChainMarker
from pos.register.service import RegisterService
from pos.register.trusted_time import Monotonic
from pos.sandbox.server import RunningSandbox

TillFactory = Callable[..., Awaitable[Till]]


class FailPaths(httpx.AsyncBaseTransport):
    """Requests whose path contains one of ``paths`` fail as if the cable were pulled."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.paths: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if any(p in request.url.path for p in self.paths):
            raise httpx.ConnectError("cable pulled (test)", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
def box(sandbox: RunningSandbox) -> RunningSandbox:
    sandbox.control("POST", "/sandbox/config", {"signing_delay": 0})
    # Several offline periods per test: go-online's 1-per-2-minutes would make each a wait.
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    return sandbox


@pytest.fixture
def clock(box: RunningSandbox) -> SimClock:
    return morning_clock(box)  # no story may cross Kyiv's midnight by the hour the suite runs


async def open_till(
    box: RunningSandbox,
    path: Path,
    clock: SimClock,
    *,
    marks: Path | None,
    monotonic: Monotonic | None = None,
    fail: FailPaths | None = None,
    switch: NetworkSwitch | None = None,
) -> Till:
    register = box.registers[0]
    switch = switch if switch is not None else NetworkSwitch()
    inner: httpx.AsyncBaseTransport = switch
    if fail is not None:
        fail.inner = switch
        inner = fail
    recorder = Recorder(inner)
    client = CheckboxClient(
        box.base_url, transport=recorder, retry=FAST_RETRY, timeout=5.0, rate_limits=False
    )
    journal = Journal.open(path, exclusive=True)
    journal.catalogue.upsert(CATALOGUE, clock.now())
    service = RegisterService(
        journal,
        client,
        license_key=register.license_key,
        now=clock.now,
        intervals=FAST_INTERVALS,
        monotonic=monotonic,
        chain=None if marks is None else ChainMarker(path, marks),
    )
    await service.start(worker=False)
    return Till(box, clock, register, path, switch, recorder, client, journal, service)


@pytest.fixture
async def tills(box: RunningSandbox, clock: SimClock) -> AsyncIterator[TillFactory]:
    made: list[Till] = []

    async def make(path: Path, **options: Any) -> Till:
        till = await open_till(box, path, clock, **options)
        made.append(till)
        return till

    yield make
    for till in made:
        await till.close()
