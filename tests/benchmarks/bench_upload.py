"""How fast the register drains a backlog of offline receipts into the sandbox.

Sells ``--count`` receipts offline (the client's network cut), then reconnects and times
``sync(wait=True)``: go-offline → every receipt in order → go-online → online. With the sandbox's
rate limits on (the default) the ceiling is Checkbox's 2 receipts/s; the figure printed is the
drain rate and its fraction of that ceiling, with the number of 429 answers (should be 0).
Also prints the offline sale commit latency through the whole register service (p50/p99).

    python tests/benchmarks/bench_upload.py [--count 1000] [--limits off]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pos.checkbox import CheckboxClient, RetryPolicy
from pos.checkbox.network_switch import NetworkSwitch
from pos.domain.receipt import PaymentType
from pos.journal import Journal
from pos.journal.records import CatalogueItem
from pos.register.cart import Cart, Tender
from pos.register.limits import Thresholds
from pos.register.service import RegisterService
from pos.sandbox.server import serve_in_thread


async def run(box: Any, data: Path, count: int, limits: bool) -> None:
    box.control("POST", "/sandbox/rate-limits", {"enabled": limits})
    seeded = box.registers[0]
    journal = Journal.open(data / "journal.sqlite")
    journal.catalogue.upsert([CatalogueItem("1", "Хліб", 3490, (8,))], datetime.now(UTC))
    switch = NetworkSwitch()
    client = CheckboxClient(
        box.base_url, transport=switch, retry=RetryPolicy(base=0.05, cap=1.0), rate_limits=limits
    )
    thresholds = Thresholds(codes_low_water=count + 50, codes_batch=min(count + 100, 5000))
    service = RegisterService(
        journal, client, license_key=seeded.license_key, thresholds=thresholds
    )
    await service.start(worker=False)
    await service.sign_in(pin=seeded.cashier_pin)
    await service.open_shift()
    item = service.item("1")
    assert item is not None
    switch.cut = True
    latencies = []
    for _ in range(count):
        cart = Cart()
        cart.add(item)
        started = time.perf_counter()
        await service.sell(cart, [Tender(PaymentType.CASHLESS, item.price)])
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    print(
        f"offline sale through the register service: p50 {statistics.median(latencies):.2f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99) - 1]:.2f} ms"
    )
    switch.cut = False
    started = time.perf_counter()
    status = await service.sync(wait=True, give_up_after=count * 2.0 + 600)
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    limited = box.control("GET", "/sandbox/state")["rate_limited"]
    print(
        f"drained {count} offline receipts in {elapsed:.1f} s: {rate:.2f} receipts/s "
        f"= {rate / 2:.0%} of 2 receipts/s; state {status.state.value}, queued {status.queued}, "
        f"429 answers {limited}"
    )
    await client.aclose()
    journal.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--limits", choices=("on", "off"), default="on")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve_in_thread(Path(tmp) / "sandbox", signing_delay=0.0) as box,
    ):
        asyncio.run(run(box, Path(tmp), args.count, args.limits == "on"))


if __name__ == "__main__":
    main()
