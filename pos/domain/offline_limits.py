"""How long a register has been offline and how long its shift has been open.

The law allows at most 36 hours in one offline period and 168 hours in a calendar month (the
month of Kyiv, where the shop is); a shift lasts at most 24 hours. The client must keep to these
itself (the seed says so), so the register computes what is used and what is left from its log of
offline periods and warns before a limit rather than after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")
OFFLINE_PERIOD_LIMIT = timedelta(hours=36)
OFFLINE_MONTH_LIMIT = timedelta(hours=168)
SHIFT_LIMIT = timedelta(hours=24)
_ZERO = timedelta(0)


@dataclass(frozen=True)
class OfflinePeriod:
    """One stretch offline; `ended_at` is None while it lasts. Times are timezone-aware."""

    started_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True)
class OfflineUsage:
    current_period: timedelta
    month: timedelta
    period_left: timedelta
    month_left: timedelta

    @property
    def left(self) -> timedelta:
        """Time offline still allowed right now: the tighter of the two limits."""
        return min(self.period_left, self.month_left)


@dataclass(frozen=True)
class ShiftAge:
    age: timedelta
    left: timedelta

    @property
    def expired(self) -> bool:
        return self.left <= _ZERO


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("offline accounting needs timezone-aware datetimes")
    return moment


def month_start(now: datetime) -> datetime:
    """Midnight of the first day of `now`'s month in Kyiv."""
    local = _aware(now).astimezone(KYIV)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def offline_usage(
    periods: Sequence[OfflinePeriod],
    now: datetime,
    *,
    period_limit: timedelta = OFFLINE_PERIOD_LIMIT,
    month_limit: timedelta = OFFLINE_MONTH_LIMIT,
) -> OfflineUsage:
    """Time offline in the current (still open) period and in this Kyiv calendar month."""
    now = _aware(now)
    start_of_month = month_start(now)
    current = _ZERO
    month = _ZERO
    for period in periods:
        start = _aware(period.started_at)
        end = _aware(period.ended_at) if period.ended_at is not None else now
        end = min(end, now)
        if end <= start:
            continue
        if period.ended_at is None:
            current = max(current, end - start)
        overlap_start = max(start, start_of_month)
        if end > overlap_start:
            month += end - overlap_start
    return OfflineUsage(
        current_period=current,
        month=month,
        period_left=max(period_limit - current, _ZERO),
        month_left=max(month_limit - month, _ZERO),
    )


def shift_age(opened_at: datetime, now: datetime, *, limit: timedelta = SHIFT_LIMIT) -> ShiftAge:
    """How long a shift has been open and how long it may still stay open."""
    age = max(_aware(now) - _aware(opened_at), _ZERO)
    return ShiftAge(age=age, left=max(limit - age, _ZERO))
