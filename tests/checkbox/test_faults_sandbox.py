"""Fault injection between client and sandbox: never a duplicate receipt, never a lost one.

Each case breaks the receipt POST in one way (connection refused before sending, dropped after
the server processed it, read timeout after processing, 503, 524 after processing, 429) and then
asserts the sandbox's own receipt count: exactly one receipt under the caller's id.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pos.checkbox.errors import AmbiguousOutcome, ConnectionFailed, ReceiptIdExists

from .conftest import make_client, open_shift, receipt_count, sale
from .fakes import Fault, FaultyTransport


def _is_sell(request: httpx.Request) -> bool:
    return request.method == "POST" and request.url.path.endswith("/receipts/sell")


@pytest.mark.parametrize(
    "faults",
    [
        [Fault.DROP_BEFORE],
        [Fault.DROP_AFTER],
        [Fault.TIMEOUT_AFTER],
        [Fault.ANSWER_503],
        [Fault.ANSWER_524],
        [Fault.ANSWER_429],
        [Fault.DROP_BEFORE, Fault.DROP_AFTER],
        [Fault.ANSWER_503, Fault.ANSWER_503],
        [Fault.ANSWER_429, Fault.ANSWER_524],
    ],
    ids=lambda faults: "+".join(f.value for f in faults),
)
async def test_one_receipt_whatever_breaks(box: Any, faults: list[Fault]) -> None:
    transport = FaultyTransport(httpx.AsyncHTTPTransport(), faults, match=_is_sell)
    async with make_client(box, transport) as client:
        await client.sign_in()
        await open_shift(client)
        before = receipt_count(box)
        body = sale()
        receipt = await client.sell(body)
        assert receipt.id == body.id
        assert receipt_count(box) == before + 1
        done = await client.wait_receipt(body.id, give_up_after=10)
        assert done.status == "DONE"
    sells = [entry for entry in transport.seen if entry[0] == "POST" and "sell" in entry[1]]
    assert len(sells) >= len(faults)
    assert not transport.faults  # every planned fault really happened


async def test_resend_after_success_returns_the_existing_receipt(box: Any) -> None:
    async with make_client(box) as client:
        await client.sign_in()
        await open_shift(client)
        body = sale()
        first = await client.sell(body)
        again = await client.sell(body)  # e.g. the app restarted and replays its queue
        assert again.id == first.id
        assert receipt_count(box) == 1
        with pytest.raises(ReceiptIdExists):  # the raw call does see the server's refusal
            await client.call("POST", "/receipts/sell", json=body.to_api())
        assert receipt_count(box) == 1


async def test_unreachable_for_the_lookup_too_is_ambiguous(box: Any) -> None:
    class DownAfterSell(FaultyTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "GET" and "/receipts/" in request.url.path:
                raise httpx.ConnectError("network down", request=request)
            return await super().handle_async_request(request)

    transport = DownAfterSell(httpx.AsyncHTTPTransport(), [Fault.DROP_AFTER], match=_is_sell)
    async with make_client(box, transport) as client:
        await client.sign_in()
        await open_shift(client)
        body = sale()
        with pytest.raises(AmbiguousOutcome) as caught:
            await client.sell(body)
    assert caught.value.object_id == body.id
    assert receipt_count(box) == 1  # it did arrive: the offline copy will lose at upload


async def test_never_sent_is_not_ambiguous(box: Any) -> None:
    faults = [Fault.DROP_BEFORE] * 10
    transport = FaultyTransport(httpx.AsyncHTTPTransport(), faults, match=_is_sell)
    async with make_client(box, transport) as client:
        await client.sign_in()
        await open_shift(client)
        with pytest.raises(ConnectionFailed) as caught:
            await client.sell(sale())
    assert caught.value.maybe_sent is False
    assert receipt_count(box) == 0


@pytest.mark.parametrize("fault", [Fault.DROP_AFTER, Fault.ANSWER_524, Fault.DROP_BEFORE])
async def test_shift_open_exactly_once(box: Any, fault: Fault) -> None:
    def is_open(request: httpx.Request) -> bool:
        return request.method == "POST" and request.url.path.endswith("/shifts")

    transport = FaultyTransport(httpx.AsyncHTTPTransport(), [fault], match=is_open)
    async with make_client(box, transport) as client:
        await client.sign_in()
        shift_id = await open_shift(client)
        assert (await client.shift(shift_id)).status == "OPENED"
    assert box.control("GET", "/sandbox/state")["shifts"] == 1


async def test_shift_close_exactly_once(box: Any) -> None:
    def is_close(request: httpx.Request) -> bool:
        return request.method == "POST" and request.url.path.endswith("/shifts/close")

    transport = FaultyTransport(httpx.AsyncHTTPTransport(), [Fault.DROP_AFTER], match=is_close)
    async with make_client(box, transport) as client:
        await client.sign_in()
        shift_id = await open_shift(client)
        closing = await client.close_shift(shift_id)
        assert closing.id == shift_id
        assert closing.status in ("CLOSING", "CLOSED")
