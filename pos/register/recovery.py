"""Startup recovery: what a crash or a power cut left unfinished is settled before new sales.

Receipts committed but not settled are sent again under their own ids (the client's exactly-once
logic finds the ones that had arrived) or, when Checkbox is unreachable, issued offline under the
same id. Shifts left opening or closing are asked about. Queued offline transactions need nothing
here: the worker uploads them in order, from the first one not finished.
"""

from __future__ import annotations

import logging

from pos.checkbox.errors import CheckboxError, NotFound
from pos.checkbox.models.shift import SHIFT_CLOSED, SHIFT_CLOSING, SHIFT_OPENED
from pos.journal import Journal
from pos.journal.records import ReceiptState, ShiftState
from pos.register.connectivity import ConnectivityEvent
from pos.register.context import RegisterContext, is_unreachable
from pos.register.errors import RegisterError
from pos.register.fiscalise import LOCAL_STATES, issue_locally, send

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
    """Receipts committed but not settled (a crash, a slow server) are sent again under their
    own ids, or issued offline under them when Checkbox cannot be reached."""
    for receipt in ctx.journal.receipts.list(states=UNSETTLED):
        async with ctx.lock:
            current = ctx.journal.receipts.get(receipt.id)
            if current is None or current.state not in UNSETTLED:
                continue  # settled meanwhile
            try:
                if ctx.state in LOCAL_STATES:
                    issue_locally(ctx, current)
                else:
                    await send(ctx, current)
            except RegisterError as error:
                log.warning("settling receipt %s: %s", current.id, error)


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
