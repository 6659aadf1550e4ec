"""Case 5, from Checkbox's side: a journal with no history of its own on a register Checkbox
already has shifts of (deleted with its backups, or a new PC) is "behind" until it has reconciled
online: no offline document before, said in status (and on screen, by the status bar)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenarios.harness import SimClock

from pos.register.connectivity import ConnectivityState as S
from pos.register.errors import Refusal, RegisterError
from pos.sandbox.server import RunningSandbox

from .conftest import FailPaths, TillFactory


async def test_a_new_journal_on_a_register_with_history_waits_for_a_reconcile(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    old = await tills(tmp_path / "old" / "journal.sqlite", marks=None)
    await old.sign_in()
    await old.service.open_shift()
    await old.sell_bread()
    await old.service.close_shift()
    await old.close()  # the PC dies with its journal and backups

    fail = FailPaths(None)  # type: ignore[arg-type]
    fail.paths.add("get-offline-codes")  # its first reconcile does not land
    new = await tills(tmp_path / "new" / "journal.sqlite", marks=None, fail=fail)
    await new.sign_in()
    behind = new.service.status().journal_behind
    assert behind is not None
    assert "is new" in behind
    assert new.service.status().as_json()["journal_behind"] == behind
    await new.service.open_shift()
    new.cut()
    with pytest.raises(RegisterError) as refused:
        await new.sell_bread()
    assert refused.value.refusal is Refusal.JOURNAL_BEHIND

    fail.paths.clear()
    new.reconnect()
    status = await new.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    assert status.journal_behind is None


async def test_a_new_journal_on_a_new_register_is_not_behind(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    till = await tills(tmp_path / "journal.sqlite", marks=None)
    await till.sign_in()
    assert till.service.status().journal_behind is None
