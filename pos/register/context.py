"""What every part of the register shares: journal, client, clock, connectivity, one fiscal lock.

Why a context object: the service, the fiscaliser, the uploader, the code pool and the recovery
each do one job, but they must agree on the current connectivity state, journal every transition
the same way, and never interleave two fiscal operations; passing one context keeps that in one
place.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pos.checkbox import AmbiguousOutcome, CheckboxClient
from pos.checkbox.errors import ServiceUnavailable
from pos.journal import Journal
from pos.journal.chain_marker import ChainMarker
from pos.journal.instants import to_micros
from pos.register.connectivity import (
    ConnectivityEvent,
    ConnectivityMachine,
    ConnectivityState,
    Transition,
    TransitionRefused,
)
from pos.register.limits import Thresholds
from pos.register.trusted_time import TrustedClock

log = logging.getLogger(__name__)

Now = Callable[[], datetime]

NEEDS_RECONCILE = "codes_unreconciled"
"""Setting "1": Checkbox went into automatic offline mode and spent codes on its own; no local
offline issuance until get-offline-codes has reconciled the pool (survives a crash)."""
JOURNAL_BEHIND = "journal_behind"
"""Setting: why this journal may be behind Checkbox (restored, copied, recreated); empty when
it is not. No local offline issuance until an online reconcile clears it."""
CLOCK_SKEW = "clock_skew_seconds"
"""Setting: the PC clock's difference from Checkbox's (seconds) when beyond the tolerance and
not yet confirmed by the cashier; empty otherwise."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def is_unreachable(error: BaseException) -> bool:
    """Checkbox did not answer (connect/timeout/5xx gateway) or an outcome cannot be settled."""
    return isinstance(error, ServiceUnavailable | AmbiguousOutcome | TimeoutError)


@dataclass
class RegisterInfo:
    """What the receipt header and the check link need from the server, cached in settings."""

    cash_register_id: str | None = None
    fiscal_number: str | None = None
    cashier_name: str | None = None


@dataclass
class RegisterContext:
    journal: Journal
    client: CheckboxClient
    now: Now = utc_now
    thresholds: Thresholds = field(default_factory=Thresholds)
    machine: ConnectivityMachine = field(default_factory=ConnectivityMachine)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    info: RegisterInfo = field(default_factory=RegisterInfo)
    forced_offline: bool = False
    listeners: list[Callable[[], None]] = field(default_factory=list)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    emails: dict[str, str] = field(default_factory=dict)  # receipt id → the buyer's e-mail
    reconcile_pending: bool = False  # Checkbox went offline on its own: its code use is unknown
    go_online_sent: bool = False  # this process asked Checkbox to leave manual offline mode
    go_offline_queued: bool | None = None  # a go-offline is waiting in the queue (None: unknown)
    trusted: TrustedClock | None = None  # "now" = last trusted instant + monotonic time
    chain: ChainMarker | None = None  # this PC's mark of how far the journal got
    # Receipts whose request may have reached Checkbox and whose answer is not in (the journal
    # has them SENDING): recovery asks Checkbox about them each round; the status shows them.
    awaiting: set[str] = field(default_factory=set)

    @property
    def needs_reconcile(self) -> bool:
        return self.reconcile_pending

    @needs_reconcile.setter
    def needs_reconcile(self, value: bool) -> None:
        """Persisted before it is believed: a crash must not forget that Checkbox spent codes."""
        if value != self.reconcile_pending:
            self.set_setting(NEEDS_RECONCILE, "1" if value else "0")
        self.reconcile_pending = value

    @property
    def behind(self) -> str:
        return self.setting(JOURNAL_BEHIND) or ""

    def mark_chain(self) -> None:
        """Tell this PC's mark how far the journal's fiscal clock got (never moves it back)."""
        if self.chain is None:
            return
        last = self.journal.clock.last_instant()
        if last is not None:
            try:
                self.chain.advance(to_micros(last))
            except OSError as error:  # the mark is a guard, never a reason to fail a sale
                log.warning("journal mark not written: %s", error)

    @property
    def state(self) -> ConnectivityState:
        return self.machine.state

    def move(self, event: ConnectivityEvent, cause: str = "") -> Transition | None:
        """Feed the state machine; journal and announce a real change."""
        try:
            transition = self.machine.handle(event, self.now(), cause)
        except TransitionRefused:
            log.debug("%s ignored in %s", event, self.machine.state)
            return None
        if transition is not None:
            self.journal.transitions.append(
                transition.at, transition.from_state.value, transition.to_state.value, cause
            )
            log.info("register %s → %s (%s)", transition.from_state, transition.to_state, cause)
            self.wake.set()
            self.changed()
        return transition

    def changed(self) -> None:
        self.mark_chain()
        for listener in list(self.listeners):
            try:
                listener()
            except Exception:  # a broken listener must not break fiscalisation
                log.exception("status listener failed")

    def setting(self, key: str) -> str | None:
        return self.journal.settings.get(key)

    def set_setting(self, key: str, value: str) -> None:
        self.journal.settings.set(key, value)
