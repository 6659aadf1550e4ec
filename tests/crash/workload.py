"""The crash test's workload: a register selling online and offline, forked from a zygote.

Why a zygote: importing the program takes most of a second; 200+ restarts would spend minutes
importing. The zygote (a single-threaded process) imports everything once and forks one child per
"life"; the test kills each child with SIGKILL at a random instant, so each restart is a fresh
process that finds the journal exactly as the kill left it.

Protocol on stdin/stdout (one line each): ``life SEED`` → forks a child that sells until killed,
answers its pid; ``finish`` → forks a child that reconnects, uploads everything and closes the
shift, answers its pid and later ``finished``; ``quit``.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
from pathlib import Path

from pos.checkbox import CheckboxClient, RetryPolicy
from pos.checkbox.network_switch import NetworkSwitch
from pos.domain.receipt import PaymentType
from pos.domain.rounding import round_cash
from pos.journal import Journal
from pos.register.cart import Cart, Tender
from pos.register.errors import RegisterError
from pos.register.limits import Thresholds
from pos.register.service import RegisterService


class Setup:
    def __init__(self, data: Path, api: str, license_key: str, pin: str) -> None:
        self.data, self.api, self.license_key, self.pin = data, api, license_key, pin


def _service(setup: Setup, switch: NetworkSwitch) -> tuple[RegisterService, CheckboxClient]:
    journal = Journal.open(setup.data / "journal.sqlite")
    client = CheckboxClient(
        setup.api,
        transport=switch,
        retry=RetryPolicy(base=0.01, cap=0.05),
        timeout=3.0,
        rate_limits=False,
    )
    thresholds = Thresholds(codes_low_water=60, codes_batch=300)
    return RegisterService(
        journal, client, license_key=setup.license_key, thresholds=thresholds
    ), client


async def life(setup: Setup, seed: int, log: Path) -> None:
    rng = random.Random(seed)
    switch = NetworkSwitch()
    switch.cut = rng.random() < 0.35
    service, _client = _service(setup, switch)
    items = [i for i in (service.item(str(c)) for c in range(1, 6)) if i is not None]
    with log.open("a", encoding="utf-8") as out:
        try:
            await service.start(worker=False)
            await service.sign_in(pin=setup.pin)
            if service.current_shift() is None:
                await service.open_shift(0)
            if not switch.cut:
                await service.sync()  # as the window's worker would, right after sign-in
            for _ in range(10_000):
                if rng.random() < 0.04:
                    switch.cut = not switch.cut
                if not switch.cut and rng.random() < 0.15:
                    await service.sync()
                cart = Cart()
                for _ in range(rng.randint(1, 3)):
                    item = rng.choice(items)
                    cart.add(item, rng.choice((500, 1250)) if item.is_weighed else None)
                total = cart.total
                if rng.random() < 0.5:
                    tenders = [Tender(PaymentType.CASH, round_cash(total) + rng.choice((0, 5000)))]
                else:
                    tenders = [Tender(PaymentType.CASHLESS, total)]
                try:
                    receipt = await service.sell(cart, tenders)
                except RegisterError as error:
                    out.write(f"refused {error.refusal.value} {error.detail}\n")
                    out.flush()
                    continue
                out.write(f"ok {receipt.id}\n")
                out.flush()
        except RegisterError as error:
            out.write(f"refused {error.refusal.value} {error.detail}\n")


async def finish(setup: Setup, result: Path) -> None:
    service, client = _service(setup, NetworkSwitch())
    await service.start(worker=False)
    await service.sign_in(pin=setup.pin)
    status = await service.sync(wait=True, give_up_after=120)
    view = await service.close_shift()
    text = json.dumps(
        {"status": status.as_json(), "local": view.local, "server": view.server},
        ensure_ascii=False,
    )
    await asyncio.to_thread(result.write_text, text)
    await client.aclose()


def _run_child(work: object) -> None:
    try:
        asyncio.run(work)  # type: ignore[arg-type]
    except BaseException as error:  # a child reports and dies
        print(f"child failed: {error!r}", file=sys.stderr)
        os._exit(1)
    os._exit(0)


def zygote(setup: Setup) -> None:
    child = 0
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if child:
            os.waitpid(child, 0)
            child = 0
        if command == "quit":
            break
        pid = os.fork()
        if pid == 0:
            if command == "life":
                _run_child(life(setup, int(argument), setup.data / "sales.log"))
            else:
                _run_child(finish(setup, setup.data / "finish.json"))
        child = pid
        print(pid, flush=True)


if __name__ == "__main__":
    data, api, key, pin = sys.argv[1:5]
    zygote(Setup(Path(data), api, key, pin))
