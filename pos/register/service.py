"""The register service: the one API the cashier window and the headless commands call.

Every operation journals first and talks to Checkbox second (invariant 1), runs on the asyncio
loop and never blocks its caller's thread on the network. A background worker (``_run``) watches
connectivity, settles receipts left unsettled, uploads offline periods in order, and keeps the
offline code pool full. Refusals come as ``RegisterError`` with a reason the window translates.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from pos.checkbox import CheckboxClient, PasswordSignIn, PinSignIn, Session, TokenStore
from pos.checkbox.errors import (
    AuthError,
    CheckboxError,
    ConnectionFailed,
    RateLimited,
    TaxServiceUnavailable,
)
from pos.checkbox.models import OpenShift
from pos.checkbox.models.shift import SHIFT_CLOSED, SHIFT_OPENED
from pos.domain.errors import FiscalRuleError
from pos.domain.receipt import (
    Line,
    Payment,
    PaymentType,
    ReceiptType,
    cash_due,
    check_return,
    price_receipt,
    settle,
)
from pos.domain.reports import shift_report
from pos.domain.rounding import RoundingMode
from pos.journal import Journal
from pos.journal.catalogue import ScannedItem
from pos.journal.chain_marker import ChainMarker
from pos.journal.errors import NoFreeOfflineCodeError
from pos.journal.held_carts import HeldCart, cart_text
from pos.journal.instants import to_micros
from pos.journal.records import (
    CatalogueItem,
    QueueEntry,
    Receipt,
    ReceiptState,
    Shift,
    ShiftState,
)
from pos.register import bodies, catalogue_reads, recovery, return_reads
from pos.register.cart import Cart, Tender
from pos.register.code_pool import refill
from pos.register.connectivity import ConnectivityEvent, ConnectivityState
from pos.register.context import (
    CLOCK_SKEW,
    JOURNAL_BEHIND,
    NEEDS_RECONCILE,
    Now,
    RegisterContext,
    is_unreachable,
    utc_now,
)
from pos.register.errors import SHIFT_OPEN_REFUSED, Refusal, RegisterError, kind_of
from pos.register.fiscalise import (
    LOCAL_STATES,
    check_clock,
    check_offline_allowed,
    ensure_go_offline,
    fiscalise,
    limits_now,
    reconcile_quietly,
)
from pos.register.held_carts import cart_body
from pos.register.limits import Limit, Thresholds, limit_state
from pos.register.pin_digest import make_digest, matches
from pos.register.status import RegisterStatus, ShiftReportView
from pos.register.status_counters import StatusCounters
from pos.register.trusted_time import Monotonic, TrustedClock, system_monotonic
from pos.register.upload import upload_and_go_online

if TYPE_CHECKING:
    from pos.register.orders import OrderDesk

log = logging.getLogger(__name__)

FISCALISED = return_reads.FISCALISED
UNSETTLED = recovery.UNSETTLED
SHIFT_WAIT_SECONDS = 30.0
CASH_LABEL = "Готівка"
MIN_FREE_BYTES = 20 * 1024 * 1024
"""Below this much free space on the journal's disk no receipt is committed (case 3)."""
CARD_LABEL = "Картка"
COLLECTION_LABEL = "Інкасація перед Z-звітом"
"""The service out of the cash collection made with the Z (how ``collected`` finds it)."""
TERMINAL_FIELDS = ("card_mask", "auth_code", "rrn", "terminal")
"""What a cash withdrawal must carry of the card terminal's slip (the guide's required data)."""


@dataclass(frozen=True)
class Intervals:
    """How often the worker looks at Checkbox (seconds)."""

    poll: float = 10.0  # online: the register's mode on the server
    probe: float = 5.0  # offline: is Checkbox reachable again?
    ping: float = 30.0  # online: is the tax service answering?


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
        self._pepper = pin_pepper
        self.journal = journal
        self.client = client
        self.training = training
        self.rounding_mode = rounding_mode
        self.intervals = intervals or Intervals()
        self._license_key = SecretStr(license_key) if license_key else None
        self._token_store = token_store
        self._signed_in = False
        self._recovering: tuple[str, ...] = ()
        self._worker: asyncio.Task[None] | None = None
        self._last_ping = 0.0
        self._last_poll = 0.0
        self._orders: OrderDesk | None = None
        self._counters = StatusCounters(journal, UNSETTLED)
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
        if worker and self._worker is None:
            self._worker = asyncio.create_task(self._run(), name="register-worker")

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None

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
        credentials = self._credentials(pin, login, password)
        self.client.session = Session(credentials, token_store=self._token_store)
        secret = pin if pin is not None else f"{login}\n{password}"
        try:
            if not reuse_token or self.client.session.token is None:
                await self.client.sign_in()
            await self._after_sign_in()
        except AuthError as error:
            raise RegisterError(
                Refusal.SIGN_IN_FAILED, error.message, kind=kind_of(error)
            ) from error
        except CheckboxError as error:
            if not is_unreachable(error):
                raise RegisterError(
                    Refusal.SIGN_IN_FAILED, error.message, kind=kind_of(error)
                ) from error
            if not self._known_secret(secret):
                raise RegisterError(
                    Refusal.UNREACHABLE, error.message, kind=kind_of(error)
                ) from error
            self.ctx.move(ConnectivityEvent.NETWORK_LOST, "sign-in: Checkbox unreachable")
        else:
            self._remember_secret(secret)
        self._signed_in = True
        await self.recover()
        self.ctx.wake.set()
        return self.ctx.info.cashier_name or ""

    async def resume_session(
        self, *, pin: str | None = None, login: str | None = None, password: str | None = None
    ) -> None:
        """Headless commands: sign in with the stored token when there is one."""
        await self.sign_in(pin=pin, login=login, password=password, reuse_token=True)

    def _credentials(
        self, pin: str | None, login: str | None, password: str | None
    ) -> PinSignIn | PasswordSignIn:
        if pin is not None:
            if self._license_key is None:
                raise RegisterError(Refusal.SIGN_IN_FAILED, "no license key configured")
            return PinSignIn(self._license_key, SecretStr(pin))
        if login is not None and password is not None:
            return PasswordSignIn(login, SecretStr(password), self._license_key)
        raise RegisterError(Refusal.BAD_INPUT, "PIN or login and password", field="pin")

    async def _after_sign_in(self) -> None:
        me = await self.client.me()
        info = await self.client.cash_register_info()
        self.ctx.info.cashier_name = me.full_name or ""
        self.ctx.info.fiscal_number = info.fiscal_number
        self.ctx.info.cash_register_id = info.id
        self.ctx.set_setting("cashier_name", me.full_name or "")
        self.ctx.set_setting("fiscal_number", info.fiscal_number or "")
        self.ctx.set_setting("cash_register_id", info.id)
        server_shift = await self.client.cashier_shift()
        await self._check_history(server_shift is not None or info.offline_mode)
        local = self.journal.shifts.current()
        # A shift the journal already has (e.g. closed offline, not yet uploaded) is not adopted.
        known = server_shift is not None and self.journal.shifts.get(server_shift.id) is not None
        if server_shift is not None and local is None and not known:
            now = self.ctx.now()
            self.journal.shifts.open(server_shift.id, now)
            self.journal.shifts.update(
                server_shift.id,
                now,
                state=ShiftState.OPENED,
                serial=server_shift.serial,
                opened_at=server_shift.opened_at,
                server_response=server_shift.model_dump(mode="json", exclude_none=True),
            )
        if self.ctx.state is ConnectivityState.ONLINE and info.offline_mode:
            self.ctx.move(ConnectivityEvent.TAX_SERVICE_LOST, "register offline on Checkbox")
        with contextlib.suppress(CheckboxError):
            await refill(self.ctx)

    async def _check_history(self, server_knows: bool) -> None:
        """A journal with no history of its own on a register Checkbox already has history of
        (deleted, recreated, or a new PC, with no backup and no mark to tell): an earlier
        journal's offline documents may be unsent, so nothing is issued offline until this
        one has reconciled online, and status and the screen say why (case 5)."""
        if self.ctx.behind or self.journal.shifts.list(limit=1):
            return
        if self.journal.receipts.list(limit=1):
            return
        if not server_knows:
            with contextlib.suppress(CheckboxError):
                server_knows = bool(await self.client.shifts(limit=1))
        if server_knows:
            reason = (
                f"the journal {self.journal.path} is new, but Checkbox already has this "
                "register's history (an earlier journal lost or left on another PC?)"
            )
            log.warning("journal behind Checkbox: %s", reason)
            self.ctx.set_setting(JOURNAL_BEHIND, reason)

    def _known_secret(self, secret: str) -> bool:
        stored = self.ctx.setting("cashier_secret_hash")
        return bool(stored) and matches(stored or "", secret, self._pepper)

    def _remember_secret(self, secret: str) -> None:
        self.ctx.set_setting("cashier_secret_hash", make_digest(secret, self._pepper))

    async def sign_out(self) -> None:
        with contextlib.suppress(CheckboxError):
            await self.client.sign_out()
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
        self._require(signed_in=True, shift=False)
        if opening_float < 0:
            raise RegisterError(Refusal.BAD_INPUT, "opening float", field="amount")
        async with self.ctx.lock:
            shift = await self._open_shift()
        if opening_float:
            # Checkbox carries the drawer's cash from the last shift (balance.initial): only the
            # difference to the agreed float is booked, in or out, so the Z shows no false gap.
            carried = self._shift_initial(self.journal.shifts.get(shift.id) or shift)
            if opening_float > carried:
                await self.service_in(opening_float - carried, "Розмінна монета")
            elif opening_float < carried:
                await self.service_out(carried - opening_float, "Інкасація до розмінної суми")
        return self.journal.shifts.get(shift.id) or shift

    def carried_balance(self) -> int:
        """The cash Checkbox carries into the next shift (the last Z's balance), for the opening
        screen to show next to the float the cashier types."""
        return self._carried_balance()

    async def _open_shift(self) -> Shift:
        now = self.ctx.now()
        shift_id = bodies.new_id()
        initial = self._carried_balance()
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

    def _carried_balance(self) -> int:
        for shift in self.journal.shifts.list(limit=10):
            if shift.state is ShiftState.CLOSED and shift.z_report:
                return int(shift.z_report.get("balance", 0))
        return 0

    def _shift_initial(self, shift: Shift) -> int:
        response = shift.server_response or {}
        balance = response.get("balance") or {}
        if isinstance(balance, dict) and "initial" in balance:
            return int(balance["initial"])
        return shift.initial_balance

    def local_report(self, shift: Shift) -> tuple[dict[str, Any], int]:
        """The shift's X/Z totals from the journal (and how many receipts are not settled)."""
        receipts = self.journal.receipts.list(shift_id=shift.id)
        fiscal = [bodies.fiscal_receipt(r) for r in receipts if r.state in FISCALISED]
        pending = sum(1 for r in receipts if r.state in UNSETTLED)
        chain, chain_pending = self.orders.fiscal_receipts(shift.id)  # customer orders' advances
        fiscal += chain
        pending += chain_pending
        report = shift_report(fiscal, initial=self._shift_initial(shift))
        return bodies.report_fields(report), pending

    async def x_report(self) -> ShiftReportView:
        """X-report: the journal's totals, and the server's when it can be asked."""
        shift = self._require(signed_in=False, shift=True)
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
        """Z-report: close the shift online, or offline with the report body from the journal.

        ``collect`` is the cash collection (інкасація) taken out of the drawer before the Z, as
        a service out (checked against the drawer like any): what is left is the balance
        Checkbox carries into the next shift, where the opening float starts from it."""
        shift = self._require(signed_in=False, shift=True)
        if collect < 0:
            raise RegisterError(Refusal.BAD_INPUT, "cash collection", field="amount")
        if collect:
            taken = self.collected(shift) or await self.service_out(collect, COLLECTION_LABEL)
            if counted_cash is not None:  # counted before the collection: what is left now
                counted_cash -= taken.total_sum
        if counted_cash is not None:  # for the manager's shift reports (pos.reports.shifts)
            self.ctx.set_setting(f"counted_cash:{shift.id}", str(counted_cash))
        await recovery.settle_receipts(self.ctx)
        if self._signed_in and self.ctx.state not in LOCAL_STATES:
            await self.orders.settle()
        if self.ctx.state not in LOCAL_STATES and self.journal.queue.pending_count():
            await self.sync(wait=False)
        async with self.ctx.lock:
            local, pending = self.local_report(shift)
            if pending:
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

    def save_carts_soon(self, carts: list[HeldCart]) -> None:
        """Keep the window's open and parked carts (``held_carts.held``); the window's front
        runs this on the register's thread without waiting. A cart is not fiscal: a failure
        (a full disk) is logged and must not stop the selling."""
        try:
            self.journal.carts.replace(carts, self.ctx.now())
        except Exception:
            log.exception("saving the open and parked carts failed")

    def collected(self, shift: Shift) -> Receipt | None:
        """The cash collection already taken out for this shift's Z, if any: a Z retried after a
        refused close never takes the cash out twice."""
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
        if receipt_id is not None:
            existing = self.journal.receipts.get(receipt_id)
            if existing is not None:
                return existing
        shift = self._require_selling()
        if cart.is_empty:
            raise RegisterError(Refusal.BAD_INPUT, "empty cart", field="cart")
        try:
            delivery = bodies.delivery(email, phone) or None
        except ValueError as error:
            raise RegisterError(Refusal.BAD_INPUT, str(error), field="delivery") from error
        payments = [_payment(t) for t in tenders]
        has_cash = any(t.type is PaymentType.CASH for t in tenders)
        try:
            priced = cart.priced()
            settlement = settle(
                priced, payments, rounding=has_cash, rounding_mode=self.rounding_mode
            )
        except FiscalRuleError as error:
            raise RegisterError(Refusal.FISCAL_RULE, error.message) from error
        new = bodies.new_receipt(
            priced,
            settlement,
            now=self.ctx.now(),
            shift_id=shift.id,
            payment_details=[t.details for t in tenders],
            receipt_id=receipt_id,
        )
        if delivery is not None:
            new = dataclasses.replace(new, delivery=delivery)
        # The window's open cart, if it is this one, is cleared by the sale's own commit.
        new = dataclasses.replace(new, sold_cart=cart_text(cart_body(cart)))
        return await self._fiscalise(new)

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
        return return_reads.returnable(self.journal.receipts, sale_id)

    def _returned_before(self, sale_id: str) -> dict[str, int]:
        return return_reads.returned_before(self.journal.receipts, sale_id)

    def quote_refund(
        self, sale_id: str, quantities: Mapping[int, int]
    ) -> tuple[int, list[Payment]]:
        """What ``refund`` would pay back (total, payments), without committing anything."""
        sale = self._sale(sale_id)
        total = return_reads.refund_total(sale, quantities)
        if not total:
            return 0, []
        return total, _refund_payments(sale, total, self.rounding_mode)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        """New warning thresholds from the settings, in force at once."""
        self.ctx.thresholds = thresholds
        self.ctx.changed()

    async def refund(self, sale_id: str, quantities: Mapping[int, int]) -> Receipt:
        """Return lines of an earlier sale (line position → quantity), refunded by the sale's
        own payment types, linked by ``related_receipt_id``."""
        shift = self._require_selling()
        sale = self._sale(sale_id)
        wanted = {pos: qty for pos, qty in quantities.items() if qty > 0}
        if not wanted:
            raise RegisterError(Refusal.BAD_INPUT, "nothing to return", field="quantity")
        returning: dict[str, int] = {}
        for pos, qty in wanted.items():
            if not 1 <= pos <= len(sale.lines):
                raise RegisterError(Refusal.BAD_INPUT, "no such line", field="line")
            code = sale.lines[pos - 1].code
            returning[code] = returning.get(code, 0) + qty
        try:
            check_return(
                bodies.quantities_by_code([sale]), self._returned_before(sale_id), returning
            )
            lines = self._return_lines(sale, wanted)
            priced = price_receipt(lines)
            payments = _refund_payments(sale, priced.total_sum, self.rounding_mode)
            settlement = settle(
                priced,
                payments,
                rounding=any(p.type is PaymentType.CASH for p in payments),
                rounding_mode=self.rounding_mode,
            )
        except FiscalRuleError as error:
            raise RegisterError(Refusal.FISCAL_RULE, error.message) from error
        new = bodies.new_receipt(
            priced,
            settlement,
            now=self.ctx.now(),
            shift_id=shift.id,
            related_receipt_id=sale.id,
        )
        return await self._fiscalise(new)

    def _return_lines(self, sale: Receipt, wanted: Mapping[int, int]) -> list[Line]:
        return return_reads.return_lines(sale, wanted)

    def _sale(self, sale_id: str) -> Receipt:
        return return_reads.sale(self.journal.receipts, sale_id)

    async def service_in(self, amount: int, reason: str = "") -> Receipt:
        return await self._service(ReceiptType.SERVICE_IN, amount, reason or CASH_LABEL)

    async def service_out(self, amount: int, reason: str = "") -> Receipt:
        self._check_drawer(amount)
        return await self._service(ReceiptType.SERVICE_OUT, amount, reason or CASH_LABEL)

    async def cash_withdrawal(
        self, amount: int, label: str = CARD_LABEL, terminal: Mapping[str, str] | None = None
    ) -> Receipt:
        """Cash paid out against a card (ФКЧ-4): the guide requires the terminal's data
        (``card_mask``, ``auth_code``, ``rrn``, ``terminal``) and the drawer must hold the cash."""
        details = {k: v for k, v in (terminal or {}).items() if v}
        missing = [name for name in TERMINAL_FIELDS if not details.get(name)]
        if missing:
            raise RegisterError(Refusal.BAD_INPUT, ", ".join(missing), field="terminal")
        self._check_drawer(amount)
        return await self._service(ReceiptType.CASH_WITHDRAWAL, amount, label, details)

    def _check_drawer(self, amount: int) -> None:
        """Before sending, online or offline: never more cash out than the drawer holds (the
        guide's own text, as Checkbox would answer)."""
        shift = self._require_selling()
        local, _ = self.local_report(shift)
        balance = int(local.get("balance", 0))
        if amount > balance:
            raise RegisterError(
                Refusal.FISCAL_RULE,
                "Неможливо виконати операцію, оскільки в касі недостатньо коштів "
                f"({amount / 100:.2f} > {balance / 100:.2f})",
                balance=balance,
            )

    async def _service(
        self, kind: ReceiptType, amount: int, label: str, details: dict[str, Any] | None = None
    ) -> Receipt:
        shift = self._require_selling()
        if amount <= 0:
            raise RegisterError(Refusal.BAD_INPUT, "amount", field="amount")
        new = bodies.service_receipt(
            kind, amount, now=self.ctx.now(), shift_id=shift.id, label=label, details=details
        )
        return await self._fiscalise(new)

    def receipt(self, receipt_id: str) -> Receipt | None:
        return self.journal.receipts.get(receipt_id)

    def find_receipts(
        self, text: str = "", *, day: datetime | None = None, limit: int = 50
    ) -> list[Receipt]:
        """Sales for a return (``return_reads.find_sales``)."""
        return return_reads.find_sales(self.journal.receipts, text, day=day, limit=limit)

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
        deadline = asyncio.get_running_loop().time() + give_up_after
        while True:
            await self._step(force=True)
            status = self.status()
            if not wait or (status.state is ConnectivityState.ONLINE and status.queued == 0):
                return status
            if asyncio.get_running_loop().time() > deadline:
                raise RegisterError(Refusal.UNREACHABLE, f"still {status.state.value}")
            await asyncio.sleep(min(self.intervals.probe, 1.0))

    # --- the worker --------------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            try:
                await self._step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("register worker step failed")
            online = self.ctx.state in (ConnectivityState.ONLINE, ConnectivityState.SERVER_OFFLINE)
            delay = self.intervals.poll if online else self.intervals.probe
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow the task's cancel.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self.ctx.wake.wait()
            self.ctx.wake.clear()

    async def _step(self, *, force: bool = False) -> None:
        ctx = self.ctx
        if not self._signed_in:
            return  # nothing can be sent or asked without a cashier's token
        try:
            if ctx.state is ConnectivityState.LOCAL_OFFLINE:
                if ctx.forced_offline:
                    return
                await self.client.cash_register_info()
                ctx.move(ConnectivityEvent.NETWORK_BACK, "Checkbox answers again")
            if ctx.state in (ConnectivityState.UPLOADING, ConnectivityState.GOING_ONLINE):
                await upload_and_go_online(ctx)
                return
            if ctx.needs_reconcile or ctx.behind:
                await reconcile_quietly(ctx)
            await recovery.resolve_shift(self.ctx)  # e.g. a Z-report Checkbox was still closing
            await recovery.settle_receipts(self.ctx)
            await self.orders.settle()  # customer orders' chain receipts left unconfirmed
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
        if force or now - self._last_poll >= self.intervals.poll:
            self._last_poll = now
            register = await self.client.cash_register_info()
            if register.offline_mode:
                if ctx.move(ConnectivityEvent.TAX_SERVICE_LOST, "register offline on Checkbox"):
                    await reconcile_quietly(ctx)
                return
        if self._signed_in and (force or now - self._last_ping >= self.intervals.ping):
            self._last_ping = now
            try:
                await self.client.ping_tax_service()
            except TaxServiceUnavailable as error:
                ctx.move(ConnectivityEvent.TAX_SERVICE_LOST, error.message)

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


def _surely_not_sent(error: BaseException) -> bool:
    """True only when the request never left this PC (the connection was refused)."""
    return isinstance(error, ConnectionFailed) and not error.maybe_sent


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


def _payment(tender: Tender) -> Payment:
    label = tender.label or (CASH_LABEL if tender.type is PaymentType.CASH else CARD_LABEL)
    return Payment(tender.type, tender.value, label)


def _refund_payments(sale: Receipt, total: int, mode: RoundingMode) -> list[Payment]:
    """Refund by the sale's payment types: to the card up to what the card paid, the rest in
    cash (rounded by the NBU rule, as cash always is)."""
    card = sum(p.value for p in sale.payments if p.type == PaymentType.CASHLESS.value)
    card_part = min(card, total)
    payments: list[Payment] = []
    if card_part:
        payments.append(Payment(PaymentType.CASHLESS, card_part, CARD_LABEL))
    if total > card_part:
        cash = cash_due(total, card_part, rounding=True, mode=mode)
        payments.append(Payment(PaymentType.CASH, cash, CASH_LABEL))
    return payments
