"""The register service: the one API the cashier window and the headless commands call.

Every operation journals first and talks to Checkbox second (invariant 1), runs on the asyncio
loop and never blocks its caller's thread on the network. A background worker watches
connectivity, settles receipts left unsettled, uploads offline periods in order, and keeps the
offline code pool full. Refusals come as ``RegisterError`` with a reason the window translates.

``RegisterService`` is a façade: callers see one object, while the work is done by its parts,
one module each (``cashier``, ``shifts``, ``sales``, ``returns``, ``cash``, ``worker``, and
``orders``), which share its ``RegisterContext``, its guards and its one way to fiscalise.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pos.checkbox import CheckboxClient, TokenStore
from pos.domain.receipt import Payment
from pos.domain.rounding import RoundingMode
from pos.journal import Journal
from pos.journal.catalogue import ScannedItem
from pos.journal.chain_marker import ChainMarker
from pos.journal.held_carts import HeldCart
from pos.journal.instants import to_micros
from pos.journal.records import (
    CatalogueItem,
    QueueEntry,
    Receipt,
    Shift,
    ShiftState,
)
from pos.register import catalogue_reads, recovery
from pos.register.cart import Cart, Tender
from pos.register.cash import CARD_LABEL, CashDrawer
from pos.register.cashier import CashierSignIn
from pos.register.connectivity import ConnectivityEvent, ConnectivityState
from pos.register.context import (
    CLOCK_SKEW,
    JOURNAL_BEHIND,
    NEEDS_RECONCILE,
    Now,
    RegisterContext,
    utc_now,
)
from pos.register.errors import Refusal, RegisterError
from pos.register.fiscalise import fiscalise, limits_now
from pos.register.limits import Limit, Thresholds, limit_state
from pos.register.returns import Returns
from pos.register.sales import Sales
from pos.register.shifts import Shifts
from pos.register.status import RegisterStatus, ShiftReportView
from pos.register.status_counters import StatusCounters
from pos.register.trusted_time import Monotonic, TrustedClock, system_monotonic
from pos.register.worker import Intervals, RegisterWorker

if TYPE_CHECKING:
    from pos.register.orders import OrderDesk

log = logging.getLogger(__name__)

MIN_FREE_BYTES = 20 * 1024 * 1024
"""Below this much free space on the journal's disk no receipt is committed (case 3)."""


class RegisterService:
    def __init__(
        self,
        journal: Journal,
        client: CheckboxClient,
        *,
        license_key: str | None = None,
        now: Now = utc_now,
        thresholds: Thresholds | None = None,
        token_store: TokenStore | None = None,
        training: bool = False,
        rounding_mode: RoundingMode = RoundingMode.ROUND_50,
        intervals: Intervals | None = None,
        monotonic: Monotonic | None = None,
        chain: ChainMarker | None = None,
        min_free_bytes: int = MIN_FREE_BYTES,
        pin_pepper: bytes | None = None,
    ) -> None:
        # "now" is the last trusted instant plus monotonic time (invariant 11); an injected
        # wall clock is its own monotonic source unless one is given.
        trusted = TrustedClock(
            now, monotonic if monotonic is not None or now is not utc_now else system_monotonic()
        )
        self.ctx = RegisterContext(journal, client, trusted.now, thresholds or Thresholds())
        self.ctx.trusted = trusted
        self.ctx.chain = chain
        self.min_free_bytes = min_free_bytes
        self.journal = journal
        self.client = client
        self.training = training
        self.rounding_mode = rounding_mode
        self.intervals = intervals or Intervals()
        self._signed_in = False
        self._recovering: tuple[str, ...] = ()
        # The parts that do the work, one module each (the façade's methods delegate to them).
        self._cashier = CashierSignIn(self, license_key, token_store, pin_pepper)
        self._shifts = Shifts(self)
        self._sales = Sales(self)
        self._returns = Returns(self)
        self._cash = CashDrawer(self)
        self._worker = RegisterWorker(self)
        self._orders: OrderDesk | None = None
        self._counters = StatusCounters(journal, recovery.UNSETTLED)
        self._restore_state()

    @property
    def orders(self) -> OrderDesk:
        """Customer orders and their prepayment chains (``pos.register.orders``)."""
        if self._orders is None:
            from pos.register.orders import OrderDesk

            self._orders = OrderDesk(self)
        return self._orders

    # --- lifecycle ---------------------------------------------------------------------------

    def _restore_state(self) -> None:
        last = self.journal.transitions.last()
        if last is not None:
            self.ctx.machine = type(self.ctx.machine)(ConnectivityState(last.to_state))
        self.ctx.forced_offline = self.ctx.setting("forced_offline") == "1"
        self.ctx.info.cashier_name = self.ctx.setting("cashier_name")
        self.ctx.info.fiscal_number = self.ctx.setting("fiscal_number")
        self.ctx.info.cash_register_id = self.ctx.setting("cash_register_id")
        self.ctx.reconcile_pending = self.ctx.setting(NEEDS_RECONCILE) == "1"
        self._check_chain()

    def _check_chain(self) -> None:
        """A journal behind this PC's mark (restored) or with history this PC has no mark of
        (copied, or the mark's folder lost) may list codes already printed elsewhere: no
        offline issuance until an online reconcile (invariant 9)."""
        chain = self.ctx.chain
        if chain is None or self.ctx.behind:
            return
        mark = chain.read()
        last = self.journal.clock.last_instant()
        reason = ""
        if mark is not None and (last is None or to_micros(last) < mark):
            reason = (
                f"the journal {self.journal.path} is older than the last one this PC used "
                "(restored from a backup, or recreated)"
            )
        elif mark is None and last is not None:
            reason = f"this PC has no record of the journal {self.journal.path} (copied here?)"
        if reason:
            log.warning("journal behind Checkbox: %s", reason)
            self.ctx.set_setting(JOURNAL_BEHIND, reason)
        else:
            self.ctx.mark_chain()

    def confirm_clock(self) -> None:
        """The cashier (or manager) confirmed the time after a clock warning: offline issuance
        may go on, dated by the register's trusted time (Checkbox's, plus elapsed time)."""
        self.ctx.set_setting(CLOCK_SKEW, "")
        self.ctx.changed()

    async def start(self, *, worker: bool = True) -> None:
        """Start the background worker; recovery runs once the cashier is signed in."""
        self._recovering = tuple(recovery.unfinished(self.journal))
        if worker:
            self._worker.start()

    async def stop(self) -> None:
        await self._worker.stop()

    async def recover(self) -> list[str]:
        """Startup recovery (before new sales): unsettled receipts and shifts are resolved."""
        pending = recovery.unfinished(self.journal)
        self._recovering = tuple(pending)
        self.ctx.changed()
        try:
            await recovery.resolve(self.ctx)
        finally:
            self._recovering = ()
            self.ctx.changed()
        return pending

    def look_now(self) -> None:
        """Wake the worker: something changed that it should look at without waiting."""
        self.ctx.wake.set()

    def subscribe(self, callback: Callable[[], None]) -> None:
        """``callback`` runs (on the loop) whenever the status may have changed."""
        self.ctx.listeners.append(callback)

    def unsubscribe(self, callback: Callable[[], None]) -> None:
        with contextlib.suppress(ValueError):
            self.ctx.listeners.remove(callback)

    # --- status ------------------------------------------------------------------------------

    @property
    def state(self) -> ConnectivityState:
        return self.ctx.state

    def status(self) -> RegisterStatus:
        """From counters kept until the journal's next write (``status_counters``): the window
        asks every second, and must not read the journal each time."""
        now = self.ctx.now()
        figures = self._counters.figures(now)
        last = figures.last_instant
        shift = figures.shift
        limits = limit_state(
            now=max(now, last) if last is not None else now,
            state=self.ctx.state,
            transitions=figures.transitions,
            shift_opened_at=None if shift is None else (shift.opened_at or shift.created_at),
            free_codes=figures.free_codes,
            thresholds=self.ctx.thresholds,
        )
        return RegisterStatus(
            state=self.ctx.state,
            queued=figures.queued,
            codes_left=limits.codes_left,
            offline_seconds_left=limits.offline_seconds_left,
            month_offline_seconds_left=limits.month_offline_seconds_left,
            shift_seconds_left=limits.shift_seconds_left,
            shift=shift,
            signed_in=self._signed_in,
            cashier_name=self.ctx.info.cashier_name,
            warnings=limits.warnings,
            set_aside=figures.set_aside,
            recovering=self._recovering,
            forced_offline=self.ctx.forced_offline,
            training=self.training,
            fiscal_number=self.ctx.info.fiscal_number,
            journal_behind=figures.journal_behind or None,
            codes_unreconciled=self.ctx.needs_reconcile,
            clock_skew_seconds=_int_or_none(figures.clock_skew),
            awaiting_checkbox=tuple(sorted(self.ctx.awaiting)),
        )

    def set_aside(self) -> list[QueueEntry]:
        """Offline transactions the server refused for good, with its text (manager's list)."""
        return self.journal.queue.set_aside_entries()

    # --- cashier -----------------------------------------------------------------------------

    async def sign_in(
        self,
        *,
        pin: str | None = None,
        login: str | None = None,
        password: str | None = None,
        reuse_token: bool = False,
    ) -> str:
        """Sign the cashier in (PIN on this register, or login and password). Offline, a PIN
        that signed in online before is accepted so selling can go on. With ``reuse_token``
        (headless commands) a stored token is used instead of a new sign-in; the client signs
        in again by itself if Checkbox rejects it. Returns the cashier's name."""
        await self._cashier.sign_in(pin, login, password, reuse_token)
        self._signed_in = True
        await self.recover()
        self.ctx.wake.set()
        return self.ctx.info.cashier_name or ""

    async def resume_session(
        self, *, pin: str | None = None, login: str | None = None, password: str | None = None
    ) -> None:
        """Headless commands: sign in with the stored token when there is one."""
        await self.sign_in(pin=pin, login=login, password=password, reuse_token=True)

    async def sign_out(self) -> None:
        await self._cashier.sign_out()
        self._signed_in = False
        self.ctx.changed()

    @property
    def signed_in(self) -> bool:
        return self._signed_in

    # --- catalogue ---------------------------------------------------------------------------

    def scan(self, text: str) -> ScannedItem | None:
        return catalogue_reads.scan(self.journal.catalogue, text)

    def search(self, text: str, limit: int = 50) -> list[CatalogueItem]:
        return catalogue_reads.search(self.journal.catalogue, text, limit)

    def item(self, code: str) -> CatalogueItem | None:
        return catalogue_reads.item(self.journal.catalogue, code)

    def barcode_owner(self, barcode: str) -> CatalogueItem | None:
        return catalogue_reads.barcode_owner(self.journal.catalogue, barcode)

    def categories(self) -> list[tuple[str, int]]:
        return catalogue_reads.categories(self.journal.catalogue)

    def in_category(self, name: str, limit: int = 200) -> list[CatalogueItem]:
        return catalogue_reads.in_category(self.journal.catalogue, name, limit)

    # --- shift -------------------------------------------------------------------------------

    def current_shift(self) -> Shift | None:
        return self.journal.shifts.current()

    async def open_shift(self, opening_float: int = 0) -> Shift:
        """Open a shift (online, or offline when Checkbox is unreachable and it is not the
        register's first). ``opening_float`` is the cash the drawer should hold: the difference
        to the balance Checkbox carried over goes in (or out) as a service receipt."""
        return await self._shifts.open_shift(opening_float)

    def carried_balance(self) -> int:
        """The cash Checkbox carries into the next shift (the last Z's balance), for the opening
        screen to show next to the float the cashier types."""
        return self._shifts.carried_balance()

    def local_report(self, shift: Shift) -> tuple[dict[str, Any], int]:
        """The shift's X/Z totals from the journal (and how many receipts are not settled)."""
        return self._shifts.local_report(shift)

    async def x_report(self) -> ShiftReportView:
        """X-report: the journal's totals, and the server's when it can be asked."""
        return await self._shifts.x_report()

    async def close_shift(
        self, counted_cash: int | None = None, *, collect: int = 0
    ) -> ShiftReportView:
        """Z-report: close the shift online, or offline with the report body from the journal.

        ``collect`` is the cash collection (інкасація) taken out of the drawer before the Z, as
        a service out (checked against the drawer like any): what is left is the balance
        Checkbox carries into the next shift, where the opening float starts from it."""
        return await self._shifts.close_shift(counted_cash, collect=collect)

    def collected(self, shift: Shift) -> Receipt | None:
        """The cash collection already taken out for this shift's Z, if any: a Z retried after a
        refused close never takes the cash out twice."""
        return self._shifts.collected(shift)

    def save_carts_soon(self, carts: list[HeldCart]) -> None:
        """Keep the window's open and parked carts (``held_carts.held``); the window's front
        runs this on the register's thread without waiting. A cart is not fiscal: a failure
        (a full disk) is logged and must not stop the selling."""
        try:
            self.journal.carts.replace(carts, self.ctx.now())
        except Exception:
            log.exception("saving the open and parked carts failed")

    # --- receipts ----------------------------------------------------------------------------

    async def sell(
        self,
        cart: Cart,
        tenders: Sequence[Tender],
        *,
        email: str | None = None,
        receipt_id: str | None = None,
        phone: str | None = None,
    ) -> Receipt:
        """Commit the cart as a receipt and fiscalise it; the journal has it before anything is
        sent or printed. Raises RegisterError with nothing committed when a rule refuses it.
        With ``receipt_id`` (a kiosk's idempotency key) a receipt the journal already has under
        that id is returned as it is: the same id twice fiscalises once. ``email`` may list
        several addresses (and a phone number); with ``phone`` they are the guide's
        ``delivery``, kept in the journal with the receipt so every resend and the offline
        upload still carry it."""
        return await self._sales.sell(
            cart, tenders, email=email, receipt_id=receipt_id, phone=phone
        )

    async def _fiscalise(self, new: Any, email: str | None = None) -> Receipt:
        free = self.journal.free_bytes()
        if free < self.min_free_bytes:
            raise RegisterError(Refusal.DISK_FULL, str(self.journal.path.parent), free=free)
        if email:
            self.ctx.emails[new.id] = email
        async with self.ctx.lock:
            try:
                receipt = await fiscalise(self.ctx, new)
            finally:
                self.ctx.changed()
        return receipt

    def returnable(self, sale_id: str) -> dict[int, int]:
        """Line position → quantity that may still be returned from the sale ``sale_id``."""
        return self._returns.returnable(sale_id)

    def quote_refund(
        self, sale_id: str, quantities: Mapping[int, int]
    ) -> tuple[int, list[Payment]]:
        """What ``refund`` would pay back (total, payments), without committing anything."""
        return self._returns.quote_refund(sale_id, quantities)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        """New warning thresholds from the settings, in force at once."""
        self.ctx.thresholds = thresholds
        self.ctx.changed()

    async def refund(self, sale_id: str, quantities: Mapping[int, int]) -> Receipt:
        """Return lines of an earlier sale (line position → quantity), refunded by the sale's
        own payment types, linked by ``related_receipt_id``."""
        return await self._returns.refund(sale_id, quantities)

    async def service_in(self, amount: int, reason: str = "") -> Receipt:
        return await self._cash.service_in(amount, reason)

    async def service_out(self, amount: int, reason: str = "") -> Receipt:
        return await self._cash.service_out(amount, reason)

    async def cash_withdrawal(
        self, amount: int, label: str = CARD_LABEL, terminal: Mapping[str, str] | None = None
    ) -> Receipt:
        """Cash paid out against a card (ФКЧ-4): the guide requires the terminal's data
        (``card_mask``, ``auth_code``, ``rrn``, ``terminal``) and the drawer must hold the cash."""
        return await self._cash.cash_withdrawal(amount, label, terminal)

    def receipt(self, receipt_id: str) -> Receipt | None:
        return self.journal.receipts.get(receipt_id)

    def find_receipts(
        self, text: str = "", *, day: datetime | None = None, limit: int = 50
    ) -> list[Receipt]:
        """Sales for a return: by fiscal code, the receipt number printed on it, receipt id (or
        its start), scanned receipt barcode, or the Kyiv day they were made; newest first."""
        return self._returns.find_receipts(text, day=day, limit=limit)

    # --- connectivity ------------------------------------------------------------------------

    async def force_offline(self) -> None:
        """The manager takes the register offline (e.g. a flaky line): local codes from now."""
        self.ctx.forced_offline = True
        self.ctx.set_setting("forced_offline", "1")
        self.ctx.move(ConnectivityEvent.FORCE_OFFLINE, "offline forced by the manager")

    async def release_offline(self) -> None:
        self.ctx.forced_offline = False
        self.ctx.set_setting("forced_offline", "0")
        self.ctx.move(ConnectivityEvent.RELEASE_OFFLINE, "forced offline ended by the manager")

    async def sync(self, *, wait: bool = False, give_up_after: float = 600.0) -> RegisterStatus:
        """One round of the worker now; with ``wait`` until online with an empty queue."""
        return await self._worker.sync(wait=wait, give_up_after=give_up_after)

    # --- guards ------------------------------------------------------------------------------

    def _require(self, *, signed_in: bool, shift: bool) -> Shift:
        if self._recovering:
            raise RegisterError(Refusal.RECOVERING, count=len(self._recovering))
        if signed_in and not self._signed_in:
            raise RegisterError(Refusal.NOT_SIGNED_IN)
        current = self.journal.shifts.current()
        if shift and current is not None and current.state is ShiftState.CLOSING:
            # The Z-report may be on Checkbox (sent, answer lost or still closing): the worker
            # asks Checkbox and settles it; neither a sale nor a second Z may go in meanwhile.
            raise RegisterError(Refusal.SHIFT_CLOSING)
        if shift and (current is None or current.state is not ShiftState.OPENED):
            raise RegisterError(Refusal.NO_SHIFT)
        if not shift and current is not None:
            raise RegisterError(Refusal.SHIFT_ALREADY_OPEN)
        return current  # type: ignore[return-value]

    def _require_selling(self) -> Shift:
        shift = self._require(signed_in=False, shift=True)
        stop = limits_now(self.ctx).stop(Limit.SHIFT_AGE)
        if stop is not None:
            raise RegisterError(Refusal.SHIFT_EXPIRED, left=stop.left)
        return shift


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None
