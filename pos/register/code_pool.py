"""Keeping the local pool of offline codes full and true to the server (invariant 3).

``get-offline-codes`` lists the codes Checkbox holds unused for the register (it works while the
tax service is down); the local pool is reconciled against that complete list, so a code the
server spent on its own in automatic offline mode is burned here before it could be printed.
When the server's own stock runs low and the register is fully online, more are asked from the
tax service (``ask-offline-codes``, ≤ 5000, counted by the client against the 6-of-10 rule), and
the fiscal clock's floor is raised to the moment the codes were made.
"""

from __future__ import annotations

import logging

from pos.checkbox.errors import CheckboxError
from pos.checkbox.models import OfflineCode
from pos.register.connectivity import ConnectivityState
from pos.register.context import JOURNAL_BEHIND, RegisterContext, is_unreachable

log = logging.getLogger(__name__)

MAX_CODES = 5000


async def reconcile(ctx: RegisterContext) -> list[OfflineCode]:
    """Fetch the server's full list of unused codes; add new ones, burn the ones it used."""
    codes = await ctx.client.get_offline_codes(MAX_CODES)
    added, burned = ctx.journal.codes.reconcile(
        ((c.fiscal_code, c.serial_id or 0) for c in codes), ctx.now()
    )
    made = [c.created_at for c in codes if c.created_at is not None]
    if made:
        ctx.journal.clock.raise_floor(max(made))
    if added or burned:
        log.info("offline codes: %d new, %d burned (used by the server)", added, burned)
    if ctx.behind:
        # Checkbox's complete list of unused codes is now the pool: whatever another copy of
        # this journal printed and uploaded is burned here, so offline issuance may resume.
        log.info("journal reconciled with Checkbox after: %s", ctx.behind)
        ctx.set_setting(JOURNAL_BEHIND, "")
    if ctx.reconcile_pending:
        ctx.needs_reconcile = False
    ctx.changed()
    return codes


async def refill(ctx: RegisterContext, *, force_reconcile: bool = False) -> None:
    """Top the local pool up to the low-water mark; ask the tax service when Checkbox runs low."""
    low_water = ctx.thresholds.codes_low_water
    if not force_reconcile and ctx.journal.codes.free_count() >= low_water:
        return
    server = await reconcile(ctx)
    if len(server) >= low_water or ctx.state is not ConnectivityState.ONLINE:
        return
    try:
        asked = await ctx.client.ask_offline_codes(ctx.thresholds.codes_batch, sync=True)
    except CheckboxError as error:
        if is_unreachable(error):
            raise
        log.warning("asking for offline codes failed: %s", error.message)
        return
    log.info("asked the tax service for offline codes: %s", asked.status)
    # The guide: after an ask, offline transactions may only be dated at or after the ask itself
    # (an ask may return the same unused codes, whose own created_at is older). Only a "now"
    # anchored on Checkbox's clock may raise the floor: a PC clock that is hours ahead before
    # the first server reading would otherwise date every later offline document in the future.
    if ctx.trusted is None or ctx.trusted.anchored_on_server:
        ctx.journal.clock.raise_floor(ctx.now())
    await reconcile(ctx)
