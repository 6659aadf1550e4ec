"""Case 6: a crash between Checkbox's automatic offline mode and the code reconcile.

Checkbox fiscalises a receipt on its own (tax service down) with one of the register's codes and
spends another on its offline-begin transaction; the reconcile that would drop those codes from
the local pool never happens (the line drops at that moment), and the program dies. A fresh
process must not issue offline with a code Checkbox already spent: the flag was persisted, so it
refuses until it has reconciled online. Checked against the sandbox's codes and transactions.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from scenarios.harness import SimClock, sandbox_codes, sandbox_transactions

from pos.journal.records import ReceiptState
from pos.register.connectivity import ConnectivityState as S
from pos.register.errors import Refusal, RegisterError
from pos.sandbox.server import RunningSandbox

from .conftest import FailPaths, TillFactory


async def test_codes_spent_by_checkbox_are_never_reused_after_a_crash(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    path = tmp_path / "journal.sqlite"
    fail = FailPaths(None)  # type: ignore[arg-type]
    till = await tills(path, marks=tmp_path / "m", fail=fail)
    await till.sign_in()
    await till.service.open_shift()
    box.control("POST", "/sandbox/tax-service", {"state": "down"})
    fail.paths.add("get-offline-codes")  # the reconcile after automatic offline never lands
    receipt = await till.sell_bread()
    assert receipt.server_response is not None
    assert receipt.server_response["is_created_offline"] is True
    assert till.service.status().codes_unreconciled
    await till.close()  # the process dies here

    till = await tills(path, marks=tmp_path / "m")
    till.cut()
    await till.sign_in()
    assert till.state is S.LOCAL_OFFLINE
    assert till.service.status().codes_unreconciled
    with pytest.raises(RegisterError) as refused:
        await till.sell_bread()
    assert refused.value.refusal is Refusal.CODES_UNRECONCILED
    till.reconnect()
    box.control("POST", "/sandbox/tax-service", {"state": "up"})
    await till.service.sync(wait=True, give_up_after=60)
    assert not till.service.status().codes_unreconciled
    till.cut()
    local = [await till.sell_bread(), await till.sell_bread()]
    assert all(r.state is ReceiptState.OFFLINE_ISSUED for r in local)
    spent = {c["fiscal_code"] for c in sandbox_codes(box, till.register) if c["used_by"]}
    assert not {r.fiscal_code for r in local} & spent
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert (status.state, status.queued, status.set_aside) == (S.ONLINE, 0, 0)
    used = [t["offline_id"] for t in sandbox_transactions(box, till.register) if t["offline_id"]]
    assert not [c for c, n in Counter(used).items() if n > 1]
    assert not [e for e in till.recorder.answered() if "was used before" in str(e.answer)]
