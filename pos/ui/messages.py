"""The register's refusals in the cashier's words, with what to do next.

Why here: the register names the reason (``Refusal``) and the facts (``params``, the server's own
``detail`` text) and never formats a sentence; every window (main window, returns, cash
operations, reports, settings) turns it into translated text with ``refusal_text`` and shows it
with ``show_error``, so one refusal reads the same everywhere.

Server and fiscal-rule texts (Ukrainian, in the seed's words) are shown as they are; technical
details in English (a connection error, a parser message) go to the box's "Show Details…" part
instead of the main text. Nothing secret ever reaches a ``RegisterError``'s detail.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from pos.domain.money import MoneyFormatError
from pos.register.errors import Refusal, RegisterError

log = logging.getLogger(__name__)

_CYRILLIC = re.compile(r"[А-Яа-яЁёЄєІіЇїҐґ]")
_orphans: set[QMessageBox] = set()  # boxes without a parent stay alive until closed


def format_duration(seconds: int | float | None) -> str:
    """ "5 h 07 min", "12 min", "0 min" — time left of a limit as the status bar shows it."""
    if seconds is None:
        return "—"
    total = max(int(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes = rest // 60
    if hours:
        return QCoreApplication.translate("Messages", "{hours} h {minutes:02d} min").format(
            hours=hours, minutes=minutes
        )
    return QCoreApplication.translate("Messages", "{minutes} min").format(minutes=minutes)


def is_human_text(detail: str) -> bool:
    """True for the server's or the fiscal rules' own (Ukrainian) sentences."""
    return bool(_CYRILLIC.search(detail))


def _left(params: dict[str, Any]) -> str:
    left = params.get("left")
    return format_duration(left) if isinstance(left, int | float) else "—"


def _bad_input(error: RegisterError) -> str:
    field = str(error.params.get("field", ""))
    texts = {
        "quantity": QCoreApplication.translate(
            "Messages",
            "This quantity cannot be sold: pieces must be whole, weight at most 3 decimals, "
            "more than zero and not absurdly large. Correct the quantity.",
        ),
        "barcode": QCoreApplication.translate(
            "Messages",
            "This barcode is not valid (wrong length or check digit). Scan it again or find "
            "the good by its name.",
        ),
        "discount": QCoreApplication.translate(
            "Messages",
            "This discount is not possible: it must be more than zero and not larger than the "
            "sum it applies to (a percentage at most 100).",
        ),
        "amount": QCoreApplication.translate("Messages", "Enter an amount larger than zero."),
        "cart": QCoreApplication.translate("Messages", "The cart is empty: add goods first."),
        "pin": QCoreApplication.translate("Messages", "Enter the PIN."),
        "line": QCoreApplication.translate("Messages", "There is no such line in the receipt."),
    }
    return texts.get(
        field,
        QCoreApplication.translate("Messages", "The input is not valid. Check it and try again."),
    )


def _texts(error: RegisterError) -> dict[Refusal, str]:
    params = error.params
    return {
        Refusal.NOT_SIGNED_IN: QCoreApplication.translate(
            "Messages", "The cashier is not signed in (or the session has expired): sign in again."
        ),
        Refusal.SIGN_IN_FAILED: QCoreApplication.translate(
            "Messages", "Sign-in failed. Check the PIN and try again."
        ),
        Refusal.NO_SHIFT: QCoreApplication.translate(
            "Messages", "No shift is open. Open a shift first (F2)."
        ),
        Refusal.SHIFT_CLOSING: QCoreApplication.translate(
            "Messages",
            "The Z-report has been sent and Checkbox has not confirmed it yet. The register asks "
            "Checkbox by itself; when the shift is closed, open a new one (F2).",
        ),
        Refusal.SHIFT_ALREADY_OPEN: QCoreApplication.translate(
            "Messages", "A shift is already open: go on selling, or make the Z-report (F10) first."
        ),
        Refusal.SHIFT_EXPIRED: QCoreApplication.translate(
            "Messages",
            "The shift must close by midnight of its day (and within 24 h): make the Z-report "
            "(F10) now, then open a new shift (F2).",
        ),
        Refusal.OFFLINE_PERIOD_LIMIT: QCoreApplication.translate(
            "Messages",
            "The register has been offline for almost 36 hours, the legal limit of one offline "
            "period (left: {left}). Selling is stopped until the connection is back and the "
            "offline receipts are uploaded. Check the internet connection or call the manager.",
        ).format(left=_left(params)),
        Refusal.OFFLINE_MONTH_LIMIT: QCoreApplication.translate(
            "Messages",
            "The register has almost used the 168 hours of offline work allowed in a calendar "
            "month (left: {left}). Selling offline is stopped: restore the connection or call "
            "the manager.",
        ).format(left=_left(params)),
        Refusal.NO_OFFLINE_CODES: QCoreApplication.translate(
            "Messages",
            "No offline fiscal codes are left, so the register cannot work offline. Restore "
            "the connection to Checkbox to receive new codes, or call the manager.",
        ),
        Refusal.RECOVERING: QCoreApplication.translate(
            "Messages",
            "Unfinished operations from the last run are being settled ({count}). Wait a "
            "moment and try again.",
        ).format(count=params.get("count", "…")),
        Refusal.UPLOAD_PENDING: QCoreApplication.translate(
            "Messages",
            "{count} transaction(s) still have to reach the tax service. Wait until the queue "
            "in the status bar is empty, then try again.",
        ).format(count=params.get("pending", "…")),
        Refusal.FISCAL_RULE: QCoreApplication.translate(
            "Messages", "The receipt breaks a fiscal rule and was not made."
        ),
        Refusal.SERVER_REJECTED: QCoreApplication.translate(
            "Messages",
            "Checkbox refused the operation. Correct what the message says, or call the manager.",
        ),
        Refusal.UNREACHABLE: QCoreApplication.translate(
            "Messages",
            "Checkbox cannot be reached and this operation needs it. Check the internet "
            "connection and try again.",
        ),
        Refusal.NOT_FOUND: QCoreApplication.translate(
            "Messages", "Nothing was found (or it cannot be used for this). Check and try again."
        ),
        Refusal.BAD_INPUT: _bad_input(error),
        Refusal.MANAGER_ONLY: QCoreApplication.translate(
            "Messages", "Only a manager can do this: ask for the manager PIN."
        ),
        Refusal.JOURNAL_BEHIND: QCoreApplication.translate(
            "Messages",
            "This journal may be behind Checkbox (restored from a backup, copied or recreated), "
            "so its offline codes may already be used. Restore the connection: the register "
            "reconciles with Checkbox and then works offline again.",
        ),
        Refusal.CODES_UNRECONCILED: QCoreApplication.translate(
            "Messages",
            "Checkbox used some offline codes on its own. Restore the connection so the register "
            "can reconcile its codes before it sells offline.",
        ),
        Refusal.DISK_FULL: QCoreApplication.translate(
            "Messages",
            "The disk holding the journal is almost full, so no receipt can be saved safely. "
            "Free some disk space, then try again.",
        ),
        Refusal.CLOCK_UNTRUSTED: QCoreApplication.translate(
            "Messages",
            "This PC's clock differs from Checkbox's. Check the time and confirm it before "
            "selling offline.",
        ),
        Refusal.AWAITING_CHECKBOX: QCoreApplication.translate(
            "Messages",
            "{count} receipt(s) of this shift were being sent to Checkbox when the register "
            "stopped, and only Checkbox knows whether it fiscalised them. The Z-report waits "
            "until Checkbox has answered: restore the connection; the register asks by itself.",
        ).format(count=params.get("count", "…")),
        Refusal.OFFLINE_AWAITING_CHECKBOX: QCoreApplication.translate(
            "Messages",
            "{count} receipt(s) were being sent to Checkbox when the register stopped. Checkbox "
            "may have fiscalised them with one of this register's offline codes, so no receipt "
            "can be issued offline until Checkbox has answered: restore the connection; the "
            "register asks by itself.",
        ).format(count=params.get("count", "…")),
    }


def _kind_texts() -> dict[str, str]:
    """What the cashier needs to know and do for each of Checkbox's failures, by the class the
    register's error table (``pos.checkbox.errors``) mapped the answer to (``params["kind"]``);
    these replace the refusal's general sentence."""
    return {
        "SignatureInactive": QCoreApplication.translate(
            "Messages",
            "The cashier's electronic signature (CheckBox Підпис) is not running, so Checkbox "
            "cannot sign anything: nothing was fiscalised. Start it, or ask the manager to "
            "start it in the Checkbox cabinet, then try again.",
        ),
        "CashierBlocked": QCoreApplication.translate(
            "Messages",
            "Checkbox has blocked this cashier (the reason is below): nothing was fiscalised. "
            "Call the manager: only Checkbox support can unblock the cashier.",
        ),
        "CashierKeyExpired": QCoreApplication.translate(
            "Messages",
            "The cashier's signing key has expired: nothing can be fiscalised with it. The "
            "manager must get a new key and register the cashier again.",
        ),
        "CashierDeactivated": QCoreApplication.translate(
            "Messages",
            "This cashier is deactivated in Checkbox. The manager must register the cashier again.",
        ),
        "RegisterBlocked": QCoreApplication.translate(
            "Messages",
            "Checkbox has blocked this register: nothing can be fiscalised on it. "
            "Call the manager.",
        ),
        "RegisterFrozen": QCoreApplication.translate(
            "Messages",
            "Checkbox has frozen this register (no receipts for a long time). The manager must "
            "pay the invoice and ask Checkbox support to unfreeze it.",
        ),
        "InvoiceUnpaid": QCoreApplication.translate(
            "Messages",
            "Checkbox services are not paid, so every register of the shop is blocked. Call "
            "the manager to pay the invoice.",
        ),
        "ShiftOpenedElsewhere": QCoreApplication.translate(
            "Messages",
            "The shift was opened in another program (Checkbox Kasa). Finish there, or ask the "
            "manager: both at once would corrupt the register's reports.",
        ),
        "DeviceConflict": QCoreApplication.translate(
            "Messages",
            "This register is used by another device (a duplicate of the register?). Call the "
            "manager or Checkbox support.",
        ),
        "UnfinishedTransactions": QCoreApplication.translate(
            "Messages",
            "Checkbox is still processing earlier transactions, so this cannot be done yet. "
            "Wait a minute and try again; if it goes on for ten minutes, call the manager.",
        ),
        "SmsGatewayInactive": QCoreApplication.translate(
            "Messages",
            "Sending receipts by SMS is not enabled for this shop. Send it by e-mail, or ask "
            "the manager to enable SMS in the Checkbox cabinet.",
        ),
        "ReceiptEndedError": QCoreApplication.translate(
            "Messages",
            "The tax service did not accept this receipt (the reason is below): it is NOT "
            "sold and nothing fiscal was printed. The goods are still in the receipt: try "
            "again, or call the manager if it is refused again.",
        ),
        "ShiftOpenRefused": QCoreApplication.translate(
            "Messages",
            "The shift was not opened: the tax service refused its opening (the reason is "
            "below). Open it again; if it is refused again, call the manager.",
        ),
        "Maintenance": QCoreApplication.translate(
            "Messages",
            "Checkbox is under maintenance (until the time below). Sales go on offline; what "
            "needs Checkbox must wait until the work is over.",
        ),
        "ServiceUnavailable": QCoreApplication.translate(
            "Messages",
            "Checkbox is temporarily unavailable. Try again in 2 minutes; sales go on offline "
            "meanwhile.",
        ),
        "GatewayTimeout": QCoreApplication.translate(
            "Messages",
            "Checkbox did not answer in time (524). Try again in 2 minutes; sales go on "
            "offline meanwhile.",
        ),
    }


# Refusals whose detail is always the server's or the seed's own sentence, shown in full.
_SHOW_DETAIL = frozenset({Refusal.FISCAL_RULE, Refusal.SERVER_REJECTED})


def refusal_text(error: RegisterError) -> str:
    """The translated sentence for ``error`` and what to do next, followed by the server's (or
    the fiscal rule's) own text when it has one, and advice when Checkbox's text is a known one."""
    detail = error.detail.strip()
    specific = _kind_texts().get(str(error.params.get("kind", "")))
    text = (
        specific
        or _texts(error).get(error.refusal)
        or QCoreApplication.translate("Messages", "The operation was refused ({reason}).").format(
            reason=error.refusal.value
        )
    )
    if detail and (error.refusal in _SHOW_DETAIL or is_human_text(detail)):
        text = f"{text}\n\n{detail}"
        advice = "" if specific else server_advice(detail)
        if advice:
            text = f"{text}\n\n{advice}"
    return text


def server_advice(text: str) -> str:
    """What the cashier should do about one of Checkbox's failures (the guide's error table)."""
    starts = (
        (
            "CheckBox Підпис неактивний",
            QCoreApplication.translate(
                "Messages",
                "The cashier's electronic signature (CheckBox Підпис) is not running. Start it, "
                "or ask the manager to start it in the Checkbox cabinet, then try again.",
            ),
        ),
        (
            "Касира заблоковано",
            QCoreApplication.translate(
                "Messages",
                "Checkbox has blocked this cashier. Call the manager: only Checkbox support can "
                "unblock the cashier.",
            ),
        ),
        (
            "Термін дії ключа закінчився",
            QCoreApplication.translate(
                "Messages",
                "The cashier's signing key has expired. The manager must get a new key and "
                "register the cashier again.",
            ),
        ),
        (
            "Доступ заборонено, оскільки касу заблоковано",
            QCoreApplication.translate(
                "Messages", "Checkbox has blocked this register. Call the manager."
            ),
        ),
        (
            "Для видачі чеків, будь ласка, оплатіть",
            QCoreApplication.translate(
                "Messages",
                "Checkbox services are not paid, so every register is blocked. Call the manager.",
            ),
        ),
        (
            "Зміну відкрито за допомогою CheckBox Kasa",
            QCoreApplication.translate(
                "Messages",
                "The shift was opened in another program (Checkbox Kasa). Finish there, or ask "
                "the manager: both at once would corrupt the register's reports.",
            ),
        ),
        (
            "Знайдено ще неопрацьовані транзакції",
            QCoreApplication.translate(
                "Messages",
                "Checkbox is still processing transactions. Wait a minute and try again; if it "
                "goes on for ten minutes, call the manager.",
            ),
        ),
        (
            "SMS шлюз не активовано",
            QCoreApplication.translate(
                "Messages",
                "Sending receipts by SMS is not enabled for this shop. Send it by e-mail, or ask "
                "the manager to enable SMS in the Checkbox cabinet.",
            ),
        ),
    )
    for start, advice in starts:
        if text.startswith(start):
            return advice
    return ""


def error_text(error: BaseException) -> str:
    """Any failure as a sentence: a refusal's text, a mistyped number, or an unexpected error."""
    if isinstance(error, RegisterError):
        return refusal_text(error)
    if isinstance(error, MoneyFormatError):
        return QCoreApplication.translate(
            "Messages", "This is not a valid number. Type it again, e.g. 125.50 or 1.250."
        )
    return QCoreApplication.translate(
        "Messages", "Something went wrong: {error}. The operation may not have finished."
    ).format(error=type(error).__name__)


def _detail_for_details(error: BaseException) -> str:
    if isinstance(error, RegisterError):
        if error.detail and not is_human_text(error.detail):
            return error.detail
        return ""
    return str(error)


def show_error(parent: QWidget | None, error: BaseException) -> QMessageBox:
    """Show ``error`` in a message box opened non-modally (``open()``), never ``exec()``: this
    is called from coroutines, where a nested event loop would break qasync."""
    if not isinstance(error, RegisterError | MoneyFormatError):
        log.error("unexpected error shown to the cashier", exc_info=error)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("Messages", "Cannot do this"))
    box.setText(error_text(error))
    details = _detail_for_details(error)
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("errorBox")
    if parent is None:
        _orphans.add(box)
        box.finished.connect(lambda _result: _orphans.discard(box))
    box.open()
    return box


def show_info(parent: QWidget | None, text: str, title: str = "") -> QMessageBox:
    """A non-modal information box (e.g. "the shift is closed")."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title or QCoreApplication.translate("Messages", "Information"))
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:
        _orphans.add(box)
        box.finished.connect(lambda _result: _orphans.discard(box))
    box.open()
    return box
