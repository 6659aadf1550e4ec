"""Three registers of one shop against the sandbox, pushing to one PostgreSQL database.

They sell online, go offline together (the line is down) and upload, pay cash in and out, and
close their shifts. Register 2 loses the shop database for the whole middle of the day (its
push thread only reports "unreachable"); register 3's push process is killed twice with SIGKILL,
once with its documents written in an open PostgreSQL transaction and once right after the
commit, before its journal heard of it. Afterwards the shop database holds every document of
every register exactly once, its receipts report is the union of the three journals', and each
register's totals there equal its Z-reports to the kopeck.
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scenarios.harness import Till, morning_clock, no_rate_limits, open_till, random_sale
from sqlalchemy import Engine, func, select

from pos.backoffice import schema
from pos.backoffice.push import PushWorker, wait_until_pushed
from pos.journal.records import ReceiptState
from pos.reports.periods import Period
from pos.reports.receipts import ReceiptsQuery, receipts_report
from pos.reports.shifts import shift_summaries
from pos.reports.sources import connections, open_read_only, register_of
from pos.sandbox.server import RunningSandbox

from .pgserver import PostgresServer
from .tcp_proxy import CuttableProxy

HANG = Path(__file__).with_name("push_and_hang.py")
TABLES = ("receipt", "receipt_line", "receipt_payment", "receipt_discount", "shift")


@pytest.fixture
def proxy(postgres: PostgresServer) -> Iterator[CuttableProxy]:
    cuttable = CuttableProxy(postgres.port)
    yield cuttable
    cuttable.close()


def _kill_at(point: str, journal: Path, url: str) -> None:
    process = subprocess.Popen(
        [sys.executable, str(HANG), str(journal), url, point],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"  # the readiness signal
    finally:
        process.kill()
        process.wait(10)


def _worker(till: Till, url: str) -> PushWorker:
    worker = PushWorker(till.journal_path, url, "shop", idle_delay=0.05, max_delay=0.2)
    worker.start()
    return worker


async def _sell(till: Till, rng: random.Random, count: int, state: ReceiptState) -> None:
    for _ in range(count):
        receipt = await till.sell(*random_sale(rng))
        assert receipt.state is state, receipt
        till.clock.advance(7, push=False)


def _journal_rows(path: Path, table: str) -> set[tuple[Any, ...]]:
    import sqlite3

    key = "id, state" if table in ("receipt", "shift") else "receipt_id, position"
    with sqlite3.connect(path) as c:
        return set(c.execute(f"SELECT {key} FROM {table}").fetchall())


def _shop_rows(engine: Engine, fiscal_number: str, table: str) -> list[tuple[Any, ...]]:
    t = schema.metadata.tables[f"{schema.SCHEMA}.{table}"]
    columns = (
        (t.c.id, t.c.state) if table in ("receipt", "shift") else (t.c.receipt_id, t.c.position)
    )
    with engine.connect() as c:
        return [
            tuple(row)
            for row in c.execute(
                select(*columns)
                .join(schema.register, schema.register.c.id == t.c.register_id)
                .where(schema.register.c.fiscal_number == fiscal_number)
            )
        ]


async def test_three_registers_one_losing_the_database_one_killed_mid_push(
    sandbox: RunningSandbox,
    tmp_path: Path,
    shop_database: Engine,
    shop_url: str,
    proxy: CuttableProxy,
    postgres: PostgresServer,
) -> None:
    box = sandbox
    box.control("POST", "/sandbox/config", {"signing_delay": 0})
    box.control("POST", "/sandbox/seed", {"count": 1})
    no_rate_limits(box)
    clock = morning_clock(box)  # the shifts must not cross Kyiv's midnight
    tills: list[Till] = []
    workers: list[PushWorker] = []
    cut_url = shop_url.replace(f":{postgres.port}/", f":{proxy.port}/")
    try:
        for index in range(3):
            directory = tmp_path / f"register{index + 1}"
            directory.mkdir()
            till = await open_till(box, directory, clock, register_index=index, rate_limits=False)
            tills.append(till)
            await till.sign_in()
            await till.service.open_shift(50_000)
        workers.append(_worker(tills[0], shop_url))
        workers.append(_worker(tills[1], cut_url))
        rng = random.Random(16)

        for till in tills:
            await _sell(till, rng, 4, ReceiptState.DONE)
            await till.service.service_in(10_000)
        assert wait_until_pushed(workers[1], 30)
        proxy.cut()  # register 2 loses the shop database

        for till in tills:  # the line is down: every register sells offline
            till.cut()
        for till in tills:
            await _sell(till, rng, 5, ReceiptState.OFFLINE_ISSUED)
        _kill_at("in-transaction", tills[2].journal_path, shop_url)
        clock.push()
        for till in tills:
            till.reconnect()
            status = await till.service.sync(wait=True, give_up_after=60)
            assert status.queued == 0
        _kill_at("after-commit", tills[2].journal_path, shop_url)
        for till in tills:
            await _sell(till, rng, 3, ReceiptState.DONE)
            await till.service.service_out(5_000)
        assert not workers[1].status.connected  # still cut off; it only says so
        for till in tills:
            report = await till.service.close_shift()
            assert report.z

        proxy.restore()
        workers.append(_worker(tills[2], shop_url))
        for worker in workers:
            assert wait_until_pushed(worker, 60), worker.status
    finally:
        for worker in workers:
            worker.stop()

    # Every document of every register, exactly once (its current state: uploaded, closed…).
    for till in tills:
        fiscal_number = register_of_path(till.journal_path)
        for table in TABLES:
            copied = _shop_rows(shop_database, fiscal_number, table)
            assert len(copied) == len(set(copied))
            assert set(copied) == _journal_rows(till.journal_path, table), table
    with shop_database.connect() as c:
        assert c.execute(select(func.count()).select_from(schema.register)).scalar_one() == 3

    # The shop's receipts report is the union of the three journals' reports.
    day = clock.now().astimezone(_kyiv()).date()
    body = {
        "date_from": (day.replace(day=1)).isoformat(),
        "date_to": day.isoformat(),
        "orders": ["date", "rn"],
    }
    query = ReceiptsQuery.from_mapping(body)
    engines = [open_read_only(t.journal_path) for t in tills]
    from pos.backoffice.sources import shop_sources

    try:
        with connections(engines) as opened, shop_sources(shop_database, ["shop"]) as shop:
            local = [(c, register_of(c)) for c in opened]
            journals = receipts_report(local, query)
            copied = receipts_report(shop, query)
            assert copied.total == journals.total > 0
            assert {row.pop("shop") for row in copied.data} == {"shop"}  # rows say their shop
            assert {row.pop("shop") for row in journals.data} == {""}
            # Journal v9 records each document's cashier; the shop database does not copy it yet.
            assert {row.pop("cashier") for row in copied.data} == {""}
            assert "" not in {row.pop("cashier") for row in journals.data}
            assert copied.data == journals.data
            assert copied.totals == journals.totals
            # Per register: the shop database's totals equal the register's Z-report.
            period = Period.parse(body["date_from"], body["date_to"])
            for connection, register in shop:
                summaries = [s for s in shift_summaries([(connection, register)], period) if s.z]
                assert len(summaries) == 1
                z = summaries[0].report
                one = ReceiptsQuery.from_mapping({**body, "cashbox_ids": [register.fiscal_number]})
                rows = receipts_report(shop, one).data
                sales = [r for r in rows if r["operation"] == "income"]
                payments = {p["type"]: p for p in z["payments"]}
                assert payments["CASH"]["sell_sum"] == sum(r["cashTotalSum"] for r in sales)
                assert payments["CASHLESS"]["sell_sum"] == sum(r["ecashTotalSum"] for r in sales)
                assert z["sell_receipts_count"] == len(sales)
                for kind, name in (("serviceIn", "service_in"), ("serviceOut", "service_out")):
                    assert sum(p[name] for p in z["payments"]) == sum(
                        r["totalSum"] for r in rows if r["document_type"] == kind
                    )
    finally:
        for engine in engines:
            engine.dispose()
        for till in tills:
            await till.close()


def register_of_path(path: Path) -> str:
    import sqlite3

    with sqlite3.connect(path) as c:
        row = c.execute("SELECT value FROM setting WHERE key = 'fiscal_number'").fetchone()
    return str(row[0])


def _kyiv() -> Any:
    from pos.domain.offline_limits import KYIV

    return KYIV
