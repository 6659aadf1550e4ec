"""Scenario 8: codes Checkbox spent on its own in automatic offline mode are never reused here
(invariant 3).

The register and Checkbox share one pool of offline codes. While the tax service is down and
Checkbox answers, Checkbox fiscalises the register's receipts with codes from that pool — and it
also spends one on the offline-begin transition, which no receipt ever shows. Then the line goes
down and the register issues offline transactions with its own copy of the pool: none of them may
carry a code the server already used, and after the upload Checkbox must never have answered
"Offline code … was used before!", each code on the sandbox being used at most once.

The first test holds the register to what the cashier and the tax office see: printed receipts
never carry a server-spent code, nothing is set aside, each code is used once on the sandbox. The
second holds it to the design's stricter word — "removed from the local pool before the next local
use" — for every local transaction, the go-offline included, and to an upload Checkbox never has
to correct (the pool is reconciled the moment Checkbox is seen offline on its own).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pos.journal.records import OfflineCodeState, QueueEntry, QueueState, Receipt, ReceiptState
from pos.register.connectivity import ConnectivityState as S
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory
from .harness import (
    SimClock,
    Till,
    assert_transitions,
    register_state,
    sandbox_codes,
    sandbox_state,
    sandbox_transactions,
)

SERVER_OFFLINE_SALES = 3
LOCAL_OFFLINE_SALES = 3


def server_used_codes(box: RunningSandbox, till: Till) -> set[str]:
    return {c["fiscal_code"] for c in sandbox_codes(box, till.register) if c["used_by"]}


@dataclass
class Story:
    till: Till
    spent: set[str]  # codes Checkbox used in automatic offline mode, before the line dropped
    local: list[Receipt]  # receipts the register then fiscalised with its own codes
    issued: list[QueueEntry]  # every local offline transaction, before the upload


async def auto_offline_then_line_down(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> Story:
    """Codes fetched; tax service down, Checkbox fiscalises on its own; then the line drops and
    the register sells with its own codes; then everything is back and one sync uploads."""
    till = await tills()
    start = clock.now()
    await till.sign_in()
    assert till.journal.codes.free_count() > 0
    assert server_used_codes(box, till) == set()
    await till.service.open_shift()
    assert (await till.sell_bread()).state is ReceiptState.DONE

    box.control("POST", "/sandbox/tax-service", {"state": "down"})
    by_server = []
    for _ in range(SERVER_OFFLINE_SALES):
        clock.advance(30)
        receipt = await till.sell_bread()
        assert receipt.state is ReceiptState.DONE
        assert receipt.server_response is not None
        assert receipt.server_response["is_created_offline"] is True
        by_server.append(receipt)
    assert till.state is S.SERVER_OFFLINE
    assert register_state(box, till.register)["mode"] == "auto_offline"
    spent = server_used_codes(box, till)
    # Every receipt's code, plus the one the offline-begin transition took.
    assert {r.fiscal_code for r in by_server} < spent
    assert len(spent) == SERVER_OFFLINE_SALES + 1

    till.cut()
    local = []
    for _ in range(LOCAL_OFFLINE_SALES):
        clock.advance(30)
        local.append(await till.sell_bread())
    assert till.state is S.LOCAL_OFFLINE
    assert all(r.state is ReceiptState.OFFLINE_ISSUED for r in local)
    issued = till.queue_entries()

    box.control("POST", "/sandbox/tax-service", {"state": "up"})
    clock.advance(60)
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    assert status.queued == 0
    assert sandbox_state(box)["rate_limited"] == 0
    path = [(S.ONLINE, S.SERVER_OFFLINE), (S.SERVER_OFFLINE, S.LOCAL_OFFLINE)]
    path += [
        (S.LOCAL_OFFLINE, S.UPLOADING),
        (S.UPLOADING, S.GOING_ONLINE),
        (S.GOING_ONLINE, S.ONLINE),
    ]
    assert_transitions(till, path, since=start)
    return Story(till, spent, local, issued)


async def test_receipts_never_carry_codes_checkbox_spent_in_auto_offline(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    story = await auto_offline_then_line_down(box, clock, tills)
    till = story.till
    printed = {r.fiscal_code for r in story.local}
    assert not printed & story.spent, f"offline receipts carry server-spent codes: {printed}"
    assert till.service.status().set_aside == 0, [
        (e.kind, e.error) for e in till.service.set_aside()
    ]
    for receipt in story.local:
        after = till.journal.receipts.get(receipt.id)
        assert after is not None
        assert after.state is ReceiptState.UPLOADED
        assert after.fiscal_code == receipt.fiscal_code  # the printed code is the registered one
    # After the upload the local pool knows every code the server spent.
    for code in story.spent:
        mine = till.journal.codes.get(code)
        assert mine is None or mine.state is not OfflineCodeState.FREE, (code, mine)
    # On the sandbox every code went to at most one transaction.
    per_code = Counter(
        t["offline_id"] for t in sandbox_transactions(box, till.register) if t["offline_id"]
    )
    assert per_code
    assert max(per_code.values()) == 1, per_code.most_common(3)
    assert len(per_code) == len(story.spent) + len(story.issued)


async def test_no_local_transaction_reuses_a_code_checkbox_spent_in_auto_offline(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    story = await auto_offline_then_line_down(box, clock, tills)
    till = story.till
    reused = [(e.kind, e.fiscal_code) for e in story.issued if e.fiscal_code in story.spent]
    assert not reused, f"local offline transactions took server-spent codes: {reused}"
    used_before = [
        (e.path, e.answer)
        for e in till.recorder.answered()
        if e.status == 400 and "was used before" in str(e.answer)
    ]
    assert not used_before, used_before
    entries = till.queue_entries()
    assert all(e.state is QueueState.DONE and e.attempts == 1 for e in entries), [
        (e.kind, e.attempts, e.error) for e in entries
    ]
