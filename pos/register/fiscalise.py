"""Fiscalising one receipt: committed first, then sent online or issued with a local offline code.

Invariant 1: the receipt is in the journal before any request about it leaves the machine.
Invariant 2: every attempt reuses the receipt's UUID; a lost answer is settled by the client's
exactly-once logic, and when Checkbox cannot be asked at all the receipt is issued offline under
the same id (the ambiguous receipt), to be settled at upload. Only a sale whose customer waits
guesses like that, after one brief lookup (``exactly_once.create_receipt`` gives the bound);
recovery never does: a receipt it finds SENDING waits for Checkbox's answer (``recovery``).
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError

from pos.checkbox import exactly_once
from pos.checkbox.errors import AuthError, CheckboxError, ConnectionFailed, ServiceUnavailable
from pos.checkbox.models import Receipt as ApiReceipt
from pos.checkbox.models.receipt import RECEIPT_DONE
from pos.domain.offline_limits import month_start
from pos.domain.receipt import ReceiptType
from pos.journal.errors import NoFreeOfflineCodeError
from pos.journal.records import NewReceipt, QueueKind, Receipt, ReceiptState
from pos.register import bodies
from pos.register.code_pool import reconcile
from pos.register.connectivity import ConnectivityEvent, ConnectivityState
from pos.register.context import CLOCK_SKEW, RegisterContext, is_unreachable
from pos.register.errors import RECEIPT_ENDED_ERROR, Refusal, RegisterError, kind_of
from pos.register.limits import Limit, LimitState, limit_state

log = logging.getLogger(__name__)

LOCAL_STATES = frozenset({ConnectivityState.LOCAL_OFFLINE, ConnectivityState.UPLOADING})
"""States in which a new transaction is fiscalised with the register's own codes: the server is
unreachable, or locally issued transactions are still being uploaded ahead of it."""

SERVER_MANUAL_OFFLINE = "server_manual_offline"
"""Setting: "1" while our go-offline was accepted and go-online not yet sent; LEAVING once
go-online may have been sent (the server may already be online); "0" when it said so."""
LEAVING = "leaving"

SETTLE_SECONDS = 20.0
"""How long a sale waits for the server to finish a receipt before treating it as ambiguous."""


def check_offline_allowed(ctx: RegisterContext, *, fiscal: bool = True) -> None:
    """Refuse an offline transaction before a limit would be crossed (invariants 3, 5), while
    the journal may be behind Checkbox or Checkbox spent codes we have not reconciled (3, 9),
    and while the PC's clock disagrees with Checkbox's and nobody confirmed it (11). A
    non-fiscal one (``fiscal=False``: no code, no fiscal date) only keeps the time limits."""
    state = limits_now(ctx)
    if not fiscal:
        for limit, refusal in (
            (Limit.OFFLINE_PERIOD, Refusal.OFFLINE_PERIOD_LIMIT),
            (Limit.OFFLINE_MONTH, Refusal.OFFLINE_MONTH_LIMIT),
        ):
            stop = state.stop(limit)
            if stop is not None:
                raise RegisterError(refusal, left=stop.left)
        return
    behind = ctx.behind
    if behind:
        raise RegisterError(Refusal.JOURNAL_BEHIND, behind)
    if ctx.needs_reconcile:
        raise RegisterError(Refusal.CODES_UNRECONCILED)
    if ctx.awaiting:
        # A receipt of a stopped run whose request may have reached Checkbox during its
        # automatic offline was signed there with a free code of our pool that Checkbox picked
        # itself: until Checkbox answers about it, any code of the pool may be spent (the
        # 1,000-kill tier printed one twice this way). Recovery asks in every state.
        raise RegisterError(Refusal.OFFLINE_AWAITING_CHECKBOX, count=len(ctx.awaiting))
    skew = ctx.setting(CLOCK_SKEW)
    if skew:
        raise RegisterError(Refusal.CLOCK_UNTRUSTED, skew, seconds=int(float(skew)))
    for limit, refusal in (
        (Limit.OFFLINE_PERIOD, Refusal.OFFLINE_PERIOD_LIMIT),
        (Limit.OFFLINE_MONTH, Refusal.OFFLINE_MONTH_LIMIT),
        (Limit.OFFLINE_CODES, Refusal.NO_OFFLINE_CODES),
    ):
        stop = state.stop(limit)
        if stop is not None:
            raise RegisterError(refusal, left=stop.left)


def limits_now(ctx: RegisterContext) -> LimitState:
    """Limits measured on the later of the wall clock and the fiscal clock, so a clock turned
    back never gives offline or shift time back."""
    shift = ctx.journal.shifts.current()
    now = ctx.now()
    last = ctx.journal.clock.last_instant()
    return limit_state(
        now=max(now, last) if last is not None else now,
        state=ctx.state,
        transitions=ctx.journal.transitions.for_month(month_start(now)),
        shift_opened_at=None if shift is None else (shift.opened_at or shift.created_at),
        free_codes=ctx.journal.codes.free_count(),
        thresholds=ctx.thresholds,
    )


def ensure_go_offline(ctx: RegisterContext) -> None:
    """The first local transaction of an offline period is preceded by its go-offline.

    Not while the previous period's go-online may still be taking effect (LEAVING: sent, not
    confirmed, then the line dropped or the program died): Checkbox ends that period at the
    moment it takes effect, later than anything issued now, and a document dated before that
    end could never be uploaded. Checkbox must be reached (and confirm) first."""
    mark = ctx.setting(SERVER_MANUAL_OFFLINE)
    if mark == "1":
        return
    if mark == LEAVING:
        raise RegisterError(
            Refusal.UNREACHABLE, "Checkbox has not confirmed the end of the last offline period"
        )
    if ctx.go_offline_queued is None:
        pending = ctx.journal.queue.pending()
        ctx.go_offline_queued = any(e.kind is QueueKind.GO_OFFLINE for e in pending)
    if ctx.go_offline_queued:
        return
    ctx.journal.queue.issue(QueueKind.GO_OFFLINE, bodies.new_id(), ctx.now())
    ctx.go_offline_queued = True


def offline_payload(receipt: Receipt | NewReceipt, ctx: RegisterContext) -> dict[str, Any]:
    kind = ReceiptType(receipt.type)
    return {
        "path": bodies.offline_path(kind),
        "body": bodies.receipt_body(receipt, **body_options(ctx, receipt)),
    }


def body_options(ctx: RegisterContext, receipt: Receipt | NewReceipt) -> dict[str, Any]:
    if ReceiptType(receipt.type) not in (ReceiptType.SELL, ReceiptType.RETURN):
        return {}
    return {"email": ctx.emails.get(receipt.id)}


SENT_ONLINE = "sent_online"
"""Queue payload mark of a receipt issued offline after its online request may have left (the
ambiguous receipt): the upload asks Checkbox about it before its period's go-offline."""


NON_FISCAL = frozenset({ReceiptType.SERVICE_IN, ReceiptType.SERVICE_OUT})
"""Service cash in/out: the guide's service receipt has ``fiscal_code``, ``fiscal_date`` and
``transaction`` null and is never sent to the tax service, so offline it spends no code, needs no
go-offline of its own and is uploaded to ``/receipts/service`` as it is, in its queue place."""


def issue_locally(
    ctx: RegisterContext, receipt: NewReceipt | Receipt, *, maybe_on_checkbox: bool = False
) -> Receipt:
    """Fiscalise with the next local code and fiscal instant, queued, in one transaction (a
    non-fiscal service receipt is only queued, in its place, with no code and no date).
    ``maybe_on_checkbox``: its online request may have arrived (the ambiguous receipt)."""
    if ReceiptType(receipt.type) in NON_FISCAL:
        check_offline_allowed(ctx, fiscal=False)
    else:
        check_offline_allowed(ctx)
        ensure_go_offline(ctx)
    payload = offline_payload(receipt, ctx)
    if maybe_on_checkbox:
        payload[SENT_ONLINE] = True  # Checkbox is asked about it at upload
    try:
        if isinstance(receipt, NewReceipt):
            return ctx.journal.receipts.commit(receipt, offline_at=ctx.now(), payload=payload)
        return ctx.journal.receipts.issue_offline(receipt.id, ctx.now(), payload)
    except NoFreeOfflineCodeError as error:
        raise RegisterError(Refusal.NO_OFFLINE_CODES, left=0) from error


async def fiscalise(ctx: RegisterContext, new: NewReceipt) -> Receipt:
    """Commit and fiscalise a new receipt the way the current state allows."""
    if ctx.state in LOCAL_STATES:
        return issue_locally(ctx, new)
    record = ctx.journal.receipts.commit(new)
    return await send(ctx, record)


async def send(ctx: RegisterContext, record: Receipt, *, guess: bool = True) -> Receipt:
    """Send a committed receipt online (exactly once) and record the outcome.

    When Checkbox cannot be reached, a sale whose customer waits (``guess``) is issued offline
    under the same id (the ambiguous receipt); recovery (``guess=False``) re-raises instead and
    the receipt stays SENDING, awaiting Checkbox (``recovery``)."""
    kind = ReceiptType(record.type)
    if record.state is ReceiptState.COMMITTED:
        record = ctx.journal.receipts.mark_sending(record.id, ctx.now())
    body = bodies.receipt_body(record, **body_options(ctx, record))
    try:
        answer = await exactly_once.create_receipt(
            ctx.client, bodies.ENDPOINTS[kind], record.id, body
        )
        if not answer.is_final:
            answer = await ctx.client.wait_receipt(record.id, give_up_after=SETTLE_SECONDS)
    except Exception as error:
        if not is_unreachable(error):
            if isinstance(error, AuthError):  # not the receipt's fault: it stays to be resent
                raise RegisterError(
                    Refusal.NOT_SIGNED_IN, error.message, kind=kind_of(error)
                ) from error
            if isinstance(error, CheckboxError):
                ctx.journal.receipts.mark_failed(record.id, ctx.now(), error.message)
                raise RegisterError(
                    Refusal.SERVER_REJECTED,
                    error.message,
                    receipt_id=record.id,
                    kind=kind_of(error),
                ) from error
            raise
        ctx.move(ConnectivityEvent.NETWORK_LOST, _cause(error))
        if not guess:
            raise
        never_left = isinstance(error, ConnectionFailed) and not error.maybe_sent
        return issue_locally(ctx, record, maybe_on_checkbox=not never_left)
    done = settle(ctx, record.id, answer)
    if answer.is_created_offline and ctx.needs_reconcile:
        await reconcile_quietly(ctx)
    return done


async def reconcile_quietly(ctx: RegisterContext) -> None:
    """Checkbox went into automatic offline mode and spends the register's codes on its own
    (its offline-begin transaction among them): drop those from the local pool right away."""
    ctx.needs_reconcile = True  # until the pool is reconciled, even across a crash
    try:
        await reconcile(ctx)
        ctx.needs_reconcile = False
    except Exception as error:  # the next worker round tries again
        log.warning("reconciling offline codes failed: %s", error)


def settle(ctx: RegisterContext, receipt_id: str, answer: ApiReceipt) -> Receipt:
    """Record the server's final word on a receipt sent online."""
    now = ctx.now()
    if answer.is_created_offline and ctx.state is not ConnectivityState.SERVER_OFFLINE:
        # Checkbox went into automatic offline on its own (its offline-begin spent a code we
        # cannot see): persisted before anything else, a crash must not forget it. In
        # SERVER_OFFLINE the pool was reconciled on the way in.
        ctx.needs_reconcile = True
    if answer.status != RECEIPT_DONE:
        text = _answer_error(answer)
        ctx.journal.receipts.mark_failed(receipt_id, now, text)
        raise RegisterError(
            Refusal.SERVER_REJECTED, text, receipt_id=receipt_id, kind=RECEIPT_ENDED_ERROR
        )
    fiscal_date: datetime | None = answer.fiscal_date
    try:
        done = ctx.journal.receipts.mark_done(
            receipt_id,
            now,
            answer.fiscal_code,
            fiscal_date,
            answer.model_dump(mode="json", exclude_none=True),
        )
    except (sqlite3.Error, DBAPIError) as error:
        # Fiscalised, but the journal cannot write (disk full, I/O error): the sale is done and
        # never reported as failed. The journal still says "sending"; the next start asks
        # Checkbox under the same id and records it then.
        log.error("receipt %s fiscalised, journal not updated: %s", receipt_id, error)
        record = ctx.journal.receipts.get(receipt_id)
        if record is None:
            raise
        return dataclasses.replace(
            record,
            state=ReceiptState.DONE,
            fiscal_code=answer.fiscal_code,
            fiscal_date=fiscal_date,
            error=f"journal not updated: {error}",
        )
    if fiscal_date is not None:
        ctx.journal.clock.raise_floor(fiscal_date)
        if not answer.is_created_offline:
            check_clock(ctx, fiscal_date)
    if answer.is_created_offline:
        # The server fiscalised it with one of the register's codes: never use that code here.
        if answer.fiscal_code:
            burn_if_known(ctx, answer.fiscal_code)
        ctx.move(ConnectivityEvent.TAX_SERVICE_LOST, "receipt fiscalised offline by Checkbox")
    return done


def check_clock(ctx: RegisterContext, server_now: datetime) -> None:
    """Checkbox just dated a receipt: re-anchor the register's time on it, and keep (and show)
    the PC clock's difference when it is beyond the tolerance (invariant 11)."""
    if ctx.trusted is None:
        return
    skew = ctx.trusted.server_says(server_now)
    if skew is not None and not ctx.setting(CLOCK_SKEW):
        log.warning("the PC clock differs from Checkbox's by %.0f s", skew.total_seconds())
        ctx.set_setting(CLOCK_SKEW, f"{skew.total_seconds():.0f}")


def burn_if_known(ctx: RegisterContext, fiscal_code: str) -> None:
    code = ctx.journal.codes.get(fiscal_code)
    if code is not None and code.state.value in ("free", "reserved"):
        ctx.journal.codes.burn(fiscal_code, ctx.now())


def _answer_error(answer: ApiReceipt) -> str:
    transaction = answer.transaction
    if transaction is not None and transaction.response_error_message:
        return transaction.response_error_message
    return f"receipt status {answer.status}"


def _cause(error: BaseException) -> str:
    if isinstance(error, ServiceUnavailable | CheckboxError):
        return f"Checkbox unreachable: {error.message}"
    return f"Checkbox unreachable: {type(error).__name__}"
