"""Scenario 6: the offline code pool runs low while the line is down.

A pool of ten codes (small thresholds) drains one code per offline transaction. The cashier is
warned when ``codes_warning`` codes are left, and sales stop while ``codes_reserve`` are still
there — never at the last code — because the shift must still be closed offline, which takes one.
The closed shift and every sale then upload without a single refusal.
"""

from __future__ import annotations

from pos.journal.records import OfflineCodeState, QueueKind, ReceiptState, ShiftState
from pos.register.connectivity import ConnectivityState as S
from pos.register.errors import Refusal, RegisterError
from pos.register.limits import Level, Limit, Thresholds
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory
from .harness import (
    SimClock,
    assert_reports_equal,
    assert_transitions,
    sandbox_codes,
    sandbox_report,
    sandbox_shift,
    sandbox_state,
)

POOL = 10
THRESHOLDS = Thresholds(codes_low_water=POOL, codes_batch=POOL, codes_warning=5, codes_reserve=2)


async def test_pool_nearly_empty_warns_refuses_and_keeps_a_code_for_the_z_report(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills(thresholds=THRESHOLDS)
    start = clock.now()
    await till.sign_in()
    assert till.journal.codes.free_count() == POOL
    shift = await till.service.open_shift()
    assert (await till.sell_bread()).state is ReceiptState.DONE

    till.cut()
    seen: list[tuple[int, Level | None]] = []
    offline = []
    with_refusal: RegisterError | None = None
    for _ in range(POOL):
        clock.advance(30)
        try:
            offline.append(await till.sell_bread())
        except RegisterError as error:
            with_refusal = error
            break
        status = till.service.status()
        codes = till.warnings().get(Limit.OFFLINE_CODES)
        seen.append((status.codes_left, None if codes is None else codes[0]))
    assert till.state is S.LOCAL_OFFLINE

    # One code for the go-offline, one per sale; warned at 5 left, stopped at the reserve of 2.
    assert [left for left, _ in seen] == list(range(POOL - 2, THRESHOLDS.codes_reserve - 1, -1))
    for left, level in seen:
        if left <= THRESHOLDS.codes_reserve:
            assert level is Level.STOP, (left, level)
        elif left <= THRESHOLDS.codes_warning:
            assert level is Level.WARNING, (left, level)
        else:
            assert level is None, (left, level)
    assert with_refusal is not None, "sales must stop before the pool is empty"
    assert with_refusal.refusal is Refusal.NO_OFFLINE_CODES
    assert till.journal.codes.free_count() == THRESHOLDS.codes_reserve
    assert len(till.receipts()) == 1 + len(offline), "the refused sale left a receipt behind"

    # The Z-report closes the shift offline with a reserved code.
    x = await till.service.x_report()
    z = await till.service.close_shift()
    assert z.shift is not None
    assert z.shift.state is ShiftState.CLOSED
    assert z.shift.close_fiscal_code is not None
    assert till.journal.codes.free_count() == THRESHOLDS.codes_reserve - 1
    closing = till.journal.codes.get(z.shift.close_fiscal_code)
    assert closing is not None
    assert closing.state is OfflineCodeState.USED
    assert z.local == x.local
    entries = till.queue_entries()
    assert [e.kind for e in entries] == (
        [QueueKind.GO_OFFLINE] + [QueueKind.RECEIPT] * len(offline) + [QueueKind.SHIFT_CLOSE]
    )
    used = [e.fiscal_code for e in entries]
    assert len(set(used)) == len(used)

    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    assert status.queued == 0
    assert status.set_aside == 0, [(e.kind, e.error) for e in till.service.set_aside()]
    refused = [e for e in till.recorder.answered() if e.status is not None and e.status >= 400]
    assert not refused, [(e.path, e.status, e.answer) for e in refused]
    on_server = sandbox_shift(box, shift.id)
    assert on_server["status"] == "CLOSED"
    assert_reports_equal(z.local, sandbox_report(box, on_server["z_report_id"]))
    server_used = {c["fiscal_code"] for c in sandbox_codes(box, till.register) if c["used_by"]}
    assert set(used) <= server_used
    # Back online, the pool is topped up again.
    assert till.journal.codes.free_count() >= THRESHOLDS.codes_low_water
    assert Limit.OFFLINE_CODES not in till.warnings()
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
