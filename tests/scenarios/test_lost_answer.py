"""Scenario 7: a receipt POST whose answer is lost after Checkbox processed it (invariant 2).

Plain variant: the read times out (or the connection drops) after the server created the
receipt, Checkbox still answers: the register must ask ``GET /receipts/{id}`` before anything
else, find it, and take the server's fiscal code — one receipt on the server, never a second POST.

Ambiguous variant: the answer is lost AND Checkbox becomes unreachable, so nobody can tell
whether it arrived while the customer waits. The register fiscalises it offline under the same
id; at upload "id already exists" finds the server's copy under another code. The printed
receipt never changes (invariant 9): the journal keeps its offline code and date, records the
server's copy beside it and sets the receipt aside as a conflict for the manager (never uploaded
again); the offline code is burned for good, and the server still has exactly one receipt with
that id.
"""

from __future__ import annotations

import httpx
import pytest

from pos.journal.records import OfflineCodeState, QueueState, ReceiptState
from pos.register.connectivity import ConnectivityState as S
from pos.sandbox.server import RunningSandbox, SeededRegister

from .conftest import TillFactory
from .harness import (
    LoseAnswer,
    SimClock,
    assert_transitions,
    parse_instant,
    sandbox_receipts,
    sandbox_state,
    sandbox_transactions,
)


def receipt_transactions(box: RunningSandbox, register: SeededRegister, receipt_id: str) -> int:
    """How many transactions the sandbox holds for one receipt (a duplicate would make two)."""
    owner = ["receipt", receipt_id]
    return sum(1 for t in sandbox_transactions(box, register) if t["owner"] == owner)


@pytest.mark.parametrize("fault", [httpx.ReadTimeout, httpx.RemoteProtocolError])
async def test_lost_answer_is_settled_by_asking_not_by_resending(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, fault: type[httpx.TransportError]
) -> None:
    till = await tills(lose_answer=lambda switch: LoseAnswer(switch, error=fault))
    start = clock.now()
    await till.sign_in()
    await till.service.open_shift()
    assert till.lose is not None

    receipt = await till.sell_bread()
    assert till.lose.lost, "the fault did not fire"
    assert till.lose.lost[0]["id"] == receipt.id
    assert receipt.state is ReceiptState.DONE
    assert till.state is S.ONLINE

    server = [r for r in sandbox_receipts(box, till.register) if r["type"] == "SELL"]
    assert [r["id"] for r in server] == [receipt.id]
    assert receipt.fiscal_code == server[0]["fiscal_code"]
    assert receipt.fiscal_date == parse_instant(server[0]["fiscal_date"])
    assert receipt_transactions(box, till.register, receipt.id) == 1
    # Sent once; the lost answer was settled by a lookup under the same id.
    posts = till.recorder.calls("POST", "/receipts/sell")
    assert len(posts) == 1
    assert posts[0].error == fault.__name__
    looked_up = till.recorder.calls("GET", f"/receipts/{receipt.id}")
    assert looked_up
    assert looked_up[-1].status == 200
    assert till.queue_entries() == []  # nothing was issued offline

    again = await till.sell_bread()
    assert again.state is ReceiptState.DONE
    assert len([r for r in sandbox_receipts(box, till.register) if r["type"] == "SELL"]) == 2
    assert sandbox_state(box)["rate_limited"] == 0
    assert_transitions(till, [], since=start)


async def test_ambiguous_receipt_is_issued_offline_then_set_aside_as_a_conflict_unchanged(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills(lose_answer=lambda switch: LoseAnswer(switch, then_cut=switch))
    start = clock.now()
    await till.sign_in()
    await till.service.open_shift()

    ambiguous = await till.sell_bread()
    assert till.lose is not None
    assert till.lose.lost[0]["id"] == ambiguous.id
    assert till.switch.cut, "the fault must have pulled the cable"
    assert till.state is S.LOCAL_OFFLINE
    # Fiscalised offline under the SAME id, with a local code the customer got on paper.
    assert ambiguous.state is ReceiptState.OFFLINE_ISSUED
    offline_code = ambiguous.fiscal_code
    assert offline_code is not None
    assert len(till.recorder.calls("POST", "/receipts/sell")) == 1
    # The lookup was tried (and could not get through) before the offline issue.
    assert till.recorder.calls("GET", f"/receipts/{ambiguous.id}")

    clock.advance(60)
    later = await till.sell_bread()
    assert later.state is ReceiptState.OFFLINE_ISSUED
    assert later.fiscal_code != offline_code

    clock.advance(60)
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    assert status.queued == 0
    # The conflict is set aside for the manager, with both codes named.
    conflicts = till.service.set_aside()
    assert [e.subject_id for e in conflicts] == [ambiguous.id]
    assert status.set_aside == 1

    # One receipt with that id on the sandbox, under Checkbox's own code; the journal keeps the
    # printed code and date and records the server's copy beside them; the offline code is
    # burned and stays linked to the receipt.
    on_server = [r for r in sandbox_receipts(box, till.register) if r["id"] == ambiguous.id]
    assert len(on_server) == 1
    assert receipt_transactions(box, till.register, ambiguous.id) == 1
    settled = till.journal.receipts.get(ambiguous.id)
    assert settled is not None
    assert settled.state is ReceiptState.DONE
    assert (settled.fiscal_code, settled.fiscal_date) == (offline_code, ambiguous.fiscal_date)
    server_code = on_server[0]["fiscal_code"]
    assert server_code
    assert server_code != offline_code
    assert settled.server_response is not None
    assert settled.server_response["fiscal_code"] == server_code
    assert parse_instant(settled.server_response["fiscal_date"]) == parse_instant(
        on_server[0]["fiscal_date"]
    )
    assert conflicts[0].error is not None
    assert conflicts[0].error.startswith("CONFLICT")
    assert offline_code in conflicts[0].error
    assert server_code in conflicts[0].error
    burned = till.journal.codes.get(offline_code)
    assert burned is not None
    assert burned.state is OfflineCodeState.BURNED
    assert burned.used_by == ambiguous.id
    # Never uploaded again: another sync sends nothing about it.
    posts = len(till.recorder.calls("POST", "/receipts/sell"))
    await till.service.sync(wait=True, give_up_after=30)
    assert len(till.recorder.calls("POST", "/receipts/sell")) == posts
    assert receipt_transactions(box, till.register, ambiguous.id) == 1
    # Burned for good: the refill after going online (which lists that code as unused on the
    # server) must not bring it back, and no other transaction ever carries it.
    assert all(
        e.state is (QueueState.SET_ASIDE if e.subject_id == ambiguous.id else QueueState.DONE)
        for e in till.queue_entries()
    )
    # The printed copy's code is spent on Checkbox by the period's own go-offline (nobody holds
    # that one on paper), and by nothing else: Checkbox's automatic offline, which picks free
    # codes itself, can never sign another document with it.
    holders = [
        t for t in sandbox_transactions(box, till.register) if t["offline_id"] == offline_code
    ]
    assert [t["type"] for t in holders] == ["OFFLINE_BEGIN"]
    go_offline = [e for e in till.queue_entries() if e.kind.value == "go_offline"]
    assert [e.fiscal_code for e in go_offline] == [offline_code]
    receipts_with_it = [e for e in till.queue_entries() if e.kind.value == "receipt"]
    assert [e.fiscal_code for e in receipts_with_it].count(offline_code) == 1

    # The other offline sale was uploaded normally under its own code.
    other = till.journal.receipts.get(later.id)
    assert other is not None
    assert other.state is ReceiptState.UPLOADED
    assert other.fiscal_code == later.fiscal_code
    assert len([r for r in sandbox_receipts(box, till.register) if r["type"] == "SELL"]) == 2
    assert sandbox_state(box)["rate_limited"] == 0

    # The tax service goes down: Checkbox's automatic offline signs the next sale with free
    # codes of its own choosing (its offline-begin too), never the printed copy's.
    box.control("POST", "/sandbox/tax-service", {"state": "down", "latency_ms": 0})
    clock.advance(30)
    signed_by_checkbox = await till.sell_bread()
    assert signed_by_checkbox.state is ReceiptState.DONE
    automatic = [
        t
        for t in sandbox_transactions(box, till.register)
        if t["offline_id"] and t["offline_id"] != offline_code
    ]
    assert signed_by_checkbox.fiscal_code in {t["offline_id"] for t in automatic}
    assert [t["offline_id"] for t in sandbox_transactions(box, till.register)].count(
        offline_code
    ) == 1
    box.control("POST", "/sandbox/tax-service", {"state": "up", "latency_ms": 0})
    status = await till.service.sync(wait=True, give_up_after=60)

    # Offline again: the burned code is still never handed out.
    till.cut()
    for _ in range(3):
        clock.advance(30)
        receipt = await till.sell_bread()
        assert receipt.fiscal_code != offline_code
    assert till.journal.codes.get(offline_code).state is OfflineCodeState.BURNED  # type: ignore[union-attr]

    assert_transitions(
        till,
        [
            (S.ONLINE, S.LOCAL_OFFLINE),
            (S.LOCAL_OFFLINE, S.UPLOADING),
            (S.UPLOADING, S.GOING_ONLINE),
            (S.GOING_ONLINE, S.ONLINE),
            (S.ONLINE, S.SERVER_OFFLINE),
            (S.SERVER_OFFLINE, S.ONLINE),
            (S.ONLINE, S.LOCAL_OFFLINE),
        ],
        since=start,
    )


@pytest.mark.slow
@pytest.mark.timeout(600)
async def test_ambiguous_receipt_still_signing_on_checkbox_is_settled_only_when_final(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    """The 1,000-kill tier's finding: the lost online attempt is still being signed on Checkbox
    (its own automatic offline) when the offline copy is uploaded, so "id already exists" finds a
    copy without a fiscal code. The register must not take that as its offline copy accepted (the
    journal would keep its code while Checkbox fiscalises the receipt under another): the queue
    waits, in order, and settles for the server's copy once it is final."""
    till = await tills(lose_answer=lambda switch: LoseAnswer(switch, then_cut=switch))
    await till.sign_in()
    await till.service.open_shift()
    box.control("POST", "/sandbox/config", {"signing_delay": 60})  # PENDING for a minute

    ambiguous = await till.sell_bread()
    assert ambiguous.state is ReceiptState.OFFLINE_ISSUED
    offline_code = ambiguous.fiscal_code
    clock.advance(20)
    till.reconnect()
    status = await till.service.sync()  # one round: the upload finds the copy still signing
    assert status.queued >= 1
    waiting = till.journal.receipts.get(ambiguous.id)
    assert waiting is not None
    assert waiting.state is ReceiptState.OFFLINE_ISSUED, "settled before Checkbox's copy was final"
    assert waiting.fiscal_code == offline_code

    clock.advance(61)  # Checkbox finishes signing its copy
    status = await till.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    on_server = [r for r in sandbox_receipts(box, till.register) if r["id"] == ambiguous.id]
    assert len(on_server) == 1
    assert on_server[0]["fiscal_code"]
    settled = till.journal.receipts.get(ambiguous.id)
    assert settled is not None
    assert settled.state in (ReceiptState.DONE, ReceiptState.UPLOADED)
    assert settled.fiscal_code == offline_code  # the printed code never changes
    if on_server[0]["fiscal_code"] != offline_code:  # Checkbox signed it under its own code
        assert settled.server_response is not None
        assert settled.server_response["fiscal_code"] == on_server[0]["fiscal_code"]
        assert [e.subject_id for e in till.service.set_aside()] == [ambiguous.id]
    else:
        assert status.set_aside == 0, [(e.kind, e.error) for e in till.service.set_aside()]
    assert receipt_transactions(box, till.register, ambiguous.id) == 1
