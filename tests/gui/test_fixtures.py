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


def test_none_survives_a_shift_of_qt_calls(qapp: Any) -> None:
    """pos/ui/qt_compat.py: PySide6's lost references to None cannot abort a long run."""
    import sys

    from PySide6.QtWidgets import QLabel

    from pos.ui.qt_compat import guard_singleton_refcounts

    guard_singleton_refcounts()
    label = QLabel()
    for _ in range(20_000):
        label.setText("x")
    assert sys.getrefcount(None) > 1_000_000
