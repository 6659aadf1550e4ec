"""Scenario 2: the shop's line is down for three hours of trading (500 sales).

The register fiscalises every sale locally (its own offline codes, its own strictly increasing
fiscal dates, spread over the simulated three hours), and when the cable is back one ``sync``
uploads the whole period in order — go-offline dated at the period's start, each transaction in
journal order, go-online — and the register is ONLINE again. The Z-report the sandbox computes from
what it received must then equal the journal's, and both sides must hold the same strictly
increasing fiscal dates.

Rate limits are off on both sides: uploading 500 receipts at 2 per second would take four minutes.
"""

from __future__ import annotations

import random

from pos.journal.records import OfflineCodeState, QueueKind, QueueState, ReceiptState, ShiftState
from pos.register.connectivity import ConnectivityState as S
from pos.register.limits import Thresholds
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory
from .harness import (
    SimClock,
    assert_reports_equal,
    assert_transitions,
    no_rate_limits,
    parse_instant,
    random_sale,
    register_state,
    sandbox_receipts,
    sandbox_report,
    sandbox_shift,
    sandbox_transactions,
    strictly_increasing,
)

OFFLINE_SALES = 500
OUTAGE_SECONDS = 3 * 3600


async def test_three_hour_outage_500_sales_uploaded_in_order_and_z_matches(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    no_rate_limits(box)
    # A pool large enough for the whole outage (the default batch is 500).
    till = await tills(rate_limits=False, thresholds=Thresholds(codes_batch=1000))
    start = clock.now()
    await till.sign_in()
    shift = await till.service.open_shift(100_000)
    rng = random.Random(3)
    online = await till.sell(*random_sale(rng))
    assert online.state is ReceiptState.DONE

    till.cut()
    outage_start = clock.now()
    step = OUTAGE_SECONDS / OFFLINE_SALES
    offline = []
    for _ in range(OFFLINE_SALES):
        receipt = await till.sell(*random_sale(rng))
        assert receipt.state is ReceiptState.OFFLINE_ISSUED, receipt
        offline.append(receipt)
        clock.advance(step, push=False)  # the sandbox is out of reach until the reconnect
    status = till.service.status()
    assert status.state is S.LOCAL_OFFLINE
    assert status.queued == OFFLINE_SALES + 1  # the go-offline and every sale
    assert register_state(box, till.register)["mode"] == "online"  # Checkbox knows nothing yet

    # Local fiscal dates: strictly increasing in issue order, following the simulated clock.
    dates = [r.fiscal_date for r in offline]
    assert all(d is not None for d in dates)
    assert strictly_increasing(dates)  # type: ignore[arg-type]
    assert dates[0] >= outage_start  # type: ignore[operator]
    assert (dates[-1] - dates[0]).total_seconds() >= OUTAGE_SECONDS - 2 * step  # type: ignore[operator]
    codes = [r.fiscal_code for r in offline]
    assert len(set(codes)) == OFFLINE_SALES
    assert None not in codes

    clock.push()
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    assert status.queued == 0
    assert status.set_aside == 0
    assert register_state(box, till.register)["mode"] == "online"

    # The journal: every offline sale accepted under its own code and date.
    for before in offline:
        after = till.journal.receipts.get(before.id)
        assert after is not None
        assert after.state is ReceiptState.UPLOADED
        assert (after.fiscal_code, after.fiscal_date) == (before.fiscal_code, before.fiscal_date)
        code = till.journal.codes.get(before.fiscal_code or "")
        assert code is not None
        assert code.state is OfflineCodeState.UPLOADED

    # The queue: go-offline first (dated at the period's start), then the sales in issue order,
    # each accepted at the first attempt, dates strictly increasing.
    entries = till.queue_entries()
    assert [e.kind for e in entries] == [QueueKind.GO_OFFLINE] + [QueueKind.RECEIPT] * OFFLINE_SALES
    assert all(e.state is QueueState.DONE and e.attempts == 1 for e in entries)
    assert [e.subject_id for e in entries[1:]] == [r.id for r in offline]
    assert strictly_increasing([e.fiscal_date for e in entries])
    assert outage_start <= entries[0].fiscal_date <= offline[0].fiscal_date  # type: ignore[operator]

    # On the wire: go-offline, the sales in journal order, then go-online — nothing interleaved.
    upload = [
        e
        for e in till.recorder.answered()
        if e.path
        in ("/cash-registers/go-offline", "/receipts/sell-offline", "/cash-registers/go-online")
    ]
    assert [e.path for e in upload] == (
        ["/cash-registers/go-offline"]
        + ["/receipts/sell-offline"] * OFFLINE_SALES
        + ["/cash-registers/go-online"]
    )
    assert all(e.status is not None and e.status < 300 for e in upload), [
        (e.path, e.status, e.answer) for e in upload if e.status is None or e.status >= 300
    ]
    assert [e.body["id"] for e in upload[1:-1]] == [r.id for r in offline]
    assert upload[0].body["fiscal_code"] == entries[0].fiscal_code

    # The sandbox: the same codes and dates, strictly increasing over its offline transactions.
    server = {r["id"]: r for r in sandbox_receipts(box, till.register)}
    for receipt in offline:
        on_server = server[receipt.id]
        assert on_server["status"] == "DONE"
        assert on_server["is_created_offline"] is True
        assert on_server["fiscal_code"] == receipt.fiscal_code
        assert parse_instant(on_server["fiscal_date"]) == receipt.fiscal_date
    offline_txs = [t for t in sandbox_transactions(box, till.register) if t["offline_id"]]
    assert len(offline_txs) == OFFLINE_SALES + 1
    assert strictly_increasing([parse_instant(t["original_datetime"]) for t in offline_txs])
    assert all(t["status"] == "DONE" for t in offline_txs)

    z = await till.service.close_shift()
    assert z.shift is not None
    assert z.shift.state is ShiftState.CLOSED
    assert z.server is not None, "the shift was closed online: the server's Z must be there"
    assert_reports_equal(z.local, z.server)
    on_server = sandbox_shift(box, shift.id)
    assert on_server["status"] == "CLOSED"
    assert_reports_equal(z.local, sandbox_report(box, on_server["z_report_id"]))
    assert z.local["sell_receipts_count"] == OFFLINE_SALES + 1

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
    lost, back = till.journal.transitions.list()[:2]
    assert abs((lost.at - outage_start).total_seconds()) < 60
    assert (back.at - lost.at).total_seconds() >= OUTAGE_SECONDS - 60
