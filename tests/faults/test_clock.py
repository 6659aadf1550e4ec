"""Case 4: one wrong clock reading no longer moves every later offline receipt into the future.

The till's monotonic clock follows true time (as ``CLOCK_BOOTTIME`` does on a real PC), its wall
clock is the SimClock's (true time plus the PC's error). Offline dates follow the monotonic time
since the last trusted instant; a PC clock far from Checkbox's is shown and refused for offline
issuance until the cashier confirms it. Checked against the sandbox's own transactions.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from scenarios.harness import SimClock, parse_instant, sandbox_transactions, strictly_increasing

from pos.journal.records import ReceiptState
from pos.register.connectivity import ConnectivityState as S
from pos.register.errors import Refusal, RegisterError
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory

TOLERANCE = timedelta(minutes=2)


def true_monotonic(clock: SimClock) -> float:
    return clock.true_now().timestamp()


async def test_one_reading_three_hours_ahead_does_not_drag_later_receipts(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    till = await tills(
        tmp_path / "journal.sqlite", marks=tmp_path / "m", monotonic=lambda: true_monotonic(clock)
    )
    await till.sign_in()
    await till.service.open_shift()
    assert (await till.sell_bread()).state is ReceiptState.DONE
    till.cut()
    offline = [await till.sell_bread()]
    clock.jump_local(3 * 3600)  # one wrong reading: the PC believes it is 3 h later
    offline.append(await till.sell_bread())
    clock.jump_local(-3 * 3600)
    for _ in range(3):
        clock.advance(60, push=False)
        offline.append(await till.sell_bread())
        moment = offline[-1].fiscal_date
        assert moment is not None
        assert abs(moment - clock.true_now()) < TOLERANCE  # not 3 h ahead, not 1 µs apart
    dates = [r.fiscal_date for r in offline]
    assert strictly_increasing(dates)  # type: ignore[arg-type]
    assert all(d is not None and d < clock.true_now() + TOLERANCE for d in dates)
    clock.push()
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert (status.state, status.queued, status.set_aside) == (S.ONLINE, 0, 0)
    moments = [
        parse_instant(t["original_datetime"])
        for t in sandbox_transactions(box, till.register)
        if t["offline_id"]
    ]
    assert strictly_increasing(moments)
    assert max(moments) < clock.true_now() + TOLERANCE


async def test_a_clock_far_from_checkbox_is_shown_and_refused_offline_until_confirmed(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    clock.jump_local(3 * 3600)  # the PC's clock is 3 h ahead from the start
    till = await tills(
        tmp_path / "journal.sqlite", marks=tmp_path / "m", monotonic=lambda: true_monotonic(clock)
    )
    await till.sign_in()
    await till.service.open_shift()
    assert (await till.sell_bread()).state is ReceiptState.DONE  # Checkbox dates it: true time
    status = till.service.status()
    assert status.clock_skew_seconds is not None
    assert abs(status.clock_skew_seconds - 3 * 3600) < 120
    till.cut()
    with pytest.raises(RegisterError) as refused:
        await till.sell_bread()
    assert refused.value.refusal is Refusal.CLOCK_UNTRUSTED
    till.service.confirm_clock()
    receipt = await till.sell_bread()
    assert receipt.fiscal_date is not None
    assert abs(receipt.fiscal_date - clock.true_now()) < TOLERANCE  # Checkbox's time, not the PC's
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert (status.state, status.queued, status.set_aside) == (S.ONLINE, 0, 0)
    moments = [
        parse_instant(t["original_datetime"])
        for t in sandbox_transactions(box, till.register)
        if t["offline_id"]
    ]
    assert moments
    assert max(moments) < clock.true_now() + TOLERANCE
