"""The sandbox refuses what the Checkbox guide says the real service refuses (issue 10, points
1–9), over real HTTP, with the guide's status and text; and it fails on demand as the service
fails (`POST /sandbox/faults`)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from pos.sandbox.clock import KYIV
from pos.sandbox.server import RunningSandbox

from .conftest import HEADERS, Cashier, card, cash, good, sale

TOO_OFTEN = "Занадто часто виконуються запити, повторіть спробу через {} секунд"


def expect(response: httpx.Response, status: int, message: str) -> None:
    assert (response.status_code, response.json()) == (status, {"message": message})


def now_of(cashier: Cashier) -> datetime:
    return datetime.fromisoformat(cashier.state()["now"])


def codes(cashier: Cashier, count: int = 10) -> list[str]:
    cashier.ok("GET", f"/cash-registers/ask-offline-codes?count={count}&sync=true")
    listed = cashier.ok("GET", f"/cash-registers/get-offline-codes?count={count}")
    return [c["fiscal_code"] for c in listed]


def fault(sandbox: RunningSandbox, cashier: Cashier, kind: str, **extra: Any) -> None:
    body = {"register_id": cashier.register.cash_register_id, "fault": kind, **extra}
    sandbox.control("POST", "/sandbox/faults", body)


# ---- 1. go-offline while offline, either mode ---------------------------------------------------


def test_go_offline_refused_in_automatic_offline(cashier: Cashier, sandbox: RunningSandbox) -> None:
    cashier.open_shift()
    pool = codes(cashier)
    sandbox.control("POST", "/sandbox/tax-service", {"state": "down"})
    auto = sale([good()], [card(19500)])
    cashier.ok("POST", "/receipts/sell", auto, status=201)
    cashier.receipt(auto["id"])
    assert cashier.register_state()["mode"] == "auto_offline"
    expect(
        cashier.post("/cash-registers/go-offline", {"fiscal_code": pool[5]}),
        400,
        "Каса вже в режимі оффлайн",
    )
    assert cashier.register_state()["mode"] == "auto_offline"  # not turned into manual
    offline = sale(
        [good()], [card(19500)], fiscal_code=pool[6], fiscal_date=now_of(cashier).isoformat()
    )
    expect(
        cashier.post("/receipts/sell-offline", offline),
        400,
        "Cash register should be in manual offline mode!",
    )


# ---- 2. any request, more than 2 a second -------------------------------------------------------


@pytest.mark.usefixtures("still_clock")
def test_any_request_more_than_two_a_second_429_blocks_the_register(cashier: Cashier) -> None:
    cashier.pace = 0
    cashier.advance(1)
    assert cashier.get("/cash-registers/info").status_code == 200
    assert cashier.get("/cashier/me").status_code == 200
    expect(cashier.get("/cash-registers/get-offline-codes?count=1"), 429, TOO_OFTEN.format(1))
    expect(cashier.get("/cashier/shift"), 429, TOO_OFTEN.format(1))  # the whole register waits
    cashier.advance(1.01)
    assert cashier.get("/cashier/shift").status_code == 200


# ---- 3. bodies ----------------------------------------------------------------------------------


def test_unparsable_bodies_400_invalid_ones_422_never_500(cashier: Cashier) -> None:
    cashier.open_shift()
    raw = {"Content-Type": "application/json"}
    for text in (
        b'{"id": "x"',
        b'{"id": NaN}',
        b'{"goods": [{"quantity": Infinity}]}',
        b'{"payments": [{"type": "CASH", "value": 99999999999999999999999}]}',
    ):
        expect(
            cashier.http.post("/receipts/sell", content=text, headers=raw),
            400,
            "There was an error parsing the body",
        )
    for bad in (
        good(price=-1),
        good(qty=0),
        good(qty=-1000),
        good(price=10**15),
        {"good": {"code": "1", "name": "x" * 2000, "price": 100, "tax": [1]}, "quantity": 1000},
    ):
        r = cashier.post("/receipts/sell", sale([bad], [card(100)]))
        assert r.status_code == 422, r.text
        assert r.json()["detail"]
    big = {"good": {"code": "1", "name": "x" * (10 << 20), "price": 1}, "quantity": 1000}
    r = cashier.post("/receipts/sell", sale([big], [card(1)]))
    assert r.status_code == 413
    assert r.json()["message"]


def test_invented_fields_refused(cashier: Cashier) -> None:
    cashier.open_shift()
    r = cashier.post("/receipts/sell", sale([good()], [card(19500)], rounding_mode="ROUND_10"))
    assert r.status_code == 422
    assert r.json()["detail"][0]["type"] == "extra_forbidden"


# ---- 4. offline fiscal dates --------------------------------------------------------------------


def test_offline_dates_future_ask_time_and_no_shared_timestamps(
    cashier: Cashier, sandbox: RunningSandbox
) -> None:
    cashier.open_shift()
    pool = codes(cashier)
    start = now_of(cashier)
    cashier.ok(
        "POST",
        "/cash-registers/go-offline",
        {"go_offline_date": start.isoformat(), "fiscal_code": pool[0]},
    )
    future = sale(
        [good()],
        [card(19500)],
        fiscal_code=pool[1],
        fiscal_date=(start + timedelta(minutes=5)).isoformat(),
    )
    r = cashier.post("/receipts/sell-offline", future)
    assert r.status_code == 400
    assert "не може бути більшою, ніж поточний час сервера" in r.json()["message"]


def test_ask_rule_uses_the_latest_ask(cashier: Cashier, sandbox: RunningSandbox) -> None:
    cashier.open_shift()
    pool = codes(cashier, 5)
    before = now_of(cashier)
    cashier.advance(10)
    assert codes(cashier, 5) == pool  # the same unused codes, asked again later
    r = cashier.post(
        "/cash-registers/go-offline",
        {"go_offline_date": (before + timedelta(seconds=1)).isoformat(), "fiscal_code": pool[0]},
    )
    assert r.status_code == 400
    assert r.json()["message"].startswith("Вказана дата транзакції ")


def test_automatic_offline_begin_never_shares_the_receipts_timestamp(
    cashier: Cashier, sandbox: RunningSandbox
) -> None:
    cashier.open_shift()
    codes(cashier)
    sandbox.control("POST", "/sandbox/tax-service", {"state": "down"})
    for _ in range(2):
        body = sale([good()], [card(19500)])
        cashier.ok("POST", "/receipts/sell", body, status=201)
        cashier.receipt(body["id"])
    world = sandbox._app.state.world
    txs = sorted(
        (
            t
            for t in world.all("transaction")
            if t["register_id"] == cashier.register.cash_register_id
        ),
        key=lambda t: t["serial"],
    )
    dates = [t["original_datetime"] for t in txs]
    assert len(set(dates)) == len(dates)
    moments = [datetime.fromisoformat(d) for d in dates]
    assert moments == sorted(moments)  # in serial (hash-chain) order


def test_36_hours_hold_in_automatic_offline(cashier: Cashier, sandbox: RunningSandbox) -> None:
    cashier.open_shift()
    codes(cashier)
    sandbox.control("POST", "/sandbox/tax-service", {"state": "down"})
    body = sale([good()], [card(19500)])
    cashier.ok("POST", "/receipts/sell", body, status=201)
    cashier.receipt(body["id"])
    cashier.advance(37 * 3600)
    expect(
        cashier.post("/receipts/sell", sale([good()], [card(19500)])),
        400,
        "Зі вказаною міткою часу час перебування в офлайн режимі є більшим ніж дозволено (36 год.)",
    )


# ---- 5, 6. service receipts, cash withdrawal ----------------------------------------------------


def test_service_receipt_refuses_fiscal_fields(cashier: Cashier) -> None:
    cashier.open_shift()
    fiscal = ({"fiscal_code": "TEST-x"}, {"fiscal_date": "2026-12-01T10:00:00+02:00"})
    for extra in (*fiscal, {"goods": []}, {"discounts": []}):
        body = {"id": str(uuid.uuid4()), "payment": {"type": "CASH", "value": 100}, **extra}
        assert cashier.post("/receipts/service", body).status_code == 422
    card_data = {"id": str(uuid.uuid4()), "payment": {"type": "CASH", "value": 100, "rrn": "1"}}
    assert cashier.post("/receipts/service", card_data).status_code == 422


def test_cash_withdrawal_needs_terminal_data_and_cash(cashier: Cashier) -> None:
    cashier.open_shift()
    bare = {"id": str(uuid.uuid4()), "payment": {"type": "CASHLESS", "value": 100}}
    r = cashier.post("/receipts/cash-withdrawal", bare)
    assert r.status_code == 422
    assert "terminal" in r.text
    terminal = {"card_mask": "XXXX1234", "auth_code": "1", "rrn": "2", "terminal": "T1"}
    full = {"id": str(uuid.uuid4()), "payment": {"type": "CASHLESS", "value": 100, **terminal}}
    r = cashier.post("/receipts/cash-withdrawal", full)
    assert r.status_code == 400
    assert r.json()["message"].startswith(
        "Неможливо виконати операцію, оскільки в касі недостатньо"
    )


# ---- 7. the shift's calendar day ----------------------------------------------------------------


def test_shift_must_close_on_the_kyiv_day_it_opened(cashier: Cashier) -> None:
    now = now_of(cashier).astimezone(KYIV)
    evening = now.replace(hour=23, minute=0, second=0, microsecond=0)
    if evening < now:
        evening += timedelta(days=1)
    cashier.advance((evening - now).total_seconds())
    cashier.open_shift()
    cashier.ok("POST", "/receipts/sell", sale([good()], [card(19500)]), status=201)
    cashier.advance(3600 + 60)  # 00:01 in Kyiv, only an hour later
    expect(
        cashier.post("/receipts/sell", sale([good()], [card(19500)])),
        400,
        "Зміну відкрито понад 24 години тому, для продовження роботи закрийте діючу зміну і "
        "відкрийте нову",
    )
    assert cashier.ok("POST", "/shifts/close", status=202)["status"] in ("CLOSING", "CLOSED")


# ---- 8. periodical report -----------------------------------------------------------------------


def test_periodical_report_header_in_kyiv_days(cashier: Cashier) -> None:
    text = cashier.get(
        "/reports/periodical",
        params={"from_date": "2023-11-01T00:00:00+02:00", "to_date": "2023-11-30T00:00:00+02:00"},
    ).text
    assert "з 2023-11-01 по 2023-11-30" in text


# ---- 9. thread safety, control input ------------------------------------------------------------


def test_control_routes_validate_their_input(sandbox: RunningSandbox) -> None:
    http = httpx.Client(base_url=sandbox.base_url)
    assert http.post("/sandbox/clock", json={"offset_seconds": 1e15}).status_code == 422
    assert http.post("/sandbox/clock", content=b'{"offset_seconds": NaN}').status_code == 400
    assert http.get("/sandbox/state").status_code == 200
    http.close()


def test_200_parallel_requests_and_the_same_receipt_100_times(
    cashier: Cashier, sandbox: RunningSandbox
) -> None:
    cashier.open_shift()
    body = sale([good()], [cash(20000)])
    headers = dict(cashier.http.headers)

    async def storm() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=sandbox.api_url, headers=headers, timeout=30) as http:
            calls = [http.post("/receipts/sell", json=body) for _ in range(100)]
            calls += [http.get("/cash-registers/info") for _ in range(50)]
            calls += [http.get(f"/receipts/{body['id']}") for _ in range(25)]
            calls += [
                http.post("/receipts/sell", json=sale([good()], [card(19500)])) for _ in range(25)
            ]
            return list(await asyncio.gather(*calls))

    answers = asyncio.run(storm())
    assert len(answers) == 200
    assert all(a.status_code < 500 for a in answers), {a.status_code for a in answers}
    created = [a for a in answers if a.status_code == 201]
    assert len([a for a in created if a.json()["id"] == body["id"]]) <= 1
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    cashier.advance(10)
    assert cashier.get("/cash-registers/info").status_code == 200  # settles what is due
    state = cashier.state()
    assert state["transactions_pending"] == 0
    world = sandbox._app.state.world
    assert not [r for r in world.all("receipt") if r["status"] == "CREATED"]


def test_no_rate_limit_storm_is_served_without_500(
    cashier: Cashier, sandbox: RunningSandbox
) -> None:
    cashier.open_shift()
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    body = sale([good()], [cash(20000)])
    headers = dict(cashier.http.headers)

    async def storm() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=sandbox.api_url, headers=headers, timeout=30) as http:
            calls = [http.post("/receipts/sell", json=body) for _ in range(100)]
            calls += [http.get("/cash-registers/info") for _ in range(100)]
            return list(await asyncio.gather(*calls))

    answers = asyncio.run(storm())
    assert all(a.status_code < 500 for a in answers)
    sells = [a for a in answers[:100]]
    assert sum(a.status_code == 201 for a in sells) == 1
    assert all(
        a.json() == {"message": "Вказаний id чеку вже існує"} for a in sells if a.status_code != 201
    )
    cashier.advance(1)
    assert cashier.receipt(body["id"])["status"] == "DONE"


# ---- faults -------------------------------------------------------------------------------------


def test_request_faults_answer_the_guides_texts(cashier: Cashier, sandbox: RunningSandbox) -> None:
    cashier.open_shift()
    table = {
        "maintenance": (503, "Maintenance work till 3:30 GMT+3. Sorry for the inconvenience."),
        "register_blocked": (403, "Доступ заборонено, оскільки касу заблоковано"),
        "unpaid": (403, "Для видачі чеків, будь ласка, оплатіть рахунок за користування касами."),
        "cashier_blocked": (403, "Касира заблоковано: сертифікат ключа відкликано"),
        "signature_inactive": (400, "CheckBox Підпис неактивний, запустіть його, будь ласка"),
    }
    for kind, (status, text) in table.items():
        fault(sandbox, cashier, kind, times=1)
        expect(cashier.post("/receipts/sell", sale([good()], [card(19500)])), status, text)
    fault(sandbox, cashier, "other_integration", times=1)
    r = cashier.get("/cash-registers/info")
    assert r.status_code == 409
    assert r.json()["message"].startswith("Зміну відкрито за допомогою")
    fault(sandbox, cashier, "unfinished_transactions", times=1)
    r = cashier.post("/shifts/close")
    assert r.status_code == 400
    assert r.json()["message"].startswith("Знайдено ще неопрацьовані")
    assert cashier.get("/cash-registers/info").status_code == 200  # each fault fired once


def test_524_processes_the_request_and_loses_the_answer(
    cashier: Cashier, sandbox: RunningSandbox
) -> None:
    cashier.open_shift()
    fault(sandbox, cashier, "timeout_524", times=1)
    body = sale([good()], [card(19500)])
    expect(cashier.post("/receipts/sell", body), 524, "524 Timeout Occured")
    assert cashier.receipt(body["id"])["status"] == "DONE"


def test_receipt_error_and_shift_open_closed(cashier: Cashier, sandbox: RunningSandbox) -> None:
    fault(sandbox, cashier, "shift_open_closed", times=1, reason="ДПС: зміну не відкрито")
    shift = cashier.ok("POST", "/shifts", status=202)
    cashier.advance(0.1)
    seen = cashier.ok("GET", f"/shifts/{shift['id']}")
    assert seen["status"] == "CLOSED"
    assert seen["initial_transaction"]["status"] == "ERROR"
    assert seen["initial_transaction"]["response_error_message"] == "ДПС: зміну не відкрито"
    cashier.open_shift()
    fault(sandbox, cashier, "receipt_error", times=1)
    body = sale([good()], [card(19500)])
    cashier.ok("POST", "/receipts/sell", body, status=201)
    failed = cashier.receipt(body["id"])
    assert failed["status"] == "ERROR"
    assert failed["transaction"]["response_error_message"]


def test_slow_go_online_needs_several_calls_and_minutes(
    cashier: Cashier, sandbox: RunningSandbox
) -> None:
    cashier.open_shift()
    pool = codes(cashier)
    cashier.ok("POST", "/cash-registers/go-offline", {"fiscal_code": pool[0]})
    fault(sandbox, cashier, "slow_go_online", calls=2, minutes=3)
    cashier.ok("POST", "/cash-registers/go-online")
    cashier.advance(121)
    assert cashier.register_state()["offline_mode"] is True
    cashier.ok("POST", "/cash-registers/go-online")
    assert cashier.register_state()["offline_mode"] is True  # the minutes have not passed
    cashier.advance(60)
    cashier.get("/cash-registers/info")
    assert cashier.register_state()["offline_mode"] is False


def test_fault_route_validates(sandbox: RunningSandbox, cashier: Cashier) -> None:
    http = httpx.Client(base_url=sandbox.base_url, headers=HEADERS)
    r = http.post(
        "/sandbox/faults", json={"register_id": cashier.register.cash_register_id, "fault": "nope"}
    )
    assert r.status_code == 422
    r = http.post("/sandbox/faults", json={"register_id": "missing", "fault": "maintenance"})
    assert r.status_code == 404
    http.close()
