"""Crash safety (invariants 1–4): a register killed with SIGKILL at ≥ 200 random instants.

A zygote forks one selling process per life (see ``workload.py``); each is killed at a random
moment — while signing in, recovering, committing, sending, uploading or refilling codes — and
the next life starts on the journal exactly as the kill left it. Finally everything is uploaded
and the shift closed, and the sandbox's own records are checked: no sale lost, none fiscalised
twice, no code used twice, offline fiscal dates strictly increasing.
"""

from __future__ import annotations

import collections
import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pos.journal import Journal
from pos.journal.records import CatalogueItem, ReceiptState
from pos.sandbox.clock import parse_datetime
from pos.sandbox.server import RunningSandbox

WORKLOAD = Path(__file__).with_name("workload.py")
KILLS = int(os.environ.get("POS_CRASH_KILLS", "200"))

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork and SIGKILL are POSIX")


def _catalogue(path: Path) -> None:
    with Journal.open(path) as journal:
        journal.catalogue.upsert(
            [
                CatalogueItem("1", "Хліб", 3490, (8,)),
                CatalogueItem("2", "Молоко 2,5%", 4250, (8,)),
                CatalogueItem("3", "Сир твердий", 45990, (5,), unit="кг", is_weighed=True),
                CatalogueItem("4", "Пиво світле 0,5", 5900, (1,), is_excise=True),
                CatalogueItem("5", "Кава мелена", 28900, (5,)),
            ],
            datetime.now(UTC),
        )


def _world(sandbox: RunningSandbox) -> Any:
    return sandbox._app.state.world


def test_sigkill_at_random_instants_loses_and_duplicates_nothing(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    seeded = sandbox.registers[0]
    _catalogue(tmp_path / "journal.sqlite")
    zygote = subprocess.Popen(
        [
            sys.executable,
            str(WORKLOAD),
            str(tmp_path),
            sandbox.base_url,
            seeded.license_key,
            seeded.cashier_pin,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert zygote.stdin is not None
    assert zygote.stdout is not None
    rng = random.Random(20261121)
    try:
        for life in range(KILLS):
            zygote.stdin.write(f"life {life}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            time.sleep(rng.uniform(0.01, 0.8))
            with contextlib.suppress(ProcessLookupError):  # it may have ended on its own
                os.kill(pid, signal.SIGKILL)
        zygote.stdin.write("finish\n")
        zygote.stdin.flush()
        zygote.stdout.readline()
        zygote.stdin.write("quit\n")
        zygote.stdin.flush()
        assert zygote.wait(timeout=180) == 0
    finally:
        if zygote.poll() is None:
            zygote.kill()

    finished = (tmp_path / "finish.json").read_text()
    assert '"state": "ONLINE"' in finished
    log = (tmp_path / "sales.log").read_text().splitlines()
    reported = [line.split()[1] for line in log if line.startswith("ok ")]
    refused = [line for line in log if line.startswith("refused")]
    assert len(reported) > KILLS // 2, "too few sales to prove anything"

    with Journal.open(tmp_path / "journal.sqlite") as journal:
        receipts = journal.receipts.list()
        pending = journal.queue.pending()
        set_aside = journal.queue.set_aside_entries()
    by_id = {r.id: r for r in receipts}
    world = _world(sandbox)
    server_receipts = world.records["receipt"]

    # No sale lost: every sale the cashier saw complete is in the journal and on the server.
    missing = [rid for rid in reported if rid not in by_id or rid not in server_receipts]
    assert not missing, [
        (rid, by_id[rid].state.value if rid in by_id else "not in journal", by_id[rid].error)
        if rid in by_id
        else (rid, "not in journal")
        for rid in missing[:5]
    ]
    assert not pending
    assert not set_aside, [e.error for e in set_aside]
    final = {ReceiptState.DONE, ReceiptState.UPLOADED}
    assert all(r.state in final for r in receipts), {r.state for r in receipts}
    # None fiscalised twice: the server has exactly the journal's receipts, once each.
    assert set(server_receipts) == set(by_id)
    for receipt in receipts:
        assert server_receipts[receipt.id]["fiscal_code"] == receipt.fiscal_code
    codes = [r.fiscal_code for r in receipts]
    assert len(codes) == len(set(codes))
    # No offline code used twice, and offline fiscal dates strictly increase, on the server.
    transactions = sorted(world.records["transaction"].values(), key=lambda t: t["serial"])
    offline_codes = [t["offline_id"] for t in transactions if t["offline_id"]]
    assert len(offline_codes) == len(set(offline_codes))
    offline_moments = [
        parse_datetime(t["original_datetime"]) for t in transactions if t["offline_id"]
    ]
    assert offline_moments == sorted(offline_moments)
    assert len(set(offline_moments)) == len(offline_moments)
    moments = [parse_datetime(t["original_datetime"]) for t in transactions]
    assert moments == sorted(moments)
    offline_receipts = [r for r in receipts if r.state is ReceiptState.UPLOADED]
    assert offline_receipts, "the workload never sold offline"
    print(
        f"\n{KILLS} kills, {len(receipts)} receipts ({len(offline_receipts)} offline), "
        f"{len(refused)} refusals, {len(offline_codes)} offline transactions"
    )
    print(collections.Counter(" ".join(line.split()[:2]) for line in refused))
