"""Offline time, shift age and the offline code pool, as warnings and refusals (invariants 5, 6).

Pure: reads the transition log's periods, the shift's opening time and the pool size, and says how
much is left, which warnings are due and whether the next offline transaction must be refused.
A refusal comes *before* a limit is crossed: ``stop_margin`` before the end, and while enough codes
remain to close the shift offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from pos.domain.offline_limits import KYIV, SHIFT_LIMIT, OfflinePeriod, offline_usage
from pos.journal.records import ConnectivityTransition
from pos.register.connectivity import ConnectivityState


class Limit(StrEnum):
    OFFLINE_PERIOD = "offline_period"
    OFFLINE_MONTH = "offline_month"
    SHIFT_AGE = "shift_age"
    OFFLINE_CODES = "offline_codes"


class Level(StrEnum):
    WARNING = "warning"  # show a banner
    STOP = "stop"  # refuse the operation


@dataclass(frozen=True)
class LimitWarning:
    limit: Limit
    level: Level
    left: int  # seconds, or codes for OFFLINE_CODES


@dataclass(frozen=True)
class Thresholds:
    """When to warn and when to stop; the manager may change them in settings."""

    offline_warning: timedelta = timedelta(hours=4)
    month_warning: timedelta = timedelta(hours=12)
    shift_warning: timedelta = timedelta(hours=1)
    stop_margin: timedelta = timedelta(minutes=5)
    codes_warning: int = 20
    codes_reserve: int = 2  # kept for the go-offline and the offline shift close
    codes_low_water: int = 100  # refill the local pool below this while online
    codes_batch: int = 500  # how many to ask the tax service for at a time


@dataclass(frozen=True)
class LimitState:
    offline_seconds_left: int
    month_offline_seconds_left: int
    shift_seconds_left: int | None
    codes_left: int
    warnings: tuple[LimitWarning, ...]

    def stop(self, limit: Limit) -> LimitWarning | None:
        for warning in self.warnings:
            if warning.limit is limit and warning.level is Level.STOP:
                return warning
        return None


def offline_periods(transitions: Sequence[ConnectivityTransition]) -> list[OfflinePeriod]:
    """Periods during which the register was not ONLINE, from the transition log."""
    periods: list[OfflinePeriod] = []
    start: datetime | None = None
    for t in transitions:
        leaving = (
            t.from_state == ConnectivityState.ONLINE and t.to_state != ConnectivityState.ONLINE
        )
        back = t.to_state == ConnectivityState.ONLINE and t.from_state != ConnectivityState.ONLINE
        if leaving and start is None:
            start = t.at
        elif back and start is not None:
            periods.append(OfflinePeriod(start, t.at))
            start = None
    if start is not None:
        periods.append(OfflinePeriod(start, None))
    return periods


def shift_end(opened_at: datetime) -> datetime:
    """When a shift must be closed: 24 h after it opened, or Kyiv's midnight after the day it
    opened, whichever is first (the guide: "має бути закрита в той день, коли вона відкрита і не
    може тривати більше 24х годин")."""
    day = opened_at.astimezone(KYIV).date()
    midnight = datetime.combine(day + timedelta(days=1), time(0), KYIV)
    return min(opened_at + SHIFT_LIMIT, midnight)


def _level(left: timedelta, warn: timedelta, stop: timedelta) -> Level | None:
    if left <= stop:
        return Level.STOP
    if left <= warn:
        return Level.WARNING
    return None


def limit_state(
    *,
    now: datetime,
    state: ConnectivityState,
    transitions: Sequence[ConnectivityTransition],
    shift_opened_at: datetime | None,
    free_codes: int,
    thresholds: Thresholds,
) -> LimitState:
    usage = offline_usage(offline_periods(transitions), now)
    offline = state is not ConnectivityState.ONLINE
    warnings: list[LimitWarning] = []
    if offline:
        level = _level(usage.period_left, thresholds.offline_warning, thresholds.stop_margin)
        if level:
            warnings.append(
                LimitWarning(Limit.OFFLINE_PERIOD, level, int(usage.period_left.total_seconds()))
            )
    level = _level(usage.month_left, thresholds.month_warning, thresholds.stop_margin)
    if level and (offline or level is Level.WARNING):
        warnings.append(
            LimitWarning(Limit.OFFLINE_MONTH, level, int(usage.month_left.total_seconds()))
        )
    shift_left: int | None = None
    if shift_opened_at is not None:
        left = max(shift_end(shift_opened_at) - now, timedelta(0))
        shift_left = int(left.total_seconds())
        level = _level(left, thresholds.shift_warning, thresholds.stop_margin)
        if level:
            warnings.append(LimitWarning(Limit.SHIFT_AGE, level, shift_left))
    if free_codes <= thresholds.codes_reserve:
        warnings.append(LimitWarning(Limit.OFFLINE_CODES, Level.STOP, free_codes))
    elif free_codes <= thresholds.codes_warning:
        warnings.append(LimitWarning(Limit.OFFLINE_CODES, Level.WARNING, free_codes))
    return LimitState(
        offline_seconds_left=int(usage.period_left.total_seconds()),
        month_offline_seconds_left=int(usage.month_left.total_seconds()),
        shift_seconds_left=shift_left,
        codes_left=free_codes,
        warnings=tuple(warnings),
    )
