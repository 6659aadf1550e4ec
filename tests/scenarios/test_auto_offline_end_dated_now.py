"""The design risk of the automatic-offline-then-line-lost upload (issue 10), tried: the guide
does not say how Checkbox dates the end of an automatic offline period. The sandbox dates it just
after the period's last transaction (what the register's upload relies on); with
``auto_offline_end: "now"`` it dates it when the tax service is found back, and the till's own
offline receipts, printed earlier, can no longer follow it. Then nothing may be lost, re-coded or
re-dated: every printed receipt stays in the journal as printed, set aside with Checkbox's own
text for the manager, and the till sells normally afterwards."""

from __future__ import annotations

from pos.journal.records import ReceiptState
from pos.register.connectivity import ConnectivityState as S
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory
from .harness import SimClock, register_state, sandbox_receipts


async def test_end_dated_now_sets_the_printed_receipts_aside_as_printed_never_recoded(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    box.control("POST", "/sandbox/config", {"auto_offline_end": "now"})
    till = await tills()
    await till.sign_in()
    await till.service.open_shift()
    await till.sell_bread()
    box.control("POST", "/sandbox/tax-service", {"state": "down"})
    clock.advance(30)
    await till.sell_bread()  # fiscalised by Checkbox in its automatic offline mode
    assert till.state is S.SERVER_OFFLINE
    till.cut()
    local = []
    for _ in range(2):
        clock.advance(30, push=False)
        local.append(await till.sell_bread())
    printed = {r.id: (r.fiscal_code, r.fiscal_date) for r in local}

    box.control("POST", "/sandbox/tax-service", {"state": "up"})
    clock.advance(120)
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    assert register_state(box, till.register)["mode"] == "online"
    set_aside = till.service.set_aside()
    assert set_aside, "the refused period must reach the manager's list"
    assert all(e.error for e in set_aside)
    for receipt in local:
        kept = till.journal.receipts.get(receipt.id)
        assert kept is not None
        assert (kept.fiscal_code, kept.fiscal_date) == printed[receipt.id]  # never re-coded
    on_server = {r["id"] for r in sandbox_receipts(box, till.register)}
    assert [r.id for r in local if r.id in on_server] == []  # Checkbox has none of them
    refused_receipts = [e for e in set_aside if e.subject_id in printed]
    assert sorted(e.subject_id for e in refused_receipts) == sorted(printed)
    for entry in refused_receipts:  # the manager's note names the period, the code, the date
        assert entry.error is not None
        assert entry.error.startswith("CONFLICT: the offline period")
        assert str(printed[entry.subject_id][0]) in entry.error
        assert "не може бути меншою" in entry.error
    after = await till.sell_bread()
    assert after.state is ReceiptState.DONE
