"""The full online story over real HTTP: sign in → open shift → sell → return → service in/out →
X-report → close → Z-report text, with the server's state checked at each step."""

from __future__ import annotations

import uuid

from pos.sandbox.server import RunningSandbox

from .conftest import Cashier, card, cash, good, paced, sale


def test_calls_real_clients_make_after_sign_in(cashier: Cashier) -> None:
    me = cashier.ok("GET", "/cashier/me")
    assert me["full_name"] == "Тестовий касир 1"
    assert cashier.ok("GET", "/cashier/shift") is None
    info = cashier.ok("GET", "/cash-registers/info")
    assert info["id"] == cashier.register.cash_register_id
    assert info["fiscal_number"] == cashier.register.fiscal_number
    assert info["offline_mode"] is False
    listed = cashier.ok("GET", "/cash-registers")
    assert cashier.register.cash_register_id in {r["id"] for r in listed}
    one = cashier.ok("GET", f"/cash-registers/{cashier.register.cash_register_id}")
    assert one["shift"] is None


def test_signin_by_login_and_signout(sandbox: RunningSandbox) -> None:
    reg = sandbox.registers[0]
    http = paced(sandbox, headers={"X-Client-Name": "t"})
    token = http.post(
        "/cashier/signin", json={"login": reg.cashier_login, "password": reg.cashier_password}
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert http.get("/cashier/me", headers=auth).status_code == 200
    out = http.post("/cashier/signout", headers=auth)
    assert out.status_code == 200
    assert out.json() is None
    again = http.get("/cashier/me", headers=auth)
    assert (again.status_code, again.json()) == (401, {"message": "Невірний токен доступу"})


def test_full_online_story(cashier: Cashier) -> None:
    shift = cashier.ok("POST", "/shifts", status=202)
    assert shift["status"] == "CREATED"
    assert shift["initial_transaction"]["type"] == "SHIFT_OPEN"
    assert shift["initial_transaction"]["status"] == "PENDING"
    opened = cashier.ok("GET", f"/shifts/{shift['id']}")
    assert opened["status"] == "OPENED"
    assert opened["initial_transaction"]["status"] == "DONE"
    assert cashier.ok("GET", "/cashier/shift")["id"] == shift["id"]

    # Service-in of 100.00, then the seed's card sale (two excise goods, 50.00 off).
    service_in = cashier.ok(
        "POST",
        "/receipts/service",
        {"id": str(uuid.uuid4()), "payment": {"type": "CASH", "value": 10000}},
        status=201,
    )
    assert (service_in["type"], service_in["status"], service_in["transaction"]) == (
        "SERVICE_IN",
        "DONE",
        None,
    )
    body = sale(
        [good("500", 19500, 1000), good("501", 20900, 2000)],
        [card(56300)],
        discounts=[{"type": "DISCOUNT", "mode": "VALUE", "value": 5000, "tax_code": 1}],
    )
    created = cashier.ok("POST", "/receipts/sell", body, status=201)
    assert created["status"] == "CREATED"
    assert created["transaction"]["status"] == "PENDING"
    assert created["total_sum"] == 56300
    lines = {g["good"]["code"]: g for g in created["goods"]}
    assert (lines["500"]["taxes"][0]["value"], lines["500"]["taxes"][0]["extra_value"]) == (
        3095,
        929,
    )
    assert (lines["501"]["taxes"][0]["value"], lines["501"]["taxes"][0]["extra_value"]) == (
        6635,
        1990,
    )
    assert created["taxes"][0]["value"] == 8936
    assert created["discounts"][0]["sum"] == -5000
    done = cashier.receipt(body["id"])
    assert done["status"] == "DONE"
    assert done["transaction"]["status"] == "DONE"
    assert done["fiscal_code"].startswith("TEST-")
    assert done["is_created_offline"] is False
    assert done["tax_url"].startswith("https://cabinet.tax.gov.ua/cashregs/check?id=")
    assert f"fn={cashier.register.fiscal_number}" in done["tax_url"]
    assert "sm=563.00" in done["tax_url"]
    assert done["tax_url"].endswith("mac=" + done["transaction"]["previous_hash"])

    # A cash sale with change, then a return of one good against it.
    cash_sale = sale([good("600", 4500, 2000, tax=(8,))], [cash(10000)])
    cashier.advance(1.1)
    sold = cashier.ok("POST", "/receipts/sell", cash_sale, status=201)
    assert (sold["total_sum"], sold["rest"], sold["total_payment"]) == (9000, 1000, 10000)
    cashier.advance(1.1)
    returned = cashier.ok(
        "POST",
        "/receipts/sell",
        sale(
            [good("600", 4500, 1000, tax=(8,), is_return=True)],
            [cash(4500)],
            related_receipt_id=cash_sale["id"],
        ),
        status=201,
    )
    assert returned["type"] == "RETURN"

    # Service-out of 30.00 (cash: 100 + 90 − 45 = 145 in the drawer).
    cashier.advance(1.1)
    out = cashier.ok(
        "POST",
        "/receipts/service",
        {"id": str(uuid.uuid4()), "payment": {"type": "CASH", "value": -3000}},
        status=201,
    )
    assert out["type"] == "SERVICE_OUT"

    x = cashier.ok("POST", "/reports", status=201)
    assert x["is_z_report"] is False
    assert (x["sell_receipts_count"], x["return_receipts_count"]) == (2, 1)
    pay = {p["type"]: p for p in x["payments"]}
    assert pay["CASH"]["sell_sum"] == 9000
    assert pay["CASH"]["return_sum"] == 4500
    assert pay["CASH"]["service_in"] == 10000
    assert pay["CASH"]["service_out"] == 3000
    assert pay["CASHLESS"]["sell_sum"] == 56300
    assert x["balance"] == 10000 + 9000 - 4500 - 3000
    x_text = cashier.get(f"/reports/{x['id']}/text")
    assert x_text.status_code == 200
    assert "X-ЗВІТ" in x_text.text

    closing = cashier.ok("POST", "/shifts/close", status=202)
    assert closing["status"] == "CLOSING"
    assert closing["z_report"]["is_z_report"] is True
    assert closing["z_report"]["balance"] == 11500
    assert closing["closing_transaction"]["type"] == "Z_REPORT"
    closed = cashier.ok("GET", f"/shifts/{shift['id']}")
    assert closed["status"] == "CLOSED"
    assert closed["balance"]["balance"] == 11500
    assert closed["balance"]["card_sales"] == 56300
    z_text = cashier.get(f"/reports/{closing['z_report']['id']}/text")
    assert z_text.status_code == 200
    assert "Z-ЗВІТ" in z_text.text
    assert "115.00" in z_text.text
    assert cashier.ok("GET", "/cashier/shift") is None

    state = cashier.register_state()
    assert state["receipts"] == 5
    assert state["shift_id"] is None
    # The next shift starts with the cash the last one ended with.
    assert cashier.open_shift()["balance"]["initial"] == 11500


def test_receipt_visualisations(cashier: Cashier, sandbox: RunningSandbox) -> None:
    cashier.open_shift()
    body = sale([good("500", 19500, 1000)], [cash(20000)])
    cashier.ok("POST", "/receipts/sell", body, status=201)
    cashier.receipt(body["id"])
    text = cashier.get(f"/receipts/{body['id']}/text")
    assert text.status_code == 200
    assert cashier.register.fiscal_number in text.text
    assert "195.00" in text.text
    assert "РЕШТА" in text.text
    assert "ОФЛАЙН" not in text.text
    cashier.advance(1.1)
    html = cashier.get(f"/receipts/{body['id']}/html")
    assert html.status_code == 200
    assert "<svg" in html.text
    cashier.advance(1.1)
    png = cashier.get(f"/receipts/{body['id']}/png")
    assert png.content.startswith(b"\x89PNG")
    cashier.advance(1.1)
    qr = cashier.get(f"/receipts/{body['id']}/qrcode")
    assert (qr.status_code, qr.headers["content-type"]) == (200, "image/png")


def test_list_shifts_and_periodical(cashier: Cashier) -> None:
    shift = cashier.open_shift()
    cashier.ok("POST", "/shifts/close", status=202)
    listed = cashier.ok("GET", "/shifts")
    assert [s["id"] for s in listed] == [shift["id"]]
    text = cashier.get(
        "/reports/periodical",
        params={"from_date": "2000-01-01T00:00:00+0200", "to_date": "2100-01-01T00:00:00+0200"},
    )
    assert text.status_code == 200
    assert "ПЕРІОДИЧНИЙ ЗВІТ" in text.text
    assert "Z-звітів" in text.text
