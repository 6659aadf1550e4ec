"""Prepayment receipts over real HTTP: each endpoint's happy path and every refusal."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from pos.sandbox.prepayment_routes import (
    ADVANCE_NOT_POSITIVE,
    CHAIN_CLOSED,
    CHAIN_NOT_FISCALISED,
    CHAIN_RETURNED,
    NO_RETURN_LINES,
    PAYMENT_NOT_POSITIVE,
    PREPAYMENT_OFFLINE,
    RELATION_EXISTS,
    RELATION_NOT_FOUND,
)
from pos.sandbox.server import RunningSandbox

from .conftest import Cashier, card, cash, good

GOODS = [good("1", 10000, 1000, (5,)), good("2", 5500, 2000, (8,))]  # 100.00 + 2 × 55.00
TOTAL = 21000


def prepayment(payments: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "goods": GOODS, "payments": payments, **extra}


def after(payments: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "payments": payments}


def settle(c: Cashier) -> None:
    """Let the sandbox sign what was sent (and the per-second receipt limit pass)."""
    c.advance(1.1)


def refused(c: Cashier, path: str, body: Any, status: int = 400) -> str:
    c.advance(0.6)  # refusals count against the 2-per-second receipt limit too
    response = c.post(path, body)
    assert response.status_code == status, response.text
    return str(response.json().get("message"))


def made(c: Cashier, path: str, body: Any, status: int = 201) -> Any:
    c.advance(0.6)
    return c.ok("POST", path, body, status=status)


@pytest.fixture
def opened(cashier: Cashier) -> Cashier:
    cashier.open_shift()
    return cashier


def test_chain_happy_path_with_relation_and_x_report(opened: Cashier) -> None:
    c = opened
    pre = made(c, "/prepayment-receipts", prepayment([cash(3000), card(3300)]))
    relation_id = pre["pre_payment_relation_id"]
    assert pre["type"] == "SELL"
    assert pre["total_sum"] == 6300
    assert pre["shift"]["status"] == "OPENED"
    settle(c)
    assert c.receipt(pre["id"])["status"] == "DONE"
    rel = c.ok("GET", f"/prepayment-receipts/{relation_id}")
    assert rel["pre_payment_status"] == "PARTIAL_PAID"
    assert (rel["paid_sum"], rel["total_sum"], rel["left_to_pay"]) == (6300, TOTAL, 14700)
    assert rel["paid_by_cash_sum"] == 3000
    assert rel["receipt_chain"] == {
        "pre_payment_receipts": [pre["id"]],
        "after_payment_receipt": None,
        "returned_receipts": [],
    }
    rest = made(c, f"/prepayment-receipts/{relation_id}", after([cash(15000)]))
    assert (rest["total_sum"], rest["rest"]) == (14700, 300)
    settle(c)
    assert c.receipt(rest["id"])["fiscal_code"]
    rel = c.ok("GET", f"/prepayment-receipts/{relation_id}")
    assert rel["pre_payment_status"] == "FULL_PAID"
    assert rel["left_to_pay"] == 0
    assert rel["receipt_chain"]["after_payment_receipt"] == rest["id"]
    x = c.ok("POST", "/reports", status=201)
    pay = {p["type"]: p["sell_sum"] for p in x["payments"]}
    assert pay == {"CASH": 3000 + 14700, "CASHLESS": 3300}
    assert x["sell_receipts_count"] == 2
    taxes = {t["code"]: (t["sell_sum"], t["sales_turnover"]) for t in x["taxes"]}
    # The chain adds up to the order priced as one sale: VAT 20 % of 100.00 included = 16.67.
    assert taxes[5] == (1667, 10000)
    assert taxes[8] == (0, 11000)


def test_chain_return_refunds_every_receipt_once(opened: Cashier) -> None:
    c = opened
    pre = made(c, "/prepayment-receipts", prepayment([card(5000)]))
    relation_id = pre["pre_payment_relation_id"]
    settle(c)
    returned = made(c, f"/prepayment-receipts/{relation_id}/return", {})
    assert [r["type"] for r in returned] == ["RETURN"]
    assert returned[0]["related_receipt_id"] == pre["id"]
    assert returned[0]["total_sum"] == 5000
    settle(c)
    rel = c.ok("GET", f"/prepayment-receipts/{relation_id}")
    assert rel["pre_payment_status"] == "CANCELLED"
    assert rel["receipt_chain"]["returned_receipts"] == [returned[0]["id"]]
    assert rel["last_returned_receipt_at"] is not None
    assert refused(c, f"/prepayment-receipts/{relation_id}/return", {}) == CHAIN_RETURNED
    assert refused(c, f"/prepayment-receipts/{relation_id}", after([card(16000)])) == (
        CHAIN_RETURNED
    )
    x = c.ok("POST", "/reports", status=201)
    cashless = next(p for p in x["payments"] if p["type"] == "CASHLESS")
    assert (cashless["sell_sum"], cashless["return_sum"]) == (5000, 5000)
    assert (x["sell_receipts_count"], x["return_receipts_count"]) == (1, 1)


def test_search_filters_by_status_register_and_text(opened: Cashier) -> None:
    c = opened
    custom = f"order-{uuid.uuid4().hex[:8]}"
    pre = c.ok(
        "POST",
        "/prepayment-receipts",
        prepayment([card(1000)], custom_relation_id=custom),
        status=201,
    )
    assert pre["pre_payment_relation_id"] == custom
    settle(c)
    found = c.ok("GET", f"/prepayment-receipts/search?search={custom}")
    assert [r["relation_id"] for r in found["results"]] == [custom]
    register = c.register.cash_register_id
    mine = c.ok("GET", f"/prepayment-receipts/search?cash_register_id={register}&limit=1000")
    assert custom in {r["relation_id"] for r in mine["results"]}
    none = c.ok("GET", f"/prepayment-receipts/search?search={custom}&status=CANCELLED")
    assert none["results"] == []
    assert c.get("/prepayment-receipts/search?status=NOPE").status_code == 422
    assert c.get("/prepayment-receipts/search?limit=0").status_code == 422
    assert refused(c, "/prepayment-receipts", prepayment([card(1000)], custom_relation_id=custom))
    assert (
        refused(c, "/prepayment-receipts", prepayment([card(1000)], custom_relation_id=custom))
        == RELATION_EXISTS
    )


def test_prepayment_refusals(opened: Cashier) -> None:
    c = opened
    assert refused(c, "/prepayment-receipts", prepayment([card(TOTAL + 1)])).startswith(
        "Сума передоплати більша"
    )
    assert refused(c, "/prepayment-receipts", prepayment([card(0)])) == PAYMENT_NOT_POSITIVE
    assert refused(c, "/prepayment-receipts", prepayment([card(-5)]), 422)  # the body's own rule
    assert refused(c, "/prepayment-receipts", prepayment([]), 422)
    assert refused(c, "/prepayment-receipts", {"id": "x", "goods": GOODS}, 422)
    assert refused(c, "/prepayment-receipts", {**prepayment([card(100)]), "goods": []}, 422)
    returning = prepayment([card(1000)])
    returning["goods"] = [{**g, "is_return": True} for g in GOODS]
    assert refused(c, "/prepayment-receipts", returning) == NO_RETURN_LINES
    body = prepayment([card(1000)])
    made(c, "/prepayment-receipts", body)
    settle(c)
    assert refused(c, "/prepayment-receipts", body) == "Вказаний id чеку вже існує"
    assert ADVANCE_NOT_POSITIVE


def test_after_payment_refusals(opened: Cashier) -> None:
    c = opened
    missing = f"/prepayment-receipts/{uuid.uuid4()}"
    assert refused(c, missing, after([card(100)]), 404) == RELATION_NOT_FOUND
    assert c.get(missing).status_code == 404
    assert refused(c, f"{missing}/return", {}, 404) == RELATION_NOT_FOUND
    c.sandbox.control("POST", "/sandbox/config", {"signing_delay": 5})
    pre = made(c, "/prepayment-receipts", prepayment([card(1000)]))
    path = f"/prepayment-receipts/{pre['pre_payment_relation_id']}"
    # Not yet signed: neither the rest nor a return may be taken against it.
    assert refused(c, path, after([card(20000)])) == CHAIN_NOT_FISCALISED
    assert refused(c, f"{path}/return", {}) == CHAIN_NOT_FISCALISED
    c.sandbox.control("POST", "/sandbox/config", {"signing_delay": 0.2})
    c.advance(5)
    assert refused(c, path, after([card(19999)])) == (
        "Сума оплати менша за залишок до сплати (20000)"
    )
    assert refused(c, path, after([card(20001)])) == "Решта можлива лише з готівки"
    assert refused(c, path, after([])) == "Сума оплати менша за залишок до сплати (20000)"
    assert refused(c, path, {"payments": []}, 422)
    done = made(c, path, after([card(20000)]))
    settle(c)
    assert refused(c, path, after([card(1)])) == CHAIN_CLOSED
    assert refused(c, path, {**after([cash(1)]), "id": done["id"]}) in (
        CHAIN_CLOSED,
        "Вказаний id чеку вже існує",
    )
    # The whole chain (advance and after-payment) can still be returned, once.
    returned = made(c, f"{path}/return", {})
    assert [r["total_sum"] for r in returned] == [1000, 20000]


def test_less_than_is_left_is_refused_and_changes_nothing(opened: Cashier) -> None:
    """No public source documents a second advance in a chain: paying less than is left to the
    relation is refused (400, our text), the chain stays as it was and still takes the rest."""
    c = opened
    first = made(c, "/prepayment-receipts", prepayment([card(5000)]))
    path = f"/prepayment-receipts/{first['pre_payment_relation_id']}"
    settle(c)
    before = c.ok("POST", "/reports", status=201)
    short = "Сума оплати менша за залишок до сплати (16000)"
    assert refused(c, path, after([cash(6000)])) == short
    assert refused(c, path, after([card(15999)])) == short
    assert refused(c, path, after([cash(10000), card(5999)])) == short
    rel = c.ok("GET", path)
    assert (rel["pre_payment_status"], rel["paid_sum"], rel["left_to_pay"]) == (
        "PARTIAL_PAID",
        5000,
        TOTAL - 5000,
    )
    assert rel["receipt_chain"] == {
        "pre_payment_receipts": [first["id"]],
        "after_payment_receipt": None,
        "returned_receipts": [],
    }
    x = c.ok("POST", "/reports", status=201)
    assert x["sell_receipts_count"] == before["sell_receipts_count"] == 1
    sums = [{p["type"]: p["sell_sum"] for p in r["payments"]} for r in (before, x)]
    assert sums[0] == sums[1] == {"CASH": 0, "CASHLESS": 5000}
    rest = made(c, path, after([cash(6000), card(TOTAL - 11000)]))
    settle(c)
    rel = c.ok("GET", path)
    assert rel["pre_payment_status"] == "FULL_PAID"
    assert rel["receipt_chain"]["after_payment_receipt"] == rest["id"]
    x = c.ok("POST", "/reports", status=201)
    assert x["sell_receipts_count"] == 2
    pay = {p["type"]: p["sell_sum"] for p in x["payments"]}
    assert pay == {"CASH": 6000, "CASHLESS": 5000 + TOTAL - 11000}
    taxes = {t["code"]: (t["sell_sum"], t["sales_turnover"]) for t in x["taxes"]}
    assert taxes[5] == (1667, 10000)  # two receipts, the order's taxes exactly
    assert taxes[8] == (0, 11000)


def test_full_prepayment_then_empty_after_payment(opened: Cashier) -> None:
    c = opened
    pre = made(c, "/prepayment-receipts", prepayment([card(TOTAL)]))
    path = f"/prepayment-receipts/{pre['pre_payment_relation_id']}"
    settle(c)
    assert c.ok("GET", path)["pre_payment_status"] == "FULL_PAID"
    done = made(c, path, after([]))
    assert done["total_sum"] == 0


def test_no_chain_receipts_without_a_shift_or_offline(cashier: Cashier) -> None:
    c = cashier
    assert refused(c, "/prepayment-receipts", prepayment([card(1000)])) == "Зміну не відкрито"
    c.open_shift()
    pre = made(c, "/prepayment-receipts", prepayment([card(1000)]))
    settle(c)
    c.ok("GET", "/cash-registers/ask-offline-codes?count=10&sync=true")
    c.advance(1.1)
    c.ok("POST", "/cash-registers/go-offline", {})
    path = f"/prepayment-receipts/{pre['pre_payment_relation_id']}"
    assert refused(c, "/prepayment-receipts", prepayment([card(1000)])) == PREPAYMENT_OFFLINE
    assert refused(c, path, after([card(20000)])) == PREPAYMENT_OFFLINE
    assert refused(c, f"{path}/return", {}) == PREPAYMENT_OFFLINE


def test_automatic_offline_refuses_too(cashier: Cashier, sandbox: RunningSandbox) -> None:
    c = cashier
    c.open_shift()
    sandbox.control("POST", "/sandbox/tax-service", {"state": "down"})
    try:
        c.ok("POST", "/receipts/sell", _sale_bread(), status=201)  # the server goes offline
        settle(c)
        assert c.register_state()["offline_mode"] is True
        assert refused(c, "/prepayment-receipts", prepayment([card(100)])) == PREPAYMENT_OFFLINE
    finally:
        sandbox.control("POST", "/sandbox/tax-service", {"state": "up"})


def _sale_bread() -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "goods": [good("9", 1000, 1000, (8,))],
        "payments": [card(1000)],
    }
