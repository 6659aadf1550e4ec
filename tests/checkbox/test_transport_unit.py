"""The transport's rules, against httpx.MockTransport: headers, re-sign-in, 429, 503, secrets."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from pydantic import SecretStr

import pos
from pos.checkbox import CheckboxClient, MemoryTokenStore, PinSignIn, RetryPolicy, Session
from pos.checkbox.errors import ConnectionFailed, GatewayTimeout, InvalidPin, RateLimited

from .fakes import FakeClock

LICENSE = "test-license-key-0001"
PIN = "2802811111"


def _client(
    handler: object, clock: FakeClock, store: MemoryTokenStore | None = None
) -> CheckboxClient:
    session = Session(
        PinSignIn(license_key=SecretStr(LICENSE), pin_code=SecretStr(PIN)), token_store=store
    )
    return CheckboxClient(
        "http://127.0.0.1:9",
        session,
        transport=httpx.MockTransport(handler),  # type: ignore[arg-type]
        retry=RetryPolicy(random=lambda: 0.5),
        clock=clock,
        sleep=clock.sleep,
    )


async def test_headers_sign_in_and_transparent_re_sign_in(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    clock = FakeClock()
    seen: list[httpx.Request] = []
    tokens = iter(["tok-1", "tok-2"])
    valid: set[str] = set()

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/signinPinCode"):
            assert json.loads(request.content) == {"pin_code": PIN}
            token = next(tokens)
            valid.clear()
            valid.add(token)
            return httpx.Response(200, json={"type": "bearer", "access_token": token})
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in valid:
            return httpx.Response(401, json={"message": "Невірний токен доступу"})
        return httpx.Response(200, json={"id": "c1", "full_name": "Тестовий касир"})

    store = MemoryTokenStore()
    async with _client(handler, clock, store) as client:
        await client.sign_in()
        assert (await client.me()).id == "c1"
        valid.clear()  # the server revokes the token
        assert (await client.me()).full_name == "Тестовий касир"
    for request in seen:
        assert request.headers["X-Client-Name"] == pos.CLIENT_NAME
        assert request.headers["X-Client-Version"] == pos.__version__
        assert request.headers["X-License-Key"] == LICENSE
    assert [r.url.path for r in seen] == [
        "/api/v1/cashier/signinPinCode",
        "/api/v1/cashier/me",
        "/api/v1/cashier/me",
        "/api/v1/cashier/signinPinCode",
        "/api/v1/cashier/me",
    ]
    assert store.load(client.session.store_key) == "tok-2"
    for secret in (LICENSE, PIN, "tok-1", "tok-2"):
        assert secret not in caplog.text
        assert secret not in repr(client)
        assert secret not in repr(client.session)


async def test_wrong_pin_is_not_retried() -> None:
    clock = FakeClock()
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(403, json={"message": "Невірний пінкод"})

    async with _client(handler, clock) as client:
        with pytest.raises(InvalidPin) as caught:
            await client.sign_in()
    assert calls == 1
    assert PIN not in str(caught.value)


async def test_429_is_waited_out_for_the_time_it_names() -> None:
    clock = FakeClock()
    answers = [
        httpx.Response(
            429,
            json={"message": "Занадто часто виконуються запити, повторіть спробу через 5 секунд"},
        ),
        httpx.Response(200, json={"id": "c1"}),
    ]

    async with _client(lambda request: answers.pop(0), clock) as client:
        await client.me()
    assert clock.now >= 5


async def test_429_with_a_long_wait_is_raised_not_sat_out() -> None:
    clock = FakeClock()
    message = "Занадто часто виконуються запити, повторіть спробу через 300 секунд"

    async with _client(lambda request: httpx.Response(429, json={"message": message}), clock) as c:
        with pytest.raises(RateLimited) as caught:
            await c.me()
    assert caught.value.retry_after == 300
    assert clock.now < 1


async def test_503_retried_with_backoff_for_reads_only() -> None:
    clock = FakeClock()
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(524, text="524 Timeout Occured")

    async with _client(handler, clock) as client:
        with pytest.raises(GatewayTimeout):
            await client.cash_register("r1")
        assert calls == ["GET"] * 4
        assert clock.sleeps == [0.375, 0.75, 1.5]  # exponential, jitter from the injected source
        calls.clear()
        with pytest.raises(GatewayTimeout):
            await client.go_online()  # not safe to repeat: one try
        assert calls == ["POST"]


async def test_connect_errors_are_retried_even_for_posts() -> None:
    clock = FakeClock()
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"status": "ok"})

    async with _client(handler, clock) as client:
        assert (await client.go_online()).status == "ok"
    assert calls == 3


async def test_connect_errors_give_up_as_surely_unsent() -> None:
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with _client(handler, clock) as client:
        with pytest.raises(ConnectionFailed) as caught:
            await client.me()
    assert caught.value.maybe_sent is False
