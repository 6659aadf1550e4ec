"""Uploading a local offline period in order: go-offline → each transaction → go-online.

Checkbox refuses go-offline while the register is offline in either mode ("Каса вже в режимі
оффлайн"), and takes dated offline transactions only in manual offline mode. So when Checkbox went
into automatic offline mode on its own (the tax service timed out) and the line to it then dropped,
the period this till issued with its own codes cannot simply be sent: first Checkbox must leave
automatic offline (a ping once the tax service answers; it delivers its own offline receipts and
dates the end of its period after the last of them), then our go-offline goes, dated at the start
of our local period and with its own code, then every local transaction in order, then go-online.
While Checkbox stays in automatic offline the drain stops without losing or setting aside anything
(``CheckboxStillOffline``), the till keeps issuing locally, and the next round tries again.

Each queued entry is sent under its own id and its own offline code and fiscal date; the outcome
is journaled atomically (``Uploads``), so a crash resumes exactly at the first entry not yet
finished. An entry Checkbox refuses for good is set aside with the server's text for the manager
and the rest go on; only "unreachable" stops the drain.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any

from pos.checkbox import exactly_once
from pos.checkbox.errors import (
    AlreadyOffline,
    AmbiguousOutcome,
    CheckboxError,
    NotFound,
    NotManualOffline,
    OfflineCodeUsed,
    RateLimited,
    ReceiptError,
    SmsGatewayInactive,
    TaxServiceUnavailable,
)
from pos.checkbox.models import CloseShift, GoOffline, OpenShift, ReportBody
from pos.checkbox.models.receipt import RECEIPT_DONE
from pos.domain.receipt import ReceiptType
from pos.journal.errors import NoFreeOfflineCodeError
from pos.journal.records import QueueEntry, QueueKind, ShiftState
from pos.register import bodies
from pos.register.code_pool import reconcile, refill
from pos.register.connectivity import ConnectivityEvent, ConnectivityState
from pos.register.context import RegisterContext, is_unreachable
from pos.register.fiscalise import LEAVING, SENT_ONLINE, SERVER_MANUAL_OFFLINE, burn_if_known

log = logging.getLogger(__name__)

ONLINE_POLL_SECONDS = 1.0
ONLINE_POLL_TRIES = 30
LEAVE_AUTOMATIC_TRIES = 3


class CheckboxStillOffline(CheckboxError):
    """Checkbox is still in its automatic offline mode: our own period must wait (not an error
    of the entry, which stays first in the queue)."""


async def upload_entry(ctx: RegisterContext, entry: QueueEntry) -> None:
    """Send one queued transaction until the server accepts or refuses it for good."""
    if entry.kind is QueueKind.GO_OFFLINE:
        ctx.go_offline_queued = None  # finished one way or another below: ask the queue again
        entry = await _spend_code_of_copy_checkbox_has(ctx, entry)
    refusals = 0
    while True:
        try:
            await _send(ctx, entry)
            return
        except OfflineCodeUsed as error:
            if entry.kind not in RECODABLE:
                # A printed document never changes (invariant 9): set it aside as a conflict.
                _set_aside(ctx, entry, conflict_text(ctx, entry, error.message))
                return
            # Nobody holds this one on paper: burn the code, give the entry the next free one
            # (same date, same place in the queue), resend.
            try:
                entry = ctx.journal.uploads.code_was_used(entry.seq, ctx.now())
            except NoFreeOfflineCodeError:
                _set_aside(ctx, entry, "no free offline code left to replace a used one")
                return
        except AlreadyOffline:
            if entry.kind is not QueueKind.GO_OFFLINE:
                raise
            refusals += 1
            register = await ctx.client.cash_register_info()
            if register.offline_mode and not register.stay_offline:
                if refusals > LEAVE_AUTOMATIC_TRIES:
                    raise CheckboxStillOffline("Checkbox stays in automatic offline") from None
                await leave_automatic_offline(ctx)
                continue  # the same go-offline again: same code, dated at our period's start
            if register.offline_mode and ctx.setting(SERVER_MANUAL_OFFLINE) == LEAVING:
                # The previous period's manual mode, its go-online sent (the tax service is
                # down, so it has not taken effect): not ours to upload into. Ask again, wait.
                await _ask_go_online(ctx)
                raise CheckboxStillOffline("still leaving the previous period") from None
            if register.offline_mode:  # manual: our own go-offline whose answer was lost
                ctx.journal.uploads.accepted(entry.seq, ctx.now())
                ctx.set_setting(SERVER_MANUAL_OFFLINE, "1")
                return
            if refusals > LEAVE_AUTOMATIC_TRIES:
                raise CheckboxStillOffline("go-offline refused, register online") from None
        except SmsGatewayInactive as error:
            undelivered = _without_phone(entry)
            if undelivered is None:
                _set_aside(ctx, entry, error.message)
                return
            # The receipt is printed and fiscal: it must reach Checkbox; only its SMS copy
            # cannot go (SMS not enabled for the shop), so it goes without the phone.
            log.warning("receipt %s uploaded without its SMS copy: %s", entry.subject_id, error)
            entry = undelivered
        except (RateLimited, CheckboxStillOffline):
            raise
        except CheckboxError as error:
            if is_unreachable(error):
                raise
            if entry.kind is QueueKind.RECEIPT and await _server_has_it(ctx, entry):
                return
            _set_aside(ctx, entry, _refusal_text(ctx, entry, error))
            return


async def _spend_code_of_copy_checkbox_has(ctx: RegisterContext, entry: QueueEntry) -> QueueEntry:
    """Before a period's go-offline: is its first receipt the ambiguous one, whose online attempt
    had arrived? (An ambiguous receipt is always first: its go-offline is queued just before it.)

    If Checkbox holds that id, the printed offline copy can never be uploaded, so its code would
    stay free on Checkbox, and Checkbox's automatic offline (which picks free codes itself) could
    later sign another document with it: one code on two documents (the 1,000-kill tier found
    this). So the go-offline, which nobody holds on paper, takes the copy's code and spends it,
    and the copy is settled now as the conflict it is. One ``GET /receipts/{id}``, only when
    that receipt's online request had left (``SENT_ONLINE``); Checkbox still signing it stops
    the drain until the next round."""
    following = [e for e in ctx.journal.queue.pending() if e.seq > entry.seq]
    first = next(
        (e for e in following if e.kind in (QueueKind.RECEIPT, QueueKind.GO_OFFLINE)), None
    )
    if first is None or first.kind is not QueueKind.RECEIPT or first.fiscal_code is None:
        return entry
    if not (first.payload or {}).get(SENT_ONLINE):
        return entry  # issued offline from the start: Checkbox cannot have it
    try:
        answer = await ctx.client.receipt(first.subject_id)
    except NotFound:
        return entry  # the usual case: the copy is the only document under its id
    if not answer.is_final:
        raise CheckboxStillOffline(f"Checkbox is still signing receipt {first.subject_id}")
    if answer.fiscal_code == first.fiscal_code:
        return entry  # Checkbox signed it with the very code printed: its upload is accepted
    entry = ctx.journal.uploads.take_printed_code(entry.seq, first.fiscal_code, ctx.now())
    response = answer.model_dump(mode="json", exclude_none=True)
    if answer.status == RECEIPT_DONE and answer.fiscal_code:
        _server_coded_it(ctx, first, response)
    else:
        _set_aside(ctx, first, _held_without_code(answer.status, first.fiscal_code))
    return entry


async def _ask_go_online(ctx: RegisterContext) -> None:
    if ctx.go_online_sent:
        return
    try:
        await ctx.client.go_online()
    except CheckboxError as error:
        if is_unreachable(error) or isinstance(error, RateLimited):
            raise  # not asked: the next round asks again
        log.warning("go-online refused: %s", error.message)
    ctx.go_online_sent = True


async def _server_has_it(ctx: RegisterContext, entry: QueueEntry) -> bool:
    """Before a receipt is set aside: its online attempt may have arrived (the ambiguous
    receipt), and Checkbox may refuse the offline copy for another reason first (e.g. not in
    manual offline mode). Then the server's receipt is recorded, never a failure."""
    try:
        answer = await ctx.client.receipt(entry.subject_id)
    except NotFound:
        return False
    if answer.status != RECEIPT_DONE or not answer.fiscal_code:
        return False
    response = answer.model_dump(mode="json", exclude_none=True)
    if answer.fiscal_code == entry.fiscal_code:
        ctx.journal.uploads.accepted(entry.seq, ctx.now(), response)
    else:
        _server_coded_it(ctx, entry, response)
    return True


def _server_coded_it(ctx: RegisterContext, entry: QueueEntry, response: dict[str, Any]) -> None:
    """The ambiguous receipt's online attempt had arrived and Checkbox fiscalised it under its
    own code, while the customer holds the offline copy: both are kept and shown to the manager
    as a conflict (invariant 9: the printed code never changes; never uploaded a second time)."""
    code = response.get("fiscal_code") or "?"
    date = response.get("fiscal_date") or "?"
    printed = f"printed offline copy {entry.subject_id}, code {entry.fiscal_code or '?'}"
    if entry.fiscal_date is not None:
        printed += f", dated {entry.fiscal_date.isoformat()}"
    receipt = ctx.journal.receipts.get(entry.subject_id)
    if receipt is not None:
        printed += f", total {receipt.total_sum}"
    note = (
        f"{CONFLICT}: Checkbox had already fiscalised this receipt online under code {code} "
        f"(server id {response.get('id') or entry.subject_id}, dated {date}) — {printed}; the "
        "printed receipt keeps its code and is not uploaded again"
    )
    log.warning("receipt %s: %s", entry.subject_id, note)
    ctx.journal.uploads.server_had_it(entry.seq, ctx.now(), note, response)
    if response.get("fiscal_code"):  # Checkbox's own offline mode may have spent one of ours
        burn_if_known(ctx, str(response["fiscal_code"]))


RECODABLE = frozenset({QueueKind.GO_OFFLINE, QueueKind.SHIFT_OPEN})
"""Offline transactions nobody holds on paper: "used before" may give them another code.
Receipts and the Z-report (shift close) are printed, so their code is final."""

CONFLICT = "CONFLICT"


def _held_without_code(status: str, printed_code: str | None) -> str:
    """The manager's note for a printed copy whose id Checkbox holds as a receipt that ended
    without a fiscal code: the copy cannot go under it."""
    return (
        f"{CONFLICT}: Checkbox holds this receipt's id as {status} without a fiscal code; the "
        f"printed offline copy ({printed_code}) was not taken"
    )


def conflict_text(ctx: RegisterContext, entry: QueueEntry, server_text: str) -> str:
    """The manager's note for a printed document whose code Checkbox had already taken: this
    receipt as printed, and the other document with the same code as far as we know it."""
    code = entry.fiscal_code or ""
    printed = f"printed {entry.kind.value} {entry.subject_id}, code {code}"
    if entry.fiscal_date is not None:
        printed += f", dated {entry.fiscal_date.isoformat()}"
    receipt = ctx.journal.receipts.get(entry.subject_id)
    if receipt is not None:
        printed += f", total {receipt.total_sum}"
    others = [r for r in ctx.journal.receipts.list(fiscal_code=code) if r.id != entry.subject_id]
    if others:
        other = others[0]
        date = other.fiscal_date.isoformat() if other.fiscal_date else "?"
        earlier = f"receipt {other.id} (code {code}, dated {date}, total {other.total_sum})"
    else:
        earlier = (
            f"the document Checkbox holds under code {code} (not in this journal: it was "
            "restored, copied or recreated)"
        )
    return f"{CONFLICT}: {server_text} — {printed}; already used by {earlier}"


async def leave_automatic_offline(ctx: RegisterContext) -> None:
    """Ask Checkbox to leave its automatic offline mode (a ping sends its queue to the tax service
    and brings it online) and wait a little for it; ``CheckboxStillOffline`` if it stays."""
    try:
        await ctx.client.ping_tax_service()
    except TaxServiceUnavailable as error:
        raise CheckboxStillOffline(error.message) from error
    for _ in range(LEAVE_AUTOMATIC_TRIES):
        register = await ctx.client.cash_register_info()
        if not register.offline_mode:
            log.info("Checkbox left automatic offline; our own offline period goes next")
            await reconcile(ctx)  # codes it spent on its own period are burned here first
            return
        await asyncio.sleep(ONLINE_POLL_SECONDS)
    raise CheckboxStillOffline("Checkbox is still leaving automatic offline")


def _refusal_text(ctx: RegisterContext, entry: QueueEntry, error: CheckboxError) -> str:
    """The manager's note for a refused entry. A document of an offline period whose go-offline
    Checkbox refused (e.g. it dated the end of its own automatic period after this till's
    receipts) is refused "should be in manual offline mode": say that it is the period that
    could not be opened, and what was printed, so support can be asked with the facts."""
    if not isinstance(error, NotManualOffline) or ctx.setting(SERVER_MANUAL_OFFLINE) == "1":
        return error.message
    refused = [
        e
        for e in ctx.journal.queue.set_aside_entries()
        if e.kind is QueueKind.GO_OFFLINE and e.seq < entry.seq
    ]
    if not refused:
        return error.message
    printed = f"printed {entry.kind.value} {entry.subject_id}, code {entry.fiscal_code}"
    if entry.fiscal_date is not None:
        printed += f", dated {entry.fiscal_date.isoformat()}"
    return (
        f"{CONFLICT}: the offline period of this document could not be opened on Checkbox "
        f"(go-offline refused: {refused[-1].error}) — {printed}; kept as printed, never "
        f"re-coded: ask Checkbox support to register it ({error.message})"
    )


def _set_aside(ctx: RegisterContext, entry: QueueEntry, text: str) -> None:
    log.warning("upload of %s %s set aside: %s", entry.kind, entry.subject_id, text)
    ctx.journal.uploads.refused(entry.seq, ctx.now(), text)  # entry, receipt, code at once


async def _send(ctx: RegisterContext, entry: QueueEntry) -> None:
    client = ctx.client
    now = ctx.now
    if entry.kind is QueueKind.GO_OFFLINE:
        await client.go_offline(
            GoOffline(go_offline_date=entry.fiscal_date, fiscal_code=entry.fiscal_code)
        )
        ctx.journal.uploads.accepted(entry.seq, now())
        ctx.set_setting(SERVER_MANUAL_OFFLINE, "1")
    elif entry.kind is QueueKind.SHIFT_OPEN:
        shift = await client.open_shift(
            OpenShift(
                id=entry.subject_id, fiscal_code=entry.fiscal_code, fiscal_date=entry.fiscal_date
            )
        )
        ctx.journal.uploads.accepted(
            entry.seq, now(), shift.model_dump(mode="json", exclude_none=True)
        )
        if shift.serial is not None and _open(ctx, entry.subject_id):
            ctx.journal.shifts.update(entry.subject_id, now(), serial=shift.serial)
    elif entry.kind is QueueKind.SHIFT_CLOSE:
        fields = _report_body(entry.payload)
        if entry.fiscal_date is not None:
            fields.setdefault("created_at", entry.fiscal_date.isoformat())
        report = ReportBody.model_validate(fields)
        shift = await client.close_shift(
            entry.subject_id,
            CloseShift(report=report, fiscal_code=entry.fiscal_code, fiscal_date=entry.fiscal_date),
        )
        ctx.journal.uploads.accepted(
            entry.seq, now(), shift.model_dump(mode="json", exclude_none=True)
        )
    elif entry.kind is QueueKind.RECEIPT:
        payload = entry.payload or {}
        service = payload["path"] == bodies.ENDPOINTS[ReceiptType.SERVICE_IN]
        if service:
            # Non-fiscal: sent as it is, never with fiscal fields (a journal of an older version
            # may have spent a code on it; that code stays unused on the server, never reused).
            body = bodies.without_fiscal(payload["body"])
        else:
            assert entry.fiscal_code is not None
            body = bodies.with_fiscal(payload["body"], entry.fiscal_code, entry.fiscal_date)
        answer = await exactly_once.create_receipt(client, payload["path"], entry.subject_id, body)
        if answer.fiscal_code is None and not service:
            # "Вказаний id чеку вже існує" and the server's copy (our lost online attempt, which
            # Checkbox may be signing in its own automatic offline) has no code yet: whose code
            # the tax office keeps is unknown until it is final, so nothing is settled now and
            # the queue waits in order (accepting here recorded our code while Checkbox went on
            # to fiscalise the receipt under another: found by the 1,000-kill crash tier).
            if answer.is_final:  # Checkbox's copy ended without a code: ours can't go under it
                raise ReceiptError(_held_without_code(answer.status, entry.fiscal_code))
            raise AmbiguousOutcome(entry.subject_id)
        response = answer.model_dump(mode="json", exclude_none=True)
        if answer.fiscal_code in (None, entry.fiscal_code):
            ctx.journal.uploads.accepted(entry.seq, now(), response)
        else:
            # "Вказаний id чеку вже існує": the online attempt had arrived under another code.
            _server_coded_it(ctx, entry, response)
    else:  # GO_ONLINE entries are not queued by this version; finish them harmlessly
        ctx.journal.queue.mark_done(entry.seq, now())


def _without_phone(entry: QueueEntry) -> QueueEntry | None:
    """The entry with its receipt's ``delivery.phone`` dropped, or None when it has none."""
    payload = entry.payload or {}
    body = payload.get("body") or {}
    delivery = body.get("delivery") or {}
    if entry.kind is not QueueKind.RECEIPT or "phone" not in delivery:
        return None
    kept = {k: v for k, v in delivery.items() if k != "phone"}
    body = {k: v for k, v in body.items() if k != "delivery"} | ({"delivery": kept} if kept else {})
    return dataclasses.replace(entry, payload={**payload, "body": body})


def _open(ctx: RegisterContext, shift_id: str) -> bool:
    shift = ctx.journal.shifts.get(shift_id)
    return shift is not None and shift.state not in (ShiftState.CLOSED, ShiftState.FAILED)


def _report_body(payload: dict[str, Any] | None) -> dict[str, Any]:
    allowed = set(ReportBody.model_fields)
    return {k: v for k, v in (payload or {}).items() if k in allowed}


async def drain(ctx: RegisterContext) -> None:
    """Upload every pending entry in order (one fiscal operation at a time)."""
    while True:
        async with ctx.lock:
            entry = ctx.journal.queue.peek_next()
            if entry is None:
                return
            await upload_entry(ctx, entry)
        ctx.changed()


async def go_online(ctx: RegisterContext) -> None:
    """After the drain: if the server is in manual offline mode (our go-offline, even one whose
    answer a crash lost), go online and wait for it; else we are simply back."""
    register = await ctx.client.cash_register_info()
    mark = ctx.setting(SERVER_MANUAL_OFFLINE) or "0"
    manual = (register.offline_mode and bool(register.stay_offline)) or mark != "0"
    async with ctx.lock:  # no sale may be issued locally between the last check and the move
        if ctx.journal.queue.peek_next() is not None:
            return  # issued while we looked: the next round uploads it first
        if manual:
            if mark == "0":
                ctx.set_setting(SERVER_MANUAL_OFFLINE, "1")
            ctx.move(ConnectivityEvent.UPLOAD_DONE, "offline transactions uploaded")
        else:
            ctx.move(ConnectivityEvent.NOTHING_TO_UPLOAD, "nothing to upload")
    if manual:
        ctx.go_online_sent = False
        await wait_online(ctx)
    elif register.offline_mode:
        ctx.move(ConnectivityEvent.TAX_SERVICE_LOST, "register in offline mode on Checkbox")
    await refill(ctx, force_reconcile=True)


async def wait_online(ctx: RegisterContext) -> None:
    """Poll the register until Checkbox says it is out of manual offline mode, sending
    go-online whenever it is still in manual mode and this process has not asked yet (a crash
    may have lost the first request). Only the server's word clears the manual-offline mark;
    from the moment go-online may have left, the mark says LEAVING, so a new offline period
    starts with its own go-offline."""
    for _ in range(ONLINE_POLL_TRIES):
        register = await ctx.client.cash_register_info()
        if not register.offline_mode:
            ctx.set_setting(SERVER_MANUAL_OFFLINE, "0")
            ctx.move(ConnectivityEvent.SERVER_ONLINE, "Checkbox reports the register online")
            return
        if not register.stay_offline:
            # go-online was taken, but the tax service is still down: automatic offline.
            ctx.set_setting(SERVER_MANUAL_OFFLINE, "0")
            ctx.move(ConnectivityEvent.TAX_SERVICE_LOST, "tax service still unavailable")
            return
        if not ctx.go_online_sent:
            ctx.set_setting(SERVER_MANUAL_OFFLINE, LEAVING)
            try:
                await ctx.client.go_online()
            except CheckboxError as error:
                if is_unreachable(error):
                    raise
                log.warning("go-online refused: %s", error.message)
            ctx.go_online_sent = True
            continue
        await asyncio.sleep(ONLINE_POLL_SECONDS)
    ctx.go_online_sent = False  # still manual after all this: ask again next round


async def upload_and_go_online(ctx: RegisterContext) -> None:
    await drain(ctx)
    if ctx.state is ConnectivityState.UPLOADING:
        await go_online(ctx)
    elif ctx.state is ConnectivityState.GOING_ONLINE:
        await wait_online(ctx)
