"""`pos report …` against a journal filled by the headless register on the sandbox: online and
offline sales, a return, cash in and out, a Z; the report agrees with Checkbox's own records."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from headless.test_register_commands import import_demo, login, pos
from pydantic import SecretStr

from pos.app import open_register
from pos.checkbox import CheckboxClient, PinSignIn, Session
from pos.cli import main
from pos.domain.offline_limits import KYIV
from pos.headless.commands import _settings as headless_settings
from pos.journal.journal import default_journal_path
from pos.sandbox.server import RunningSandbox


@dataclass
class Done:
    stdout: str
    stderr: str


def report(*args: str, expect: int = 0) -> Done:
    """`pos report …` in this process (it loads neither Qt nor the network; the register's own
    commands above run as separate processes, as a kiosk runs them)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["report", *args])
    assert status == expect, (out.getvalue(), err.getvalue())
    return Done(out.getvalue(), err.getvalue())


def cash_moves(data: Path) -> None:
    """Service cash in and out through the register (`pos register` has no command for them)."""

    async def run() -> None:
        # The headless commands' own way to the stored settings and secrets (keyring).
        config, credentials = headless_settings(argparse.Namespace(data=data))
        async with open_register(config, worker=False, token_dir=data) as running:
            await running.service.resume_session(**credentials)
            await running.service.service_in(20000, "Розмінна монета")
            await running.service.service_out(5000, "Інкасація")

    asyncio.run(run())


async def server_receipts(sandbox: RunningSandbox, ids: list[str]) -> dict[str, Any]:
    seeded = sandbox.registers[0]
    session = Session(
        PinSignIn(license_key=SecretStr(seeded.license_key), pin_code=SecretStr(seeded.cashier_pin))
    )
    async with CheckboxClient(sandbox.base_url, session) as client:
        await client.sign_in()
        return {rid: await client.receipt(rid) for rid in ids}


@pytest.mark.slow  # a dozen register processes against the sandbox: about a minute
@pytest.mark.timeout(600)
def test_the_report_agrees_with_checkbox(sandbox: RunningSandbox, tmp_path: Path) -> None:
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    data = tmp_path / "kiosk"
    login(data, sandbox)
    import_demo(data)
    if not (data / "credentials.json").exists():
        pytest.skip("the headless register keeps its credentials elsewhere")
    pos(data, "register", "open-shift", "--float", "500")
    cash_sale = pos(data, "register", "sell", "--item", "1001", "--item", "1002:2", "--pay", "cash")
    card_sale = pos(data, "register", "sell", "--item", "1001", "--pay", "card")
    cash_moves(data)
    settings = data / "settings.json"
    real = json.loads(settings.read_text())
    settings.write_text(json.dumps({**real, "api_url": "http://127.0.0.1:9"}))
    offline_sale = pos(data, "register", "sell", "--item", "1002", "--pay", "card")
    assert offline_sale["offline"] is True
    journal = default_journal_path(data, "default")
    today = datetime.now(KYIV).date()
    window = ("--from", (today - timedelta(days=1)).isoformat(), "--to",
              (today + timedelta(days=1)).isoformat())  # fmt: skip
    pending = json.loads(report("receipts", "--journal", str(journal), *window, "--json").stdout)
    assert offline_sale["id"] in {r["id"] for r in pending["data"] if r["sync"] == "pending"}
    settings.write_text(json.dumps(real))
    pos(data, "register", "sync", "--wait")
    returned = pos(
        data, "register", "return", "--receipt", cash_sale["fiscal_code"], "--item", "1002:1"
    )
    x = pos(data, "register", "x-report")
    open_shift = json.loads(report("shifts", "--journal", str(journal), *window, "--json").stdout)
    (current,) = open_shift["data"]
    assert current["z"] is False
    assert current["report"]["balance"] == x["local"]["balance"] == x["expected_cash"]
    assert current["report"]["payments"] == [
        {k: p[k] for k in current["report"]["payments"][0]} for p in x["local"]["payments"]
    ]
    for key in ("sell_receipts_count", "return_receipts_count", "discounts_sum"):
        assert current["report"][key] == x["local"][key]
    closed = pos(
        data, "register", "close-shift", "--counted", f"{x['expected_cash'] / 100 + 1:.2f}"
    )

    answer = json.loads(report("receipts", "--journal", str(journal), *window, "--json").stdout)
    assert set(answer) >= {"data", "total"}
    rows = answer["data"]
    assert answer["total"] == len(rows)
    receipts = [r for r in rows if r["document_type"] not in ("openShift", "closeShift")]
    ours = {cash_sale["id"], card_sale["id"], offline_sale["id"], returned["id"]}
    assert ours <= {r["id"] for r in receipts}
    assert {r["document_type"] for r in rows} >= {"openShift", "closeShift", "receipt",
                                                  "serviceIn", "serviceOut"}  # fmt: skip
    by_id = {r["id"]: r for r in receipts}
    assert by_id[offline_sale["id"]]["offline"] is True
    assert by_id[offline_sale["id"]]["sync"] == "uploaded"
    assert by_id[returned["id"]]["operation"] == "income_return"

    # Checkbox's own records: every receipt, and the Z-report
    server = asyncio.run(server_receipts(sandbox, [r["id"] for r in receipts]))
    for row in receipts:
        theirs = server[row["id"]]
        assert theirs.status == "DONE"
        assert (theirs.fiscal_code or "") == row["fiscal_code"] == row["fiscalSign"]
        if row["document_type"] == "receipt":
            assert theirs.total_sum == row["totalSum"]
            cash = sum(p.value for p in theirs.payments if p.type == "CASH")
            card = sum(p.value for p in theirs.payments if p.type == "CASHLESS")
            assert cash - int(theirs.rest or 0) == row["cashTotalSum"]
            assert card == row["ecashTotalSum"]
    z = closed["server"]
    assert z is not None
    sales = [r for r in receipts if r["operation"] == "income"]
    returns = [r for r in receipts if r["operation"] == "income_return"]
    assert z["sell_receipts_count"] == len(sales)
    assert z["return_receipts_count"] == len(returns)
    payments = {p["type"]: p for p in z["payments"]}
    assert payments["CASH"]["sell_sum"] == sum(r["cashTotalSum"] for r in sales)
    assert payments["CASHLESS"]["sell_sum"] == sum(r["ecashTotalSum"] for r in sales)
    assert payments["CASH"]["return_sum"] == sum(r["cashTotalSum"] for r in returns)
    assert payments["CASH"]["service_in"] == sum(
        r["totalSum"] for r in receipts if r["document_type"] == "serviceIn"
    )
    assert payments["CASH"]["service_out"] == sum(
        r["totalSum"] for r in receipts if r["document_type"] == "serviceOut"
    )
    assert answer["totals"]["cashTotalSum"] == sum(r["cashTotalSum"] for r in rows)

    shifts = json.loads(report("shifts", "--journal", str(journal), *window, "--json").stdout)
    (shift,) = shifts["data"]
    assert shift["z"] is True
    assert shift["counted_cash"] == x["expected_cash"] + 100
    assert shift["difference"] == 100
    assert shift["report"]["balance"] == z["balance"]
    whole = json.loads(report("periodical", "--journal", str(journal), *window, "--json").stdout)
    assert whole["z_reports_count"] == 1
    assert whole["sell_receipts_count"] == z["sell_receipts_count"]
    cash_row = next(p for p in whole["payments"] if p["type"] == "CASH")
    assert cash_row["sell_sum"] == payments["CASH"]["sell_sum"]

    table = report("receipts", "--data", str(data), *window).stdout
    assert cash_sale["fiscal_code"] in table
    exported = report("receipts", "--journal", str(journal), *window, "--csv").stdout
    assert len(list(csv.reader(io.StringIO(exported)))) == len(rows) + 1
    for view in ("day", "hour", "payment", "tax", "goods", "categories", "returns", "cash",
                 "offline"):  # fmt: skip
        body = json.loads(
            report("sales", "--journal", str(journal), *window, "--by", view, "--json").stdout
        )
        assert "data" in body
    offline = json.loads(
        report("sales", "--journal", str(journal), *window, "--by", "offline", "--json").stdout
    )
    assert offline["data"]
    assert offline["data"][0]["ended_at"]
    bad = report("receipts", "--journal", str(journal), "--order=-colour", expect=2)
    assert "'-colour'" in bad.stderr
    missing = report("receipts", "--journal", str(tmp_path / "nothing.sqlite"), expect=2)
    assert "nothing.sqlite" in missing.stderr
