"""Prepayments of several tills in the shop database, served as MoySklad's `prepayment` (seed 002).

Three tills against the sandbox take advances for customer orders (cash, card, both; one order
paid in full afterwards, one cancelled with its advance refunded after the first push), each
pushes its journal to one PostgreSQL database, and the back-office API answers with the union:
for each register (``filter=retailStore=…``) exactly what ``pos order prepayments`` answers on
that till for the same journal, document for document. Also: `order`, `search`, one prepayment
by id and its positions, clear 400s naming the parameter, and no key or another shop's key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from scenarios.harness import CATALOGUE, Till, morning_clock, no_rate_limits, open_till
from sqlalchemy import Engine

from pos.backoffice.api import PREPAYMENT, create_app
from pos.backoffice.keys import add_key
from pos.backoffice.push import Pusher
from pos.orders.model import Customer, OrderPayment, PayMethod
from pos.orders.moysklad import ShopContext, documents, query
from pos.register.cart import Cart
from pos.sandbox.server import RunningSandbox

SHOP = "Крамниця на Подолі"


def _cart(quantity: int) -> Cart:
    cart = Cart()
    cart.add(CATALOGUE[6], quantity * 1000)  # кава мелена (ПДВ 20 %)
    cart.add(CATALOGUE[1], 750)  # сир 0.750 кг, weighed
    return cart


def _till_answer(till: Till, **options: Any) -> dict[str, Any]:
    """What ``pos order prepayments --json`` answers on this till (its own code path)."""
    info = till.service.ctx.info
    shop = ShopContext(
        cash_register_id=info.cash_register_id or "",
        fiscal_number=info.fiscal_number or "",
        cashier_name=info.cashier_name or "",
    )
    answer = query(documents(till.service.orders.all(), shop), **options)
    return dict(json.loads(json.dumps(answer)))  # as it travels: JSON


def _push(till: Till, engine: Engine) -> int:
    pusher = Pusher(till.journal_path, engine, SHOP)
    try:
        return pusher.push_all()
    finally:
        pusher.close()


async def _advances(till: Till, index: int) -> None:
    desk = till.service.orders
    first = desk.create(_cart(index + 1), Customer(f"Олена {index}", f"+38067000000{index}"))
    await desk.take_advance(first.id, [OrderPayment(PayMethod.CASH, 5_000 + index * 100)])
    second = desk.create(_cart(2), Customer("Іван", "0501112233", "ivan@example.com"))
    till.clock.advance(1)
    await desk.take_advance(
        second.id, [OrderPayment(PayMethod.CASH, 3_000), OrderPayment(PayMethod.CARD, 4_000)]
    )
    if index == 1:  # paid in full later: the advance stays a prepayment
        till.clock.advance(1)
        left = desk.get(second.id).left_to_pay
        await desk.pay_rest(second.id, [OrderPayment(PayMethod.CARD, left)])


@pytest.fixture
async def three_tills(
    sandbox: RunningSandbox, tmp_path: Path
) -> Any:  # an async generator of the tills
    box = sandbox
    box.control("POST", "/sandbox/config", {"signing_delay": 0})
    box.control("POST", "/sandbox/seed", {"count": 1})
    no_rate_limits(box)
    clock = morning_clock(box)
    tills: list[Till] = []
    try:
        for index in range(3):
            directory = tmp_path / f"register{index + 1}"
            directory.mkdir()
            till = await open_till(box, directory, clock, register_index=index, rate_limits=False)
            tills.append(till)
            await till.sign_in()
            await till.service.open_shift(0)
        yield tills
    finally:
        for till in tills:
            await till.close()


async def test_the_shop_answers_each_tills_prepayments_as_the_till_does(
    three_tills: list[Till], shop_database: Engine
) -> None:
    tills = three_tills
    for index, till in enumerate(tills):
        await _advances(till, index)
        assert _push(till, shop_database) > 0
    # After the first push, till 3 refunds an order's advance: the copy learns of its return.
    third = tills[2].service.orders
    cancelled = next(o for o in third.all() if o.customer.name == "Іван")
    tills[2].clock.advance(1)
    await third.cancel(cancelled.id)
    for till in tills:
        _push(till, shop_database)
    assert _push(tills[0], shop_database) == 0  # nothing left: a second push changes nothing

    with shop_database.begin() as connection:
        key = add_key(connection, "accountant", SHOP)
        other = add_key(connection, "another shop", "Інша крамниця")
    app = create_app(shop_database)
    transport = httpx.ASGITransport(app=app)
    headers = {"X-OFD-Key": key}
    async with httpx.AsyncClient(transport=transport, base_url="http://backoffice") as client:
        whole = (await client.get(PREPAYMENT, headers=headers)).json()
        per_till = [_till_answer(till) for till in tills]
        assert [a["meta"]["size"] for a in per_till] == [2, 2, 2]
        assert whole["meta"]["size"] == 6
        assert {r["id"] for r in whole["rows"]} == {r["id"] for a in per_till for r in a["rows"]}
        for till, alone in zip(tills, per_till, strict=True):
            register_id = till.service.ctx.info.cash_register_id
            mine = await client.get(
                PREPAYMENT, headers=headers, params={"filter": f"retailStore={register_id}"}
            )
            assert mine.status_code == 200
            assert mine.json()["rows"] == alone["rows"]  # document for document, as the till
        refunded = next(r for r in whole["rows"] if r["id"] == cancelled.receipts[0].id)
        assert refunded["returns"][0]["meta"]["type"] == "prepaymentreturn"

        # The seed's list parameters, and the same search and filter as the till's.
        page = await client.get(
            PREPAYMENT, headers=headers, params={"order": "sum,desc;name", "limit": 2, "offset": 1}
        )
        sums = sorted((r["sum"] for r in whole["rows"]), reverse=True)
        assert [r["sum"] for r in page.json()["rows"]] == sums[1:3]
        assert page.json()["meta"] | {"size": 6, "limit": 2, "offset": 1} == page.json()["meta"]
        for options in ({"search": "0001"}, {"filter_expression": "sum>6000;applicable=true"}):
            params = {"filter" if k == "filter_expression" else k: v for k, v in options.items()}
            found = (await client.get(PREPAYMENT, headers=headers, params=params)).json()
            expected = {r["id"] for till in tills for r in _till_answer(till, **options)["rows"]}
            assert {r["id"] for r in found["rows"]} == expected
            assert found["meta"]["size"] == len(expected)

        one = whole["rows"][0]
        by_id = await client.get(f"{PREPAYMENT}/{one['id']}", headers=headers)
        assert by_id.json() == one
        listed = await client.get(f"{PREPAYMENT}/{one['id']}/positions", headers=headers)
        positions = listed.json()
        assert positions["rows"] == one["positions"]["rows"]
        assert positions["meta"]["type"] == "prepaymentposition"
        position = positions["rows"][1]
        single = await client.get(
            f"{PREPAYMENT}/{one['id']}/positions/{position['id']}", headers=headers
        )
        assert single.json() == position

        # Bad queries: 400 naming the parameter; no key: 401; another shop's key: nothing.
        for params, named in (
            ({"filter": "cashSum=1"}, "cashSum"),
            ({"filter": "sum~1"}, "sum"),
            ({"order": "cashSum"}, "cashSum"),
            ({"order": "sum,down"}, "down"),
            ({"limit": "1001"}, "limit"),
            ({"offset": "x"}, "offset"),
            ({"sort": "name"}, "sort"),
        ):
            refused = await client.get(PREPAYMENT, headers=headers, params=params)
            assert refused.status_code == 400, params
            assert named in refused.json()["error"]
        assert (await client.get(PREPAYMENT)).status_code == 401
        bearer = {"Authorization": f"Bearer {other}"}
        assert (await client.get(PREPAYMENT, headers=bearer)).json()["rows"] == []
        assert (await client.get(f"{PREPAYMENT}/{one['id']}", headers=bearer)).status_code == 404
