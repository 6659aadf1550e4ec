"""`pos order …` as a script would run it: one process per command, against the sandbox."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pos.orders.cash_items import decode
from pos.sandbox.server import RunningSandbox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from headless.test_register_commands import import_demo, login, pos


@pytest.fixture
def kiosk(sandbox: RunningSandbox, tmp_path: Path) -> Path:
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    data = tmp_path / "kiosk"
    login(data, sandbox)
    import_demo(data)
    pos(data, "register", "open-shift")
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
    pos(kiosk, "order", "create", "--item", "1001", "--phone", "0501234567")
    pos(kiosk, "order", "pay", "1", "--pay", "card:10.00")
    cancelled = pos(kiosk, "order", "cancel", "1")
    assert cancelled["state"] == "cancelled"
    assert [r["kind"] for r in cancelled["receipts"]] == ["prepayment", "return"]
    assert pos(kiosk, "order", "show", "7", expect=1)["reason"] == "not_found"
    assert pos(kiosk, "order", "pay", "1", "--pay", "bitcoin", expect=2)["ok"] is False
    nobody = pos(kiosk, "order", "create", "--item", "1001", expect=1)
    assert nobody["reason"] == "bad_input"
