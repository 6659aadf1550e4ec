"""Per-register rate limits, kept on our side so the server never has to say 429.

Why: Checkbox blocks a register for seconds (receipts: 5 s) or minutes when a limit is broken,
and warns of contract action on repeated abuse (DESIGN invariant 8). The limits, per register:

* every request of any kind (polls, pings, info, codes, sign-in): ≤ 2 per second. The window
  counts a request from its start until its answer arrived, plus one second after that answer:
  the server stamps a request when it arrives, which is never later than our answer, so two
  answered requests a second apart can never look closer than a second to the server, whatever
  the network's jitter;
* receipts: ≤ 2 per second (a sliding window of 1 s, plus a small safety margin);
* ``go-online``: ≤ 1 per 2 minutes;
* visualisation (text/HTML/PNG/QR of receipts and reports): ≤ 1 per second;
* offline code requests (``ask-offline-codes``): never the 6th in the last 10 transactions.
  That rule counts transactions, not time, so waiting cannot help: the limiter refuses with
  ``CodeRequestsBlocked`` instead, and the register layer sends it later.

A 429 (or "повторіть через N секунд") blocks the whole register for the time the server names (the
guide: "на цей час блокуються запити з конкретної каси").
Time is injected (``clock`` = monotonic seconds, ``sleep`` = async sleep) so tests never wait.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from enum import Enum

from pos.checkbox.errors import CodeRequestsBlocked

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

CODE_REQUESTS_MESSAGE = (
    "Запити офлайн кодів заблоковано: серед останніх 10 транзакцій каси 6 є запитами кодів"
)


class Limit(Enum):
    """What kind of request is being limited."""

    RECEIPT = "receipt"
    GO_ONLINE = "go_online"
    VISUALISATION = "visualisation"
    CODE_REQUEST = "code_request"
    TRANSACTION = "transaction"  # other register transactions: shifts, go-offline, ping
    OTHER = "other"


class SlidingWindow:
    """At most ``count`` starts in any ``period`` seconds; callers wait their turn in order."""

    def __init__(self, count: int, period: float, clock: Clock, sleep: Sleep) -> None:
        self.count = count
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = asyncio.Lock()

    def wait_time(self) -> float:
        """Seconds until one more start is allowed (0 if now)."""
        now = self._clock()
        while self._starts and self._starts[0] + self.period <= now:
            self._starts.popleft()
        if len(self._starts) < self.count:
            return 0.0
        return self._starts[0] + self.period - now

    async def acquire(self) -> None:
        async with self._lock:
            while (delay := self.wait_time()) > 0:
                await self._sleep(delay)
            self._starts.append(self._clock())


class AnsweredWindow:
    """At most ``count`` requests in flight or answered within the last ``period`` seconds."""

    def __init__(self, count: int, period: float, clock: Clock, sleep: Sleep) -> None:
        self.count = count
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._answered: deque[float] = deque()
        self._in_flight = 0
        self._lock = asyncio.Lock()

    def wait_time(self) -> float:
        now = self._clock()
        while self._answered and self._answered[0] + self.period <= now:
            self._answered.popleft()
        if self._in_flight + len(self._answered) < self.count:
            return 0.0
        if not self._answered:
            return 0.01  # all slots in flight: look again shortly
        return self._answered[0] + self.period - now

    async def acquire(self) -> None:
        async with self._lock:
            while (delay := self.wait_time()) > 0:
                await self._sleep(delay)
            self._in_flight += 1

    def release(self) -> None:
        self._in_flight = max(0, self._in_flight - 1)
        self._answered.append(self._clock())


class RegisterLimiter:
    """All client-side limits of one register. ``enabled=False`` turns every wait off."""

    RECEIPT_MARGIN = 0.03  # seconds added to the 1 s window: network jitter must not cause a 429

    def __init__(self, clock: Clock, sleep: Sleep, enabled: bool = True) -> None:
        self.enabled = enabled
        self._clock = clock
        self._sleep = sleep
        self._windows = {
            Limit.RECEIPT: SlidingWindow(2, 1.0 + self.RECEIPT_MARGIN, clock, sleep),
            Limit.GO_ONLINE: SlidingWindow(1, 120.0, clock, sleep),
            Limit.VISUALISATION: SlidingWindow(1, 1.0, clock, sleep),
        }
        self.requests = AnsweredWindow(2, 1.0 + self.RECEIPT_MARGIN, clock, sleep)
        self._blocked_until: dict[Limit | None, float] = {}
        self._transactions: deque[bool] = deque(maxlen=10)  # True = a code request

    def release(self) -> None:
        """The request's answer (or failure) is in: its slot frees a second from now."""
        if self.enabled:
            self.requests.release()

    def block(self, kind: Limit | None, seconds: float) -> None:
        """The server said wait ``seconds`` (kind None: the whole register)."""
        until = self._clock() + max(0.0, seconds)
        self._blocked_until[kind] = max(self._blocked_until.get(kind, 0.0), until)

    def blocked_for(self, kind: Limit) -> float:
        """Seconds this kind must still wait because of a server block."""
        now = self._clock()
        until = max(self._blocked_until.get(kind, 0.0), self._blocked_until.get(None, 0.0))
        return max(0.0, until - now)

    def code_requests_in_window(self) -> int:
        return sum(self._transactions)

    async def acquire(self, kind: Limit) -> None:
        """Wait until a request of ``kind`` may go; record it if it is a register transaction.
        Every ``acquire`` must be followed by ``release`` once the answer (or failure) is in."""
        if kind is Limit.CODE_REQUEST and self.enabled:
            recent = list(self._transactions)[-9:]
            if sum(recent) >= 5:
                raise CodeRequestsBlocked(CODE_REQUESTS_MESSAGE)
        if self.enabled:
            while (delay := self.blocked_for(kind)) > 0:
                await self._sleep(delay)
            window = self._windows.get(kind)
            if window is not None:
                await window.acquire()
            await self.requests.acquire()
        if kind in (Limit.RECEIPT, Limit.GO_ONLINE, Limit.TRANSACTION, Limit.CODE_REQUEST):
            self._transactions.append(kind is Limit.CODE_REQUEST)
