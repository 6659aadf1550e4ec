"""Rows of the seed's error table, reproduced with their exact status code and text."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest

from pos.sandbox.server import RunningSandbox

from .conftest import HEADERS, Cashier, card, cash, good, paced, sale


def expect(response: httpx.Response, status: int, message: str) -> None:
    assert (response.status_code, response.json()) == (status, {"message": message})


@pytest.fixture
def slow_signing(sandbox: RunningSandbox) -> Iterator[None]:
    """Transactions stay PENDING for a minute (unless the clock is moved)."""
    sandbox.control("POST", "/sandbox/config", {"signing_delay": 60})
    yield
    sandbox.control("POST", "/sandbox/config", {"signing_delay": 0})


def offline_with_codes(cashier: Cashier, count: int = 10) -> list[str]:
    cashier.ok("GET", f"/cash-registers/ask-offline-codes?count={count}&sync=true")
    pool = [c["fiscal_code"] for c in cashier.ok("GET", "/cash-registers/get-offline-codes")]
    now = datetime.fromisoformat(cashier.state()["now"])
    cashier.ok(
        "POST",
        "/cash-registers/go-offline",
        {"go_offline_date": now.isoformat(), "fiscal_code": pool[0]},
    )
    return pool[1:]


# ---- authentication and headers -------------------------------------------------------------


def test_wrong_license_key_401(sandbox: RunningSandbox) -> None:
    http = paced(sandbox, headers=HEADERS)
    r = http.post(
        "/cashier/signinPinCode", json={"pin_code": "1111"}, headers={"X-License-Key": "nope"}
    )
    expect(r, 401, "Невірний ключ ліцензії каси")


def test_wrong_token_401(sandbox: RunningSandbox) -> None:
    http = paced(sandbox, headers=HEADERS)
    expect(
        http.get("/cashier/me", headers={"Authorization": "Bearer x.y.z"}),
        401,
        "Невірний токен доступу",
    )


def test_no_token_403(sandbox: RunningSandbox) -> None:
    http = paced(sandbox, headers=HEADERS)
    expect(http.get("/cashier/me"), 403, "Not authenticated")


def test_wrong_pin_403_and_blocked_after_five(sandbox: RunningSandbox) -> None:
    reg = sandbox.registers[0]
    http = paced(sandbox, headers={**HEADERS, "X-License-Key": reg.license_key})
    for _ in range(5):
        expect(
            http.post("/cashier/signinPinCode", json={"pin_code": "0000"}), 403, "Невірний пінкод"
        )
    expect(
        http.post("/cashier/signinPinCode", json={"pin_code": reg.cashier_pin}),
        400,
        "Максимальну кількість спроб перевищено, повторіть через 300 секунд",
    )


def test_wrong_login_403(sandbox: RunningSandbox) -> None:
    http = paced(sandbox, headers=HEADERS)
    r = http.post("/cashier/signin", json={"login": "cashier1", "password": "wrong"})
    expect(r, 403, "Невірний логін або пароль")


def test_missing_client_name_405(sandbox: RunningSandbox) -> None:
    http = paced(sandbox)
    r = http.post("/cashier/signin", json={"login": "cashier1", "password": "cashier1"})
    assert r.status_code == 405
    assert r.json()["message"].startswith("Ваша версія агенту підпису застаріла")


def test_malformed_bodies_422(cashier: Cashier) -> None:
    cashier.open_shift()
    broken = cashier.http.post(
        "/receipts/sell", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    expect(broken, 400, "There was an error parsing the body")  # the seed's error table
    wrong = cashier.post("/receipts/sell", {"id": "not-a-uuid", "goods": [], "payments": []})
    assert wrong.status_code == 422
    locs = {tuple(d["loc"]) for d in wrong.json()["detail"]}
    assert ("body", "id") in locs
    assert ("body", "goods") in locs


# ---- shifts ------------------------------------------------------------------------------------


def test_receipt_without_shift(cashier: Cashier) -> None:
    expect(cashier.post("/receipts/sell", sale([good()], [card(19500)])), 400, "Зміну не відкрито")


def test_receipt_while_shift_opening(cashier: Cashier, slow_signing: None) -> None:
    assert cashier.ok("POST", "/shifts", status=202)["status"] == "CREATED"
    expect(
        cashier.post("/receipts/sell", sale([good()], [card(19500)])),
        400,
        "Зміну не відкрито, потрібно дочекатись завершення відкриття",
    )


def test_shift_older_than_24_hours(cashier: Cashier) -> None:
    cashier.open_shift()
    cashier.advance(24 * 3600 + 60)
    expect(
        cashier.post("/receipts/sell", sale([good()], [card(19500)])),
        400,
        "Зміну відкрито понад 24 години тому, для продовження роботи закрийте діючу зміну і "
        "відкрийте нову",
    )


def test_shift_opened_twice(cashier: Cashier) -> None:
    cashier.open_shift()
    expect(cashier.post("/shifts"), 400, "Касир вже працює з даною касою")


def test_register_busy_with_another_cashier(cashier: Cashier, sandbox: RunningSandbox) -> None:
    cashier.open_shift()
    other = sandbox.registers[1]
    http = paced(sandbox, headers={**HEADERS, "X-License-Key": cashier.register.license_key})
    token = http.post("/cashier/signinPinCode", json={"pin_code": other.cashier_pin}).json()
    http.headers["Authorization"] = f"Bearer {token['access_token']}"
    expect(http.post("/shifts"), 400, "Каса зайнята іншим касиром")


def test_close_with_unfinished_transactions(cashier: Cashier, sandbox: RunningSandbox) -> None:
    cashier.open_shift()
    sandbox.control("POST", "/sandbox/config", {"signing_delay": 60})
    try:
        cashier.ok("POST", "/receipts/sell", sale([good()], [card(19500)]), status=201)
        r = cashier.post("/shifts/close")
        assert r.status_code == 400
        assert r.json()["message"].startswith("Знайдено ще неопрацьовані транзакції")
    finally:
        sandbox.control("POST", "/sandbox/config", {"signing_delay": 0})


def test_z_report_text_before_fiscalisation(cashier: Cashier, sandbox: RunningSandbox) -> None:
    cashier.open_shift()
    sandbox.control("POST", "/sandbox/config", {"signing_delay": 60})
    try:
        z = cashier.ok("POST", "/shifts/close", status=202)["z_report"]
        expect(cashier.get(f"/reports/{z['id']}/text"), 400, "Звіт ще не був фіскалізований в ДПС")
    finally:
        sandbox.control("POST", "/sandbox/config", {"signing_delay": 0})


def test_first_shift_must_be_opened_online(cashier: Cashier) -> None:
    pool = offline_with_codes(cashier)
    r = cashier.post("/shifts", {"fiscal_code": pool[0]})
    expect(r, 400, "Перше відкриття зміни обов'язково має виконуватись в онлайн режимі")


# ---- receipts -----------------------------------------------------------------------------------


def test_visualisation_before_fiscalisation(cashier: Cashier, sandbox: RunningSandbox) -> None:
    cashier.open_shift()
    sandbox.control("POST", "/sandbox/config", {"signing_delay": 60})
    try:
        body = sale([good()], [card(19500)])
        cashier.ok("POST", "/receipts/sell", body, status=201)
        expect(
            cashier.get(f"/receipts/{body['id']}/text"),
            400,
            "Візуалізація не фіскалізованого чеку неможлива, зачекайте доки чек буде "
            "фіскалізовано і повторіть запит.",
        )
    finally:
        sandbox.control("POST", "/sandbox/config", {"signing_delay": 0})


def test_not_enough_cash_for_service_out(cashier: Cashier) -> None:
    cashier.open_shift()
    cashier.ok(
        "POST",
        "/receipts/service",
        {"id": str(uuid.uuid4()), "payment": {"value": 10000}},
        status=201,
    )
    r = cashier.post("/receipts/service", {"id": str(uuid.uuid4()), "payment": {"value": -20000}})
    expect(
        r, 400, "Неможливо виконати операцію, оскільки в касі недостатньо коштів (200.00 > 100.00)"
    )


def test_duplicate_receipt_id(cashier: Cashier) -> None:
    cashier.open_shift()
    body = sale([good()], [card(19500)])
    cashier.ok("POST", "/receipts/sell", body, status=201)
    expect(cashier.post("/receipts/sell", body), 400, "Вказаний id чеку вже існує")


def test_receipt_not_found(cashier: Cashier) -> None:
    expect(cashier.get(f"/receipts/{uuid.uuid4()}"), 400, "Receipt not found")


def test_previous_receipt_mismatch(cashier: Cashier) -> None:
    cashier.open_shift()
    first = sale([good()], [card(19500)])
    cashier.ok("POST", "/receipts/sell", first, status=201)
    wrong = sale([good()], [card(19500)], previous_receipt_id=str(uuid.uuid4()))
    expect(
        cashier.post("/receipts/sell", wrong),
        400,
        "id попереднього чеку відрізняється від останнього збереженого чеку",
    )
    cashier.advance(1.1)
    right = sale([good()], [card(19500)], previous_receipt_id=first["id"])
    cashier.ok("POST", "/receipts/sell", right, status=201)


def test_payments_less_than_total(cashier: Cashier) -> None:
    cashier.open_shift()
    r = cashier.post("/receipts/sell", sale([good()], [cash(19000)]))
    expect(r, 400, "Сума платежів не може бути меншою ніж сума чеку")


def test_return_payments_must_equal_total(cashier: Cashier) -> None:
    cashier.open_shift()
    r = cashier.post("/receipts/sell", sale([good("7", 4544, is_return=True)], [cash(5000)]))
    expect(r, 400, "Сума платежів повинна дорівнювати сумі чеку повернення (45.44)")


def test_total_must_be_positive(cashier: Cashier) -> None:
    cashier.open_shift()
    body = sale(
        [good("7", 1000)],
        [cash(1000)],
        discounts=[{"type": "DISCOUNT", "mode": "VALUE", "value": 1000}],
    )
    expect(cashier.post("/receipts/sell", body), 400, "Загальна сума чеку має бути більшою нуля")


def test_change_on_cashless(cashier: Cashier) -> None:
    cashier.open_shift()
    r = cashier.post("/receipts/sell", sale([good("7", 4000)], [card(60000)]))
    expect(r, 400, "Решта не може бути використана для безготівкової оплати (решта = 560.00)")


def test_mixed_receipt(cashier: Cashier) -> None:
    cashier.open_shift()
    body = sale([good("1", 1000), good("2", 500, is_return=True)], [cash(1000)])
    expect(
        cashier.post("/receipts/sell", body),
        400,
        "Неможливо створювати чеки змішаного типу (одночасний продаж та повернення)'",
    )


@pytest.fixture
def sold(cashier: Cashier) -> dict[str, object]:
    cashier.open_shift()
    body = sale([good("A", 1000, 2000), good("B", 500, 1000)], [cash(2500)])
    cashier.ok("POST", "/receipts/sell", body, status=201)
    cashier.advance(1.1)
    return body


def test_return_of_unknown_goods(cashier: Cashier, sold: dict[str, object]) -> None:
    body = sale([good("C", 100, is_return=True)], [cash(100)], related_receipt_id=sold["id"])
    expect(cashier.post("/receipts/sell", body), 400, "Товарів з кодами: C не існує у чеку продажу")


def test_return_of_more_than_sold(cashier: Cashier, sold: dict[str, object]) -> None:
    body = sale(
        [good("A", 1000, 3000, is_return=True)], [cash(3000)], related_receipt_id=sold["id"]
    )
    expect(
        cashier.post("/receipts/sell", body), 400, "Товарів з кодами: A більше, ніж у чеку продажу"
    )


def test_return_of_fully_returned(cashier: Cashier, sold: dict[str, object]) -> None:
    whole = sale(
        [good("A", 1000, 2000, is_return=True), good("B", 500, 1000, is_return=True)],
        [cash(2500)],
        related_receipt_id=sold["id"],
    )
    cashier.ok("POST", "/receipts/sell", whole, status=201)
    cashier.advance(1.1)
    again = sale([good("B", 500, is_return=True)], [cash(500)], related_receipt_id=sold["id"])
    expect(cashier.post("/receipts/sell", again), 400, "Товари чеку вже були повністю повернені")


@pytest.mark.usefixtures("still_clock")
def test_receipt_rate_limit(cashier: Cashier) -> None:
    cashier.open_shift()
    cashier.pace = 0
    cashier.advance(1)  # the shift's requests leave the one-second window
    for _ in range(2):
        cashier.ok("POST", "/receipts/sell", sale([good()], [card(19500)]), status=201)
    r = cashier.post("/receipts/sell", sale([good()], [card(19500)]))
    expect(r, 429, "Занадто часто виконуються запити, повторіть спробу через 5 секунд")
    cashier.advance(3)
    expect(
        cashier.post("/receipts/sell", sale([good()], [card(19500)])),
        429,
        "Занадто часто виконуються запити, повторіть спробу через 2 секунд",
    )
    cashier.advance(2.1)
    cashier.ok("POST", "/receipts/sell", sale([good()], [card(19500)]), status=201)
    assert cashier.state()["rate_limited"] == 2


def test_receipt_being_created_429(cashier: Cashier, sandbox: RunningSandbox) -> None:
    cashier.open_shift()
    sandbox.control("POST", "/sandbox/config", {"creating_window_ms": 60_000})
    try:
        body = sale([good()], [card(19500)])
        cashier.ok("POST", "/receipts/sell", body, status=201)
        expect(
            cashier.get(f"/receipts/{body['id']}"),
            429,
            "Вказаний чек створюється, повторіть запит пізніше",
        )
    finally:
        sandbox.control("POST", "/sandbox/config", {"creating_window_ms": 50})


@pytest.mark.usefixtures("still_clock")
def test_visualisation_rate_limit(cashier: Cashier) -> None:
    cashier.open_shift()
    body = sale([good()], [card(19500)])
    cashier.ok("POST", "/receipts/sell", body, status=201)
    cashier.receipt(body["id"])
    assert cashier.public(f"/receipts/{body['id']}/text").status_code == 200
    expect(
        cashier.public(f"/receipts/{body['id']}/text"),
        429,
        "Занадто часто виконуються запити, повторіть спробу через 1 секунд",
    )
    cashier.public(f"/receipts/{body['id']}/text")
    r = cashier.public(f"/receipts/{body['id']}/text")
    expect(r, 429, "Занадто часто виконуються запити, повторіть спробу через 10 секунд")


def test_rate_limits_can_be_switched_off(cashier: Cashier, sandbox: RunningSandbox) -> None:
    cashier.open_shift()
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    for _ in range(6):
        cashier.ok("POST", "/receipts/sell", sale([good()], [card(19500)]), status=201)


# ---- offline ------------------------------------------------------------------------------------


def test_already_offline(cashier: Cashier) -> None:
    offline_with_codes(cashier)
    expect(cashier.post("/cash-registers/go-offline"), 400, "Каса вже в режимі оффлайн")


def test_codes_only_online(cashier: Cashier) -> None:
    offline_with_codes(cashier)
    expect(
        cashier.get("/cash-registers/ask-offline-codes?count=5"),
        400,
        "Codes can be asked only if cash register is online!",
    )


def test_ping_when_tax_service_down(cashier: Cashier, sandbox: RunningSandbox) -> None:
    assert cashier.ok("POST", "/cash-registers/ping-tax-service") == {
        "status": "DONE",
        "error": None,
    }
    sandbox.control("POST", "/sandbox/tax-service", {"state": "down"})
    r = cashier.post("/cash-registers/ping-tax-service")
    assert r.status_code == 400
    assert r.json()["message"].startswith("_InactiveRpcError")


def test_sell_offline_needs_manual_offline_mode(cashier: Cashier) -> None:
    cashier.open_shift()
    body = sale([good()], [card(19500)], fiscal_code="TEST-x", fiscal_date="2030-01-01T00:00:00")
    expect(
        cashier.post("/receipts/sell-offline", body),
        400,
        "Cash register should be in manual offline mode!",
    )


def test_offline_code_used_twice(cashier: Cashier) -> None:
    cashier.open_shift()
    pool = offline_with_codes(cashier)
    when = datetime.fromisoformat(cashier.state()["now"]) + timedelta(seconds=1)
    body = sale([good()], [card(19500)], fiscal_code=pool[0], fiscal_date=when.isoformat())
    cashier.ok("POST", "/receipts/sell-offline", body, status=201)
    body2 = sale([good()], [card(19500)], fiscal_code=pool[0], fiscal_date=when.isoformat())
    expect(
        cashier.post("/receipts/sell-offline", body2),
        400,
        f"[offline_mode_exception#error] Offline code '{pool[0]}' was used before!",
    )


def test_offline_date_before_last_transaction(cashier: Cashier) -> None:
    cashier.open_shift()
    pool = offline_with_codes(cashier)
    past = datetime.fromisoformat(cashier.state()["now"]) - timedelta(hours=1)
    body = sale([good()], [card(19500)], fiscal_code=pool[0], fiscal_date=past.isoformat())
    r = cashier.post("/receipts/sell-offline", body)
    assert r.status_code == 400
    message = r.json()["message"]
    assert message.startswith(f"Вказана дата транзакції {past.isoformat()} не може бути меншою")


def test_offline_longer_than_36_hours(cashier: Cashier) -> None:
    cashier.open_shift()
    pool = offline_with_codes(cashier)
    start = datetime.fromisoformat(cashier.state()["now"])
    cashier.advance(3600)
    cashier.ok(
        "POST",
        "/shifts/close",
        {"fiscal_code": pool[0], "fiscal_date": (start + timedelta(hours=1)).isoformat()},
        status=202,
    )
    cashier.advance(36 * 3600)
    r = cashier.post(
        "/shifts",
        {"fiscal_code": pool[1], "fiscal_date": (start + timedelta(hours=37)).isoformat()},
    )
    expect(
        r,
        400,
        "Зі вказаною міткою часу час перебування в офлайн режимі є більшим ніж дозволено (36 год.)",
    )


def test_code_requests_blocked_after_six_of_ten(cashier: Cashier) -> None:
    for _ in range(5):
        assert cashier.ok("GET", "/cash-registers/ask-offline-codes?count=1")["status"] == "OK"
    blocked = cashier.ok("GET", "/cash-registers/ask-offline-codes?count=1")
    assert blocked["status"] == "ERROR"
    assert "6" in blocked["error"]
    cashier.open_shift()  # one real transaction is not enough: 5 code requests remain in the 10
    assert cashier.ok("GET", "/cash-registers/ask-offline-codes?count=1")["status"] == "ERROR"
    assert cashier.register_state()["codes_free"] == 1


def test_a_good_sold_on_two_lines_is_returned_against_their_sum(cashier: Cashier) -> None:
    """Two pieces of cheese weighed apart are one good on two lines: a return of more than one
    line holds but not more than both is accepted (the 1,000-kill run caught the sandbox
    keeping only the last line's quantity and refusing a printed offline return)."""
    cashier.open_shift()
    body = sale([good("3", 45990, 1250), good("3", 45990, 500)], [cash(80483)])
    cashier.ok("POST", "/receipts/sell", body, status=201)
    cashier.advance(1.1)
    first = sale(
        [good("3", 45990, 1250, is_return=True)], [cash(57488)], related_receipt_id=body["id"]
    )
    cashier.ok("POST", "/receipts/sell", first, status=201)
    cashier.advance(1.1)
    too_much = sale(
        [good("3", 45990, 501, is_return=True)], [cash(23041)], related_receipt_id=body["id"]
    )
    expect(
        cashier.post("/receipts/sell", too_much),
        400,
        "Товарів з кодами: 3 більше, ніж у чеку продажу",
    )
