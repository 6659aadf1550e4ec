"""What the 1,000-kill crash run found, each as one deterministic story on the real sandbox.

- A return committed but not settled (Checkbox unreachable and offline issuance refused, or a
  kill mid-send) still counts against its sale: a second return of the same goods is refused at
  the till, not printed and then refused at upload ("… більше, ніж у чеку продажу").
- A refusal at upload sets the entry aside, marks the receipt failed and burns its code in one
  transaction: a kill between them never leaves a set-aside receipt "offline issued".
- Nothing is issued offline while the previous period's go-online may still be taking effect
  (its end is dated later than anything issued now).
- A Z-report Checkbox took but is still closing is never closed a second time offline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scenarios.harness import SimClock, register_state, sandbox_receipts, sandbox_shift

from pos.journal.records import QueueKind, ReceiptState, ShiftState
from pos.register.connectivity import ConnectivityState as S
from pos.register.context import CLOCK_SKEW
from pos.register.errors import Refusal, RegisterError
from pos.register.fiscalise import LEAVING, SERVER_MANUAL_OFFLINE
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory


async def test_an_unsettled_return_counts_against_its_sale(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    till = await tills(tmp_path / "journal.sqlite", marks=tmp_path / "m")
    await till.sign_in()
    await till.service.open_shift()
    sale = await till.sell_bread()
    assert sale.state is ReceiptState.DONE
    # Offline issuance is refused (an unconfirmed clock warning), and the line drops as the
    # return is sent: it stays in the journal, committed, to be sent again under its own id.
    till.service.ctx.set_setting(CLOCK_SKEW, "600")
    till.cut()
    with pytest.raises(RegisterError) as refused:
        await till.service.refund(sale.id, {1: 1000})
    assert refused.value.refusal is Refusal.CLOCK_UNTRUSTED
    (pending,) = [r for r in till.receipts() if r.related_receipt_id == sale.id]
    assert pending.state in (ReceiptState.COMMITTED, ReceiptState.SENDING)

    assert till.service.returnable(sale.id) == {1: 0}
    with pytest.raises(RegisterError) as again:
        await till.service.refund(sale.id, {1: 1000})
    assert again.value.refusal is Refusal.FISCAL_RULE

    till.service.confirm_clock()
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert (status.state, status.queued, status.set_aside) == (S.ONLINE, 0, 0)
    returns = [r for r in sandbox_receipts(box, till.register) if r["type"] == "RETURN"]
    assert [r["id"] for r in returns] == [pending.id]
    settled = till.journal.receipts.get(pending.id)
    assert settled is not None
    assert settled.state is ReceiptState.DONE


async def test_a_refused_upload_fails_its_receipt_and_burns_its_code_at_once(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    till = await tills(tmp_path / "journal.sqlite", marks=tmp_path / "m")
    await till.sign_in()
    await till.service.open_shift()
    till.cut()
    receipt = await till.sell_bread()
    assert receipt.state is ReceiptState.OFFLINE_ISSUED
    (entry,) = [e for e in till.journal.queue.pending() if e.kind is QueueKind.RECEIPT]
    till.journal.uploads.refused(entry.seq, clock.now(), "refused (test)")
    failed = till.journal.receipts.get(receipt.id)
    assert failed is not None
    assert failed.state is ReceiptState.FAILED
    assert failed.error == "refused (test)"
    assert [e.seq for e in till.journal.queue.set_aside_entries()] == [entry.seq]
    assert receipt.fiscal_code is not None
    code = till.journal.codes.get(receipt.fiscal_code)
    assert code is not None
    assert code.state.value == "burned"


async def test_nothing_is_issued_offline_while_the_previous_period_may_still_be_leaving(
    box: RunningSandbox,
    clock: SimClock,
    tills: TillFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The previous period's go-online was sent while the tax service is down (so Checkbox stays
    in manual offline until it answers) and the till is killed, the line down. Checkbox will end
    that period when the go-online takes effect, later than anything the till could date now:
    a receipt issued offline now could never be uploaded ("should be in manual offline mode!",
    then "earlier than the last transaction"). So nothing is issued offline until Checkbox has
    confirmed the end; after that the next period starts with its own go-offline."""
    monkeypatch.setattr("pos.register.upload.ONLINE_POLL_TRIES", 1)
    path = tmp_path / "journal.sqlite"
    till = await tills(path, marks=tmp_path / "m")
    await till.sign_in()
    await till.service.open_shift()
    till.cut()
    first = await till.sell_bread()
    box.control("POST", "/sandbox/tax-service", {"state": "down"})
    till.reconnect()
    await till.service.sync()  # uploaded, go-online sent, Checkbox still in manual offline
    assert till.service.ctx.setting(SERVER_MANUAL_OFFLINE) == LEAVING
    assert register_state(box, till.register)["stay_offline"]
    await till.close()  # killed

    till = await tills(path, marks=tmp_path / "m")
    till.cut()
    await till.sign_in()
    with pytest.raises(RegisterError) as refused:
        await till.sell_bread()
    assert refused.value.refusal is Refusal.UNREACHABLE
    till.reconnect()
    await till.service.sync()  # the tax service still down: Checkbox still leaving
    assert till.service.ctx.setting(SERVER_MANUAL_OFFLINE) == LEAVING
    box.control("POST", "/sandbox/tax-service", {"state": "up"})
    status = await till.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    till.cut()
    second = await till.sell_bread()
    assert second.state is ReceiptState.OFFLINE_ISSUED
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert (status.state, status.queued, status.set_aside) == (S.ONLINE, 0, 0)
    for receipt in (first, second):
        uploaded = till.journal.receipts.get(receipt.id)
        assert uploaded is not None
        assert uploaded.state is ReceiptState.UPLOADED
    on_server = {r["id"] for r in sandbox_receipts(box, till.register) if r["type"] == "SELL"}
    assert {first.id, second.id} <= on_server


async def test_a_z_report_checkbox_is_still_closing_is_never_closed_twice(
    box: RunningSandbox,
    clock: SimClock,
    tills: TillFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tax service is slow: Checkbox takes the Z-report and keeps the shift closing. The
    till used to give up waiting, call it unreachable and close the shift a second time offline,
    a printed Z refused "Зміну не відкрито" at upload. Now the shift stays closing in the
    journal (written before the request, so a kill cannot leave it "opened") and the worker
    records it closed when Checkbox is."""
    monkeypatch.setattr("pos.register.shifts.SHIFT_WAIT_SECONDS", 0.5)
    till = await tills(tmp_path / "journal.sqlite", marks=tmp_path / "m")
    await till.sign_in()
    shift = await till.service.open_shift()
    await till.sell_bread()
    box.control("POST", "/sandbox/config", {"signing_delay": 3})  # the tax service is slow
    view = await till.service.close_shift()
    assert view.shift is not None
    assert view.shift.state is ShiftState.CLOSING
    assert till.journal.queue.pending() == []
    status = await till.service.sync(wait=True, give_up_after=60)
    assert (status.state, status.queued, status.set_aside) == (S.ONLINE, 0, 0)
    closed = till.journal.shifts.get(shift.id)
    assert closed is not None
    assert closed.state is ShiftState.CLOSED
    assert sandbox_shift(box, shift.id)["status"] in ("CLOSING", "CLOSED")  # one Z, Checkbox's
    assert not [e for e in till.queue_entries() if e.kind is QueueKind.SHIFT_CLOSE]
