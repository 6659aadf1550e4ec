"""How the cashier's window feels, every row of issue 13's table, each measured in this run:

1. cold start to the sign-in screen painted (a fresh process each time, training mode as the
   first run of a shop starts it) against a bare PySide6 window painted in a fresh process;
2. peak memory (ru_maxrss) of the window at its sign-in screen in real mode on a journal with a
   1,000,000-good catalogue, against the bare window's;
3. a sale's commit through the journal (receipt + 3 lines + payment + discount, one
   ``synchronous=FULL`` transaction) against raw sqlite3 INSERT+COMMIT of the same rows with the
   same pragmas, on the 1,000,000-good journal, the two taken in turns;
4. ``RegisterService.status()`` on a journal with a year of history (50,000 receipts, 10,000
   connectivity transitions): between writes, right after a write (a setting, a sale, a
   connectivity transition: the figures it changed read again), and what reading the whole log
   (as it did before) costs on the same journal;
5. scan to line painted on the 1,000,000-good catalogue through the window's register thread:
   the scanner's Enter to the cart's line painted (p50/p99) and the GUI thread's own CPU time
   for it, and the 13 digits + Enter; against the cart as it painted before (Qt's stock
   delegate through the style sheet, a cart save per scan), measured first in the same run.
   The GUI thread waits for events asleep, as the window's loop does (a busy loop of
   ``processEvents`` would take the CPU from the look-up thread it waits for);
6. the longest event-loop stall during a sale, an upload of 20 offline receipts and a Z-report,
   on a journal with that year of history: a 5 ms QTimer records the gaps between its ticks
   while the window is open and the register works on its own thread; with the Checkbox
   emulator in a separate process (as the real service is) and in-process (training mode).

Not a test (no test_ prefix): ``python tests/benchmarks/bench_ui.py [--items 1000000]``.
Runs offscreen unless QT_QPA_PLATFORM says otherwise; ``--skip start,memory,commit,status,scan,
stalls`` leaves rows out.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TICK_MS = 5

COLD_START = """
import sys, time
from pathlib import Path

def peak_kib():  # VmHWM: this process's own peak (ru_maxrss keeps the forking parent's)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

from PySide6.QtCore import QTimer
from pos.config import AppConfig
from pos.ui.app import main

def ready(window):
    window.repaint()
    print("SIGN-IN-SHOWN", window.page_name, flush=True)
    print("PEAK-KIB", peak_kib(), flush=True)
    QTimer.singleShot(0, window.close)

def painted(screen):
    print("FIRST-PAINT", flush=True)

training = sys.argv[2] == "training"
config = AppConfig(training=training, data=Path(sys.argv[1]))
sys.exit(main(["bench"], config=config, ready=ready, painted=painted))
"""

BARE_WINDOW = """
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(["bare"])
label = QLabel("PIN")
label.resize(1024, 700)
label.show()
label.repaint()
print("FIRST-PAINT", flush=True)
print("SIGN-IN-SHOWN bare", flush=True)
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print("PEAK-KIB", peak, flush=True)
"""


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(label: str, samples: list[float]) -> None:
    p50, p99 = statistics.median(samples), percentile(samples, 0.99)
    print(f"{label:<46} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   (n={len(samples)})")


# --- 1. cold start ---------------------------------------------------------------------------


def _start(script: str, *args: str) -> tuple[float, float, float]:
    """Seconds to the sign-in screen's first paint, to the whole window on it, and the
    process's peak memory then (MiB)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    first, shown, peak = None, None, 0.0
    for line in process.stdout:
        if line.startswith("FIRST-PAINT"):
            first = time.perf_counter() - start
        if line.startswith("SIGN-IN-SHOWN"):
            shown = time.perf_counter() - start
            assert line.split()[1] in ("sign_in", "bare"), line
        if line.startswith("PEAK-KIB"):
            peak = int(line.split()[1]) / 1024
    process.wait(timeout=120)
    if shown is None or first is None:
        raise RuntimeError("the window never showed the sign-in screen")
    return first, shown, peak


def bench_cold_start() -> None:
    bare = min(_start(BARE_WINDOW)[0] for _ in range(3))
    with tempfile.TemporaryDirectory() as data:
        first_run = _start(COLD_START, data, "training")
        runs = [_start(COLD_START, data, "training") for _ in range(3)]
    painted = min(r[0] for r in runs)
    whole = min(r[1] for r in runs)
    print(f"bare PySide6 window painted (fresh process)          {bare:6.2f} s")
    print(
        f"cold start, first run (empty data dir): sign-in painted {first_run[0]:5.2f} s, "
        f"register up {first_run[1]:5.2f} s"
    )
    print(
        f"cold start to the sign-in screen painted            {painted:6.2f} s = "
        f"{painted / bare:4.1f}× bare   (goal ≤ 5×)"
    )
    print(
        f"cold start to the register up behind it (training)  {whole:6.2f} s = "
        f"{whole / bare:4.1f}× bare"
    )


def bench_memory(catalogue: Path, goods: int) -> None:
    from pos.journal.journal import default_journal_path

    with tempfile.TemporaryDirectory() as data:
        shutil.copyfile(catalogue, default_journal_path(Path(data)))
        _first, took, peak = _start(COLD_START, data, "real")
    bare_peak = _start(BARE_WINDOW)[2]
    print(
        f"peak memory at sign-in, real mode, {goods:,}-good journal  {peak:6.0f} MiB "
        f"(bare window {bare_peak:.0f} MiB; goal ≤ 150 MiB); started in {took:.2f} s"
    )


# --- 2. scanning on a big catalogue ----------------------------------------------------------


def build_catalogue(path: Path, count: int) -> list[str]:
    """A journal with ``count`` goods (built in SQL through the app's own schema, see
    ``generated_catalogue``: the benchmark's set-up, not what it measures); returns their
    barcodes (valid EAN-13, one per good)."""
    sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
    import generated_catalogue  # type: ignore[import-not-found]

    generated_catalogue.build(path, count)
    barcodes: list[str] = generated_catalogue.barcodes(path)
    return barcodes


def _front(journal: Any) -> tuple[Any, Any, Any]:
    """The register service on a register thread, and the window's front of it."""
    from pos.checkbox import CheckboxClient
    from pos.register.service import RegisterService
    from pos.ui.register_thread import RegisterThread, ServiceFront

    thread = RegisterThread()
    thread.start()
    client = CheckboxClient("http://127.0.0.1:9")  # scanning never talks to Checkbox
    service = thread.call(RegisterService, journal, client)
    return thread, service, ServiceFront(service, thread, asyncio.new_event_loop())


def paint_counter(painted: list[int]) -> Any:
    """An event filter that counts the paints of a widget in ``painted[0]``."""
    from PySide6.QtCore import QEvent, QObject

    class Count(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted[0] += 1
            return False

    return Count()


def breakdown(page: Any, scans: Callable[[int], Any]) -> None:
    """Where an Enter's time goes (p50 of 200 more scans, timed from inside the page): the
    look-up's round trip to its thread, ``Cart.add``, the table model's update, and the rest
    up to the paint (selection, the notice, the totals, Qt's layout and paint)."""
    marks: dict[str, list[float]] = {"answered": [], "add": [], "refresh": []}
    entered = [0.0]
    inside = [False]  # in the scan's answer (the bench's own clearing of the cart is not timed)
    keyed = page.search.scanned

    def timed(name: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                if inside[0]:
                    marks[name].append((time.perf_counter() - started) * 1000)

        return run

    def answered(answer: Any) -> None:
        marks["answered"].append((time.perf_counter() - entered[0]) * 1000)
        inside[0] = True
        try:
            original(answer)
        finally:
            inside[0] = False

    original = page._scan_answered
    keyed.connect(lambda _code: entered.__setitem__(0, time.perf_counter()))
    page._scan_answered = answered
    page.cart.add = timed("add", page.cart.add)
    page.model.refresh = timed("refresh", page.model.refresh)
    enter, _whole = scans(200)
    del page._scan_answered, page.cart.add, page.model.refresh
    rest = [
        e - a - b - c
        for e, a, b, c in zip(enter, marks["answered"], marks["add"], marks["refresh"], strict=True)
    ]
    median = statistics.median
    print(
        "  per step, p50: look-up round trip {:.2f} ms, Cart.add {:.2f} ms, model {:.2f} ms, "
        "the rest up to the paint {:.2f} ms (of {:.2f} ms)".format(
            median(marks["answered"]),
            median(marks["add"]),
            median(marks["refresh"]),
            median(rest),
            median(enter),
        )
    )


def bench_scanning(catalogue: Path, barcodes: list[str]) -> None:
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QStyledItemDelegate

    from pos.config import AppConfig
    from pos.journal import Journal
    from pos.ui import theme
    from pos.ui.qt_compat import guard_singleton_refcounts
    from pos.ui.selling import SellingPage

    guard_singleton_refcounts()
    app = QApplication.instance() or QApplication(["bench"])
    assert isinstance(app, QApplication)
    theme.apply(app)
    journal = Journal.open(catalogue)
    thread, _service, front = _front(journal)
    running = SimpleNamespace(service=front, config=AppConfig(training=False), training=False)
    page = SellingPage(running)  # type: ignore[arg-type]
    page.resize(1024, 700)
    page.show()
    app.processEvents()
    rng = random.Random(11)
    painted = [0]  # the cart's paints so far
    changes = [0]  # the cart's changes on screen so far (a line added, or one more piece)
    paints = paint_counter(painted)  # kept: the filter lives as long as the bench
    page.table.viewport().installEventFilter(paints)
    at_change = [0]  # the paints made before the last change (a paint after it shows it)

    def changed() -> None:
        changes[0] += 1
        at_change[0] = painted[0]

    page.model.changed.connect(changed)

    def wait() -> None:  # as the window's loop does: asleep until an event comes
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    cpu: list[float] = []

    def scans(count: int, *, whole_cart: bool = False) -> tuple[list[float], list[float]]:
        enter: list[float] = []
        whole: list[float] = []
        cpu.clear()
        for _ in range(count):
            code = rng.choice(barcodes)
            start = time.perf_counter()
            QTest.keyClicks(page.search, code)
            typed, on_cpu = time.perf_counter(), time.thread_time()
            # Waited on the cart's change, not on its length: a good already last in the cart
            # gets one more piece, not a line.
            before = changes[0]
            QTest.keyClick(page.search, Qt.Key.Key_Return)
            while changes[0] == before:
                wait()
            if whole_cart:  # every row painted again, as if the whole cart had changed
                page.table.viewport().repaint()
            else:  # what Qt paints by itself for the change: until it painted it
                while painted[0] == at_change[0]:
                    wait()
            done = time.perf_counter()
            cpu.append((time.thread_time() - on_cpu) * 1000)
            enter.append((done - typed) * 1000)
            whole.append((done - start) * 1000)
            if len(page.cart.lines) > 30:
                page.cart.clear()
                page.model.refresh()
        return enter, whole

    # As the cart painted before (this run's baseline): Qt's stock delegate asking the model
    # for each role of each cell and drawing it through the style sheet, a save per scan.
    ours = page.table.itemDelegate()
    page.table.setItemDelegate(QStyledItemDelegate(page.table))
    page.model.changed.connect(page.save_carts_now)
    scans(30)  # warm-up
    enter, _whole = scans(300)
    report("Enter → line painted, as before (baseline)", enter)
    report("  its GUI thread's own CPU time", list(cpu))
    page.model.changed.disconnect(page.save_carts_now)
    page.table.setItemDelegate(ours)
    scans(30)
    enter, whole = scans(400)
    report(f"Enter → line painted, {len(barcodes):,} goods (goal p99 ≤ 5)", enter)
    report("  its GUI thread's own CPU time", list(cpu))
    report("13 digits + Enter → line painted", whole)
    breakdown(page, scans)
    enter, _whole = scans(200, whole_cart=True)
    report("Enter → line and the whole cart repainted", enter)
    # The register thread busy (an upload, a Z): jobs of 50 ms each, back to back.
    busy = [True]

    def occupy() -> None:
        time.sleep(0.05)
        if busy[0]:
            thread.submit(occupy)

    thread.submit(occupy)
    enter, _whole = scans(100)
    busy[0] = False
    report("Enter → line painted, register thread busy", enter)
    searches: list[float] = []
    shown: list[str] = []
    page.results_shown.connect(shown.append)
    for query in ("мол", "молоко гал", "кава", "сир ферма 12", "чай"):
        for _ in range(10):
            shown.clear()
            start = time.perf_counter()
            page.show_results(query, force=True)
            while query not in shown:
                wait()
            searches.append((time.perf_counter() - start) * 1000)
    report("live search (query → results list shown)", searches)
    page.close()
    page.deleteLater()
    app.processEvents()
    front.lookups.close()
    thread.call(journal.close)
    thread.stop()


def bench_commit(catalogue: Path, sales: int = 300) -> None:
    """The journal's sale commit against raw sqlite3 with the same rows and pragmas."""
    sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
    from bench_journal import raw_commit, sale  # type: ignore[import-not-found]

    from pos.journal import Journal
    from pos.journal.engine import apply_pragmas

    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "journal.sqlite"
        shutil.copyfile(catalogue, path)
        journal = Journal.open(path)
        raw = sqlite3.connect(path)
        apply_pragmas(raw)
        stamp = int(now.timestamp() * 1_000_000)
        for _ in range(20):  # warm-up
            journal.receipts.commit(sale(now))
            raw_commit(raw, sale(now), stamp)
        journal_ms: list[float] = []
        raw_ms: list[float] = []
        # Taken in turns on the same file, so that the WAL's growth, checkpoints and the
        # machine's load fall on both alike.
        for _ in range(sales):
            receipt = sale(now)
            start = time.perf_counter()
            journal.receipts.commit(receipt)
            journal_ms.append((time.perf_counter() - start) * 1000)
            receipt = sale(now)
            start = time.perf_counter()
            raw_commit(raw, receipt, stamp)
            raw_ms.append((time.perf_counter() - start) * 1000)
        raw.close()
        journal.close()
    ours, bare = statistics.median(journal_ms), statistics.median(raw_ms)
    print(
        f"sale commit: journal p50 {ours:5.2f} ms, raw sqlite3 p50 {bare:5.2f} ms = "
        f"{ours / bare:4.1f}× (goal ≤ 3×)"
    )


# --- a year of history -----------------------------------------------------------------------


def year_journal(path: Path, receipts: int = 50_000, transitions: int = 10_000) -> None:
    """A journal with a year of closed shifts and ``receipts`` receipts, and ``transitions``
    connectivity transitions spread over the year (ending ONLINE); its own goods are dropped so
    that training mode fills in the demo catalogue, and every shift is closed."""
    sys.path.insert(0, str(ROOT / "tests"))
    from reports.generated import generate  # type: ignore[import-not-found]

    from pos.journal.instants import to_micros

    days = 365
    first = datetime.now(UTC).date().replace(year=datetime.now(UTC).year - 1)
    generate(path, first_day=first, days=days, per_day=receipts // days + 1, bulk=True)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN")
    connection.execute("UPDATE shift SET state = 'closed' WHERE state = 'opened'")
    connection.execute("UPDATE receipt SET state = 'uploaded' WHERE state = 'offline_issued'")
    connection.execute("DELETE FROM catalogue_item")
    connection.execute("DELETE FROM setting")
    begin = to_micros(datetime.now(UTC)) - 365 * 86400 * 1_000_000
    step = 365 * 86400 * 1_000_000 // transitions
    rows = []
    for n in range(transitions):
        leaving = n % 2 == 0
        rows.append(
            (
                begin + n * step,
                "ONLINE" if leaving else "LOCAL_OFFLINE",
                "LOCAL_OFFLINE" if leaving else "ONLINE",
                "bench",
            )
        )
    connection.executemany(
        "INSERT INTO connectivity_transition (at, from_state, to_state, cause) VALUES (?, ?, ?, ?)",
        rows,
    )
    connection.execute("COMMIT")
    connection.close()


def bench_status(history: Path) -> None:
    from pos.checkbox import CheckboxClient
    from pos.journal import Journal
    from pos.journal.records import ReceiptState
    from pos.register.fiscalise import limits_now
    from pos.register.limits import limit_state
    from pos.register.recovery import UNSETTLED
    from pos.register.service import RegisterService

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "journal.sqlite"
        shutil.copyfile(history, path)
        journal = Journal.open(path)
        counts = (
            journal.receipts.count(states=tuple(ReceiptState)),
            len(journal.transitions.list()),
        )
        service = RegisterService(journal, CheckboxClient("http://127.0.0.1:9"))
        service.status()
        steady = []
        for _ in range(2000):
            start = time.perf_counter()
            service.status()
            steady.append((time.perf_counter() - start) * 1000)
        sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
        from bench_journal import sale  # type: ignore[import-not-found]

        def after(write: Callable[[int], object]) -> list[float]:
            samples = []
            for n in range(50):
                write(n)
                start = time.perf_counter()
                service.status()
                samples.append((time.perf_counter() - start) * 1000)
            return samples

        after_setting = after(lambda n: journal.settings.set("bench", str(n)))
        after_sale = after(lambda _n: journal.receipts.commit(sale(datetime.now(UTC))))
        states = ("ONLINE", "LOCAL_OFFLINE")
        after_transition = after(
            lambda n: journal.transitions.append(
                datetime.now(UTC), states[n % 2], states[(n + 1) % 2], "bench"
            )
        )
        whole_log = []
        for _ in range(20):  # what status() did before: the queue, the receipts, the whole log
            start = time.perf_counter()
            len(journal.receipts.list(states=UNSETTLED))
            journal.queue.pending_count()
            len(journal.queue.set_aside_entries())
            limit_state(
                now=datetime.now(UTC),
                state=service.state,
                transitions=journal.transitions.list(),
                shift_opened_at=None,
                free_codes=journal.codes.free_count(),
                thresholds=service.ctx.thresholds,
            )
            whole_log.append((time.perf_counter() - start) * 1000)
        limits_now(service.ctx)
        journal.close()
    print(f"status() on {counts[0]:,} receipts, {counts[1]:,} transitions (goal ≤ 1 ms):")
    report("  between writes (every second)", steady)
    report("  right after a setting written", after_setting)
    report("  right after a sale committed", after_sale)
    report("  right after a connectivity transition", after_transition)
    report("  the whole log read, as before", whole_log)


# --- 3. event-loop stalls --------------------------------------------------------------------


@dataclass
class StallMeter:
    """A 5 ms QTimer; the longest gap between two ticks beyond 5 ms is the longest stall."""

    gaps: list[float]

    @classmethod
    @contextmanager
    def running(cls) -> Iterator[StallMeter]:
        from PySide6.QtCore import Qt, QTimer

        meter = cls([])
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(TICK_MS)
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            meter.gaps.append((now - last[0]) * 1000 - TICK_MS)
            last[0] = now

        timer.timeout.connect(tick)
        timer.start()
        try:
            yield meter
        finally:
            timer.stop()

    def summary(self) -> str:
        if not self.gaps:
            return "no ticks"
        longest, p99 = max(self.gaps), percentile(self.gaps, 0.99)
        return f"longest stall {longest:7.1f} ms   p99 gap {p99:5.1f} ms   ({len(self.gaps)} ticks)"


class RemoteSandbox:
    """The emulator in another process, with what ``open_register`` needs of a sandbox."""

    def __init__(self, base_url: str) -> None:
        import httpx

        self.base_url = base_url
        self._http = httpx.Client(base_url=base_url, timeout=10.0)

    @property
    def registers(self) -> list[Any]:
        from pos.sandbox.server import SeededRegister

        state = self.control("GET", "/sandbox/state")
        return [SeededRegister(**c) for c in state["credentials"]]

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = self._http.request(method, path, json=body)
        response.raise_for_status()
        return response.json()


@contextmanager
def sandbox_process(data: Path) -> Iterator[RemoteSandbox]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "pos", "sandbox", "--port", str(port), "--data", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the sandbox process did not start") from None
                time.sleep(0.05)
        yield RemoteSandbox(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=10)


async def measured(label: str, action: Callable[[], Awaitable[Any]]) -> None:
    await asyncio.sleep(0.05)
    with StallMeter.running() as meter:
        started = time.perf_counter()
        await action()
        took = time.perf_counter() - started
        await asyncio.sleep(0.02)
    print(f"  {label:<34} {took * 1000:7.0f} ms   {meter.summary()}")


async def stall_scenario(config: Any, sandbox: Any) -> None:
    import gc

    from pos.domain.receipt import PaymentType
    from pos.register.cart import Cart, Tender
    from pos.ui.main_window import MainWindow
    from pos.ui.register_thread import open_threaded_register

    async with open_threaded_register(config, sandbox=sandbox) as running:
        if running.sandbox is not None:
            running.sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
        window = MainWindow(running)
        window.show()
        gc.freeze()  # as the app does once its window is up (pos.ui.app.run_window)
        service = running.service
        account = running.training_account
        assert account is not None
        await service.sign_in(pin=account.pin)
        await service.open_shift(50000)
        goods = [service.item(code) for code in ("1001", "1002", "1003")]

        def cart() -> Cart:
            new = Cart()
            for item in goods:
                assert item is not None
                new.add(item)
            return new

        async def sale() -> None:
            await service.sell(cart(), [Tender(PaymentType.CASH, 20000)])

        async def sale_shown() -> None:
            """As the window makes one: the sale, then its receipt preview built and shown."""
            receipt = await service.sell(cart(), [Tender(PaymentType.CASH, 20000)])
            window._receipt_made(receipt)
            await asyncio.sleep(0.05)  # the preview's units arrive from the look-up thread

        await sale()  # warm-up: first requests, connection pool
        await sale_shown()
        await measured("a sale (online, 3 lines, cash)", sale)
        await measured("a sale with its receipt preview", sale_shown)
        window.selling.close_receipt_preview()
        interval = sys.getswitchinterval()
        sys.setswitchinterval(0.005)  # the baseline: CPython's default, as before
        await measured("  the same, 5 ms GIL switch (before)", sale_shown)
        sys.setswitchinterval(interval)
        window.selling.close_receipt_preview()
        running.cut_network(True)
        await service.sync()
        for _ in range(20):
            await sale()
        running.cut_network(False)
        await measured(
            "upload of 20 offline receipts",
            lambda: service.sync(wait=True, give_up_after=120),
        )
        await measured("Z-report (close the shift)", lambda: service.close_shift())
        window.close()


def bench_stalls(history: Path) -> None:
    import qasync
    from PySide6.QtWidgets import QApplication

    from pos.app import TRAINING_REGISTER
    from pos.config import AppConfig
    from pos.journal.journal import default_journal_path
    from pos.ui.app import WINDOW_SWITCH_INTERVAL_S
    from pos.ui.qt_compat import GuiThreadCollector, guard_singleton_refcounts

    guard_singleton_refcounts()
    sys.setswitchinterval(WINDOW_SWITCH_INTERVAL_S)  # as the app does (pos.ui.app.main)
    app = QApplication.instance() or QApplication(["bench"])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # closing the window must not stop the loop here
    collector = GuiThreadCollector(parent=app)  # as the app does: gc on the GUI thread only
    for label, separate in (
        ("Checkbox emulator in a separate process", True),
        ("Checkbox emulator in-process (training mode)", False),
    ):
        print(
            f"{label}, journal with a year of history (goal: longest ≤ 16 ms; "
            f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores):"
        )
        with tempfile.TemporaryDirectory() as directory:
            data = Path(directory)
            config = AppConfig(training=True, data=data / "pos")
            (data / "pos").mkdir()
            shutil.copyfile(history, default_journal_path(data / "pos", TRAINING_REGISTER))
            loop = qasync.QEventLoop(app)
            asyncio.set_event_loop(loop)
            try:
                if separate:
                    with sandbox_process(data / "box") as remote:
                        remote.control("POST", "/sandbox/rate-limits", {"enabled": False})
                        loop.run_until_complete(stall_scenario(config, remote))
                else:
                    loop.run_until_complete(stall_scenario(config, None))
            finally:
                asyncio.set_event_loop(None)
                loop.close()
    collector.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--receipts", type=int, default=50_000)
    parser.add_argument("--transitions", type=int, default=10_000)
    parser.add_argument(
        "--skip", default="", help="comma list of: start,memory,commit,status,scan,stalls"
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        catalogue, history = folder / "catalogue.sqlite", folder / "history.sqlite"
        barcodes: list[str] = []
        if {"memory", "commit", "scan"} - skip:
            started = time.perf_counter()
            barcodes = build_catalogue(catalogue, args.items)
            took = time.perf_counter() - started
            print(f"(set-up: a journal with {args.items:,} goods built in {took:.1f} s)")
        if {"status", "stalls"} - skip:
            started = time.perf_counter()
            year_journal(history, args.receipts, args.transitions)
            took = time.perf_counter() - started
            print(f"(set-up: a journal with a year of history built in {took:.1f} s)")
        if "start" not in skip:
            bench_cold_start()
        if "memory" not in skip:
            bench_memory(catalogue, args.items)
        if "commit" not in skip:
            bench_commit(catalogue)
        if "status" not in skip:
            bench_status(history)
        if "scan" not in skip:
            bench_scanning(catalogue, barcodes)
        if "stalls" not in skip:
            bench_stalls(history)


if __name__ == "__main__":
    main()
