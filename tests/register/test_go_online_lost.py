"""A crash after go-online may have left, before Checkbox confirmed it: the next offline period
must not trust the old "server is in manual offline" mark, or its receipts would be refused with
"Cash register should be in manual offline mode!" (found by the crash test under load); and
nothing is issued offline until Checkbox has said whether that go-online took effect."""

from __future__ import annotations

import pytest

from pos.checkbox.network_switch import NetworkSwitch
from pos.journal.records import QueueKind, ReceiptState
from pos.register.connectivity import ConnectivityState
from pos.register.errors import Refusal, RegisterError
from pos.register.fiscalise import LEAVING, SERVER_MANUAL_OFFLINE
from pos.register.service import RegisterService

from .conftest import sell_bread


async def test_an_unconfirmed_go_online_starts_the_next_period_with_a_go_offline(
    offline_register: tuple[RegisterService, NetworkSwitch],
) -> None:
    service, switch = offline_register
    await sell_bread(service)
    switch.cut = False
    status = await service.sync(wait=True, give_up_after=60)
    assert status.state is ConnectivityState.ONLINE
    # What a kill between sending go-online and hearing back leaves behind.
    service.ctx.set_setting(SERVER_MANUAL_OFFLINE, LEAVING)
    switch.cut = True
    # Checkbox may still be leaving that period (its end dated when go-online takes effect,
    # after anything issued now): nothing offline until Checkbox is asked.
    with pytest.raises(RegisterError) as refused:
        await sell_bread(service)
    assert refused.value.refusal is Refusal.UNREACHABLE
    switch.cut = False
    status = await service.sync(wait=True, give_up_after=60)
    assert status.state is ConnectivityState.ONLINE
    assert service.ctx.setting(SERVER_MANUAL_OFFLINE) == "0"
    switch.cut = True
    receipt_id = await sell_bread(service)
    assert [e.kind for e in service.journal.queue.pending()] == [
        QueueKind.GO_OFFLINE,
        QueueKind.RECEIPT,
    ]
    switch.cut = False
    status = await service.sync(wait=True, give_up_after=60)
    assert status.state is ConnectivityState.ONLINE
    assert status.set_aside == 0
    receipt = service.receipt(receipt_id)
    assert receipt is not None
    assert receipt.state is ReceiptState.UPLOADED
