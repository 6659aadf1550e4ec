"""Scenario 4: the shop PC's clock jumps back an hour in the middle of an offline period.

Invariant 4: ``fiscal_date`` strictly increases over every offline transaction of the register,
whatever the wall clock does — the fiscal clock is monotonic and persisted, so it holds across a
restart of the program too. The sandbox (whose clock is right) must accept every upload: no
"date earlier than the last transaction", no entry set aside.

The same jump must not hand offline or shift time back either (invariants 5 and 6): the time left
that the cashier sees may not grow while the register stays offline (limits are measured on the
later of the wall clock and the fiscal clock).
"""

from __future__ import annotations

from pos.journal.records import QueueKind, QueueState, ReceiptState
from pos.register.connectivity import ConnectivityState as S
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory
from .harness import (
    SimClock,
    assert_transitions,
    parse_instant,
    register_state,
    sandbox_receipts,
    sandbox_state,
    sandbox_transactions,
    strictly_increasing,
)


async def test_clock_jumps_back_an_hour_offline_fiscal_dates_still_increase(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills()
    start = clock.now()
    await till.sign_in()
    await till.service.open_shift()
    online = await till.sell_bread()
    assert online.state is ReceiptState.DONE

    till.cut()
    offline = []
    for _ in range(3):
        clock.advance(60)
        offline.append(await till.sell_bread())
    last_before_jump = offline[-1].fiscal_date
    assert last_before_jump is not None

    clock.jump_local(-3600)  # the PC now believes it is an hour earlier
    assert clock.now() < last_before_jump
    for _ in range(3):
        clock.advance(60)
        offline.append(await till.sell_bread())

    # The program restarts (power cut) with the clock still wrong: the fiscal clock was persisted.
    switch = till.switch
    await till.close()
    till = await tills(switch=switch)
    await till.sign_in()  # offline: the PIN that signed in before is accepted
    assert till.state is S.LOCAL_OFFLINE
    for _ in range(2):
        clock.advance(60)
        offline.append(await till.sell_bread())

    assert all(r.state is ReceiptState.OFFLINE_ISSUED for r in offline)
    dates = [r.fiscal_date for r in offline]
    assert strictly_increasing(dates), dates  # type: ignore[arg-type]
    entries = till.queue_entries()
    assert strictly_increasing([e.fiscal_date for e in entries])
    assert entries[0].kind is QueueKind.GO_OFFLINE
    # Nothing offline is dated before the last transaction the server confirmed.
    assert online.fiscal_date is not None
    assert entries[0].fiscal_date >= online.fiscal_date

    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    assert status.set_aside == 0, [(e.kind, e.error) for e in till.service.set_aside()]
    assert status.queued == 0
    assert all(e.state is QueueState.DONE for e in till.queue_entries())
    # (A 401/403 is the token missing after the offline sign-in: the client signs in again.)
    refused = [
        e
        for e in till.recorder.answered()
        if e.status is not None and e.status >= 400 and e.status not in (401, 403)
    ]
    assert not refused, [(e.path, e.status, e.answer) for e in refused]

    server = {r["id"]: r for r in sandbox_receipts(box, till.register)}
    for receipt in offline:
        local = till.journal.receipts.get(receipt.id)
        assert local is not None
        assert local.state is ReceiptState.UPLOADED
        assert server[receipt.id]["fiscal_code"] == receipt.fiscal_code
        assert parse_instant(server[receipt.id]["fiscal_date"]) == receipt.fiscal_date
    offline_txs = [t for t in sandbox_transactions(box, till.register) if t["offline_id"]]
    assert len(offline_txs) == len(offline) + 1
    assert strictly_increasing([parse_instant(t["original_datetime"]) for t in offline_txs])
    assert register_state(box, till.register)["mode"] == "online"
    assert sandbox_state(box)["rate_limited"] == 0

    # Every change of state is journaled with a time and a cause (times from the wrong clock,
    # so no ordering is asked of them).
    assert_transitions(
        till,
        [
            (S.ONLINE, S.LOCAL_OFFLINE),
            (S.LOCAL_OFFLINE, S.UPLOADING),
            (S.UPLOADING, S.GOING_ONLINE),
            (S.GOING_ONLINE, S.ONLINE),
        ],
        since=start,
        monotonic=False,
    )


async def test_clock_jumping_back_gives_no_offline_or_shift_time_back(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills()
    await till.sign_in()
    await till.service.open_shift()
    till.cut()
    await till.sell_bread()
    clock.advance(10 * 3600)
    await till.sell_bread()
    before = till.service.status()
    assert before.shift_seconds_left is not None

    clock.jump_local(-5 * 3600)
    await till.sell_bread()
    after = till.service.status()
    assert after.shift_seconds_left is not None
    assert after.offline_seconds_left <= before.offline_seconds_left
    assert after.month_offline_seconds_left <= before.month_offline_seconds_left
    assert after.shift_seconds_left <= before.shift_seconds_left
