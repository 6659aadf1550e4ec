"""Service cash in/out while Checkbox is unreachable, against the strict sandbox (issue 10).

The guide's service receipt is non-fiscal: ``fiscal_code``, ``fiscal_date`` and ``transaction``
null, never sent to the tax service, created by ``/receipts/service`` with ``id`` and
``payment`` only (the strict sandbox refuses fiscal fields there with 422). So offline the till
spends no offline code on it, prints no fiscal number, and uploads it to ``/receipts/service`` in
its place among the offline documents (a cash out after the cash sales that filled the drawer),
and the offline Z-report counts it. The sandbox's own records must show the same balance.
"""

from __future__ import annotations

from pos.domain.receipt import PaymentType
from pos.journal.records import QueueKind, QueueState, ReceiptState
from pos.register.connectivity import ConnectivityState as S
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory
from .harness import SimClock, Till, sandbox_codes, sandbox_receipts, sandbox_shift

FISCAL_FIELDS = {"fiscal_code", "fiscal_date"}


def _service_posts(till: Till) -> list[dict[str, object]]:
    return [
        e.body
        for e in till.recorder.log
        if e.method == "POST" and e.path == "/receipts/service" and isinstance(e.body, dict)
    ]


def _codes_used_on_server(box: RunningSandbox, till: Till) -> int:
    return sum(1 for c in sandbox_codes(box, till.register) if c["used_by"] is not None)


async def test_offline_cash_in_and_out_spend_no_code_and_reach_checkbox_in_order(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills()
    await till.sign_in()
    shift = await till.service.open_shift(10_000)  # the float goes in online
    await till.sell_bread(PaymentType.CASH)

    till.cut()
    clock.advance(30, push=False)
    free = till.journal.codes.free_count()
    cash_in = await till.service.service_in(5_000, "Розмінна монета")
    assert till.state is S.LOCAL_OFFLINE
    assert till.journal.codes.free_count() == free  # no code spent, not even a go-offline yet
    clock.advance(30, push=False)
    sale = await till.sell_bread(PaymentType.CASH)
    assert sale.state is ReceiptState.OFFLINE_ISSUED
    assert sale.fiscal_code
    spent_by_sale = free - till.journal.codes.free_count()  # its go-offline and its own code
    clock.advance(30, push=False)
    cash_out = await till.service.service_out(12_000, "Інкасація")
    assert till.journal.codes.free_count() == free - spent_by_sale
    for service in (cash_in, cash_out):
        assert service.state is ReceiptState.OFFLINE_ISSUED
        assert (service.fiscal_code, service.fiscal_date) == (None, None)
    local, _ = till.service.local_report(shift)

    kinds = [(e.kind, e.subject_id, e.fiscal_code) for e in till.queue_entries()]
    assert [k for k, _, _ in kinds] == [
        QueueKind.RECEIPT,  # the cash in: no go-offline needed before a non-fiscal document
        QueueKind.GO_OFFLINE,
        QueueKind.RECEIPT,
        QueueKind.RECEIPT,
    ]
    assert [subject for _, subject, _ in kinds][2:] == [sale.id, cash_out.id]
    assert kinds[0][2] is None
    assert kinds[3][2] is None

    clock.advance(60)
    till.reconnect()
    status = await till.service.sync(wait=True, give_up_after=60)
    assert status.state is S.ONLINE
    assert status.queued == 0
    assert till.service.status().set_aside == 0, [
        (e.kind, e.error) for e in till.service.set_aside()
    ]
    assert all(e.state is QueueState.DONE for e in till.queue_entries())

    posts = _service_posts(till)
    assert posts
    assert all(not FISCAL_FIELDS & set(body) for body in posts)
    on_server = {r["id"]: r for r in sandbox_receipts(box, till.register)}
    assert on_server[cash_in.id]["type"] == "SERVICE_IN"
    assert on_server[cash_out.id]["type"] == "SERVICE_OUT"
    for service in (cash_in, cash_out):
        assert on_server[service.id]["fiscal_code"] is None
        assert on_server[service.id].get("transaction_id") is None
        assert till.journal.receipts.get(service.id).state is ReceiptState.UPLOADED  # type: ignore[union-attr]
    # Order: the cash out came after the offline sale whose cash it needed.
    serials = {rid: int(r["serial"]) for rid, r in on_server.items()}
    assert serials[cash_in.id] < serials[sale.id] < serials[cash_out.id]
    # Codes on the server: only the go-offline's and the offline sale's.
    assert _codes_used_on_server(box, till) == spent_by_sale

    server_x = (await till.service.x_report()).server
    assert server_x is not None
    assert server_x["balance"] == local["balance"]
    cash = next(p for p in server_x["payments"] if p["type"] == "CASH")
    assert (cash["service_in"], cash["service_out"]) == (15_000, 12_000)


async def test_offline_z_counts_service_receipts_and_the_next_float_starts_from_it(
    box: RunningSandbox, clock: SimClock, tills: TillFactory
) -> None:
    till = await tills()
    await till.sign_in()
    shift = await till.service.open_shift()
    till.cut()
    clock.advance(30, push=False)
    await till.service.service_in(20_000)
    clock.advance(30, push=False)
    await till.sell_bread(PaymentType.CASH)
    clock.advance(30, push=False)
    await till.service.service_out(7_000)
    clock.advance(60, push=False)
    z = await till.service.close_shift()
    assert z.shift is not None
    assert z.shift.is_offline is False
    cash = next(p for p in z.local["payments"] if p["type"] == "CASH")
    assert (cash["service_in"], cash["service_out"]) == (20_000, 7_000)

    clock.advance(60)
    till.reconnect()
    await till.service.sync(wait=True, give_up_after=60)
    assert till.service.status().set_aside == 0, [
        (e.kind, e.error) for e in till.service.set_aside()
    ]
    closed = sandbox_shift(box, shift.id)
    assert closed["status"] == "CLOSED"
    assert closed["final_balance"] == z.local["balance"]  # the server's own sum, not our body

    clock.advance(60)
    following = await till.service.open_shift()
    assert sandbox_shift(box, following.id)["initial_balance"] == z.local["balance"]
    local, _ = till.service.local_report(following)
    assert local["initial"] == z.local["balance"]
