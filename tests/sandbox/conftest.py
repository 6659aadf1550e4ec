"""Helpers for driving the sandbox over real HTTP: a signed-in cashier and receipt bodies."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import time_machine

from pos.sandbox.server import RunningSandbox, SeededRegister

HEADERS = {"X-Client-Name": "pos-tests", "X-Client-Version": "1.0"}
PACE = 0.5


@pytest.fixture
def still_clock() -> Iterator[None]:
    """Time stands still in this process (the sandbox's thread included) while a test sends a
    burst that must land within one of the rate limits' seconds: on a loaded machine real time
    would pass between the requests. Only ``Cashier.advance`` (the sandbox's offset) moves it."""
    with time_machine.travel(datetime.now(UTC), tick=False):
        yield


def paced(sandbox: RunningSandbox, pace: float = 0.5, **options: Any) -> httpx.Client:
    """A client that keeps the seed's "≤ 2 requests a second per register" on the sandbox's own
    clock: half a simulated second passes before every request, and nobody sleeps."""

    def step(_request: httpx.Request) -> None:
        offset = sandbox.control("GET", "/sandbox/state")["clock_offset_seconds"]
        sandbox.control("POST", "/sandbox/clock", {"offset_seconds": offset + pace})

    options.setdefault("base_url", sandbox.api_url)
    return httpx.Client(event_hooks={"request": [step]}, **options)


class Cashier:
    """A cashier signed in on one seeded register, with the API's calls as methods."""

    def __init__(self, sandbox: RunningSandbox, register: SeededRegister) -> None:
        self.sandbox = sandbox
        self.register = register
        self.pace = PACE  # 0 for a test that breaks the rate limit on purpose
        self.http = httpx.Client(
            base_url=sandbox.api_url,
            headers=HEADERS,
            timeout=10,
            event_hooks={"request": [self._pace]},
        )
        response = self.http.post(
            "/cashier/signinPinCode",
            json={"pin_code": register.cashier_pin},
            headers={"X-License-Key": register.license_key},
        )
        assert response.status_code == 200, response.text
        self.token: str = response.json()["access_token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"
        self.http.headers["X-License-Key"] = register.license_key

    def _pace(self, _request: httpx.Request) -> None:
        """Keep the seed's "≤ 2 requests a second per register" on the sandbox's own clock:
        half a simulated second passes before every request, nobody sleeps."""
        if self.pace:
            self.advance(self.pace)

    def public(self, path: str) -> httpx.Response:
        """A call made as the seed's curl makes it: only the client's headers (visualisations)."""
        with httpx.Client(base_url=self.sandbox.api_url, headers=HEADERS, timeout=10) as http:
            return http.get(path)

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.get(path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> httpx.Response:
        return self.http.post(path, json=body, **kw)

    def ok(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        response = self.http.request(method, path, json=body)
        assert response.status_code == status, f"{method} {path}: {response.text}"
        return response.json()

    def open_shift(self) -> dict[str, Any]:
        shift = self.ok("POST", "/shifts", status=202)
        opened = self.ok("GET", f"/shifts/{shift['id']}")
        assert opened["status"] == "OPENED"
        return dict(opened)

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = self.sandbox.control("GET", "/sandbox/state")
        return state

    def register_state(self) -> dict[str, Any]:
        for reg in self.state()["registers"]:
            if reg["id"] == self.register.cash_register_id:
                return dict(reg)
        raise AssertionError("register missing")

    def advance(self, seconds: float) -> None:
        """Move the sandbox clock forward (relative to its current offset)."""
        offset = self.state()["clock_offset_seconds"]
        self.sandbox.control("POST", "/sandbox/clock", {"offset_seconds": offset + seconds})

    def receipt(self, receipt_id: str) -> dict[str, Any]:
        """GET /receipts/{id} after the "being created" window has passed."""
        self.advance(0.1)
        return dict(self.ok("GET", f"/receipts/{receipt_id}"))


def good(
    code: str = "500", price: int = 19500, qty: int = 1000, tax: Any = (1,), **extra: Any
) -> dict[str, Any]:
    return {
        "good": {"code": code, "name": f"Товар {code}", "price": price, "tax": list(tax)},
        "quantity": qty,
        **extra,
    }


def sale(
    goods: list[dict[str, Any]], payments: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "goods": goods, "payments": payments, **extra}


def cash(value: int) -> dict[str, Any]:
    return {"type": "CASH", "value": value}


def card(value: int) -> dict[str, Any]:
    return {"type": "CASHLESS", "value": value, "label": "Картка"}


@pytest.fixture
def cashier(sandbox: RunningSandbox) -> Iterator[Cashier]:
    c = Cashier(sandbox, sandbox.registers[0])
    yield c
    c.http.close()


@pytest.fixture
def second(sandbox: RunningSandbox) -> Iterator[Cashier]:
    c = Cashier(sandbox, sandbox.registers[1])
    yield c
    c.http.close()
