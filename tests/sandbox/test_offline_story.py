"""The offline story: codes asked online → tax service down → automatic offline → manual
go-offline and sell-offline with the client's codes and dates → tax service up → go-online."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pos.sandbox.server import RunningSandbox

from .conftest import Cashier, card, cash, good, sale


def now_of(cashier: Cashier) -> datetime:
    return datetime.fromisoformat(cashier.state()["now"])


def codes(cashier: Cashier, count: int = 100) -> list[str]:
    listed = cashier.ok("GET", f"/cash-registers/get-offline-codes?count={count}")
    return [c["fiscal_code"] for c in listed]


def test_full_offline_story(cashier: Cashier, sandbox: RunningSandbox) -> None:
    shift = cashier.open_shift()
    assert cashier.ok("GET", "/cash-registers/ask-offline-codes?count=10&sync=true") == {
        "status": "DONE",
        "error": None,
    }
    pool = codes(cashier)
    assert len(pool) == 10
    assert cashier.register_state()["codes_free"] == 10

    # The tax service goes down: an online sale sends the register into automatic offline mode.
    sandbox.control("POST", "/sandbox/tax-service", {"state": "down"})
    auto = sale([good("500", 19500, 1000)], [card(19500)])
    assert cashier.ok("POST", "/receipts/sell", auto, status=201)["status"] == "CREATED"
    fiscalised = cashier.receipt(auto["id"])
    assert fiscalised["status"] == "DONE"
    assert fiscalised["is_created_offline"] is True
    assert fiscalised["fiscal_code"] == pool[1]  # pool[0] went to the automatic go-offline
    assert fiscalised["transaction"]["status"] == "PENDING"
    register = cashier.ok("GET", f"/cash-registers/{cashier.register.cash_register_id}")
    assert (register["offline_mode"], register["stay_offline"]) == (True, False)
    assert codes(cashier) == pool[2:]
    ping = cashier.post("/cash-registers/ping-tax-service")
    assert ping.status_code == 400
    assert "DEADLINE_EXCEEDED" in ping.json()["message"]
    asked = cashier.get("/cash-registers/ask-offline-codes?count=10")
    assert asked.status_code == 400
    assert asked.json() == {"message": "Codes can be asked only if cash register is online!"}

    # go-offline is refused while the register is offline in either mode (the error table).
    refused = cashier.post("/cash-registers/go-offline", {"fiscal_code": pool[2]})
    assert (refused.status_code, refused.json()) == (400, {"message": "Каса вже в режимі оффлайн"})
    # The tax service is back: a ping ends automatic offline, the server's queue is delivered.
    sandbox.control("POST", "/sandbox/tax-service", {"state": "up"})
    assert cashier.ok("POST", "/cash-registers/ping-tax-service")["status"] == "DONE"
    assert cashier.register_state()["mode"] == "online"
    sandbox.control("POST", "/sandbox/tax-service", {"state": "down"})

    # The client takes over with its own codes and dates (manual offline mode).
    start = now_of(cashier) + timedelta(seconds=1)
    went = cashier.ok(
        "POST",
        "/cash-registers/go-offline",
        {"go_offline_date": start.isoformat(), "fiscal_code": pool[2]},
    )
    assert went["status"] == "ok"
    assert cashier.register_state()["mode"] == "manual_offline"
    again = cashier.post("/cash-registers/go-offline", {})
    assert (again.status_code, again.json()) == (400, {"message": "Каса вже в режимі оффлайн"})

    moment = (start + timedelta(seconds=5)).astimezone(UTC).replace(tzinfo=None, microsecond=0)
    offline = sale(
        [good("600", 4500, 1000, tax=(8,))],
        [cash(5000)],
        fiscal_code=pool[3],
        fiscal_date=moment.strftime("%Y-%m-%dT%H:%M:%S.%f"),
    )
    cashier.advance(1.1)
    made = cashier.ok("POST", "/receipts/sell-offline", offline, status=201)
    assert made["status"] == "DONE"
    assert made["fiscal_code"] == pool[3]
    assert made["is_created_offline"] is True
    assert made["fiscal_date"] == moment.replace(microsecond=0, tzinfo=UTC).isoformat()
    kyiv = moment.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Kyiv"))
    assert f"date={kyiv:%Y%m%d}&time={kyiv:%H}%3A{kyiv:%M}%3A{kyiv:%S}&" in made["tax_url"]
    assert made["tax_url"].endswith("mac=" + made["transaction"]["previous_hash"])
    text = cashier.get(f"/receipts/{offline['id']}/text")
    assert "ОФЛАЙН" in text.text

    cashier.advance(1.1)
    reused = cashier.post(
        "/receipts/sell-offline",
        sale([good()], [card(19500)], fiscal_code=pool[3], fiscal_date=moment.isoformat()),
    )
    assert reused.status_code == 400
    assert (
        reused.json()["message"]
        == f"[offline_mode_exception#error] Offline code '{pool[3]}' was used before!"
    )
    cashier.advance(1.1)
    earlier = cashier.post(
        "/receipts/sell-offline",
        sale(
            [good()],
            [card(19500)],
            fiscal_code=pool[4],
            fiscal_date=(moment - timedelta(minutes=1)).isoformat(),
        ),
    )
    assert earlier.status_code == 400
    assert earlier.json()["message"].startswith("Вказана дата транзакції ")

    # go-online while the tax service is still down: accepted, but the register stays offline.
    assert cashier.ok("POST", "/cash-registers/go-online") == {"status": "ok"}
    assert cashier.register_state()["offline_mode"] is True
    assert cashier.register_state()["queue"] == 2

    sandbox.control("POST", "/sandbox/tax-service", {"state": "up"})
    limited = cashier.post("/cash-registers/go-online")
    assert limited.status_code == 429
    cashier.advance(121)
    assert cashier.ok("POST", "/cash-registers/go-online") == {"status": "ok"}
    state = cashier.register_state()
    assert (state["mode"], state["queue"]) == ("online", 0)
    delivered = cashier.receipt(offline["id"])
    assert delivered["is_sent_dps"] is True
    assert delivered["transaction"]["status"] == "DONE"
    assert cashier.receipt(auto["id"])["transaction"]["status"] == "DONE"
    assert cashier.receipt(auto["id"])["is_sent_dps"] is True

    # Back online: codes can be asked again, and the shift closes online.
    assert (
        cashier.ok("GET", "/cash-registers/ask-offline-codes?count=10&sync=true")["status"]
        == "DONE"
    )
    assert cashier.ok("POST", "/shifts/close", status=202)["status"] == "CLOSING"
    assert cashier.ok("GET", f"/shifts/{shift['id']}")["status"] == "CLOSED"


def test_offline_shift_close_with_the_clients_report(cashier: Cashier) -> None:
    shift = cashier.open_shift()
    cashier.ok("GET", "/cash-registers/ask-offline-codes?count=5&sync=true")
    pool = codes(cashier)
    start = now_of(cashier) + timedelta(seconds=1)
    cashier.ok(
        "POST",
        "/cash-registers/go-offline",
        {"go_offline_date": start.isoformat(), "fiscal_code": pool[0]},
    )
    report = {"id": "3f1c1a8e-5a40-4d8e-a0e6-2d3c1b2a0001", "serial": 1, "balance": 0, "initial": 0}
    cashier.advance(60)
    closed = cashier.ok(
        "POST",
        "/shifts/close",
        {
            "report": report,
            "fiscal_code": pool[1],
            "fiscal_date": (start + timedelta(minutes=1)).isoformat(),
        },
        status=202,
    )
    assert closed["status"] == "CLOSED"
    assert closed["z_report"]["id"] == report["id"]
    assert closed["closing_transaction"]["offline_id"] == pool[1]
    # An offline shift can be opened again (not the first one), with the client's code.
    cashier.advance(60)
    reopened = cashier.ok(
        "POST",
        "/shifts",
        {"fiscal_code": pool[2], "fiscal_date": (start + timedelta(minutes=2)).isoformat()},
        status=202,
    )
    assert reopened["status"] == "OPENED"
    assert reopened["id"] != shift["id"]


def test_ask_returns_the_same_unused_codes_and_caps_at_5000(cashier: Cashier) -> None:
    cashier.ok("GET", "/cash-registers/ask-offline-codes?count=3&sync=true")
    first = codes(cashier)
    cashier.ok("GET", "/cash-registers/ask-offline-codes?count=5")
    second = codes(cashier)
    assert second[:3] == first
    assert len(second) == 5
    too_many = cashier.get("/cash-registers/ask-offline-codes?count=5001")
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["loc"] == ["query", "count"]


def test_manual_offline_sell_and_cash_withdrawal(cashier: Cashier) -> None:
    cashier.open_shift()
    cashier.ok(
        "POST", "/receipts/sell", sale([good("1", 50000, tax=(8,))], [cash(50000)]), status=201
    )
    cashier.ok("GET", "/cash-registers/ask-offline-codes?count=5&sync=true")
    pool = codes(cashier)
    start = now_of(cashier) + timedelta(seconds=1)
    cashier.ok(
        "POST",
        "/cash-registers/go-offline",
        {"go_offline_date": start.isoformat(), "fiscal_code": pool[0]},
    )
    # /receipts/sell in offline mode: the server takes the next free code and the current time.
    cashier.advance(1.1)
    auto = sale([good()], [card(19500)])
    cashier.ok("POST", "/receipts/sell", auto, status=201)
    assert cashier.receipt(auto["id"])["fiscal_code"] == pool[1]
    withdrawal = {
        "id": "5d1f7d3c-8b0e-4f5a-9c2d-1e3f4a5b6c7d",
        "payment": {
            "type": "CASHLESS",
            "value": 20000,
            "label": "Картка",
            "card_mask": "XXXXXXXXXXXX6734",
            "auth_code": "078111",
            "rrn": "305817547111",
            "terminal": "S1LF0EUR",
        },
        "fiscal_code": pool[2],
        "fiscal_date": (start + timedelta(seconds=5)).isoformat(),
    }
    cashier.advance(1.1)
    made = cashier.ok("POST", "/receipts/cash-withdrawal", withdrawal, status=201)
    assert (made["type"], made["status"], made["fiscal_code"]) == (
        "CASH_WITHDRAWAL",
        "DONE",
        pool[2],
    )
    assert made["shift"]["balance"]["balance"] == 50000 - 20000
    assert cashier.register_state()["queue"] == 3
