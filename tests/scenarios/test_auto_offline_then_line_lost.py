"""Automatic offline, then the line drops — against a sandbox that refuses go-offline while the
register is offline in either mode (issue 10).

Checkbox went offline on its own (the tax service timed out) and fiscalised receipts with its own
codes; then the till lost Checkbox and printed receipts with its own codes and dates. When the
line is back, go-offline is refused ("Каса вже в режимі оффлайн") while Checkbox is still in its
automatic mode, so the till first has it leave that mode, then goes offline dated at the start of
its own period, uploads its transactions in order and goes online. The sandbox's own records must
show every printed receipt exactly once, in order, with its printed code and date.
"""

from __future__ import annotations

from collections import Counter

from pos.journal.records import QueueKind, ReceiptState
from pos.register.connectivity import ConnectivityState as S
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory
from .harness import (
    SimClock,
    parse_instant,
    register_state,
    sandbox_receipts,
    sandbox_transactions,
    strictly_increasing,
)


async def test_auto_offline_then_line_lost_every_printed_receipt_once_in_order(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills()
    await till.sign_in()
    await till.service.open_shift()
    assert (await till.sell_bread()).state is ReceiptState.DONE

    box.control("POST", "/sandbox/tax-service", {"state": "down"})
    by_server = []
    for _ in range(2):
        clock.advance(30)
        by_server.append(await till.sell_bread())
    assert till.state is S.SERVER_OFFLINE
    assert register_state(box, till.register)["mode"] == "auto_offline"

    till.cut()
    local = []
    for _ in range(3):
        clock.advance(30)
        local.append(await till.sell_bread())
    assert all(r.state is ReceiptState.OFFLINE_ISSUED for r in local)

    # The line is back while the tax service is still down: nothing can go yet, nothing is lost.
    clock.advance(60)
    till.reconnect()
    await till.service.sync()
    assert register_state(box, till.register)["mode"] == "auto_offline"
    assert till.service.status().set_aside == 0
    refused = [
        e for e in till.recorder.answered() if e.path.endswith("/go-offline") and e.status == 400
    ]
    assert refused
    assert refused[0].answer == {"message": "Каса вже в режимі оффлайн"}
    clock.advance(30)
    local.append(await till.sell_bread())  # still selling locally meanwhile
    assert local[-1].state is ReceiptState.OFFLINE_ISSUED

    box.control("POST", "/sandbox/tax-service", {"state": "up"})
    clock.advance(60)
    status = await till.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    assert status.queued == 0
    assert till.service.status().set_aside == 0, [
        (e.kind, e.error) for e in till.service.set_aside()
    ]
    assert register_state(box, till.register)["mode"] == "online"

    # The sandbox's own records: each printed receipt once, its printed code and date, in order.
    on_server = sandbox_receipts(box, till.register)
    by_id = Counter(r["id"] for r in on_server)
    for printed in local:
        assert by_id[printed.id] == 1
        mine = next(r for r in on_server if r["id"] == printed.id)
        assert mine["fiscal_code"] == printed.fiscal_code
        assert printed.fiscal_date is not None
        assert parse_instant(mine["fiscal_date"]) == printed.fiscal_date
        assert mine["is_sent_dps"] is True
    for served in by_server:
        assert by_id[served.id] == 1
    order = [r["id"] for r in on_server if r["id"] in {p.id for p in local}]
    assert order == [p.id for p in local]
    txs = sandbox_transactions(box, till.register)
    assert all(t["status"] == "DONE" for t in txs)
    codes = Counter(t["offline_id"] for t in txs if t["offline_id"])
    assert max(codes.values()) == 1
    # From our go-offline on, the register's transactions are dated strictly increasing.
    ours = [t for t in txs if t["type"] == "OFFLINE_BEGIN"][-1]
    tail = [t for t in txs if t["serial"] >= ours["serial"]]
    assert strictly_increasing([parse_instant(t["original_datetime"]) for t in tail])
    go_offline = next(e for e in till.queue_entries() if e.kind is QueueKind.GO_OFFLINE)
    assert parse_instant(ours["original_datetime"]) == go_offline.fiscal_date
