"""Time is trusted, not assumed (invariant 11): the register's "now" is the last trusted instant
plus the elapsed time of a monotonic clock.

Why: the fiscal clock never goes back, so a single wall-clock reading three hours ahead used to
drag every later offline receipt three hours into the future (one microsecond apart). Here the
wall clock is read once, when the program starts, and after that only when Checkbox confirms it;
between those moments "now" advances with the monotonic clock, which NTP, a dead CMOS battery or
a cashier "fixing" the time cannot move. On Linux the monotonic source is ``CLOCK_BOOTTIME`` (it
keeps counting while the PC sleeps). An injected wall clock (tests, the scenarios' simulated
world) is its own monotonic source unless one is given.

When Checkbox's time (the fiscal date of a receipt it just fiscalised) differs from the PC's wall
clock by more than ``tolerance``, the difference is kept and shown, and offline issuance is
refused until the cashier confirms the time (``RegisterService.confirm_clock``); "now" then
follows Checkbox's time, not the wrong wall clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

Monotonic = Callable[[], float]
DEFAULT_TOLERANCE = timedelta(minutes=2)


def system_monotonic() -> Monotonic:
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    if boottime is not None:
        return lambda: time.clock_gettime(boottime)
    return time.monotonic


class TrustedClock:
    def __init__(
        self,
        wall: Callable[[], datetime],
        monotonic: Monotonic | None = None,
        tolerance: timedelta = DEFAULT_TOLERANCE,
    ) -> None:
        self.wall = wall
        self._mono: Monotonic = monotonic or (lambda: wall().timestamp())
        self.tolerance = tolerance
        self._anchor = wall()
        self._anchor_mono = self._mono()
        self.anchored_on_server = False  # until Checkbox's clock was read, "now" is the PC's

    def now(self) -> datetime:
        """The last trusted instant plus monotonic elapsed time."""
        return self._anchor + timedelta(seconds=self._mono() - self._anchor_mono)

    def wall_skew(self) -> timedelta:
        """How far the PC's wall clock is from the register's trusted time right now."""
        return self.wall() - self.now()

    def trust(self, moment: datetime) -> None:
        """Re-anchor on an instant Checkbox confirmed (it is "now" at this moment)."""
        self._anchor = moment
        self._anchor_mono = self._mono()
        self.anchored_on_server = True

    def server_says(self, server_now: datetime) -> timedelta | None:
        """Checkbox's clock read ``server_now`` just now. Re-anchor on it; return the PC wall
        clock's difference from it when that is beyond the tolerance, else None."""
        skew = self.wall() - server_now
        self.trust(server_now if abs(skew) > self.tolerance else self.wall())
        return skew if abs(skew) > self.tolerance else None
