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
from pos.register.connectivity import (
    ConnectivityEvent,
    ConnectivityMachine,
    ConnectivityState,
    Transition,
    TransitionRefused,
)
from pos.register.limits import Thresholds

log = logging.getLogger(__name__)

Now = Callable[[], datetime]


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
    needs_reconcile: bool = False  # Checkbox went offline on its own: its code use is unknown
    go_online_sent: bool = False  # this process asked Checkbox to leave manual offline mode
    go_offline_queued: bool | None = None  # a go-offline is waiting in the queue (None: unknown)

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
        for listener in list(self.listeners):
            try:
                listener()
            except Exception:  # a broken listener must not break fiscalisation
                log.exception("status listener failed")

    def setting(self, key: str) -> str | None:
        return self.journal.settings.get(key)

    def set_setting(self, key: str, value: str) -> None:
        self.journal.settings.set(key, value)
