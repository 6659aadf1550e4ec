"""Why the register refused or could not finish an operation, in terms the window can translate.

The register never formats a sentence for the cashier: it names the reason (``Refusal``) and the
facts (``params``, the server's own ``detail`` text), and the window turns that into words in the
cashier's language with what to do next.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Refusal(StrEnum):
    NOT_SIGNED_IN = "not_signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    NO_SHIFT = "no_shift"
    SHIFT_CLOSING = "shift_closing"  # the Z-report went to Checkbox; its answer is not in yet
    SHIFT_ALREADY_OPEN = "shift_already_open"
    SHIFT_EXPIRED = "shift_expired"  # the 24 h limit is (about to be) reached: Z-report first
    OFFLINE_PERIOD_LIMIT = "offline_period_limit"  # 36 h in one offline period
    OFFLINE_MONTH_LIMIT = "offline_month_limit"  # 168 h in a calendar month
    NO_OFFLINE_CODES = "no_offline_codes"  # the pool is (about to be) empty
    RECOVERING = "recovering"  # unfinished work from the last run is being settled
    UPLOAD_PENDING = "upload_pending"  # offline transactions must reach the server first
    FISCAL_RULE = "fiscal_rule"  # the receipt breaks a rule (the seed's own text in detail)
    SERVER_REJECTED = "server_rejected"  # Checkbox refused it (its text in detail)
    UNREACHABLE = "unreachable"  # Checkbox cannot be reached and this needs it
    NOT_FOUND = "not_found"
    BAD_INPUT = "bad_input"
    MANAGER_ONLY = "manager_only"
    JOURNAL_BEHIND = "journal_behind"  # restored/copied/recreated journal: reconcile online first
    CODES_UNRECONCILED = "codes_unreconciled"  # Checkbox spent codes on its own: reconcile first
    DISK_FULL = "disk_full"  # too little free space to commit a receipt safely
    CLOCK_UNTRUSTED = "clock_untrusted"  # the PC's clock disagrees with Checkbox's: confirm it
    AWAITING_CHECKBOX = "awaiting_checkbox"  # a receipt of the shift awaits Checkbox's answer
    OFFLINE_AWAITING_CHECKBOX = "offline_awaiting_checkbox"  # Checkbox may have spent a code on it


RECEIPT_ENDED_ERROR = "ReceiptEndedError"
"""``kind`` of a receipt whose transaction ended ERROR (the tax service did not accept it)."""
SHIFT_OPEN_REFUSED = "ShiftOpenRefused"
"""``kind`` of a shift open that ended CLOSED (refused, the reason in its transaction)."""


def kind_of(error: BaseException) -> str:
    """The ``kind`` param of a refusal caused by Checkbox: the class of ``pos.checkbox.errors``
    that the error table mapped its answer to (the window picks the cashier's words by it)."""
    return type(error).__name__


class RegisterError(Exception):
    """An operation the register refused or could not complete; nothing half-done is left.
    ``params["kind"]``, when Checkbox caused it, names the error (``kind_of``)."""

    def __init__(self, refusal: Refusal, detail: str = "", **params: Any) -> None:
        super().__init__(f"{refusal.value}: {detail}" if detail else refusal.value)
        self.refusal = refusal
        self.detail = detail
        self.params = params
