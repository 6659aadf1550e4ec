"""Recovery never guesses about a receipt whose request may have left (issue 11, "0 codes reused").

Before, a receipt a kill left SENDING was issued offline with one of the register's own codes
at the next start whenever Checkbox was unreachable (or the register was still uploading). If
the killed run's request had reached Checkbox, Checkbox had it under its own code: at upload the
printed offline copy was set aside as a conflict, a manager's task, and its code, never spent on
Checkbox, could later be signed on another document by Checkbox's automatic offline. Now the
receipt waits, SENDING, "awaiting Checkbox" (status, CLI, Z-report refused), and is settled by
Checkbox's own answer once it can be asked. The kill is a sale cancelled while its request is
held at the transport (before or after it reached the sandbox): the journal is left exactly as a
SIGKILL there leaves it. Checked against the sandbox's own records.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from scenarios.harness import (
    API,
    LoseAnswer,
    SimClock,
    Till,
    sandbox_receipts,
    sandbox_transactions,
    world_of,
)
from scenarios.harness import open_till as scenario_till

from pos.headless.commands import _receipt_state as receipt_state
from pos.journal.records import ReceiptState
from pos.register.connectivity import ConnectivityState as S
from pos.register.errors import Refusal, RegisterError
from pos.sandbox.server import RunningSandbox

from .conftest import FailPaths, TillFactory


@dataclasses.dataclass
class Kill:
    """Where the killed run's sale was: its request held before or after Checkbox got it."""

    arrived: bool


class HoldSale(FailPaths):
    """The first POST /receipts/sell is held for ever, before it is sent or after the sandbox
    processed it (its answer never comes): the run is then "killed" there."""

    def __init__(self, inner: httpx.AsyncBaseTransport, kill: Kill) -> None:
        super().__init__(inner)
        self.kill = kill
        self.held = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        selling = request.method == "POST" and request.url.path == API + "/receipts/sell"
        if not selling or self.held.is_set():
            return await self.inner.handle_async_request(request)
        if self.kill.arrived:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            await response.aclose()
        self.held.set()
        await asyncio.Event().wait()  # the answer never comes: the run dies waiting
        raise AssertionError("unreachable")


async def killed_mid_send(
    tills: TillFactory,
    path: Path,
    marks: Path,
    kill: Kill,
    before_sale: Callable[[], object] = lambda: None,
) -> str:
    """First life: signed in, shift open, a sale killed while its request is out. Returns its id."""
    hold = HoldSale(httpx.AsyncHTTPTransport(), kill)
    till = await tills(path, marks=marks, fail=hold)
    await till.sign_in()
    await till.service.open_shift()
    before_sale()
    sale = asyncio.create_task(till.sell_bread())
    await asyncio.wait_for(hold.held.wait(), 30)
    sale.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sale
    (left,) = [r for r in till.receipts() if r.type == "SELL"]
    assert left.state is ReceiptState.SENDING
    await till.close()
    return left.id


async def restart_offline(tills: TillFactory, path: Path, marks: Path, receipt_id: str) -> Till:
    """Second life with Checkbox unreachable: the receipt awaits Checkbox, no receipt is issued
    offline meanwhile, the Z-report waits for it."""
    till = await tills(path, marks=marks)
    till.cut()
    await till.sign_in()  # offline, with the PIN that signed in before; recovery ran
    assert till.state is S.LOCAL_OFFLINE
    left = till.service.receipt(receipt_id)
    assert left is not None
    assert (left.state, left.fiscal_code) == (ReceiptState.SENDING, None)
    status = till.service.status()
    assert status.awaiting_checkbox == (receipt_id,)
    assert status.as_json()["awaiting_checkbox"] == [receipt_id]
    assert receipt_state(left)["awaiting_checkbox"] is True  # `pos register receipt ID`
    # No offline receipt meanwhile: had the request arrived during Checkbox's automatic
    # offline, Checkbox signed it with a free code of our pool it picked itself.
    with pytest.raises(RegisterError) as no_codes:
        await till.sell_bread()
    assert no_codes.value.refusal is Refusal.OFFLINE_AWAITING_CHECKBOX
    assert no_codes.value.params["count"] == 1
    await till.service.sync()  # a worker round, still unreachable: it keeps waiting
    with pytest.raises(RegisterError) as refused:
        await till.service.close_shift()
    assert refused.value.refusal is Refusal.AWAITING_CHECKBOX
    assert refused.value.params["count"] == 1
    assert till.service.receipt(receipt_id).state is ReceiptState.SENDING  # type: ignore[union-attr]
    return till


def assert_fiscalised_once(box: RunningSandbox, till: Till, receipt_id: str) -> None:
    """On Checkbox: the receipt once, one transaction, the journal's code; no conflict, no code
    on two documents."""
    done = till.service.receipt(receipt_id)
    assert done is not None
    assert done.state is ReceiptState.DONE
    on_server = [r for r in sandbox_receipts(box, till.register) if r["id"] == receipt_id]
    assert len(on_server) == 1
    assert on_server[0]["fiscal_code"] == done.fiscal_code is not None
    owned = [
        t for t in world_of(box).all("transaction") if t.get("owner") == ["receipt", receipt_id]
    ]
    assert len(owned) == 1
    status = till.service.status()
    assert (status.state, status.queued, status.set_aside, status.awaiting_checkbox) == (
        S.ONLINE,
        0,
        0,
        (),
    )
    used = [t["offline_id"] for t in sandbox_transactions(box, till.register) if t["offline_id"]]
    assert not [c for c, n in Counter(used).items() if n > 1]
    printed = [r.fiscal_code for r in till.receipts() if r.fiscal_code]
    assert len(printed) == len(set(printed))
    for receipt in till.receipts():
        if receipt.state in (ReceiptState.DONE, ReceiptState.UPLOADED):
            (mine,) = [r for r in sandbox_receipts(box, till.register) if r["id"] == receipt.id]
            assert mine["fiscal_code"] == receipt.fiscal_code


@pytest.mark.parametrize("arrived", [True, False], ids=["request-arrived", "never-sent"])
async def test_a_receipt_killed_mid_send_awaits_checkbox_then_settles_once(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path, arrived: bool
) -> None:
    path, marks = tmp_path / "data/journal.sqlite", tmp_path / "marks"
    receipt_id = await killed_mid_send(tills, path, marks, Kill(arrived))
    on_server = {r["id"] for r in sandbox_receipts(box, box.registers[0])}
    assert (receipt_id in on_server) is arrived
    till = await restart_offline(tills, path, marks, receipt_id)
    clock.advance(30)
    till.reconnect()
    await till.service.sync(wait=True, give_up_after=60)
    assert_fiscalised_once(box, till, receipt_id)
    posts = [e for e in till.recorder.calls("POST", "/receipts/sell") if receipt_id in str(e.body)]
    assert len(posts) == (0 if arrived else 1)  # asked first; sent only when Checkbox lacked it
    view = await till.service.close_shift()  # the Z-report goes once it is settled
    assert view.shift is not None


async def test_a_receipt_killed_mid_send_is_asked_about_at_an_online_start(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    """Checkbox reachable at the restart: recovery settles it by Checkbox's answer at once."""
    path, marks = tmp_path / "data/journal.sqlite", tmp_path / "marks"
    receipt_id = await killed_mid_send(tills, path, marks, Kill(arrived=True))
    till = await tills(path, marks=marks)
    await till.sign_in()
    assert till.service.status().awaiting_checkbox == ()
    assert not till.recorder.calls("POST", "/receipts/sell")
    await till.service.sync(wait=True, give_up_after=60)
    assert_fiscalised_once(box, till, receipt_id)


class LookupTimesOut(httpx.AsyncBaseTransport):
    """Every GET /receipts/{id} times out after it was sent (a slow or vanishing line)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.lookups = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path.startswith(API + "/receipts/"):
            self.lookups += 1
            raise httpx.ReadTimeout("no answer to the lookup (test)", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_live_sale_whose_answer_was_lost_asks_checkbox_first(
    box: RunningSandbox, clock: SimClock, tmp_path: Path
) -> None:
    """The live path: the POST reached Checkbox and its answer was lost (read timeout). One
    brief lookup finds it: the customer gets Checkbox's receipt, no offline copy, no conflict."""
    till = await scenario_till(
        box, tmp_path, clock, rate_limits=False, lose_answer=lambda s: LoseAnswer(s)
    )
    try:
        await till.sign_in()
        await till.service.open_shift()
        sold = await till.sell_bread()
        assert (sold.state, sold.is_offline) == (ReceiptState.DONE, False)
        (server,) = [r for r in sandbox_receipts(box, till.register) if r["id"] == sold.id]
        assert server["fiscal_code"] == sold.fiscal_code
        assert len(till.recorder.calls("POST", "/receipts/sell")) == 1
        assert till.state is S.ONLINE
    finally:
        await till.close()


async def test_a_live_lookup_that_times_out_is_asked_once_then_the_sale_goes_offline(
    box: RunningSandbox, clock: SimClock, tmp_path: Path
) -> None:
    """The customer's wait is bounded: after a lost answer the lookup is one GET (not the
    client's retries of a read); when it too gets no answer, the sale is issued offline under
    the same id as before (the ambiguous receipt, settled at upload)."""
    holder: list[LookupTimesOut] = []

    def lose(switch: httpx.AsyncBaseTransport) -> LoseAnswer:
        lookups = LookupTimesOut(switch)
        holder.append(lookups)
        return LoseAnswer(lookups)

    till = await scenario_till(box, tmp_path, clock, rate_limits=False, lose_answer=lose)
    try:
        await till.sign_in()
        await till.service.open_shift()
        sold = await till.sell_bread()
        assert sold.state is ReceiptState.OFFLINE_ISSUED
        assert holder[0].lookups == 1
    finally:
        await till.close()


async def test_a_receipt_checkbox_signed_in_its_automatic_offline_spends_no_code_twice(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    """The 1,000-kill tier's finding: the killed run's request reached Checkbox while the tax
    service was down, so Checkbox's automatic offline signed it (and its own offline-begin) with
    free codes of this register's pool it picked itself. At the restart Checkbox is unreachable:
    had the register sold offline then, its first free code was one of those (one code on two
    documents). Now nothing is issued offline until Checkbox has answered; then those codes are
    reconciled away, and the offline sales that follow print codes nobody else holds."""
    path, marks = tmp_path / "data/journal.sqlite", tmp_path / "marks"
    receipt_id = await killed_mid_send(
        tills,
        path,
        marks,
        Kill(arrived=True),
        lambda: box.control("POST", "/sandbox/tax-service", {"state": "down", "latency_ms": 0}),
    )
    (signed,) = [r for r in sandbox_receipts(box, box.registers[0]) if r["id"] == receipt_id]
    assert signed["is_created_offline"], "Checkbox's automatic offline signed it"
    till = await restart_offline(tills, path, marks, receipt_id)
    box.control("POST", "/sandbox/tax-service", {"state": "up", "latency_ms": 0})
    clock.advance(30)
    till.reconnect()
    await till.service.sync(wait=True, give_up_after=90)
    assert till.service.receipt(receipt_id).fiscal_code == signed["fiscal_code"]  # type: ignore[union-attr]
    till.cut()
    sold = []
    for _ in range(2):
        clock.advance(30)
        sold.append(await till.sell_bread())
    assert all(r.state is ReceiptState.OFFLINE_ISSUED for r in sold)
    checkbox_codes = {t["offline_id"] for t in sandbox_transactions(box, till.register)}
    assert not {r.fiscal_code for r in sold} & checkbox_codes
    clock.advance(30)
    till.reconnect()
    await till.service.sync(wait=True, give_up_after=90)
    assert_fiscalised_once(box, till, receipt_id)
    assert all(
        till.service.receipt(r.id).state is ReceiptState.UPLOADED  # type: ignore[union-attr]
        for r in sold
    )
