"""Scenario 5: the legal limits — 36 h in one offline period, 168 h offline in a calendar month,
24 h per shift (invariants 5 and 6).

Time is moved, never waited for: the simulated clock jumps hours ahead on both sides. Each limit
is approached in steps that straddle its thresholds, so a test fails if the warning comes too
early or too late, if the refusal comes at or after the limit instead of ``stop_margin`` before
it, or if a refusal leaves anything behind in the journal. After the refusal the shift can still
be closed, and the sandbox (which enforces the 36 h and 24 h rules itself) accepts the upload.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos.domain.offline_limits import KYIV, OFFLINE_MONTH_LIMIT, OFFLINE_PERIOD_LIMIT, SHIFT_LIMIT
from pos.journal.records import ReceiptState, ShiftState
from pos.register.connectivity import ConnectivityState as S
from pos.register.errors import Refusal, RegisterError
from pos.register.limits import Level, Limit, Thresholds, shift_end
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory
from .harness import SimClock, Till, assert_transitions, sandbox_shift, sandbox_state

MINUTE = 60.0


async def refused(till: Till, refusal: Refusal) -> RegisterError:
    """A sale is refused for ``refusal`` and leaves no receipt in the journal."""
    count = len(till.receipts())
    with pytest.raises(RegisterError) as caught:
        await till.sell_bread()
    assert caught.value.refusal is refusal, caught.value
    assert len(till.receipts()) == count, "a refused sale must leave nothing committed"
    return caught.value


async def upload_everything(till: Till) -> None:
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    assert status.queued == 0
    assert status.set_aside == 0, [(e.kind, e.error) for e in till.service.set_aside()]


# --- 36 h in one offline period ---------------------------------------------------------------


@pytest.mark.parametrize(
    "thresholds",
    [
        Thresholds(),
        Thresholds(offline_warning=timedelta(hours=10), stop_margin=timedelta(hours=1)),
    ],
    ids=["default-thresholds", "warn-10h-stop-1h"],
)
async def test_offline_period_warns_then_refuses_before_36_hours(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, thresholds: Thresholds
) -> None:
    till = await tills(thresholds=thresholds)
    start = clock.now()
    await till.sign_in()
    await till.service.open_shift()
    await till.sell_bread()
    await till.service.close_shift()  # a closed shift: the next one may be opened offline

    till.cut()
    await till.service.sync()  # the worker notices: the offline period starts now
    assert till.state is S.LOCAL_OFFLINE
    went_offline = till.journal.transitions.list()[-1].at

    def elapsed() -> float:
        return (clock.now() - went_offline).total_seconds()

    def go_to(seconds: float) -> None:
        clock.advance(seconds - elapsed())

    go_to(20 * 3600)  # a night without a line; the morning shift opens offline
    shift = await till.service.open_shift()
    assert shift.is_offline
    assert shift.state is ShiftState.OPENED
    assert (await till.sell_bread()).state is ReceiptState.OFFLINE_ISSUED

    limit = OFFLINE_PERIOD_LIMIT.total_seconds()
    warn_at = limit - thresholds.offline_warning.total_seconds()
    stop_at = limit - thresholds.stop_margin.total_seconds()

    go_to(warn_at - MINUTE)
    assert Limit.OFFLINE_PERIOD not in till.warnings()
    await till.sell_bread()

    go_to(warn_at + MINUTE)
    level, left = till.warnings()[Limit.OFFLINE_PERIOD]
    assert level is Level.WARNING
    assert abs(left - (limit - elapsed())) <= 5
    assert abs(till.service.status().offline_seconds_left - left) <= 5
    await till.sell_bread()

    go_to(stop_at - MINUTE)
    assert till.warnings()[Limit.OFFLINE_PERIOD][0] is Level.WARNING
    last = await till.sell_bread()
    assert last.state is ReceiptState.OFFLINE_ISSUED

    go_to(stop_at + 1)
    assert till.warnings()[Limit.OFFLINE_PERIOD][0] is Level.STOP
    error = await refused(till, Refusal.OFFLINE_PERIOD_LIMIT)
    assert 0 < error.params["left"] <= thresholds.stop_margin.total_seconds()
    assert elapsed() < limit

    # The Z-report still closes the shift (offline), and the sandbox takes the whole period.
    z = await till.service.close_shift()
    assert z.shift is not None
    assert z.shift.state is ShiftState.CLOSED
    await upload_everything(till)
    assert sandbox_shift(box, shift.id)["status"] == "CLOSED"
    assert sandbox_state(box)["rate_limited"] == 0
    assert_transitions(
        till,
        [
            (S.ONLINE, S.LOCAL_OFFLINE),
            (S.LOCAL_OFFLINE, S.UPLOADING),
            (S.UPLOADING, S.GOING_ONLINE),
            (S.GOING_ONLINE, S.ONLINE),
        ],
        since=start,
    )


# --- 168 h in a calendar month ------------------------------------------------------------------


def next_kyiv_month_start(now: datetime) -> datetime:
    local = now.astimezone(KYIV)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=KYIV).astimezone(UTC)


async def test_month_offline_limit_warns_and_refuses_before_168_hours(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    # The whole story happens inside one Kyiv calendar month: start at 14:00 on its first day,
    # so the shift opened after the five outages (155 h later, 01:00) ends on its own Kyiv day.
    clock.advance(
        (next_kyiv_month_start(clock.now()) + timedelta(hours=14) - clock.now()).total_seconds()
    )
    thresholds = Thresholds()
    till = await tills(thresholds=thresholds)
    start = clock.now()
    await till.sign_in()

    # Five earlier outages of 30 h each (150 h), each below the period limit, online in between.
    outages = 5
    for _ in range(outages):
        till.cut()
        await till.service.sync()
        assert till.state is S.LOCAL_OFFLINE
        clock.advance(30 * 3600)
        till.reconnect()
        assert (await till.service.sync(wait=True, give_up_after=30)).state is S.ONLINE
        clock.advance(3600)
    used = 150 * 3600
    month_left = OFFLINE_MONTH_LIMIT.total_seconds() - used
    status = till.service.status()
    assert abs(status.month_offline_seconds_left - month_left) <= 60
    # From here on, measure from the register's own count (each outage also lasted the real
    # seconds its syncs took, which the 2-requests-a-second rule makes a few seconds longer).
    month_left = status.month_offline_seconds_left
    assert Limit.OFFLINE_MONTH not in till.warnings()  # 18 h left, warned from 12 h

    await till.service.open_shift()
    await till.sell_bread()
    till.cut()
    first = await till.sell_bread()  # this sale finds the line down
    assert first.state is ReceiptState.OFFLINE_ISSUED
    went_offline = till.journal.transitions.list()[-1].at

    def left() -> float:
        return month_left - (clock.now() - went_offline).total_seconds()

    def go_to_left(seconds: float) -> None:
        clock.advance(left() - seconds)

    warn_left = thresholds.month_warning.total_seconds()
    stop_left = thresholds.stop_margin.total_seconds()
    go_to_left(warn_left + MINUTE)
    assert Limit.OFFLINE_MONTH not in till.warnings()
    await till.sell_bread()
    go_to_left(warn_left - MINUTE)
    level, reported = till.warnings()[Limit.OFFLINE_MONTH]
    assert level is Level.WARNING
    assert abs(reported - left()) <= 5
    await till.sell_bread()
    go_to_left(stop_left + MINUTE)
    await till.sell_bread()
    go_to_left(stop_left - 1)
    assert till.warnings()[Limit.OFFLINE_MONTH][0] is Level.STOP
    # It is the month that stops this period, long before its own 36 h.
    assert till.service.status().offline_seconds_left > 12 * 3600
    assert Limit.OFFLINE_PERIOD not in till.warnings()
    error = await refused(till, Refusal.OFFLINE_MONTH_LIMIT)
    assert 0 < error.params["left"] <= stop_left
    assert left() > 0

    z = await till.service.close_shift()
    assert z.shift is not None
    assert z.shift.state is ShiftState.CLOSED
    await upload_everything(till)
    assert clock.now().astimezone(KYIV).month == start.astimezone(KYIV).month
    path = [(S.ONLINE, S.LOCAL_OFFLINE), (S.LOCAL_OFFLINE, S.UPLOADING), (S.UPLOADING, S.ONLINE)]
    final = [
        (S.ONLINE, S.LOCAL_OFFLINE),
        (S.LOCAL_OFFLINE, S.UPLOADING),
        (S.UPLOADING, S.GOING_ONLINE),
        (S.GOING_ONLINE, S.ONLINE),
    ]
    assert_transitions(till, path * outages + final, since=start)


# --- 24 h per shift ---------------------------------------------------------------------------


@pytest.mark.parametrize("offline", [False, True], ids=["online", "offline"])
async def test_shift_age_warns_refuses_before_24_hours_and_z_still_closes(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, offline: bool
) -> None:
    thresholds = Thresholds()
    till = await tills(thresholds=thresholds)
    await till.sign_in()
    shift = await till.service.open_shift()
    opened = shift.opened_at or shift.created_at
    await till.sell_bread()
    if offline:
        till.cut()
        assert (await till.sell_bread()).state is ReceiptState.OFFLINE_ISSUED

    def go_to_age(seconds: float) -> None:
        clock.advance(seconds - (clock.now() - opened).total_seconds())

    limit = (shift_end(opened) - opened).total_seconds()  # Kyiv midnight or 24 h
    assert limit <= SHIFT_LIMIT.total_seconds()
    warn_at = limit - thresholds.shift_warning.total_seconds()
    stop_at = limit - thresholds.stop_margin.total_seconds()
    go_to_age(warn_at - MINUTE)
    assert Limit.SHIFT_AGE not in till.warnings()
    await till.sell_bread()
    go_to_age(warn_at + MINUTE)
    level, left = till.warnings()[Limit.SHIFT_AGE]
    assert level is Level.WARNING
    assert abs(left - (limit - (clock.now() - opened).total_seconds())) <= 5
    await till.sell_bread()
    go_to_age(stop_at - MINUTE)
    await till.sell_bread()
    go_to_age(stop_at + 1)
    assert till.warnings()[Limit.SHIFT_AGE][0] is Level.STOP
    error = await refused(till, Refusal.SHIFT_EXPIRED)
    assert 0 < error.params["left"] <= thresholds.stop_margin.total_seconds()
    assert (clock.now() - opened).total_seconds() < limit

    z = await till.service.close_shift()
    assert z.shift is not None
    assert z.shift.state is ShiftState.CLOSED
    if offline:
        await upload_everything(till)
    assert sandbox_shift(box, shift.id)["status"] == "CLOSED"
    assert sandbox_state(box)["rate_limited"] == 0
    # A new shift, on the next Kyiv day, starts the count again.
    clock.advance(thresholds.stop_margin.total_seconds() + 10 * MINUTE)
    await till.service.open_shift()
    assert Limit.SHIFT_AGE not in till.warnings()
    assert (await till.sell_bread()).state is ReceiptState.DONE
