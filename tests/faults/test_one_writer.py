"""Case 2: two processes on one data folder. The second one stops with a clear message before it
touches the journal; it never runs recovery over the first one's in-flight receipt.

Checked across real processes (a subprocess opening the journal the test holds, and the headless
``pos register status`` while a register is selling) and against the sandbox's records: the
receipt in flight is fiscalised exactly once.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scenarios.harness import BREAD, SimClock, exact_tender, sandbox_receipts

from pos.journal import Journal
from pos.journal.records import ReceiptState
from pos.journal.writer_lock import JournalInUseError
from pos.register.cart import Cart
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory

OPEN_IT = (
    "import sys; from pathlib import Path; from pos.journal import Journal\n"
    "from pos.journal.writer_lock import JournalInUseError\n"
    "try:\n"
    "    Journal.open(Path(sys.argv[1]), exclusive=True).close()\n"
    "except JournalInUseError as e:\n"
    "    print(e); sys.exit(3)\n"
)


def test_a_second_process_is_refused_with_the_holder_named(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    with Journal.open(path, exclusive=True):
        other = subprocess.run(
            [sys.executable, "-c", OPEN_IT, str(path)], capture_output=True, text=True, timeout=60
        )
        assert other.returncode == 3, other.stderr
        assert "in use by another POS window or command" in other.stdout
        assert str(path) in other.stdout
        with pytest.raises(JournalInUseError):  # a second window in the same process, too
            Journal.open(path, exclusive=True)
    # Released on close (and by the OS when a holder dies): the next one gets it.
    done = subprocess.run([sys.executable, "-c", OPEN_IT, str(path)], timeout=60)
    assert done.returncode == 0


async def test_status_command_during_a_sale_never_touches_its_receipt(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "POS_STATE_DIR": str(tmp_path / "marks")}
    seeded = box.registers[0]
    login = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "pos",
            "register",
            "login",
            "--data",
            str(data),
            "--api",
            box.base_url,
            "--license-key",
            seeded.license_key,
            "--pin",
            seeded.cashier_pin,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert login.returncode == 0, login.stdout + login.stderr
    till = await tills(data / "journal-default.sqlite", marks=tmp_path / "marks")
    await till.sign_in()
    await till.service.open_shift()
    sold = await till.sell_bread()
    # A receipt committed and not yet on Checkbox (issued offline, queued for upload).
    cart = Cart()
    cart.add(BREAD)
    till.cut()
    flying = await till.sell(cart, [exact_tender(cart.total)])  # committed, then issued offline
    status = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "pos", "register", "status", "--data", str(data), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert status.returncode == 1, status.stdout + status.stderr
    assert "in use by another POS window or command" in status.stdout
    assert '"reason": "journal_in_use"' in status.stdout
    till.reconnect()
    await till.service.sync(wait=True, give_up_after=60)
    on_server = [r["id"] for r in sandbox_receipts(box, till.register)]
    assert on_server.count(sold.id) == 1
    assert on_server.count(flying.id) == 1
    after = till.service.receipt(flying.id)
    assert after is not None
    assert after.state is ReceiptState.UPLOADED
