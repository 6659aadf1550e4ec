"""What the 1,000-kill crash run found, each as one deterministic story on the real sandbox.

- A return committed but not settled (Checkbox unreachable and offline issuance refused, or a
  kill mid-send) still counts against its sale: a second return of the same goods is refused at
  the till, not printed and then refused at upload ("… більше, ніж у чеку продажу").
- A refusal at upload sets the entry aside, marks the receipt failed and burns its code in one
  transaction: a kill between them never leaves a set-aside receipt "offline issued".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scenarios.harness import SimClock, sandbox_receipts

from pos.journal.records import QueueKind, ReceiptState
from pos.register.connectivity import ConnectivityState as S
from pos.register.context import CLOCK_SKEW
from pos.register.errors import Refusal, RegisterError
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
