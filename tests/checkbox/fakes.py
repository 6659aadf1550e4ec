"""Test stand-ins shared by the client tests: a virtual clock and a fault-injecting transport."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from enum import Enum

import httpx


class FakeClock:
    """Monotonic time that only moves when someone sleeps: tests never wait for real."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


class Fault(Enum):
    """What goes wrong with one request."""

    DROP_BEFORE = "drop_before"  # connection refused: the server never sees it
    DROP_AFTER = "drop_after"  # the server processes it, the answer is lost
    TIMEOUT_AFTER = "timeout_after"  # the server processes it, the read times out
    ANSWER_503 = "503"  # the server is down for maintenance: not processed
    ANSWER_524 = "524"  # the proxy gave up, but the server processed it
    ANSWER_429 = "429"  # rate limited: not processed


class FaultyTransport(httpx.AsyncBaseTransport):
    """Wraps a real transport; injects ``faults`` (in order) into requests that ``match``."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        faults: list[Fault],
        match: Callable[[httpx.Request], bool] = lambda request: True,
    ) -> None:
        self.inner = inner
        self.faults = list(faults)
        self.match = match
        self.seen: list[tuple[str, str, Fault | None]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault = self.faults.pop(0) if self.faults and self.match(request) else None
        self.seen.append((request.method, request.url.path, fault))
        if fault is Fault.DROP_BEFORE:
            raise httpx.ConnectError("connection refused", request=request)
        if fault is Fault.ANSWER_503:
            return httpx.Response(503, json={"message": "Maintenance work till 3:30 GMT+3."})
        if fault is Fault.ANSWER_429:
            return httpx.Response(
                429,
                json={
                    "message": "Занадто часто виконуються запити, повторіть спробу через 1 секунд"
                },
            )
        response = await self.inner.handle_async_request(request)
        if fault is None:
            return response
        await response.aread()
        await response.aclose()
        if fault is Fault.DROP_AFTER:
            raise httpx.RemoteProtocolError("server disconnected", request=request)
        if fault is Fault.TIMEOUT_AFTER:
            raise httpx.ReadTimeout("read timed out", request=request)
        return httpx.Response(524, text="524 Timeout Occured")

    async def aclose(self) -> None:
        await self.inner.aclose()
