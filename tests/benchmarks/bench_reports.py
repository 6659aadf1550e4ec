"""How fast the manager reports answer on a journal of 1,000,000 receipts over a year.

Generates the journal with bulk inserts (tests/reports/generated.py: 365 shifts of ~2,740
receipts), then prints p50/p95 of: a one-month filtered, sorted, paged receipts query with its
total; the periodical report for the year; sales by day for a month; and the reports window
showing its first page and then paging (offscreen). Targets: p95 ≤ 100 ms per query, first page
≤ 300 ms. Then what migration 12's triggers (positions in the shift, hour totals) cost a sale:
commit, and the move to done, in an open shift of 2,700 receipts, with and without them.

    python tests/benchmarks/bench_reports.py [--receipts 1000000] [--runs 20] [--journal PATH]
        [--sales-only]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.generated import generate

from pos.reports.periods import Bucket, Period
from pos.reports.receipts import ReceiptsQuery, receipts_report
from pos.reports.sales import by_time
from pos.reports.shifts import periodical
from pos.reports.sources import open_read_only, register_of

BASELINE: list[float] = []  # ms of the cheapest month answer, measured in this run


def _print(name: str, times: list[float]) -> None:
    times.sort()
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    ratio = f"   p50 = {p50 / BASELINE[0]:5.1f} x baseline" if BASELINE else ""
    print(f"{name:<58} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms{ratio}")


def _measure(name: str, runs: int, work: Callable[[], Any]) -> None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    _print(name, times)


_V12_TRIGGERS = (
    "receipt_shift_position_ai",
    "receipt_shift_position_au",
    "receipt_hour_total_ai",
    "receipt_hour_total_au",
    "receipt_hour_total_ad",
)


def bench_sale(sales: int) -> None:
    """Commit and done of ``sales`` sales in an open shift of 2,700, with and without the
    triggers of migration 12 (the same journal, copied, the triggers dropped in one copy)."""
    from pos.journal import Journal
    from pos.journal.records import NewReceipt, ReceiptLine, ReceiptPayment

    folder = Path(tempfile.mkdtemp(prefix="bench-sale-"))
    base = folder / "base.sqlite"
    generate(base, first_day=date(2026, 6, 1), days=1, per_day=2_700, bulk=True)
    figures: dict[bool, tuple[list[float], list[float]]] = {False: ([], []), True: ([], [])}
    for kept in (False, True, False, True):  # interleaved: the machine's load hits both
        path = folder / f"journal-{kept}.sqlite"
        path.unlink(missing_ok=True)
        path.write_bytes(base.read_bytes())
        if not kept:
            raw = sqlite3.connect(path)
            for name in _V12_TRIGGERS:
                raw.execute(f"DROP TRIGGER {name}")
            raw.commit()
            raw.close()
        commits, dones = figures[kept]
        with Journal.open(path) as journal:
            current = journal.shifts.current()
            assert current is not None
            at = datetime(2026, 6, 1, 19, 0, tzinfo=UTC)
            line = ReceiptLine(code="1000", name="Товар 00", price=500, quantity=1000, sum=500)
            for n in range(sales):
                at += timedelta(seconds=5)
                rid = str(uuid.uuid4())
                sale = NewReceipt(
                    id=rid,
                    type="SELL",
                    total_sum=500,
                    created_at=at,
                    lines=(line,),
                    payments=(ReceiptPayment("CASH", 500, "Готівка"),),
                    total_payment=500,
                    shift_id=current.id,
                )
                start = time.perf_counter()
                journal.receipts.commit(sale)
                commits.append((time.perf_counter() - start) * 1000)
                journal.receipts.mark_sending(rid, at)
                start = time.perf_counter()
                journal.receipts.mark_done(rid, at, f"FC{n}", at + timedelta(seconds=1))
                dones.append((time.perf_counter() - start) * 1000)
    commit_0, done_0 = (statistics.median(times) for times in figures[False])
    commit_1, done_1 = (statistics.median(times) for times in figures[True])
    print(
        f"sale in a shift of 2,700: commit p50 {commit_0:5.2f} → {commit_1:5.2f} ms "
        f"({commit_1 / commit_0:4.2f}×), done p50 {done_0:5.2f} → {done_1:5.2f} ms "
        f"({done_1 / done_0:4.2f}×) without → with migration 12's triggers"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--receipts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--journal", type=Path)
    parser.add_argument("--sales-only", action="store_true", help="only the sale's cost")
    args = parser.parse_args()
    if args.sales_only:
        bench_sale(100)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    path = args.journal or folder / "journal.sqlite"
    if not path.exists():
        start = time.perf_counter()
        generate(
            path, first_day=date(2026, 1, 1), days=365, per_day=args.receipts // 365, bulk=True
        )
        print(
            f"generated {args.receipts:,} receipts in {time.perf_counter() - start:.1f} s "
            f"({path.stat().st_size / 1e6:.0f} MB)"
        )
    engine = open_read_only(path)
    with engine.connect() as connection:
        sources = [(connection, register_of(connection))]
        lo, hi = (
            Period.parse("2026-06-01", "2026-06-30").start,
            Period.parse("2026-06-01", "2026-06-30").end,
        )
        baseline = "SELECT count(*) FROM receipt WHERE report_at BETWEEN ? AND ?"
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            connection.exec_driver_sql(baseline, (lo, hi)).scalar_one()
            times.append((time.perf_counter() - start) * 1000)
        BASELINE.append(statistics.median(times))
        _print("baseline: count a month's report-index entries (no filter)", times)

        month = {"date_from": "2026-06-01", "date_to": "2026-06-30", "limit": 100}
        for orders in (["-date"], ["-totalSum", "date"]):
            query = ReceiptsQuery.from_mapping(
                {**month, "orders": orders, "document_types": ["receipt"]}
            )
            _measure(
                f"month, receipts, {orders}, page + total",
                args.runs,
                lambda q=query: receipts_report(sources, q, with_totals=False),
            )
        query = ReceiptsQuery.from_mapping({**month, "orders": ["-date"], "offset": 40_000})
        _measure(
            "month, all documents, -date, page at offset 40,000 + total",
            args.runs,
            lambda: receipts_report(sources, query, with_totals=False),
        )
        _measure(
            "month totals row (sums by type, all documents)",
            max(3, args.runs // 4),
            lambda: receipts_report(sources, query.with_page(0, 0)),
        )
        year = Period.parse("2026-01-01", "2026-12-31")
        _measure(
            "periodical report for the year (365 Z-reports)",
            args.runs,
            lambda: periodical(sources, year),
        )
        june = Period.parse("2026-06-01", "2026-06-30")
        _measure("sales by day for a month", args.runs, lambda: by_time(sources, june, Bucket.DAY))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pos.ui.history_window import HistoryWindow
    from pos.ui.qt_compat import guard_singleton_refcounts

    guard_singleton_refcounts()  # the PySide6 6.12 / Python 3.11 workaround the app applies
    app = QApplication.instance() or QApplication([])
    firsts, pages = [], []
    for _ in range(max(3, args.runs // 4)):
        start = time.perf_counter()
        window = HistoryWindow(engine, today=lambda: date(2026, 6, 30))
        window.show()
        while window.model.row(0) is None:
            app.processEvents()
        firsts.append((time.perf_counter() - start) * 1000)
        window.preset.setCurrentIndex(window.preset.findData("month"))
        while window.model.total < 50_000 or window.model.row(0) is None:
            app.processEvents()
        for row in (5_000, 5_100, 40_000, 80_000):
            start = time.perf_counter()
            window.table.scrollTo(window.model.index(row, 0))
            while window.model.row(row) is None:
                app.processEvents()
            pages.append((time.perf_counter() - start) * 1000)
        while window.reader.busy:
            app.processEvents()
        window.reject()
        app.processEvents()
    _print("window: first page shown (today, ~2,700 documents)", firsts)
    _print("window: a page far down a month (~83,000 documents)", pages)
    engine.dispose()
    bench_sale(100)
    return 0


if __name__ == "__main__":
    sys.exit(main())
