"""Startup recovery: what a crash or a power cut left unfinished is settled before new sales.

A receipt committed but never sent (COMMITTED) is sent under its own id, or issued offline under
it when Checkbox is unreachable, as a new sale would be. A receipt whose request may have left
(SENDING) is never guessed about: no customer is waiting for it (the stopped run never printed
it), so Checkbox is asked first (``GET /receipts/{id}``): found → settled with Checkbox's answer;
not found → sent online under the same id (exactly once); Checkbox unreachable → it stays
SENDING, "awaiting Checkbox", and every worker round in which Checkbox answers asks again. An
offline copy of it with our own code would be a conflict whenever the request had arrived (two
codes for one sale, and our code never spent on Checkbox, so Checkbox's automatic offline could
later sign another document with it: one code on two documents).

What the cashier sees of a receipt awaiting Checkbox (DESIGN, "The ambiguous receipt"): the
status (``RegisterStatus.awaiting_checkbox``: the status bar's banner, ``pos register status``)
counts it, ``pos register receipt ID`` says so, the Z-report of its shift is refused until it is
settled (its totals are unknown), and selling goes on online, but no document is issued
offline meanwhile (``Refusal.OFFLINE_AWAITING_CHECKBOX``): had the request arrived during
Checkbox's automatic offline, Checkbox signed it with a free code of our pool that it picked
itself, so any code may be spent. Checkbox is therefore asked whatever the register's state,
offline too, so the refusal lasts only while Checkbox cannot answer. It is not printed when it
is settled, as no recovered receipt is today: its customer left without paper when the run
stopped; the receipt list has it, fiscalised, for a reprint.

Shifts left opening or closing are asked about. Queued offline transactions need nothing here:
the worker uploads them in order, from the first one not finished.
"""

from __future__ import annotations

import logging

from pos.checkbox.errors import CheckboxError, NotFound
from pos.checkbox.models.shift import SHIFT_CLOSED, SHIFT_CLOSING, SHIFT_OPENED
from pos.journal import Journal
from pos.journal.records import Receipt, ReceiptState, ShiftState
from pos.register.connectivity import ConnectivityEvent
from pos.register.context import RegisterContext, is_unreachable
from pos.register.errors import Refusal, RegisterError
from pos.register.fiscalise import LOCAL_STATES, issue_locally, reconcile_quietly, send, settle

log = logging.getLogger(__name__)

UNSETTLED = (ReceiptState.COMMITTED, ReceiptState.SENDING)


def unfinished(journal: Journal) -> list[str]:
    """Ids of receipts and shifts that a previous run left in a non-final state."""
    ids = [r.id for r in journal.receipts.list(states=UNSETTLED)]
    shift = journal.shifts.current()
    if shift is not None and shift.state in (ShiftState.OPENING, ShiftState.CLOSING):
        ids.append(shift.id)
    return ids


async def resolve(ctx: RegisterContext) -> None:
    await _resolve_shift(ctx)
    await settle_receipts(ctx)


async def resolve_shift(ctx: RegisterContext) -> None:
    """The worker's round: a shift left opening or closing (a Z-report Checkbox took but was
    still closing) is asked about, under the lock so no close or open is half-way meanwhile."""
    async with ctx.lock:
        await _resolve_shift(ctx)


async def settle_receipts(ctx: RegisterContext) -> None:
    """Receipts committed but not settled (a crash, a slow server): a COMMITTED one is sent
    again under its own id, or issued offline under it when Checkbox cannot be reached; a
    SENDING one is asked about first and never issued offline (see the module's docstring)."""
    for receipt in ctx.journal.receipts.list(states=UNSETTLED):
        async with ctx.lock:
            current = ctx.journal.receipts.get(receipt.id)
            if current is None or current.state not in UNSETTLED:
                ctx.awaiting.discard(receipt.id)
                continue  # settled meanwhile
            try:
                if current.state is ReceiptState.SENDING:
                    if not await _ask_about(ctx, current):
                        ctx.awaiting.add(current.id)
                        continue
                elif ctx.state in LOCAL_STATES:
                    issue_locally(ctx, current)
                else:
                    await send(ctx, current, guess=False)
            except RegisterError as error:
                log.warning("settling receipt %s: %s", current.id, error)
            except AWAITING_ERRORS as error:  # a COMMITTED one's send became ambiguous
                _unreachable(ctx, current.id, error)
                ctx.awaiting.add(current.id)
                continue
            ctx.awaiting.discard(current.id)
    ctx.awaiting.intersection_update(
        r.id for r in ctx.journal.receipts.list(states=(ReceiptState.SENDING,))
    )


RECOVERY_WAIT_SECONDS = 5.0
"""How long recovery waits for Checkbox to finish a receipt it has (status CREATED/PENDING)
before leaving it to the next worker round (the cashier waits on the sign-in page meanwhile)."""

AWAITING_ERRORS = (CheckboxError, TimeoutError)
"""What leaves a receipt awaiting Checkbox: it could not be asked, or it could not answer yet."""


async def _ask_about(ctx: RegisterContext, record: Receipt) -> bool:
    """Settle a SENDING receipt by Checkbox's own answer; False while Checkbox cannot tell."""
    try:
        try:
            answer = await ctx.client.receipt(record.id, brief=True)  # the next round asks again
        except NotFound:
            ctx.awaiting.discard(record.id)  # Checkbox has not got it: no code of ours spent
            if ctx.state in LOCAL_STATES:  # our own offline period is uploaded first
                issue_locally(ctx, record)  # it never arrived: nothing to conflict with
            else:
                await send(ctx, record, guess=False)  # it never arrived: send it, exactly once
            return True
        if not answer.is_final:  # Checkbox is still signing it
            answer = await ctx.client.wait_receipt(record.id, give_up_after=RECOVERY_WAIT_SECONDS)
    except AWAITING_ERRORS as error:
        _unreachable(ctx, record.id, error)
        return False
    settle(ctx, record.id, answer)
    if answer.is_created_offline and ctx.needs_reconcile:
        await reconcile_quietly(ctx)
    return True


def _unreachable(ctx: RegisterContext, receipt_id: str, error: BaseException) -> None:
    if is_unreachable(error):
        ctx.move(ConnectivityEvent.NETWORK_LOST, "recovery: Checkbox unreachable")
    log.info("receipt %s awaits Checkbox: %s", receipt_id, error)


def awaiting_in(ctx: RegisterContext, shift_id: str) -> int:
    """Receipts of the shift whose request may have reached Checkbox, its answer not yet in."""
    return sum(
        1
        for r in ctx.journal.receipts.list(states=(ReceiptState.SENDING,))
        if r.shift_id == shift_id
    )


def refuse_close_if_awaiting(ctx: RegisterContext, shift_id: str) -> None:
    """The Z-report waits for every receipt of its shift that Checkbox may have: its totals
    (and whether it was fiscalised at all) are known only from Checkbox's answer."""
    count = awaiting_in(ctx, shift_id)
    if count:
        raise RegisterError(Refusal.AWAITING_CHECKBOX, count=count)


async def _resolve_shift(ctx: RegisterContext) -> None:
    shift = ctx.journal.shifts.current()
    if shift is None or shift.state not in (ShiftState.OPENING, ShiftState.CLOSING):
        return
    if ctx.state in LOCAL_STATES:
        return
    try:
        server = await ctx.client.shift(shift.id)
    except NotFound:
        if shift.state is ShiftState.OPENING:
            ctx.journal.shifts.update(shift.id, ctx.now(), state=ShiftState.FAILED)
        return
    except CheckboxError as error:
        if is_unreachable(error):
            ctx.move(ConnectivityEvent.NETWORK_LOST, "recovery: Checkbox unreachable")
        return
    response = server.model_dump(mode="json", exclude_none=True)
    if server.status == SHIFT_OPENED:
        ctx.journal.shifts.update(
            shift.id,
            ctx.now(),
            state=ShiftState.OPENED,
            serial=server.serial,
            opened_at=server.opened_at,
            server_response=response,
        )
    elif server.status in (SHIFT_CLOSED, SHIFT_CLOSING):
        z = server.z_report.model_dump(mode="json", exclude_none=True) if server.z_report else None
        ctx.journal.shifts.update(
            shift.id,
            ctx.now(),
            state=ShiftState.CLOSED,
            closed_at=server.closed_at or ctx.now(),
            z_report=z,
            server_response=response,
        )
