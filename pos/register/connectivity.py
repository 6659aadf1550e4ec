"""The register's connectivity as a small state machine with an explicit transition table.

Where the register stands decides how a receipt is fiscalised: online through Checkbox, through
Checkbox while the tax service is down (the server uses its own offline codes), locally with the
register's own codes while Checkbox itself is unreachable, or queued behind an upload that must
finish in order before the register goes online again. Every transition is a fact with a time and a
cause, so the journal can log it and the offline-time accounting can read that log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ConnectivityState(StrEnum):
    ONLINE = "ONLINE"
    SERVER_OFFLINE = (
        "SERVER_OFFLINE"  # Checkbox reachable, tax service not (offline_mode on server)
    )
    LOCAL_OFFLINE = "LOCAL_OFFLINE"  # Checkbox unreachable or offline forced: our own codes
    UPLOADING = "UPLOADING"  # sending the locally issued offline transactions, in order
    GOING_ONLINE = "GOING_ONLINE"  # go-online sent; polling the register until it is online


class ConnectivityEvent(StrEnum):
    NETWORK_LOST = "NETWORK_LOST"  # connect error or timeout talking to Checkbox
    NETWORK_BACK = "NETWORK_BACK"  # Checkbox answers again
    TAX_SERVICE_LOST = "TAX_SERVICE_LOST"  # server reports offline_mode without stay_offline
    TAX_SERVICE_BACK = "TAX_SERVICE_BACK"  # server reports offline_mode false
    FORCE_OFFLINE = "FORCE_OFFLINE"  # a manager chose to work offline
    RELEASE_OFFLINE = "RELEASE_OFFLINE"  # the manager ended the forced offline period
    UPLOAD_DONE = "UPLOAD_DONE"  # every queued offline transaction is on the server
    NOTHING_TO_UPLOAD = "NOTHING_TO_UPLOAD"  # back online without having issued anything offline
    SERVER_ONLINE = "SERVER_ONLINE"  # polling shows the register online after go-online


S = ConnectivityState
E = ConnectivityEvent

TRANSITIONS: dict[tuple[ConnectivityState, ConnectivityEvent], ConnectivityState] = {
    (S.ONLINE, E.NETWORK_LOST): S.LOCAL_OFFLINE,
    (S.ONLINE, E.TAX_SERVICE_LOST): S.SERVER_OFFLINE,
    (S.ONLINE, E.FORCE_OFFLINE): S.LOCAL_OFFLINE,
    (S.SERVER_OFFLINE, E.TAX_SERVICE_BACK): S.ONLINE,
    (S.SERVER_OFFLINE, E.NETWORK_LOST): S.LOCAL_OFFLINE,
    (S.SERVER_OFFLINE, E.FORCE_OFFLINE): S.LOCAL_OFFLINE,
    (S.LOCAL_OFFLINE, E.NETWORK_BACK): S.UPLOADING,
    (S.LOCAL_OFFLINE, E.RELEASE_OFFLINE): S.UPLOADING,
    (S.UPLOADING, E.UPLOAD_DONE): S.GOING_ONLINE,
    (S.UPLOADING, E.NOTHING_TO_UPLOAD): S.ONLINE,
    (S.UPLOADING, E.NETWORK_LOST): S.LOCAL_OFFLINE,
    (S.GOING_ONLINE, E.SERVER_ONLINE): S.ONLINE,
    (S.GOING_ONLINE, E.NETWORK_LOST): S.LOCAL_OFFLINE,
    (S.GOING_ONLINE, E.TAX_SERVICE_LOST): S.SERVER_OFFLINE,
}
"""Every allowed move; anything else is refused, so an unexpected event cannot corrupt the mode."""

# Events that merely confirm the state the register is already in.
_CONFIRMATIONS: frozenset[tuple[ConnectivityState, ConnectivityEvent]] = frozenset(
    {
        (S.ONLINE, E.NETWORK_BACK),
        (S.ONLINE, E.TAX_SERVICE_BACK),
        (S.ONLINE, E.SERVER_ONLINE),
        (S.SERVER_OFFLINE, E.TAX_SERVICE_LOST),
        (S.SERVER_OFFLINE, E.NETWORK_BACK),
        (S.LOCAL_OFFLINE, E.NETWORK_LOST),
        (S.LOCAL_OFFLINE, E.FORCE_OFFLINE),
        (S.UPLOADING, E.NETWORK_BACK),
        (S.GOING_ONLINE, E.NETWORK_BACK),
        (S.GOING_ONLINE, E.UPLOAD_DONE),
    }
)

OFFLINE_STATES = frozenset({S.LOCAL_OFFLINE, S.UPLOADING, S.GOING_ONLINE})
"""States in which the register's own offline period runs (its codes are in use or uploading)."""


class TransitionRefused(Exception):
    """An event that has no meaning in the current state (a bug in the caller, never ignored)."""

    def __init__(self, state: ConnectivityState, event: ConnectivityEvent) -> None:
        super().__init__(f"event {event} is not allowed in state {state}")
        self.state = state
        self.event = event


@dataclass(frozen=True)
class Transition:
    """One journaled change of state: when, from where, to where, and why."""

    at: datetime
    from_state: ConnectivityState
    to_state: ConnectivityState
    event: ConnectivityEvent
    cause: str


def next_state(state: ConnectivityState, event: ConnectivityEvent) -> ConnectivityState:
    """The state after `event`; the same state for a mere confirmation; refused otherwise."""
    if (state, event) in _CONFIRMATIONS:
        return state
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise TransitionRefused(state, event) from None


class ConnectivityMachine:
    """The current state plus the transition log of one register; pure, the clock is passed in."""

    def __init__(self, state: ConnectivityState = S.ONLINE) -> None:
        self._state = state

    @property
    def state(self) -> ConnectivityState:
        return self._state

    def handle(self, event: ConnectivityEvent, at: datetime, cause: str = "") -> Transition | None:
        """Apply `event`; returns the transition to journal, or None when nothing changed."""
        if at.tzinfo is None:
            raise ValueError("transitions are journaled with timezone-aware times")
        new = next_state(self._state, event)
        if new is self._state:
            return None
        transition = Transition(at, self._state, new, event, cause or event.value)
        self._state = new
        return transition
