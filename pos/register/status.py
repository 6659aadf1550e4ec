"""The register's state as the window and ``pos register status`` show it, in one snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pos.journal.records import Shift
from pos.register.connectivity import ConnectivityState
from pos.register.limits import LimitWarning


@dataclass(frozen=True)
class RegisterStatus:
    state: ConnectivityState
    queued: int  # offline transactions waiting for upload + receipts not yet settled online
    codes_left: int
    offline_seconds_left: int
    month_offline_seconds_left: int
    shift_seconds_left: int | None
    shift: Shift | None
    signed_in: bool
    cashier_name: str | None
    warnings: tuple[LimitWarning, ...] = ()
    set_aside: int = 0  # uploads the server refused for good: the manager must look
    recovering: tuple[str, ...] = ()  # receipt/shift ids being settled after a restart
    forced_offline: bool = False
    training: bool = False
    fiscal_number: str | None = None
    journal_behind: str | None = None  # why offline issuance waits for an online reconcile
    codes_unreconciled: bool = False  # Checkbox spent codes on its own; not yet reconciled
    clock_skew_seconds: int | None = None  # the PC's clock vs Checkbox's, when beyond tolerance
    # Receipts sent before the last run stopped (or while Checkbox stopped answering) whose
    # outcome only Checkbox knows: asked about each round, never issued offline meanwhile.
    awaiting_checkbox: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "queued": self.queued,
            "codes_left": self.codes_left,
            "offline_seconds_left": self.offline_seconds_left,
            "month_offline_seconds_left": self.month_offline_seconds_left,
            "shift_seconds_left": self.shift_seconds_left,
            "shift_id": None if self.shift is None else self.shift.id,
            "shift_state": None if self.shift is None else self.shift.state.value,
            "signed_in": self.signed_in,
            "set_aside": self.set_aside,
            "recovering": list(self.recovering),
            "forced_offline": self.forced_offline,
            "training": self.training,
            "journal_behind": self.journal_behind,
            "codes_unreconciled": self.codes_unreconciled,
            "clock_skew_seconds": self.clock_skew_seconds,
            "awaiting_checkbox": list(self.awaiting_checkbox),
            "warnings": [
                {"limit": w.limit.value, "level": w.level.value, "left": w.left}
                for w in self.warnings
            ],
        }


@dataclass(frozen=True)
class ShiftReportView:
    """An X or Z report: the journal's own totals, and the server's when it could be asked."""

    local: dict[str, Any]
    server: dict[str, Any] | None = None
    z: bool = False
    shift: Shift | None = None
    counted_cash: int | None = None
    pending: int = 0  # receipts of the shift not yet settled (not in the totals)

    @property
    def expected_cash(self) -> int:
        return int(self.local.get("balance", 0))

    @property
    def difference(self) -> int | None:
        return None if self.counted_cash is None else self.counted_cash - self.expected_cash
