"""The seed's rate limits, per register (any request, receipts, go-online) and per receipt
(visualisation).

Any request: more than 2 in one second from one register (license key, or the cashier token's
register) → 429 "Занадто часто виконуються запити, повторіть спробу через N секунд", and every
request of that register is refused until the named wait has passed (the seed: "на цей час
блокуються запити з конкретної каси"). The seed names no block length; the sandbox blocks until
the oldest of the counted requests is a second old, at least 1 s. Refused requests are not counted.

Receipts: more than 2 in one second on a register → 429 naming the wait, and the register is
blocked for 5 s. `go-online`: one per 2 minutes per register. Visualisation: more than one request
a second for the same receipt → 429 without a block; more than 3 → blocked for 10 s. Everything
is measured on the sandbox clock and can be switched off for load tests.

Sign-in: after 5 wrong PINs (or passwords) for one register (or login) within 300 s, further
attempts get the seed's 400 "Максимальну кількість спроб перевищено, повторіть через 300 секунд"
until 300 s have passed (the seed names the text but not the threshold; 5 is the sandbox's).
"""

from __future__ import annotations

import math
from collections import deque
from datetime import datetime, timedelta

from pos.sandbox.errors import TOO_MANY_ATTEMPTS, ApiError, too_often

REQUESTS_PER_SECOND = 2
RECEIPTS_PER_SECOND = 2
RECEIPT_BLOCK = timedelta(seconds=5)
GO_ONLINE_INTERVAL = timedelta(minutes=2)
VISUAL_PER_SECOND = 1
VISUAL_BURST = 3
VISUAL_BLOCK = timedelta(seconds=10)
SIGNIN_FAILURES = 5
SIGNIN_BLOCK = timedelta(seconds=300)
_SECOND = timedelta(seconds=1)


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


class _Window:
    """Request times within the last second, and a block end if one was imposed."""

    def __init__(self) -> None:
        self.times: deque[datetime] = deque()
        self.blocked_until: datetime | None = None

    def recent(self, now: datetime) -> int:
        while self.times and now - self.times[0] >= _SECOND:
            self.times.popleft()
        if self.times and self.times[-1] > now:  # the clock was moved back: forget the future
            self.times.clear()
            self.blocked_until = None
        return len(self.times)


class RateLimits:
    def __init__(self) -> None:
        self.enabled = True
        self.rejected = 0
        self._receipts: dict[str, _Window] = {}
        self._requests: dict[str, _Window] = {}
        self._visual: dict[str, _Window] = {}
        self._go_online: dict[str, datetime] = {}
        self._signin: dict[str, deque[datetime]] = {}

    def reset(self) -> None:
        self._receipts.clear()
        self._requests.clear()
        self._visual.clear()
        self._go_online.clear()
        self._signin.clear()
        self.rejected = 0

    def _reject(self, seconds: int) -> ApiError:
        self.rejected += 1
        return ApiError(429, too_often(seconds), {"Retry-After": str(seconds)})

    def request(self, register_id: str, now: datetime, *, receipt: bool = False) -> None:
        """Any API request of a register: ≤ 2 a second, the register blocked while it waits
        (5 s when the request breaking the rule creates a receipt, as the receipt limit does)."""
        if not self.enabled:
            return
        window = self._requests.setdefault(register_id, _Window())
        count = window.recent(now)
        if window.blocked_until and now < window.blocked_until:
            raise self._reject(_seconds(window.blocked_until - now))
        if count >= REQUESTS_PER_SECOND:
            window.blocked_until = now + (RECEIPT_BLOCK if receipt else _SECOND)
            raise self._reject(_seconds(window.blocked_until - now))
        window.times.append(now)

    def receipt(self, register_id: str, now: datetime) -> None:
        if not self.enabled:
            return
        window = self._receipts.setdefault(register_id, _Window())
        if window.blocked_until and now < window.blocked_until:
            raise self._reject(_seconds(window.blocked_until - now))
        if window.recent(now) >= RECEIPTS_PER_SECOND:
            window.blocked_until = now + RECEIPT_BLOCK
            raise self._reject(_seconds(RECEIPT_BLOCK))
        window.times.append(now)

    def go_online(self, register_id: str, now: datetime) -> None:
        if not self.enabled:
            return
        last = self._go_online.get(register_id)
        if last is not None and now - last < GO_ONLINE_INTERVAL:
            raise self._reject(_seconds(last + GO_ONLINE_INTERVAL - now))
        self._go_online[register_id] = now

    def visual(self, receipt_id: str, now: datetime) -> None:
        if not self.enabled:
            return
        window = self._visual.setdefault(receipt_id, _Window())
        if window.blocked_until and now < window.blocked_until:
            raise self._reject(_seconds(window.blocked_until - now))
        count = window.recent(now)
        window.times.append(now)
        if count >= VISUAL_BURST:
            window.blocked_until = now + VISUAL_BLOCK
            raise self._reject(_seconds(VISUAL_BLOCK))
        if count >= VISUAL_PER_SECOND:
            raise self._reject(1)

    def signin_allowed(self, key: str, now: datetime) -> None:
        """Raise the seed's 400 while `key` is blocked after too many failed sign-ins."""
        if not self.enabled:
            return
        failures = self._signin.get(key)
        if failures is None:
            return
        while failures and now - failures[0] >= SIGNIN_BLOCK:
            failures.popleft()
        if len(failures) >= SIGNIN_FAILURES:
            wait = _seconds(failures[-1] + SIGNIN_BLOCK - now)
            raise ApiError(400, TOO_MANY_ATTEMPTS.format(seconds=wait))

    def signin_failed(self, key: str, now: datetime) -> None:
        if self.enabled:
            self._signin.setdefault(key, deque()).append(now)
