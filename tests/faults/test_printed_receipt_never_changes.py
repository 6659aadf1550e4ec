"""Case 1: a restored, copied or recreated journal; a printed offline receipt never changes.

The support engineer's repro: sell online; copy the journal; sell twice offline; sync; put the
copy back; sell twice offline; sync. Before, the restored journal re-issued codes it had already
printed and uploaded, and at "Offline code … was used before!" rewrote the receipt's code. Now the
journal knows it is behind (this PC's mark is ahead of it, or this PC has no mark of it) and
issues nothing offline until it has reconciled online; and if a conflict still reaches Checkbox
(two copies offline at once), the printed receipt keeps its code and is set aside for the manager
with both receipts named. Checked against the sandbox's own records.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from scenarios.harness import (
    LoseAnswer,
    SimClock,
    Till,
    open_till,
    sandbox_receipts,
    sandbox_transactions,
)

from pos.headless.commands import _receipt_state as receipt_state
from pos.journal.records import ReceiptState
from pos.register.connectivity import ConnectivityState as S
from pos.register.errors import Refusal, RegisterError
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory


def copy_journal(source: Path, target: Path) -> None:
    """What a support engineer's file copy does: the file and whatever WAL lies beside it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{source}{suffix}")
        dst = Path(f"{target}{suffix}")
        if src.exists():
            shutil.copy2(src, dst)
        elif dst.exists():
            dst.unlink()


async def first_life(tills: TillFactory, path: Path, marks: Path, backup: Path) -> list[str]:
    """Online sale, backup copy, two offline sales, synced. Returns the offline receipts' codes."""
    till = await tills(path, marks=marks)
    await till.sign_in()
    await till.service.open_shift()
    assert (await till.sell_bread()).state is ReceiptState.DONE
    await till.close()
    copy_journal(path, backup)
    till = await tills(path, marks=marks)
    await till.sign_in()
    till.cut()
    offline = [await till.sell_bread(), await till.sell_bread()]
    assert all(r.state is ReceiptState.OFFLINE_ISSUED for r in offline)
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert (status.state, status.queued, status.set_aside) == (S.ONLINE, 0, 0)
    await till.close()
    return [r.fiscal_code or "" for r in offline]


def assert_sandbox_clean(box: RunningSandbox, till: Till) -> None:
    """Every code used once on Checkbox, and every receipt of the journal there with its code."""
    transactions = sandbox_transactions(box, till.register)
    used = [t["offline_id"] for t in transactions if t["offline_id"]]
    assert not [c for c, n in Counter(used).items() if n > 1]
    on_server = {r["id"]: r for r in sandbox_receipts(box, till.register)}
    for receipt in till.receipts():
        if receipt.state in (ReceiptState.DONE, ReceiptState.UPLOADED):
            assert on_server[receipt.id]["fiscal_code"] == receipt.fiscal_code
    assert not [e for e in till.recorder.answered() if "was used before" in str(e.answer)]


async def offline_refused_then_reconciled(till: Till, printed: list[str]) -> None:
    await till.sign_in()  # offline: the PIN that signed in before
    assert till.state is S.LOCAL_OFFLINE
    status = till.service.status()
    assert status.journal_behind
    assert status.as_json()["journal_behind"]
    with pytest.raises(RegisterError) as refused:
        await till.sell_bread()
    assert refused.value.refusal is Refusal.JOURNAL_BEHIND
    # Back online: one reconcile with Checkbox clears it; then offline selling is safe again.
    till.reconnect()
    await till.service.sync(wait=True, give_up_after=60)
    assert not till.service.status().journal_behind
    till.cut()
    again = [await till.sell_bread(), await till.sell_bread()]
    assert not {r.fiscal_code for r in again} & set(printed)
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert (status.state, status.queued, status.set_aside) == (S.ONLINE, 0, 0)


async def test_restored_journal_issues_nothing_offline_until_reconciled(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    path, marks, backup = tmp_path / "data/journal.sqlite", tmp_path / "marks", tmp_path / "bak"
    printed = await first_life(tills, path, marks, backup / "journal.sqlite")
    copy_journal(backup / "journal.sqlite", path)  # the backup is put back
    till = await tills(path, marks=marks)
    till.cut()
    await offline_refused_then_reconciled(till, printed)
    assert_sandbox_clean(box, till)


async def test_data_folder_copied_to_another_pc_is_behind(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    path = tmp_path / "pc1/journal.sqlite"
    printed = await first_life(tills, path, tmp_path / "marks1", tmp_path / "bak/journal.sqlite")
    copy_journal(tmp_path / "bak/journal.sqlite", tmp_path / "pc2/journal.sqlite")
    till = await tills(tmp_path / "pc2/journal.sqlite", marks=tmp_path / "marks2")  # new PC
    till.cut()
    await offline_refused_then_reconciled(till, printed)
    assert_sandbox_clean(box, till)


async def test_a_used_before_conflict_sets_the_printed_receipt_aside_unchanged(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    """The prevention cannot see two copies offline at the same time: simulate it with a till
    that keeps no mark. The printed receipts keep their codes; the manager sees both."""
    path, backup = tmp_path / "data/journal.sqlite", tmp_path / "bak/journal.sqlite"
    printed = await first_life(tills, path, tmp_path / "marks", backup)
    copy_journal(backup, path)
    till = await tills(path, marks=None)
    till.cut()
    await till.sign_in()
    mine = [await till.sell_bread(), await till.sell_bread()]
    assert {r.fiscal_code for r in mine} <= set(printed)  # the stale pool hands them out again
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    assert status.set_aside == 2
    for receipt, entry in zip(mine, till.service.set_aside(), strict=True):
        assert entry.subject_id == receipt.id
        assert entry.error is not None
        assert entry.error.startswith("CONFLICT")
        assert receipt.fiscal_code in entry.error
        assert receipt.id in entry.error
        after = till.service.receipt(receipt.id)
        assert after is not None
        assert (after.fiscal_code, after.fiscal_date) == (receipt.fiscal_code, receipt.fiscal_date)
    # On Checkbox each code names the first lineage's receipt only; ours never arrived.
    on_server = {r["id"]: r for r in sandbox_receipts(box, till.register)}
    assert not {r.id for r in mine} & set(on_server)
    assert sorted(r["fiscal_code"] for r in on_server.values() if r["fiscal_code"] in printed) == (
        sorted(printed)
    )
    used = [t["offline_id"] for t in sandbox_transactions(box, till.register) if t["offline_id"]]
    assert len(used) == len(set(used))


async def test_an_ambiguous_receipt_checkbox_coded_itself_keeps_its_printed_code(
    box: RunningSandbox, clock: SimClock, tmp_path: Path
) -> None:
    """The online attempt reached Checkbox (fiscalised there under its own code) while the
    customer got the offline copy: before, the upload took the server's code and date into the
    journal, so the paper named a code the journal no longer had. Now the printed code and date
    stay, the server's copy is recorded beside them, the receipt is set aside as a conflict, it
    is never uploaded again and its offline code is never issued again."""
    till = await open_till(
        box,
        tmp_path,
        clock,
        rate_limits=False,
        lose_answer=lambda switch: LoseAnswer(switch, then_cut=switch),
    )
    try:
        await till.sign_in()
        await till.service.open_shift()
        printed = await till.sell_bread()
        assert printed.state is ReceiptState.OFFLINE_ISSUED
        assert printed.fiscal_code is not None
        clock.advance(30)
        till.reconnect()
        status = await till.service.sync(wait=True, give_up_after=60)
        assert (status.state, status.queued, status.set_aside) == (S.ONLINE, 0, 1)
        after = till.service.receipt(printed.id)
        assert after is not None
        assert (after.fiscal_code, after.fiscal_date) == (printed.fiscal_code, printed.fiscal_date)
        on_server = [r for r in sandbox_receipts(box, till.register) if r["id"] == printed.id]
        assert len(on_server) == 1
        assert on_server[0]["fiscal_code"] != printed.fiscal_code
        assert after.server_response is not None
        assert after.server_response["fiscal_code"] == on_server[0]["fiscal_code"]
        shown = receipt_state(after)  # what `pos register receipt ID` prints
        assert (shown["fiscal_code"], shown["checkbox_fiscal_code"]) == (
            printed.fiscal_code,
            on_server[0]["fiscal_code"],
        )
        (entry,) = till.service.set_aside()
        assert entry.subject_id == printed.id
        assert entry.error is not None
        assert entry.error.startswith("CONFLICT")
        assert printed.fiscal_code in entry.error
        assert on_server[0]["fiscal_code"] in entry.error
        # Never uploaded again, and its code never reaches another receipt: on Checkbox it is
        # spent by the period's own go-offline (nobody's paper), so Checkbox's automatic
        # offline can never sign another document with it.
        posts = len(till.recorder.calls("POST", "/receipts/sell"))
        await till.service.sync(wait=True, give_up_after=30)
        assert len(till.recorder.calls("POST", "/receipts/sell")) == posts
        till.cut()
        later = [await till.sell_bread(), await till.sell_bread()]
        assert printed.fiscal_code not in {r.fiscal_code for r in later}
        holders = [
            t["type"]
            for t in sandbox_transactions(box, till.register)
            if t["offline_id"] == printed.fiscal_code
        ]
        assert holders == ["OFFLINE_BEGIN"]
    finally:
        await till.close()
