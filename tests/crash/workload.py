"""The crash test's workload: a register selling online and offline, forked from a zygote.

Why a zygote: importing the program takes most of a second; 200+ restarts would spend minutes
importing. The zygote (a single-threaded process) imports everything once and forks one child per
"life"; the test kills each child with SIGKILL at a random instant, so each restart is a fresh
process that finds the journal exactly as the kill left it.

Protocol on stdin/stdout (one line each): ``life SEED`` → forks a child that sells until killed,
answers its pid; ``setup`` → forks a child that signs in and opens the first shift (the next
command waits for it); ``finish`` → forks a child that reconnects, uploads everything and closes the
shift, answers its pid and later ``finished``; ``quit``.

With ``mix`` (the slow tier's 1,000-kill run) a life obeys the rate limits, keeps this PC's
journal mark, and besides sales makes returns, service cash in and out, and closes and reopens
the shift; the test also kills headless ``pos register sell`` processes on the same journal.
Every fiscalised receipt is logged as ``ok ID FISCAL_CODE`` (what was printed).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
from pathlib import Path
from typing import TextIO

from pos.checkbox import CheckboxClient, RetryPolicy
from pos.checkbox.network_switch import NetworkSwitch
from pos.config import FileTokenStore
from pos.domain.receipt import PaymentType
from pos.domain.rounding import round_cash
from pos.journal import Journal
from pos.journal.chain_marker import ChainMarker
from pos.journal.journal import default_journal_path
from pos.journal.records import Receipt
from pos.journal.writer_lock import JournalInUseError
from pos.register.cart import Cart, Tender
from pos.register.errors import RegisterError
from pos.register.fiscalise import LOCAL_STATES
from pos.register.limits import Thresholds
from pos.register.recovery import UNSETTLED
from pos.register.service import RegisterService

SHIFTS = os.environ.get("POS_CRASH_SHIFTS") == "1"
"""Close and reopen the shift in the mix (the slow tier sets it: a Z-report Checkbox is still
closing is no longer closed twice, nor left "opened" by a kill)."""


OFFLINE_SERVICE = os.environ.get("POS_CRASH_OFFLINE_SERVICE", "1") == "1"
"""Service cash in/out while the register is offline locally (on unless set to 0): they are
non-fiscal, spend no offline code and are uploaded to /receipts/service without fiscal fields,
so the mix proves they are neither lost nor sent twice across kills."""


class Setup:
    def __init__(self, data: Path, api: str, license_key: str, pin: str, mix: bool) -> None:
        self.data, self.api, self.license_key, self.pin = data, api, license_key, pin
        self.mix = mix


def journal_path(data: Path) -> Path:
    """The headless commands' journal (``--data DIR``), so CLI and forked lives share it."""
    return default_journal_path(data)


def _service(
    setup: Setup, switch: NetworkSwitch, limited: bool = False
) -> tuple[RegisterService, CheckboxClient]:
    path = journal_path(setup.data)
    journal = Journal.open(path, exclusive=True)
    client = CheckboxClient(
        setup.api,
        transport=switch,
        retry=RetryPolicy(base=0.01, cap=0.05),
        timeout=3.0 if not setup.mix else 8.0,
        rate_limits=limited,
    )
    thresholds = Thresholds(codes_low_water=60, codes_batch=300)
    return RegisterService(
        journal,
        client,
        license_key=setup.license_key,
        thresholds=thresholds,
        chain=ChainMarker(path) if setup.mix else None,
        token_store=FileTokenStore(setup.data / "token.json") if setup.mix else None,
    ), client


def _ok(out: TextIO, receipt: Receipt) -> None:
    out.write(f"ok {receipt.id} {receipt.fiscal_code}\n")
    out.flush()


async def _other_operation(
    service: RegisterService, rng: random.Random, out: TextIO, roll: float
) -> None:
    """A return, a service cash in or out, or the Z-report and a new shift."""
    if roll < 0.10:
        sales = service.find_receipts("")[:20]
        for sale in rng.sample(sales, len(sales)):
            left = {p: q for p, q in service.returnable(sale.id).items() if q > 0}
            if left:
                position = rng.choice(sorted(left))
                _ok(out, await service.refund(sale.id, {position: left[position]}))
                return
    elif roll < 0.20 and service.state in LOCAL_STATES and not OFFLINE_SERVICE:
        return  # see OFFLINE_SERVICE
    elif roll < 0.16:
        _ok(out, await service.service_in(rng.choice((1000, 5000))))
    elif roll < 0.20:
        _ok(out, await service.service_out(rng.choice((500, 1000))))
    elif roll < 0.22 and SHIFTS:
        view = await service.close_shift()
        out.write(f"shift-closed {view.shift.id if view.shift else '?'}\n")
        out.flush()
        await service.open_shift(0)


async def life(setup: Setup, seed: int, log: Path, limited: bool = False) -> None:
    rng = random.Random(seed)
    switch = NetworkSwitch()
    switch.cut = rng.random() < 0.35
    service, _client = _service(setup, switch, limited)
    items = [i for i in (service.item(str(c)) for c in range(1, 6)) if i is not None]
    with log.open("a", encoding="utf-8") as out:
        # For the checker's summary: what this life's recovery finds unsettled, and in what
        # state (a conflict among them came from recovery, not from a live sale).
        for left in service.journal.receipts.list(states=UNSETTLED):
            out.write(f"unsettled {left.id} {left.state.value}\n")
        out.flush()
        try:
            await service.start(worker=False)
            await service.sign_in(pin=setup.pin, reuse_token=setup.mix)
            if service.current_shift() is None:
                await service.open_shift(0)
            if not switch.cut:
                await service.sync()  # as the window's worker would, right after sign-in
            for _ in range(10_000):
                if rng.random() < 0.04:
                    switch.cut = not switch.cut
                if not switch.cut and rng.random() < 0.15:
                    await service.sync()
                if setup.mix:
                    roll = rng.random()
                    if roll < 0.22:
                        try:
                            await _other_operation(service, rng, out, roll)
                        except RegisterError as error:
                            out.write(f"refused {error.refusal.value} {error.detail}\n")
                            out.flush()
                        continue
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
                _ok(out, receipt)
        except RegisterError as error:
            out.write(f"refused {error.refusal.value} {error.detail}\n")
        except JournalInUseError:  # a killed CLI process not yet reaped held it
            out.write("refused journal_in_use\n")


async def prepare(setup: Setup) -> None:
    """Before the first kill: signed in and a shift open (the first opening must be online)."""
    service, client = _service(setup, NetworkSwitch(), setup.mix)
    await service.start(worker=False)
    await service.sign_in(pin=setup.pin)
    if service.current_shift() is None:
        await service.open_shift(0)
    await client.aclose()


async def finish(setup: Setup, result: Path) -> None:
    service, client = _service(setup, NetworkSwitch(), setup.mix)
    await service.start(worker=False)
    await service.sign_in(pin=setup.pin)
    status = await service.sync(wait=True, give_up_after=400)
    if service.current_shift() is None:
        await service.open_shift(0)
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
        if command == "reap":  # the test runs something else on the journal next
            print("reaped", flush=True)
            continue
        pid = os.fork()
        if pid == 0:
            if command == "setup":
                _run_child(prepare(setup))
            elif command == "life":
                seed, _, limited = argument.partition(" ")
                _run_child(life(setup, int(seed), setup.data / "sales.log", limited == "limited"))
            else:
                _run_child(finish(setup, setup.data / "finish.json"))
        child = pid
        print(pid, flush=True)


if __name__ == "__main__":
    data, api, key, pin = sys.argv[1:5]
    zygote(Setup(Path(data), api, key, pin, mix="mix" in sys.argv[5:]))
