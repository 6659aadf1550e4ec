"""The register's background worker: the rounds that keep it in step with Checkbox.

Why its own part: selling never waits for Checkbox, so something else must watch connectivity,
settle the receipts and shifts left unsettled, upload the offline periods in order and keep the
offline code pool full — on a timer, or at once when woken (``RegisterContext.wake``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos.checkbox.errors import CheckboxError, RateLimited, TaxServiceUnavailable
from pos.register import recovery
from pos.register.code_pool import refill
from pos.register.connectivity import ConnectivityEvent, ConnectivityState
from pos.register.context import is_unreachable
from pos.register.errors import Refusal, RegisterError
from pos.register.fiscalise import reconcile_quietly
from pos.register.part import RegisterPart
from pos.register.status import RegisterStatus
from pos.register.upload import CheckboxStillOffline, upload_and_go_online

if TYPE_CHECKING:
    from pos.register.service import RegisterService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Intervals:
    """How often the worker looks at Checkbox (seconds)."""

    poll: float = 10.0  # online: the register's mode on the server
    probe: float = 5.0  # offline: is Checkbox reachable again?
    ping: float = 30.0  # online: is the tax service answering?


class RegisterWorker(RegisterPart):
    """One register's worker task (``RegisterService.start`` / ``stop`` / ``sync``)."""

    def __init__(self, service: RegisterService) -> None:
        super().__init__(service)
        self._task: asyncio.Task[None] | None = None
        self._last_ping = 0.0
        self._last_poll = 0.0

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="register-worker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def sync(self, *, wait: bool, give_up_after: float) -> RegisterStatus:
        deadline = asyncio.get_running_loop().time() + give_up_after
        while True:
            await self._step(force=True)
            status = self.service.status()
            if not wait or (status.state is ConnectivityState.ONLINE and status.queued == 0):
                return status
            if asyncio.get_running_loop().time() > deadline:
                raise RegisterError(Refusal.UNREACHABLE, f"still {status.state.value}")
            await asyncio.sleep(min(self.service.intervals.probe, 1.0))

    async def _run(self) -> None:
        while True:
            try:
                await self._step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("register worker step failed")
            online = self.ctx.state in (ConnectivityState.ONLINE, ConnectivityState.SERVER_OFFLINE)
            delay = self.service.intervals.poll if online else self.service.intervals.probe
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow the task's cancel.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self.ctx.wake.wait()
            self.ctx.wake.clear()

    async def _step(self, *, force: bool = False) -> None:
        ctx = self.ctx
        if not self.service.signed_in:
            return  # nothing can be sent or asked without a cashier's token
        try:
            if ctx.state is ConnectivityState.LOCAL_OFFLINE:
                if ctx.forced_offline:
                    if ctx.awaiting:  # no offline receipt until Checkbox answers about them
                        await recovery.settle_receipts(ctx)
                    return
                await self.client.cash_register_info()
                ctx.move(ConnectivityEvent.NETWORK_BACK, "Checkbox answers again")
            uploading = (ConnectivityState.UPLOADING, ConnectivityState.GOING_ONLINE)
            if ctx.state in uploading:
                try:
                    await upload_and_go_online(ctx)
                except CheckboxStillOffline:
                    # Checkbox answers, only our period waits (its automatic offline goes on):
                    # settle the awaiting receipts now, since nothing is issued offline before.
                    if ctx.awaiting:
                        await recovery.settle_receipts(ctx)
                    raise
                return
            if ctx.needs_reconcile or ctx.behind:
                await reconcile_quietly(ctx)
            await recovery.resolve_shift(self.ctx)  # e.g. a Z-report Checkbox was still closing
            await recovery.settle_receipts(self.ctx)
            await self.service.orders.settle()  # customer orders' chain receipts left unconfirmed
            await self._watch_server(force)
            await refill(ctx)
        except RateLimited as error:
            log.info("rate limited: %s", error.message)
        except CheckboxError as error:
            if not is_unreachable(error):
                log.warning("worker: %s", error.message)
                return
            ctx.move(ConnectivityEvent.NETWORK_LOST, f"Checkbox unreachable: {error.message}")
        except TimeoutError:
            ctx.move(ConnectivityEvent.NETWORK_LOST, "Checkbox timed out")
        finally:
            ctx.changed()

    async def _watch_server(self, force: bool) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        ctx = self.ctx
        if ctx.state is ConnectivityState.SERVER_OFFLINE:
            if ctx.needs_reconcile:
                await reconcile_quietly(ctx)
            try:
                await self.client.ping_tax_service()
            except TaxServiceUnavailable:
                return
            register = await self.client.cash_register_info()
            if not register.offline_mode:
                ctx.move(ConnectivityEvent.TAX_SERVICE_BACK, "tax service answers again")
                await refill(ctx, force_reconcile=True)
            return
        if ctx.state is not ConnectivityState.ONLINE:
            return
        if force or now - self._last_poll >= self.service.intervals.poll:
            self._last_poll = now
            register = await self.client.cash_register_info()
            if register.offline_mode:
                if ctx.move(ConnectivityEvent.TAX_SERVICE_LOST, "register offline on Checkbox"):
                    await reconcile_quietly(ctx)
                return
        if self.service.signed_in and (
            force or now - self._last_ping >= self.service.intervals.ping
        ):
            self._last_ping = now
            try:
                await self.client.ping_tax_service()
            except TaxServiceUnavailable as error:
                ctx.move(ConnectivityEvent.TAX_SERVICE_LOST, error.message)
