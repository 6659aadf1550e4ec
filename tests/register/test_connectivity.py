"""The connectivity state machine: the table, confirmations, refusals and the full outage story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos.register.connectivity import (
    TRANSITIONS,
    ConnectivityEvent,
    ConnectivityMachine,
    ConnectivityState,
    TransitionRefused,
    next_state,
)

S = ConnectivityState
E = ConnectivityEvent
T0 = datetime(2026, 11, 21, 9, tzinfo=UTC)


def test_network_outage_story_uploads_before_going_online() -> None:
    machine = ConnectivityMachine()
    steps = [
        (E.NETWORK_LOST, S.LOCAL_OFFLINE),
        (E.NETWORK_BACK, S.UPLOADING),
        (E.UPLOAD_DONE, S.GOING_ONLINE),
        (E.SERVER_ONLINE, S.ONLINE),
    ]
    log = []
    for minute, (event, expected) in enumerate(steps):
        transition = machine.handle(event, T0 + timedelta(minutes=minute), cause="test")
        assert transition is not None
        assert transition.to_state is expected
        log.append(transition)
    assert [t.from_state for t in log] == [S.ONLINE, S.LOCAL_OFFLINE, S.UPLOADING, S.GOING_ONLINE]
    assert log[0].at < log[-1].at


def test_tax_service_outage_is_server_offline() -> None:
    machine = ConnectivityMachine()
    machine.handle(E.TAX_SERVICE_LOST, T0)
    assert machine.state is S.SERVER_OFFLINE
    machine.handle(E.TAX_SERVICE_BACK, T0)
    assert machine.state is S.ONLINE


def test_confirmations_change_nothing_and_log_nothing() -> None:
    machine = ConnectivityMachine(S.LOCAL_OFFLINE)
    assert machine.handle(E.NETWORK_LOST, T0) is None
    assert machine.state is S.LOCAL_OFFLINE


def test_unexpected_events_are_refused() -> None:
    with pytest.raises(TransitionRefused):
        next_state(S.ONLINE, E.UPLOAD_DONE)
    with pytest.raises(TransitionRefused):
        next_state(S.LOCAL_OFFLINE, E.SERVER_ONLINE)


def test_every_state_can_reach_online() -> None:
    for start in S:
        seen = {start}
        frontier = [start]
        while frontier:
            state = frontier.pop()
            for (origin, _event), target in TRANSITIONS.items():
                if origin is state and target not in seen:
                    seen.add(target)
                    frontier.append(target)
        assert S.ONLINE in seen or start is S.ONLINE


def test_naive_time_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ConnectivityMachine().handle(E.NETWORK_LOST, datetime(2026, 1, 1))
