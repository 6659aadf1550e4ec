"""A Z-report whose answer is lost is never closed a second time offline (invariant: one Z per
shift).

Repro with the sandbox's own fault controls: the online close is processed (Checkbox has the
Z-report) but its answer is lost (524), and Checkbox cannot be asked what became of it either.
Before, the register took that as "unreachable", closed the shift offline with its own code and
report, and at upload sent a second Z for a shift Checkbox had already closed. Now the shift stays
"closing" in the journal until Checkbox can be asked: a Z it took is recorded closed, a close that
never arrived leaves the shift open for the cashier to close again; never two Z-reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scenarios.harness import SimClock, Till, sandbox_transactions

from pos.journal.records import QueueState, ShiftState
from pos.register.connectivity import ConnectivityState as S
from pos.register.errors import Refusal, RegisterError
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory


def fault(box: RunningSandbox, till: Till, kind: str, **extra: Any) -> None:
    body = {"register_id": till.register.cash_register_id, "fault": kind, **extra}
    box.control("POST", "/sandbox/faults", body)


def clear_faults(box: RunningSandbox, till: Till) -> None:
    box.control("POST", "/sandbox/faults/clear", {"register_id": till.register.cash_register_id})


def z_reports(box: RunningSandbox, till: Till, shift_id: str) -> list[dict[str, Any]]:
    return [
        t
        for t in sandbox_transactions(box, till.register)
        if t["type"] == "Z_REPORT" and t["owner"] == ["shift_close", shift_id]
    ]


async def back_online(till: Till) -> None:
    """Rounds of the worker until Checkbox answers and the shift question is settled."""
    for _ in range(3):
        await till.service.sync(wait=True, give_up_after=60)
    assert till.state is S.ONLINE


async def closing_with_the_answer_lost(box: RunningSandbox, till: Till, kind: str) -> str:
    await till.sign_in()
    await till.service.open_shift()
    await till.sell_bread()
    shift = till.service.current_shift()
    assert shift is not None
    fault(box, till, kind)  # every request of the register, until cleared
    view = await till.service.close_shift()
    assert view.shift is not None
    assert view.shift.state is ShiftState.CLOSING, "closed offline while the Z may be on Checkbox"
    assert not [e for e in till.queue_entries() if e.state is QueueState.PENDING]
    for attempt in (till.sell_bread(), till.service.close_shift()):  # nothing goes in meanwhile
        with pytest.raises(RegisterError) as refused:
            await attempt
        assert refused.value.refusal is Refusal.SHIFT_CLOSING
    clear_faults(box, till)
    return shift.id


async def test_a_z_report_checkbox_took_is_recorded_closed_never_closed_again(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    till = await tills(tmp_path / "data/journal.sqlite", marks=tmp_path / "marks")
    shift_id = await closing_with_the_answer_lost(box, till, "timeout_524")
    await back_online(till)
    closed = till.journal.shifts.get(shift_id)
    assert closed is not None
    assert closed.state is ShiftState.CLOSED
    assert len(z_reports(box, till, shift_id)) == 1
    assert not till.service.set_aside()
    assert not [t for t in sandbox_transactions(box, till.register) if t["offline_id"]]
    await till.service.open_shift()  # the next shift opens as usual


async def test_a_z_report_that_never_arrived_leaves_the_shift_open_to_close_again(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    till = await tills(tmp_path / "data/journal.sqlite", marks=tmp_path / "marks")
    shift_id = await closing_with_the_answer_lost(box, till, "unavailable")
    assert not z_reports(box, till, shift_id)
    await back_online(till)
    reopened = till.journal.shifts.get(shift_id)
    assert reopened is not None
    assert reopened.state is ShiftState.OPENED
    view = await till.service.close_shift()
    assert view.shift is not None
    assert view.shift.state is ShiftState.CLOSED
    assert len(z_reports(box, till, shift_id)) == 1
    assert not till.service.set_aside()
