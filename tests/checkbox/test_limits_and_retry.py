"""The limiter and the backoff, on a virtual clock: no real waiting."""

from __future__ import annotations

import asyncio

import pytest

from pos.checkbox.errors import CodeRequestsBlocked
from pos.checkbox.ratelimit import Limit, RegisterLimiter
from pos.checkbox.retry import RetryPolicy

from .fakes import FakeClock


async def test_receipts_never_more_than_two_in_any_second() -> None:
    clock = FakeClock()
    limiter = RegisterLimiter(clock, clock.sleep)
    starts = []
    for _ in range(10):
        await limiter.acquire(Limit.RECEIPT)
        limiter.release()
        starts.append(clock.now)
    for i in range(2, len(starts)):
        assert starts[i] - starts[i - 2] >= 1.0
    assert starts[-1] < 5.0  # and not much slower than allowed


async def test_concurrent_receipts_queue_in_order() -> None:
    clock = FakeClock()
    limiter = RegisterLimiter(clock, clock.sleep)
    starts: list[float] = []

    async def one() -> None:
        await limiter.acquire(Limit.RECEIPT)
        limiter.release()
        starts.append(clock.now)

    await asyncio.gather(*(one() for _ in range(6)))
    assert sorted(starts) == starts
    for i in range(2, len(starts)):
        assert starts[i] - starts[i - 2] >= 1.0


async def test_go_online_once_per_two_minutes_and_visualisation_once_per_second() -> None:
    clock = FakeClock()
    limiter = RegisterLimiter(clock, clock.sleep)
    await limiter.acquire(Limit.GO_ONLINE)
    limiter.release()
    await limiter.acquire(Limit.GO_ONLINE)
    limiter.release()
    assert clock.now >= 120.0
    start = clock.now
    await limiter.acquire(Limit.VISUALISATION)
    limiter.release()
    await limiter.acquire(Limit.VISUALISATION)
    limiter.release()
    assert clock.now - start >= 1.0


async def test_sixth_code_request_of_ten_is_refused_locally() -> None:
    clock = FakeClock()
    limiter = RegisterLimiter(clock, clock.sleep)
    for _ in range(5):
        await limiter.acquire(Limit.CODE_REQUEST)
        limiter.release()
    with pytest.raises(CodeRequestsBlocked):
        await limiter.acquire(Limit.CODE_REQUEST)
    for _ in range(5):
        await limiter.acquire(Limit.TRANSACTION)
        limiter.release()
    await limiter.acquire(Limit.CODE_REQUEST)  # 5 of the last 10 again
    limiter.release()
    assert limiter.code_requests_in_window() == 5


async def test_server_block_is_obeyed_for_the_time_it_names() -> None:
    clock = FakeClock()
    limiter = RegisterLimiter(clock, clock.sleep)
    limiter.block(Limit.RECEIPT, 5)
    await limiter.acquire(Limit.OTHER)
    limiter.release()
    assert clock.now == 0
    await limiter.acquire(Limit.RECEIPT)
    limiter.release()
    assert clock.now == pytest.approx(5)


async def test_disabled_limiter_never_waits() -> None:
    clock = FakeClock()
    limiter = RegisterLimiter(clock, clock.sleep, enabled=False)
    for _ in range(20):
        await limiter.acquire(Limit.RECEIPT)
        limiter.release()
    assert clock.now == 0


def test_backoff_grows_is_capped_and_jittered() -> None:
    policy = RetryPolicy(base=0.5, factor=2, cap=4, jitter=0.5, random=lambda: 1.0)
    assert [policy.delay(n) for n in range(5)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    low = RetryPolicy(base=0.5, factor=2, cap=4, jitter=0.5, random=lambda: 0.0)
    assert [low.delay(n) for n in range(3)] == [0.25, 0.5, 1.0]
    assert RetryPolicy(attempts=3).allows(1)
    assert not RetryPolicy(attempts=3).allows(2)


async def test_every_request_of_any_kind_keeps_two_a_second_counted_from_its_answer() -> None:
    clock = FakeClock()
    limiter = RegisterLimiter(clock, clock.sleep)
    answered: list[float] = []
    starts: list[float] = []
    for kind in [Limit.OTHER, Limit.TRANSACTION, Limit.OTHER, Limit.CODE_REQUEST] * 3:
        await limiter.acquire(kind)
        starts.append(clock.now)
        await clock.sleep(0.2)  # the request takes 0.2 s to be answered
        limiter.release()
        answered.append(clock.now)
    for i in range(2, len(starts)):
        assert starts[i] - answered[i - 2] >= 1.0  # never 3 within a second on the server


async def test_a_429_blocks_every_kind_of_request_of_the_register() -> None:
    clock = FakeClock()
    limiter = RegisterLimiter(clock, clock.sleep)
    limiter.block(None, 5)
    await limiter.acquire(Limit.OTHER)
    limiter.release()
    assert clock.now == pytest.approx(5)
