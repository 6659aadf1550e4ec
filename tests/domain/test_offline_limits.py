"""Offline-time accounting (36 h period, 168 h Kyiv month) and shift age (24 h)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos.domain.offline_limits import (
    KYIV,
    OfflinePeriod,
    month_start,
    offline_usage,
    shift_age,
)

H = timedelta(hours=1)


def test_current_period_and_time_left() -> None:
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    usage = offline_usage([OfflinePeriod(now - 10 * H)], now)
    assert usage.current_period == 10 * H
    assert usage.period_left == 26 * H
    assert usage.month == 10 * H
    assert usage.month_left == 158 * H
    assert usage.left == 26 * H


def test_month_limit_is_tighter_after_many_periods() -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    past = [
        OfflinePeriod(
            datetime(2026, 11, day, 0, tzinfo=UTC), datetime(2026, 11, day, 16, tzinfo=UTC)
        )
        for day in range(2, 12)
    ]  # 10 × 16 h = 160 h
    usage = offline_usage([*past, OfflinePeriod(now - 2 * H)], now)
    assert usage.month == 162 * H
    assert usage.month_left == 6 * H
    assert usage.left == 6 * H
    assert usage.current_period == 2 * H


def test_month_starts_at_kyiv_midnight() -> None:
    # 2026-11-30 22:30 UTC is already 1 December 00:30 in Kyiv (UTC+2).
    now = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert month_start(now) == datetime(2026, 12, 1, tzinfo=KYIV)
    usage = offline_usage([OfflinePeriod(datetime(2026, 11, 30, 20, tzinfo=UTC))], now)
    assert usage.current_period == timedelta(hours=3, minutes=30)
    assert usage.month == timedelta(hours=1, minutes=30)


def test_limits_never_go_below_zero() -> None:
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    usage = offline_usage([OfflinePeriod(now - 40 * H)], now)
    assert usage.period_left == timedelta(0)


def test_naive_datetimes_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        offline_usage([OfflinePeriod(datetime(2026, 1, 1))], datetime(2026, 1, 2))


def test_shift_age() -> None:
    opened = datetime(2026, 11, 20, 8, tzinfo=UTC)
    age = shift_age(opened, opened + 23 * H)
    assert (age.age, age.left, age.expired) == (23 * H, H, False)
    assert shift_age(opened, opened + 24 * H).expired
