"""How the cashier's window feels: start-up, scanning on a big catalogue, and whether the Qt
thread ever waits.

Prints:
1. cold start to the sign-in screen (seconds, a fresh process each time): the first run on an
   empty data directory (starts the embedded sandbox and imports the demo catalogue) and a
   second run on the same directory;
2. scan-to-cart latency (ms, p50/p99) on a 200,000-item catalogue: the scanner's digits and Enter
   as key events into the selling screen's input until the line is in the cart model; and the
   live-search latency for a typed name;
3. the longest event-loop stall (ms) during a sale, an upload of offline receipts and a
   Z-report: a QTimer firing every 5 ms records the gaps between its ticks while the window is
   open and the register works; measured with the Checkbox emulator in a separate process (as
   the real service is) and in-process (training mode as shipped, sharing the GIL).

Not a test (no test_ prefix): ``python tests/benchmarks/bench_ui.py [--items 200000]``.
Runs offscreen unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
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
from PySide6.QtCore import QTimer
from pos.config import AppConfig
from pos.ui.app import main

def ready(window):
    window.repaint()
    print("SIGN-IN-SHOWN", window.page_name, flush=True)
    QTimer.singleShot(0, window.close)

sys.exit(main(["bench"], config=AppConfig(training=True, data=Path(sys.argv[1])), ready=ready))
"""


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(label: str, samples: list[float]) -> None:
    p50, p99 = statistics.median(samples), percentile(samples, 0.99)
    print(f"{label:<46} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   (n={len(samples)})")


# --- 1. cold start ---------------------------------------------------------------------------


def cold_start(data: Path) -> float:
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", COLD_START, str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    shown = None
    for line in process.stdout:
        if line.startswith("SIGN-IN-SHOWN"):
            shown = time.perf_counter() - start
            assert line.split()[1] == "sign_in", line
    process.wait(timeout=60)
    if shown is None:
        raise RuntimeError("the window never showed the sign-in screen")
    return shown


def bench_cold_start() -> None:
    with tempfile.TemporaryDirectory() as data:
        first = cold_start(Path(data))
        second = cold_start(Path(data))
    print(f"cold start to sign-in, first run (empty data dir)   {first:6.2f} s")
    print(f"cold start to sign-in, second run                   {second:6.2f} s")


# --- 2. scanning on a big catalogue ----------------------------------------------------------


def build_catalogue(journal: Any, count: int) -> list[str]:
    from pos.domain.barcodes import ean13_check_digit
    from pos.journal.records import CatalogueItem

    rng = random.Random(7)
    words = ["Молоко", "Хліб", "Сир", "Кава", "Чай", "Сік", "Вода", "Печиво", "Рис", "Олія"]
    makers = ["Галичина", "Ферма", "Рошен", "Світоч", "Оболонь", "Моршинська", "Чумак"]
    barcodes: list[str] = []
    items: list[CatalogueItem] = []
    for n in range(1, count + 1):
        first12 = f"482{n:09d}"
        barcode = first12 + str(ean13_check_digit(first12))
        barcodes.append(barcode)
        name = f"{rng.choice(words)} {rng.choice(makers)} {n % 997} г"
        items.append(
            CatalogueItem(str(n), name, rng.randint(500, 200000), (1,), barcodes=(barcode,))
        )
    now = datetime.now(UTC)
    for start in range(0, count, 20000):
        journal.catalogue.upsert(items[start : start + 20000], now)
    return barcodes


def bench_scanning(items: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from pos.checkbox import CheckboxClient
    from pos.config import AppConfig
    from pos.journal import Journal
    from pos.register.service import RegisterService
    from pos.ui import theme
    from pos.ui.qt_compat import guard_singleton_refcounts
    from pos.ui.selling import SellingPage

    guard_singleton_refcounts()
    app = QApplication.instance() or QApplication(["bench"])
    assert isinstance(app, QApplication)
    theme.apply(app)
    with tempfile.TemporaryDirectory() as directory:
        journal = Journal.open(Path(directory) / "journal.sqlite")
        started = time.perf_counter()
        barcodes = build_catalogue(journal, items)
        print(f"catalogue of {items:,} goods built in {time.perf_counter() - started:.1f} s")
        client = CheckboxClient("http://127.0.0.1:9")  # scanning never talks to Checkbox
        service = RegisterService(journal, client)
        running = SimpleNamespace(service=service, config=AppConfig(training=False), training=False)
        page = SellingPage(running)  # type: ignore[arg-type]
        page.resize(1024, 700)
        page.show()
        app.processEvents()
        rng = random.Random(11)
        samples: list[float] = []
        for _ in range(300):
            code = rng.choice(barcodes)
            before = len(page.cart.lines)
            start = time.perf_counter()
            QTest.keyClicks(page.search, code)
            QTest.keyClick(page.search, Qt.Key.Key_Return)
            while len(page.cart.lines) == before:
                app.processEvents()
            app.processEvents()  # the cart's repaint
            samples.append((time.perf_counter() - start) * 1000)
            if len(page.cart.lines) > 30:
                page.cart.clear()
                page.model.refresh()
        report("scan-to-cart (13 digits + Enter → line shown)", samples)
        searches: list[float] = []
        for query in ("мол", "молоко гал", "кава", "сир ферма 12", "чай"):
            for _ in range(10):
                start = time.perf_counter()
                page.show_results(query, force=True)
                app.processEvents()
                searches.append((time.perf_counter() - start) * 1000)
        report("live search (query → results list shown)", searches)
        page.close()
        page.deleteLater()
        app.processEvents()
        journal.close()


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
    from pos.app import open_register
    from pos.domain.receipt import PaymentType
    from pos.register.cart import Cart, Tender
    from pos.ui.main_window import MainWindow

    async with open_register(config, sandbox=sandbox) as running:
        if running.sandbox is not None:
            running.sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
        window = MainWindow(running)
        window.show()
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

        await sale()  # warm-up: first requests, connection pool
        await measured("a sale (online, 3 lines, cash)", sale)
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


def bench_stalls() -> None:
    import qasync
    from PySide6.QtWidgets import QApplication

    from pos.config import AppConfig
    from pos.ui.qt_compat import GuiThreadCollector, guard_singleton_refcounts

    guard_singleton_refcounts()
    app = QApplication.instance() or QApplication(["bench"])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # closing the window must not stop the loop here
    collector = GuiThreadCollector(parent=app)  # as the app does: gc on the GUI thread only
    for label, separate in (
        ("Checkbox emulator in a separate process", True),
        ("Checkbox emulator in-process (training mode)", False),
    ):
        print(label + ":")
        with tempfile.TemporaryDirectory() as directory:
            data = Path(directory)
            config = AppConfig(training=True, data=data / "pos")
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
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--skip", default="", help="comma list of: start,scan,stalls")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    if "start" not in skip:
        bench_cold_start()
    if "scan" not in skip:
        bench_scanning(args.items)
    if "stalls" not in skip:
        bench_stalls()


if __name__ == "__main__":
    main()
