"""A transport whose cable can be pulled: every request fails to connect while it is cut.

Why: the training-mode outage drill and the scenario tests need the same failure a real network
outage gives the client (a connect error, so nothing was sent), without touching the machine's
network or stopping the sandbox.
"""

from __future__ import annotations

import httpx


class NetworkSwitch(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._inner = inner or httpx.AsyncHTTPTransport()
        self.cut = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.cut:
            raise httpx.ConnectError("network cut", request=request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
