"""`pos order …` as a script runs it, against the sandbox: the main story in-process through
`pos.cli.main` (fast), the cancel story one process per command (slow tier)."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from pos.cli import main
from pos.orders.cash_items import decode
from pos.sandbox.server import RunningSandbox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from headless.test_register_commands import DEMO
from headless.test_register_commands import pos as pos_process


def pos(data: Path, *args: str, expect: int = 0) -> dict[str, Any]:
    """One command in this process: ``pos A B --data DATA --json REST…``."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main([*args[:2], "--data", str(data), "--json", *args[2:]])
    assert status == expect, out.getvalue()
    result: dict[str, Any] = json.loads(out.getvalue().strip().splitlines()[-1])
    return result


def set_up(data: Path, sandbox: RunningSandbox) -> None:
    seeded = sandbox.registers[0]
    pos(
        data,
        "register",
        "login",
        "--api",
        sandbox.base_url,
        "--license-key",
        seeded.license_key,
        "--pin",
        seeded.cashier_pin,
    )
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["catalogue", "import", str(DEMO), "--data", str(data)]) == 0
    pos(data, "register", "open-shift")


@pytest.fixture
def kiosk(sandbox: RunningSandbox, tmp_path: Path) -> Path:
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    data = tmp_path / "kiosk"
    set_up(data, sandbox)
    return data


def test_create_pay_advance_show_links_rest_and_export(kiosk: Path) -> None:
    made = pos(
        kiosk,
        "order",
        "create",
        "--item",
        "1001:2",
        "--item",
        "1019",
        "--customer",
        "Олена Петренко",
        "--phone",
        "+380 67 123 45 67",
        "--email",
        "olena@example.com",
        "--due",
        "2026-12-05",
    )
    assert made["number"] == "00001"
    assert made["state"] == "open"
    total = made["total"]
    assert total == 2 * 3490 + 4690
    links = pos(kiosk, "order", "cash-items", "00001")
    assert links["paymentMethod"] == "full_prepayment"
    assert links["customerPhone"] == 380671234567
    assert decode(links["cashItems"]) == links["items"]

    advance = pos(kiosk, "order", "pay", "1", "--pay", "cash:20.00", "--pay", "qr:30.00")
    assert advance["state"] == "partly_paid"
    assert advance["paid"] == 5000
    assert [r["kind"] for r in advance["receipts"]] == ["prepayment"]
    assert advance["receipts"][0]["fiscal_code"]
    rest_link = pos(kiosk, "order", "cash-items", "1")
    assert rest_link["paymentMethod"] == "full_payment"
    assert rest_link["sum"] == (total - 5000) / 100

    exported = pos(kiosk, "order", "prepayments")
    row = exported["rows"][0]
    assert (row["name"], row["sum"], row["cashSum"], row["qrSum"]) == (
        "00001",
        5000,
        2000.0,
        3000.0,
    )
    assert pos(kiosk, "order", "prepayments", "--filter", "sum>5000")["rows"] == []
    bad = pos(kiosk, "order", "prepayments", "--filter", "cashSum=1", expect=1)
    assert "cannot be filtered" in bad["error"]

    # Less than the rest is refused before anything is sent: one advance per order.
    short = pos(kiosk, "order", "pay", "1", "--pay", "card:10.00", expect=1)
    assert short["reason"] == "fiscal_rule"
    assert short["error"].startswith("pay the whole rest: 66.70 грн")
    assert "Сплатіть увесь залишок: 66,70 грн" in short["error"]
    kept = pos(kiosk, "order", "show", "1")
    assert (kept["state"], kept["paid"]) == ("partly_paid", 5000)
    assert [r["kind"] for r in kept["receipts"]] == ["prepayment"]
    handed = pos(kiosk, "order", "pay", "00001", "--pay", "card")
    assert handed["state"] == "handed_over"
    assert handed["left_to_pay"] == 0
    shown = pos(kiosk, "order", "show", "1")
    assert [r["kind"] for r in shown["receipts"]] == ["prepayment", "after_payment"]
    found = pos(kiosk, "order", "list", "петренко")
    assert [o["number"] for o in found["orders"]] == ["00001"]
    x = pos(kiosk, "register", "x-report")
    assert x["local"]["sell_receipts_count"] == 2
    again = pos(kiosk, "order", "pay", "1", "--pay", "card:1", expect=1)
    assert again["reason"] == "fiscal_rule"


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_cancel_refunds_and_bad_arguments(kiosk: Path) -> None:
    pos_process(kiosk, "order", "create", "--item", "1001", "--phone", "0501234567")
    pos_process(kiosk, "order", "pay", "1", "--pay", "card:10.00")
    cancelled = pos_process(kiosk, "order", "cancel", "1")
    assert cancelled["state"] == "cancelled"
    assert [r["kind"] for r in cancelled["receipts"]] == ["prepayment", "return"]
    assert pos_process(kiosk, "order", "show", "7", expect=1)["reason"] == "not_found"
    assert pos_process(kiosk, "order", "pay", "1", "--pay", "bitcoin", expect=2)["ok"] is False
    nobody = pos_process(kiosk, "order", "create", "--item", "1001", expect=1)
    assert nobody["reason"] == "bad_input"
