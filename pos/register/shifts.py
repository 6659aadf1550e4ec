"""The shift: opening it (with the float), the X-report, the Z-report and the cash collection.

Why its own part: a shift's open and close are the register's two most delicate fiscal steps.
The journal is written before Checkbox is asked (a kill must not leave a closed shift
"opened"), a Z whose answer was lost is never followed by a second, offline one, and the
journal's own X/Z totals (customer orders' advances included) must equal Checkbox's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pos.checkbox.errors import CheckboxError, ConnectionFailed
from pos.checkbox.models import OpenShift
from pos.checkbox.models.shift import SHIFT_CLOSED, SHIFT_OPENED
from pos.domain.receipt import ReceiptType
from pos.domain.reports import shift_report
from pos.journal.errors import NoFreeOfflineCodeError
from pos.journal.records import FISCALISED, Receipt, ReceiptState, Shift, ShiftState
from pos.register import bodies, recovery
from pos.register.connectivity import ConnectivityEvent
from pos.register.context import is_unreachable
from pos.register.errors import SHIFT_OPEN_REFUSED, Refusal, RegisterError, kind_of
from pos.register.fiscalise import (
    LOCAL_STATES,
    check_clock,
    check_offline_allowed,
    ensure_go_offline,
)
from pos.register.part import RegisterPart
from pos.register.status import ShiftReportView

log = logging.getLogger(__name__)

UNSETTLED = recovery.UNSETTLED
SHIFT_WAIT_SECONDS = 30.0
COLLECTION_LABEL = "Інкасація перед Z-звітом"
"""The service out of the cash collection made with the Z (how ``collected`` finds it)."""


class Shifts(RegisterPart):
    """One register's shifts (``RegisterService.open_shift`` / ``x_report`` / ``close_shift``)."""

    async def open_shift(self, opening_float: int = 0) -> Shift:
        self.service._require(signed_in=True, shift=False)
        if opening_float < 0:
            raise RegisterError(Refusal.BAD_INPUT, "opening float", field="amount")
        async with self.ctx.lock:
            shift = await self._open_shift()
        if opening_float:
            # Checkbox carries the drawer's cash from the last shift (balance.initial): only the
            # difference to the agreed float is booked, in or out, so the Z shows no false gap.
            carried = self._shift_initial(self.journal.shifts.get(shift.id) or shift)
            if opening_float > carried:
                await self.service.service_in(opening_float - carried, "Розмінна монета")
            elif opening_float < carried:
                await self.service.service_out(
                    carried - opening_float, "Інкасація до розмінної суми"
                )
        return self.journal.shifts.get(shift.id) or shift

    def carried_balance(self) -> int:
        for shift in self.journal.shifts.list(limit=10):
            if shift.state is ShiftState.CLOSED and shift.z_report:
                return int(shift.z_report.get("balance", 0))
        return 0

    async def _open_shift(self) -> Shift:
        now = self.ctx.now()
        shift_id = bodies.new_id()
        initial = self.carried_balance()
        if self.ctx.state in LOCAL_STATES:
            self._check_offline_open()
            ensure_go_offline(self.ctx)
            return self._offline(
                lambda: self.journal.shifts.open(shift_id, now, initial, offline=True)
            )
        self.journal.shifts.open(shift_id, now, initial)
        try:
            await self.client.open_shift(OpenShift(id=shift_id))
            opened = await self.client.wait_shift(
                shift_id, frozenset({SHIFT_OPENED, SHIFT_CLOSED}), give_up_after=SHIFT_WAIT_SECONDS
            )
        except Exception as error:
            if not is_unreachable(error):
                self.journal.shifts.update(shift_id, self.ctx.now(), state=ShiftState.FAILED)
                text = error.message if isinstance(error, CheckboxError) else str(error)
                raise RegisterError(Refusal.SERVER_REJECTED, text, kind=kind_of(error)) from error
            self.ctx.move(ConnectivityEvent.NETWORK_LOST, "shift open: Checkbox unreachable")
            self._check_offline_open()
            ensure_go_offline(self.ctx)
            return self._offline(lambda: self.journal.shifts.open_offline(shift_id, self.ctx.now()))
        if opened.status != SHIFT_OPENED:  # ended CLOSED: refused, the reason in its transaction
            tx = opened.initial_transaction
            text = (tx.response_error_message if tx else None) or f"shift {opened.status}"
            self.journal.shifts.update(
                shift_id,
                self.ctx.now(),
                state=ShiftState.FAILED,
                server_response=opened.model_dump(mode="json", exclude_none=True),
            )
            raise RegisterError(Refusal.SERVER_REJECTED, text, kind=SHIFT_OPEN_REFUSED)
        if opened.opened_at is not None:
            check_clock(self.ctx, opened.opened_at)  # Checkbox's time: trusted from here on
        return self.journal.shifts.update(
            shift_id,
            self.ctx.now(),
            state=ShiftState.OPENED,
            serial=opened.serial,
            opened_at=opened.opened_at,
            server_response=opened.model_dump(mode="json", exclude_none=True),
        )

    def _check_offline_open(self) -> None:
        if not any(s.state is ShiftState.CLOSED for s in self.journal.shifts.list(limit=5)):
            raise RegisterError(
                Refusal.UNREACHABLE, "Перше відкриття зміни має бути виконано онлайн"
            )
        check_offline_allowed(self.ctx)

    def _offline(self, issue: Callable[[], Shift]) -> Shift:
        try:
            return issue()
        except NoFreeOfflineCodeError as error:
            raise RegisterError(Refusal.NO_OFFLINE_CODES, left=0) from error

    def _shift_initial(self, shift: Shift) -> int:
        response = shift.server_response or {}
        balance = response.get("balance") or {}
        if isinstance(balance, dict) and "initial" in balance:
            return int(balance["initial"])
        return shift.initial_balance

    def local_report(self, shift: Shift) -> tuple[dict[str, Any], int]:
        receipts = self.journal.receipts.list(shift_id=shift.id)
        fiscal = [bodies.fiscal_receipt(r) for r in receipts if r.state in FISCALISED]
        pending = sum(1 for r in receipts if r.state in UNSETTLED)
        chain, chain_pending = self.service.orders.fiscal_receipts(
            shift.id
        )  # customer orders' advances
        fiscal += chain
        pending += chain_pending
        report = shift_report(fiscal, initial=self._shift_initial(shift))
        return bodies.report_fields(report), pending

    async def x_report(self) -> ShiftReportView:
        shift = self.service._require(signed_in=False, shift=True)
        local, pending = self.local_report(shift)
        server: dict[str, Any] | None = None
        uploaded = not shift.is_offline or self.journal.queue.pending_count() == 0
        if self.ctx.state not in LOCAL_STATES and uploaded:
            try:
                server = (await self.client.x_report()).model_dump(mode="json", exclude_none=True)
            except CheckboxError as error:
                if is_unreachable(error):
                    self.ctx.move(ConnectivityEvent.NETWORK_LOST, "X-report: Checkbox unreachable")
                else:
                    log.warning("server X-report refused: %s", error.message)
        return ShiftReportView(local, server, z=False, shift=shift, pending=pending)

    async def close_shift(
        self, counted_cash: int | None = None, *, collect: int = 0
    ) -> ShiftReportView:
        shift = self.service._require(signed_in=False, shift=True)
        if collect < 0:
            raise RegisterError(Refusal.BAD_INPUT, "cash collection", field="amount")
        if collect:
            taken = self.collected(shift) or await self.service.service_out(
                collect, COLLECTION_LABEL
            )
            if counted_cash is not None:  # counted before the collection: what is left now
                counted_cash -= taken.total_sum
        if counted_cash is not None:  # for the manager's shift reports (pos.reports.shifts)
            self.ctx.set_setting(f"counted_cash:{shift.id}", str(counted_cash))
        await recovery.settle_receipts(self.ctx)
        if self.service.signed_in and self.ctx.state not in LOCAL_STATES:
            await self.service.orders.settle()
        if self.ctx.state not in LOCAL_STATES and self.journal.queue.pending_count():
            await self.service.sync(wait=False)
        async with self.ctx.lock:
            local, pending = self.local_report(shift)
            if pending:
                recovery.refuse_close_if_awaiting(self.ctx, shift.id)
                raise RegisterError(Refusal.UPLOAD_PENDING, pending=pending)
            if self.ctx.state in LOCAL_STATES:
                closed = self._close_offline(shift, local)
                return ShiftReportView(local, None, True, closed, counted_cash)
            # Journal first: a kill after Checkbox took the Z-report must not leave the shift
            # "opened" here (the next life sold into a closed shift: "Зміну не відкрито");
            # recovery asks Checkbox what became of a shift left closing.
            self.journal.shifts.update(shift.id, self.ctx.now(), state=ShiftState.CLOSING)
            try:
                await self.client.close_shift(shift.id)
            except Exception as error:
                if not is_unreachable(error):
                    self.journal.shifts.update(shift.id, self.ctx.now(), state=ShiftState.OPENED)
                    text = error.message if isinstance(error, CheckboxError) else str(error)
                    raise RegisterError(
                        Refusal.SERVER_REJECTED, text, kind=kind_of(error)
                    ) from error
                self.ctx.move(ConnectivityEvent.NETWORK_LOST, "Z-report: Checkbox unreachable")
                if not _surely_not_sent(error):
                    # Its answer was lost and Checkbox cannot be asked: it may hold this Z.
                    # Never a second, offline Z: the shift stays closing until Checkbox can
                    # be asked (the worker's shift recovery records it closed, or opened
                    # again when the close never arrived).
                    log.warning("Z-report sent, its outcome unknown: %s", error)
                    closing = self.journal.shifts.get(shift.id) or shift
                    return ShiftReportView(local, None, True, closing, counted_cash)
                closed = self._close_offline(shift, local)
                return ShiftReportView(local, None, True, closed, counted_cash)
            try:
                done = await self.client.wait_shift(
                    shift.id, frozenset({SHIFT_CLOSED}), give_up_after=SHIFT_WAIT_SECONDS
                )
            except Exception as error:
                if not is_unreachable(error):
                    raise
                # Checkbox took the Z-report and is still closing (the tax service slow or
                # down): never a second, offline Z ("Зміну не відкрито" at its upload). The
                # shift stays closing here; the worker records it closed when Checkbox is.
                log.warning("Z-report taken, Checkbox still closing the shift: %s", error)
                closing = self.journal.shifts.get(shift.id) or shift
                return ShiftReportView(local, None, True, closing, counted_cash)
            server = (
                done.z_report.model_dump(mode="json", exclude_none=True) if done.z_report else None
            )
            closed = self.journal.shifts.update(
                shift.id,
                self.ctx.now(),
                state=ShiftState.CLOSED,
                closed_at=done.closed_at or self.ctx.now(),
                z_report=server or local,
                server_response=done.model_dump(mode="json", exclude_none=True),
            )
        self.ctx.changed()
        return ShiftReportView(local, server, True, closed, counted_cash)

    def collected(self, shift: Shift) -> Receipt | None:
        states = (*FISCALISED, *UNSETTLED)
        for receipt in self.journal.receipts.list(shift_id=shift.id, states=states):
            if receipt.type == ReceiptType.SERVICE_OUT.value and any(
                p.label == COLLECTION_LABEL for p in receipt.payments
            ):
                return receipt
        return None

    def _last_receipt_id(self, shift: Shift) -> str | None:
        """The shift's last fiscal receipt: one query on the shift's index, newest first."""
        fiscal = self.journal.receipts.list(
            shift_id=shift.id,
            states=(ReceiptState.DONE, ReceiptState.UPLOADED, ReceiptState.OFFLINE_ISSUED),
            newest_first=True,
            limit=1,
        )
        return fiscal[0].id if fiscal else None

    def _close_offline(self, shift: Shift, local: dict[str, Any]) -> Shift:
        if self.journal.codes.free_count() < 1:
            raise RegisterError(Refusal.NO_OFFLINE_CODES, left=0)
        ensure_go_offline(self.ctx)
        body = dict(local)
        body["id"] = bodies.new_id()  # the guide's template: the report's own UUID
        if shift.serial is not None:
            body["serial"] = shift.serial
        last = self._last_receipt_id(shift)
        if last is not None:
            body["last_receipt_id"] = last
        closed = self._offline(
            lambda: self.journal.shifts.close_offline(shift.id, self.ctx.now(), body)
        )
        self.ctx.changed()
        return closed


def _surely_not_sent(error: BaseException) -> bool:
    """True only when the request never left this PC (the connection was refused)."""
    return isinstance(error, ConnectionFailed) and not error.maybe_sent
