"""`pos register …` as a kiosk would run it: one process per command, against the sandbox."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pos.sandbox.server import RunningSandbox

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo_catalogue.csv"


def pos(data: Path, *args: str, expect: int = 0) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "pos", *args[:2], "--data", str(data), "--json", *args[2:]],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == expect, (done.stdout, done.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def login(data: Path, sandbox: RunningSandbox, api: str | None = None) -> dict[str, Any]:
    seeded = sandbox.registers[0]
    return pos(
        data,
        "register",
        "login",
        "--api",
        api or sandbox.base_url,
        "--license-key",
        seeded.license_key,
        "--pin",
        seeded.cashier_pin,
    )


def import_demo(data: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pos", "catalogue", "import", str(DEMO), "--data", str(data)],
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def kiosk(sandbox: RunningSandbox, tmp_path: Path) -> Path:
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    data = tmp_path / "kiosk"
    signed = login(data, sandbox)
    assert signed["cashier"]
    assert signed["codes_left"] > 0  # offline codes prefetched at login
    import_demo(data)
    return data


def test_a_shift_of_sales_returns_and_reports(kiosk: Path) -> None:
    opened = pos(kiosk, "register", "open-shift", "--float", "500")
    assert opened["state"] == "opened"
    sale = pos(kiosk, "register", "sell", "--item", "1001", "--item", "1002:2", "--pay", "cash")
    assert sale["state"] == "done"
    assert sale["fiscal_code"]
    assert sale["offline"] is False
    card = pos(kiosk, "register", "sell", "--item", "1001", "--pay", "card")
    assert card["rest"] == 0
    returned = pos(
        kiosk, "register", "return", "--receipt", sale["fiscal_code"], "--item", "1002:1"
    )
    assert returned["type"] == "RETURN"
    assert returned["state"] == "done"
    x = pos(kiosk, "register", "x-report")
    assert x["local"]["sell_receipts_count"] == 2
    assert x["local"]["return_receipts_count"] == 1
    assert x["server"]["balance"] == x["local"]["balance"]
    status = pos(kiosk, "register", "status")
    for key in (
        "state",
        "queued",
        "codes_left",
        "offline_seconds_left",
        "month_offline_seconds_left",
        "shift_seconds_left",
    ):
        assert key in status
    closed = pos(kiosk, "register", "close-shift", "--counted", f"{x['expected_cash'] / 100:.2f}")
    assert closed["difference"] == 0
    assert closed["server"]["balance"] == closed["local"]["balance"]


def test_unreachable_api_sells_offline_and_sync_uploads(
    kiosk: Path, sandbox: RunningSandbox
) -> None:
    pos(kiosk, "register", "open-shift")
    settings = kiosk / "settings.json"
    real = json.loads(settings.read_text())
    dead = {**real, "api_url": "http://127.0.0.1:9"}  # nothing listens on the discard port
    settings.write_text(json.dumps(dead))
    offline = pos(kiosk, "register", "sell", "--item", "1001", "--pay", "card")
    assert offline["offline"] is True
    assert offline["state"] == "offline_issued"
    assert offline["fiscal_code"]
    status = pos(kiosk, "register", "status")
    assert status["state"] == "LOCAL_OFFLINE"
    assert status["queued"] >= 2  # the go-offline and the receipt
    failed = pos(kiosk, "register", "sync", "--wait", "--timeout", "2", expect=1)
    assert failed["reason"] == "unreachable"
    settings.write_text(json.dumps(real))
    synced = pos(kiosk, "register", "sync", "--wait")
    assert synced["state"] == "ONLINE"
    assert synced["queued"] == 0
    assert sandbox.control("GET", "/sandbox/state")["registers"][0]["mode"] == "online"


def test_clear_failures(kiosk: Path, tmp_path: Path) -> None:
    never = pos(tmp_path / "empty", "register", "status", expect=2)
    assert "login" in never["error"]
    pos(kiosk, "register", "open-shift")
    bad_qty = pos(kiosk, "register", "sell", "--item", "1001:abc", "--pay", "cash", expect=2)
    assert "quantity" in bad_qty["error"]
    unknown = pos(kiosk, "register", "sell", "--item", "nope", "--pay", "cash", expect=2)
    assert "nope" in unknown["error"]
    short = pos(kiosk, "register", "sell", "--item", "1001", "--pay", "card:1", expect=1)
    assert short["reason"] == "fiscal_rule"
    assert "Сума платежів" in short["error"]


def test_close_shift_with_cash_collection_leaves_the_float_for_the_next_shift(
    kiosk: Path, sandbox: RunningSandbox
) -> None:
    pos(kiosk, "register", "open-shift", "--float", "500")
    pos(kiosk, "register", "sell", "--item", "1001", "--pay", "cash")
    x = pos(kiosk, "register", "x-report")
    expected = x["expected_cash"]
    assert expected > 50000
    refused = pos(
        kiosk, "register", "close-shift", "--collect", f"{(expected + 100) / 100:.2f}", expect=1
    )
    assert "недостатньо коштів" in refused["error"]  # more than the drawer holds: still open
    closed = pos(
        kiosk,
        "register",
        "close-shift",
        "--counted",
        f"{expected / 100:.2f}",
        "--collect",
        f"{(expected - 50000) / 100:.2f}",
    )
    assert closed["collected"] == expected - 50000
    assert closed["left_for_next_shift"] == 50000
    assert closed["difference"] == 0  # counted before the collection, compared after it
    cash = next(p for p in closed["server"]["payments"] if p["type"] == "CASH")
    assert cash["service_out"] == expected - 50000
    assert closed["server"]["balance"] == 50000
    opened = pos(kiosk, "register", "open-shift", "--float", "500")
    assert opened["state"] == "opened"
    x = pos(kiosk, "register", "x-report")  # the float is what was left: nothing booked again
    assert x["local"]["initial"] == 50000
    assert x["server"]["initial"] == 50000
    cash = next((p for p in x["server"]["payments"] if p["type"] == "CASH"), {})
    assert cash.get("service_in", 0) == cash.get("service_out", 0) == 0
    everything = pos(kiosk, "register", "close-shift", "--collect", "all")
    assert everything["left_for_next_shift"] == 0
    assert everything["server"]["balance"] == 0
