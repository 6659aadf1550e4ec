"""A signed-in register with an open shift against the sandbox, its network cable pulled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos.checkbox import CheckboxClient, RetryPolicy
from pos.checkbox.network_switch import NetworkSwitch
from pos.domain.receipt import PaymentType
from pos.journal import Journal
from pos.journal.records import CatalogueItem, ReceiptState
from pos.register.cart import Cart, Tender
from pos.register.service import RegisterService
from pos.sandbox.server import RunningSandbox


@pytest.fixture
async def offline_register(
    sandbox: RunningSandbox, tmp_path: Path
) -> AsyncIterator[tuple[RegisterService, NetworkSwitch]]:
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    seeded = sandbox.registers[0]
    journal = Journal.open(tmp_path / "journal.sqlite")
    journal.catalogue.upsert([CatalogueItem("1", "Хліб", 3490, (8,))], datetime.now(UTC))
    switch = NetworkSwitch()
    client = CheckboxClient(
        sandbox.base_url,
        transport=switch,
        retry=RetryPolicy(base=0.01, cap=0.05),
        rate_limits=False,
    )
    service = RegisterService(journal, client, license_key=seeded.license_key)
    await service.start(worker=False)
    await service.sign_in(pin=seeded.cashier_pin)
    await service.open_shift()
    switch.cut = True
    yield service, switch
    await client.aclose()
    journal.close()


async def sell_bread(service: RegisterService) -> str:
    cart = Cart()
    item = service.item("1")
    assert item is not None
    cart.add(item)
    receipt = await service.sell(cart, [Tender(PaymentType.CASHLESS, 3490)])
    assert receipt.state is ReceiptState.OFFLINE_ISSUED
    return receipt.id
