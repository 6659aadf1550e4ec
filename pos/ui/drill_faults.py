"""The Checkbox failures a cashier can rehearse in training (the drill menu's "Checkbox fault").

Each is one of the sandbox's scheduled faults (``pos.sandbox.faults``), named in the cashier's
words; ``None`` is "no fault". The menu keeps the chosen one checked, so it shows which is on.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

DRILL_FAULTS: tuple[str | None, ...] = (
    None,
    "maintenance",
    "unavailable",
    "timeout_524",
    "signature_inactive",
    "cashier_blocked",
    "key_expired",
    "register_blocked",
    "unpaid",
    "other_integration",
    "unfinished_transactions",
    "receipt_error",
    "shift_open_closed",
    "slow_go_online",
)


def drill_fault_label(fault: str | None) -> str:
    labels = {
        None: QCoreApplication.translate("Drill", "No fault"),
        "maintenance": QCoreApplication.translate("Drill", "Maintenance work (503)"),
        "unavailable": QCoreApplication.translate("Drill", "Temporarily unavailable (503)"),
        "timeout_524": QCoreApplication.translate("Drill", "Next answer lost (524)"),
        "signature_inactive": QCoreApplication.translate(
            "Drill", "Cashier's signature not running"
        ),
        "cashier_blocked": QCoreApplication.translate("Drill", "Cashier blocked (403)"),
        "key_expired": QCoreApplication.translate("Drill", "Cashier's key expired (403)"),
        "register_blocked": QCoreApplication.translate("Drill", "Register blocked (403)"),
        "unpaid": QCoreApplication.translate("Drill", "Checkbox invoice unpaid (403)"),
        "other_integration": QCoreApplication.translate(
            "Drill", "Shift opened by another program (409)"
        ),
        "unfinished_transactions": QCoreApplication.translate(
            "Drill", "Unfinished transactions at the Z-report"
        ),
        "receipt_error": QCoreApplication.translate(
            "Drill", "Next receipt refused by the tax service"
        ),
        "shift_open_closed": QCoreApplication.translate("Drill", "Next shift open refused"),
        "slow_go_online": QCoreApplication.translate(
            "Drill", "Going online takes several calls and minutes"
        ),
    }
    return labels[fault]
