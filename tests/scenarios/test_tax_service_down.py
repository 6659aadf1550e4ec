"""Scenario 1: the tax service (ДПС) goes down in the middle of a shift.

Checkbox stays reachable and fiscalises on its own in automatic offline mode, with codes from the
register's pool; the register must notice (SERVER_OFFLINE), never reuse those codes itself, and
when the tax service is back, one worker round brings it ONLINE. Its own X-report, computed from
the journal, must equal the server's to the kopeck — before and after the outage ends.

Rate limits are off on both sides: 50+ receipts at 2 per second would spend half a minute
waiting, and this scenario is about totals and modes, not pacing.
"""

from __future__ import annotations

import random

from pos.journal.records import OfflineCodeState, ReceiptState
from pos.register.connectivity import ConnectivityState as S
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory
from .harness import (
    SimClock,
    assert_reports_equal,
    assert_transitions,
    no_rate_limits,
    random_sale,
    register_state,
    sandbox_receipts,
    sandbox_report,
)

SALES_WHILE_DOWN = 50


async def test_tax_service_down_mid_shift_server_offline_then_online_with_equal_x(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    no_rate_limits(box)
    till = await tills(rate_limits=False)
    start = clock.now()
    await till.sign_in()
    await till.service.open_shift(50_000)
    rng = random.Random(20251001)

    before = [await till.sell(*random_sale(rng)) for _ in range(3)]
    for receipt in before:
        assert receipt.state is ReceiptState.DONE
        assert receipt.server_response is not None
        assert not receipt.server_response.get("is_created_offline")

    box.control("POST", "/sandbox/tax-service", {"state": "down"})
    clock.advance(15 * 60)
    first = await till.sell(*random_sale(rng))
    assert first.state is ReceiptState.DONE, first
    assert first.server_response is not None
    assert first.server_response["is_created_offline"] is True
    assert till.state is S.SERVER_OFFLINE
    assert register_state(box, till.register)["mode"] == "auto_offline"

    down = [first]
    for _ in range(SALES_WHILE_DOWN - 1):
        clock.advance(20)
        down.append(await till.sell(*random_sale(rng)))
    # A return while down, of a cash sale: returns' rounding sums must agree too.
    cash_sale = next(r for r in down if any(p.type == "CASH" for p in r.payments))
    returned = await till.service.refund(
        cash_sale.id, {pos: li.quantity for pos, li in enumerate(cash_sale.lines, start=1)}
    )
    assert returned.state is ReceiptState.DONE
    assert till.state is S.SERVER_OFFLINE

    server = {r["id"]: r for r in sandbox_receipts(box, till.register)}
    for receipt in [*down, returned]:
        assert receipt.state is ReceiptState.DONE
        assert receipt.fiscal_code, receipt
        on_server = server[receipt.id]
        assert on_server["is_created_offline"] is True
        assert on_server["fiscal_code"] == receipt.fiscal_code
        # The server spent this code of the register's pool: locally it is dead for good.
        code = till.journal.codes.get(receipt.fiscal_code)
        assert code is not None
        assert code.state is OfflineCodeState.BURNED, (receipt, code)

    x_down = await till.service.x_report()
    assert x_down.server is not None, "the server's X-report must be asked while Checkbox answers"
    assert x_down.pending == 0
    assert_reports_equal(x_down.local, x_down.server)

    box.control("POST", "/sandbox/tax-service", {"state": "up"})
    clock.advance(5 * 60)
    status = await till.service.sync(wait=True, give_up_after=30)
    assert status.state is S.ONLINE
    assert status.queued == 0
    assert status.set_aside == 0
    assert register_state(box, till.register)["mode"] == "online"
    unsent = [
        (r["type"], r["fiscal_code"])
        for r in sandbox_receipts(box, till.register)
        if r["type"] in ("SELL", "RETURN") and not r["is_sent_dps"]
    ]
    assert not unsent, f"the auto-offline queue was not delivered: {unsent}"

    after = await till.sell(*random_sale(rng))
    assert after.state is ReceiptState.DONE
    assert after.server_response is not None
    assert not after.server_response.get("is_created_offline")

    x = await till.service.x_report()
    assert x.server is not None
    assert_reports_equal(x.local, x.server)
    assert_reports_equal(x.local, sandbox_report(box, x.server["id"]))
    sales = len(before) + len(down) + 1
    assert x.local["sell_receipts_count"] == sales
    assert x.local["return_receipts_count"] == 1
    assert x.local["initial"] == 0
    service_in = sum(p["service_in"] for p in x.local["payments"])
    assert service_in == 50_000

    assert_transitions(
        till, [(S.ONLINE, S.SERVER_OFFLINE), (S.SERVER_OFFLINE, S.ONLINE)], since=start
    )
