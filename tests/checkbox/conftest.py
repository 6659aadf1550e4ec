"""A sandbox for the client's integration tests: real HTTP on 127.0.0.1, reset for every test.

One server per module (starting uvicorn per test would dominate the run time); every test starts
from the seeded state with rate limits on, as the shared ``sandbox`` fixture does.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from pos.checkbox import CheckboxClient, PinSignIn, RetryPolicy, Session
from pos.checkbox.models import GoodLine, OpenShift, Payment, SellReceipt
from pos.checkbox.models.receipt import Good
from pos.sandbox import server


@pytest.fixture(scope="module")
def running_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    data_dir: Path = tmp_path_factory.mktemp("checkbox-sandbox")
    with server.serve_in_thread(data_dir, signing_delay=0.05) as running:
        yield running


@pytest.fixture
def box(running_sandbox: Any) -> Any:
    running_sandbox.control("POST", "/sandbox/reset")
    running_sandbox.control("POST", "/sandbox/config", {"signing_delay": 0.05})
    return running_sandbox


def make_client(box: Any, transport: httpx.AsyncBaseTransport | None = None) -> CheckboxClient:
    register = box.registers[0]
    session = Session(
        PinSignIn(
            license_key=SecretStr(register.license_key), pin_code=SecretStr(register.cashier_pin)
        )
    )
    return CheckboxClient(
        box.base_url,
        session,
        transport=transport,
        retry=RetryPolicy(base=0.02, cap=0.1),
        timeout=10.0,
    )


@pytest.fixture
async def client(box: Any) -> AsyncIterator[CheckboxClient]:
    async with make_client(box) as signed_in:
        await signed_in.sign_in()
        yield signed_in


async def open_shift(client: CheckboxClient) -> str:
    shift_id = str(uuid.uuid4())
    await client.open_shift(OpenShift(id=shift_id))
    await client.wait_shift(shift_id, frozenset({"OPENED", "CLOSED"}), give_up_after=10)
    return shift_id


def sale(price: int = 10000, paid: int | None = None, kind: str = "CASH") -> SellReceipt:
    return SellReceipt(
        id=str(uuid.uuid4()),
        goods=[GoodLine(good=Good(code="1", name="Хліб", price=price, tax=[8]), quantity=1000)],
        payments=[Payment(type=kind, value=price if paid is None else paid)],
    )


def receipt_count(box: Any) -> int:
    count: int = box.control("GET", "/sandbox/state")["receipts"]
    return count
