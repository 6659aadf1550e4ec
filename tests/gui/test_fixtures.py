"""The GUI fixtures themselves: a shift opened through the service is seen by the X-report."""

from __future__ import annotations

from typing import Any

from pos.app import RunningRegister


def test_running_shift_has_the_opening_float(running_shift: RunningRegister, aw: Any) -> None:
    status = running_shift.service.status()
    assert status.signed_in
    assert status.shift is not None
    assert status.training
    report = aw(running_shift.service.x_report())
    assert report.expected_cash == 50000
