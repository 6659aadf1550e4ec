"""How fast receipts go through the Checkbox client against the sandbox.

Prints two figures: receipts per second with rate limits off on both sides (the client's own
overhead), and with them on (the limiter must sustain ≥ 1.9 receipts/s with zero 429s).
Bounded in count and time; starts its own sandbox in a temporary directory on 127.0.0.1.

    python tests/benchmarks/bench_client.py [--count-off 200] [--count-on 30]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from pos.checkbox import CheckboxClient, PinSignIn, Session
from pos.checkbox.models import GoodLine, OpenShift, Payment, SellReceipt
from pos.checkbox.models.receipt import Good
from pos.sandbox.server import serve_in_thread


def _sale() -> SellReceipt:
    return SellReceipt(
        id=str(uuid.uuid4()),
        goods=[GoodLine(good=Good(code="1", name="Хліб", price=2500, tax=[8]), quantity=1000)],
        payments=[Payment(type="CASH", value=2500)],
    )


async def _run(box: Any, count: int, limits: bool, give_up_after: float) -> tuple[float, int]:
    box.control("POST", "/sandbox/reset")
    box.control("POST", "/sandbox/rate-limits", {"enabled": limits})
    register = box.registers[0]
    session = Session(
        PinSignIn(
            license_key=SecretStr(register.license_key), pin_code=SecretStr(register.cashier_pin)
        )
    )
    async with CheckboxClient(box.base_url, session, rate_limits=limits) as client:
        await client.sign_in()
        shift_id = str(uuid.uuid4())
        await client.open_shift(OpenShift(id=shift_id))
        await client.wait_shift(shift_id, frozenset({"OPENED"}), give_up_after=30)
        before_429 = _count_429(box)
        started = time.perf_counter()
        done = 0
        for _ in range(count):
            await client.sell(_sale())
            done += 1
            if time.perf_counter() - started > give_up_after:
                break
        elapsed = time.perf_counter() - started
    return done / elapsed, _count_429(box) - before_429


def _count_429(box: Any) -> int:
    state = box.control("GET", "/sandbox/state")
    for key in ("rate_limited", "responses_429", "count_429", "429"):
        if key in state:
            return int(state[key])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count-off", type=int, default=200)
    parser.add_argument("--count-on", type=int, default=30)
    parser.add_argument("--max-seconds", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir, serve_in_thread(Path(data_dir)) as box:
        off, off_429 = asyncio.run(_run(box, args.count_off, False, args.max_seconds))
        print(f"rate limits off: {off:8.1f} receipts/s through the client (429s: {off_429})")
        on, on_429 = asyncio.run(_run(box, args.count_on, True, args.max_seconds))
        verdict = "OK" if on >= 1.9 and on_429 == 0 else "BELOW TARGET"
        print(f"rate limits on:  {on:8.2f} receipts/s, 429s: {on_429} ({verdict}: ≥ 1.9/s, 0 429s)")


if __name__ == "__main__":
    main()
