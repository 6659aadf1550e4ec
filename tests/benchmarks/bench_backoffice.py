"""The back office under a shop's load: 20 registers × 50,000 receipts pushed to one PostgreSQL.

Starts its own PostgreSQL server (the Debian package's binaries, as the tests do), generates one
journal with bulk inserts (tests/reports/generated.py: shifts of 2,000 receipts a day from
1 January) and copies it per register with its own fiscal number (document ids need only be
unique per register), then prints:

- the push rate: every register's whole outbox pushed at once, one thread each (documents/s:
  receipts + shifts, each receipt with its lines and payments), and one register alone;
- the lag under a steady 2 receipts/s per register (each register commits a receipt every
  0.5 s in its journal while its push thread runs; lag = seen in PostgreSQL − committed);
- p50/p95 of a one-month shop-wide receipts report (first page of 100 by -date, with its total
  and totals; after ``VACUUM ANALYZE``, as autovacuum soon does after a bulk load) on
  PostgreSQL, against the same report over the 20 SQLite journals merged.

    python tests/benchmarks/bench_backoffice.py [--registers 20] [--receipts 50000]
        [--lag-seconds 20] [--runs 20]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backoffice.pgserver import running_postgres
from reports.generated import generate
from sqlalchemy import Engine, func, select

from pos.backoffice import schema
from pos.backoffice.database import open_database, upgrade
from pos.backoffice.push import Pusher, PushWorker
from pos.backoffice.sources import shop_sources
from pos.journal.instants import to_micros
from pos.reports.receipts import ReceiptsQuery, receipts_report
from pos.reports.sources import connections, open_read_only, register_of


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _journals(folder: Path, registers: int, receipts: int) -> list[Path]:
    per_day = 2000
    days = max(1, receipts // per_day)
    first = folder / "register01.sqlite"
    start = time.perf_counter()
    generate(first, first_day=date(2026, 1, 1), days=days, per_day=per_day)
    paths = [first]
    for number in range(2, registers + 1):
        path = folder / f"register{number:02d}.sqlite"
        shutil.copyfile(first, path)
        paths.append(path)
    for number, path in enumerate(paths, start=1):
        with sqlite3.connect(path) as c:
            c.execute(
                "UPDATE setting SET value = ? WHERE key = 'fiscal_number'",
                (f"40000{number:05d}",),
            )
    print(
        f"generated {registers} journals × {days * per_day:,} receipts "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return paths


def _documents(path: Path) -> int:
    with sqlite3.connect(path) as c:
        return int(c.execute("SELECT count(*) FROM backoffice_outbox").fetchone()[0])


def _push_all(paths: list[Path], engine: Engine) -> None:
    def push(path: Path) -> None:
        pusher = Pusher(path, engine)
        try:
            pusher.push_all()
        finally:
            pusher.close()

    alone = _counts[paths[0]]
    start = time.perf_counter()
    push(paths[0])
    elapsed = time.perf_counter() - start
    print(f"push, one register alone: {alone:,} documents at {alone / elapsed:,.0f} documents/s")
    if len(paths) == 1:
        return
    rest = sum(_counts[p] for p in paths[1:])
    start = time.perf_counter()
    threads = [threading.Thread(target=push, args=(p,)) for p in paths[1:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    print(
        f"push, {len(paths) - 1} registers at once: {rest:,} documents in {elapsed:.1f} s = "
        f"{rest / elapsed:,.0f} documents/s"
    )


_counts: dict[Path, int] = {}


def _steady_lag(paths: list[Path], engine: Engine, url: str, seconds: float) -> None:
    stop = threading.Event()
    committed: dict[str, float] = {}
    lock = threading.Lock()
    workers = [PushWorker(p, url, idle_delay=0.5) for p in paths]
    for worker in workers:
        worker.start()

    def sell(path: Path) -> None:
        c = sqlite3.connect(path, isolation_level=None)
        c.execute("PRAGMA busy_timeout=5000")
        shift_id = c.execute("SELECT id FROM shift ORDER BY rowid DESC LIMIT 1").fetchone()[0]
        next_at = time.monotonic()
        while not stop.is_set():
            receipt_id = str(uuid.uuid4())
            now = to_micros(datetime.now(UTC))
            c.execute("BEGIN IMMEDIATE")
            c.execute(
                "INSERT INTO receipt (id, shift_id, type, state, fiscal_code, fiscal_date, "
                "total_sum, total_payment, created_at, updated_at) "
                "VALUES (?, ?, 'SELL', 'done', ?, ?, 3490, 3490, ?, ?)",
                (receipt_id, shift_id, f"L{receipt_id[:8]}", now, now, now),
            )
            c.execute(
                "INSERT INTO receipt_line (receipt_id, position, code, name, price, quantity, "
                "sum) VALUES (?, 1, '1', 'Хліб', 3490, 1000, 3490)",
                (receipt_id,),
            )
            c.execute(
                "INSERT INTO receipt_payment (receipt_id, position, type, value) "
                "VALUES (?, 1, 'CASHLESS', 3490)",
                (receipt_id,),
            )
            c.execute("COMMIT")
            with lock:
                committed[receipt_id] = time.time()
            next_at += 0.5
            stop.wait(max(0.0, next_at - time.monotonic()))
        c.close()

    sellers = [threading.Thread(target=sell, args=(p,)) for p in paths]
    for seller in sellers:
        seller.start()
    lags: list[float] = []
    seen: set[str] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline or len(seen) < len(committed):
        if time.monotonic() > deadline:
            stop.set()
        if time.monotonic() > deadline + 30:
            break
        with lock:
            waiting = [rid for rid in committed if rid not in seen]
        if waiting:
            with engine.connect() as c:
                arrived = c.execute(
                    select(schema.receipt.c.id).where(schema.receipt.c.id.in_(waiting))
                ).scalars()
                now = time.time()
                for rid in arrived:
                    seen.add(rid)
                    lags.append(now - committed[rid])
        time.sleep(0.05)
    stop.set()
    for seller in sellers:
        seller.join()
    for worker in workers:
        worker.stop()
    print(
        f"lag at 2 receipts/s × {len(paths)} registers over {seconds:.0f} s "
        f"({len(committed)} receipts, {len(seen)} seen): p50 {statistics.median(lags):.2f} s, "
        f"p95 {_percentile(lags, 0.95):.2f} s, max {max(lags):.2f} s"
    )


def _measure(name: str, runs: int, work: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    p95 = _percentile(times, 0.95)
    print(f"{name:<62} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")
    return p95


def _reports(paths: list[Path], engine: Engine, runs: int) -> None:
    body = {"date_from": "2026-01-01", "date_to": "2026-01-31", "orders": ["-date"],
            "limit": 100}  # fmt: skip
    query = ReceiptsQuery.from_mapping(body)
    with engine.connect() as c:
        total = c.execute(select(func.count()).select_from(schema.receipt)).scalar_one()
    print(f"shop database: {total:,} receipts")

    def on_postgres() -> None:
        with shop_sources(engine) as sources:
            receipts_report(sources, query)

    postgres = _measure("one-month shop-wide receipts report, PostgreSQL", runs, on_postgres)
    engines = [open_read_only(p) for p in paths]
    try:

        def on_journals() -> None:
            with connections(engines) as opened:
                receipts_report([(c, register_of(c)) for c in opened], query)

        journals = _measure(
            "the same over the SQLite journals merged (baseline)", runs, on_journals
        )
    finally:
        for sqlite_engine in engines:
            sqlite_engine.dispose()
    print(f"PostgreSQL p95 / SQLite journals p95: {postgres / journals:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registers", type=int, default=20)
    parser.add_argument("--receipts", type=int, default=50_000)
    parser.add_argument("--lag-seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-backoffice-"))
    try:
        paths = _journals(folder, args.registers, args.receipts)
        for path in paths:
            _counts[path] = _documents(path)
        with running_postgres() as server:
            url = server.create_database("bench")
            engine = open_database(url, pool_size=args.registers + 5)
            upgrade(engine)
            _push_all(paths, engine)
            with engine.connect() as c:  # what autovacuum does soon after a bulk load
                c.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
            _reports(paths, engine, args.runs)
            _steady_lag(paths, engine, url, args.lag_seconds)
            engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
