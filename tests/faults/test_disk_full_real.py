"""Case 3 on a real small filesystem: the journal on a 8 MB tmpfs that a filler file fills.

Besides the injected "database or disk is full" of ``test_disk_and_integrity``, this is what a
store PC does: the disk really fills. Below the threshold a sale is refused before anything is
committed (real free space); a disk that fills while Checkbox fiscalises the receipt never turns
the sale into a failed one, and once space is back the next start records it from Checkbox.
Runs where a tmpfs can be mounted (root on Linux, as in CI); skipped with the reason otherwise.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from scenarios.harness import SimClock, sandbox_receipts

from pos.journal.records import ReceiptState
from pos.register.errors import Refusal, RegisterError
from pos.sandbox.server import RunningSandbox

from .conftest import FailPaths, TillFactory

SIZE = "8m"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux (CI runs as root)")
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """A filler file taking all the free space of ``disk`` but ``leave`` bytes."""
    filler = disk / "filler.bin"
    chunk = b"\0" * (1 << 16)
    # Unbuffered: the write that finds the disk full raises inside the suppress, and closing
    # has nothing left to flush (a buffered file raised "No space left" again at close).
    with filler.open("ab", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(chunk)
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    os.truncate(filler, max(filler.stat().st_size - max(leave - free, 0), 0))
    return filler


class FillOnSell(FailPaths):
    """Fills the disk while Checkbox fiscalises a sale (between commit and "done")."""

    def __init__(self, disk: Path) -> None:
        super().__init__(None)  # type: ignore[arg-type]
        self.disk = disk
        self.armed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        if self.armed and request.method == "POST" and request.url.path.endswith("/receipts/sell"):
            self.armed = False
            fill(self.disk, 0)
        return response


async def test_a_really_full_disk_refuses_before_committing(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, small_disk: Path
) -> None:
    till = await tills(small_disk / "journal.sqlite", marks=small_disk / "m")
    await till.sign_in()
    await till.service.open_shift()
    till.service.min_free_bytes = 1 << 20  # of the 8 MB disk
    assert (await till.sell_bread()).state is ReceiptState.DONE
    filler = fill(small_disk, 256 << 10)  # 256 KB left, the threshold is 1 MB
    with pytest.raises(RegisterError) as refused:
        await till.sell_bread()
    assert refused.value.refusal is Refusal.DISK_FULL
    assert len(till.receipts()) == 1
    assert len(sandbox_receipts(box, till.register)) == 1
    filler.unlink()  # space again: selling goes on
    assert (await till.sell_bread()).state is ReceiptState.DONE
    assert len(sandbox_receipts(box, till.register)) == 2


async def test_a_disk_filling_during_fiscalisation_never_fails_the_sale(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, small_disk: Path
) -> None:
    path = small_disk / "journal.sqlite"
    fill_on_sell = FillOnSell(small_disk)
    till = await tills(path, marks=small_disk / "m", fail=fill_on_sell)
    await till.sign_in()
    await till.service.open_shift()
    till.service.min_free_bytes = 0
    fill_on_sell.armed = True
    sold = await till.sell_bread()  # the disk is full when Checkbox's answer comes back
    assert not fill_on_sell.armed  # the disk did fill while the sale was being fiscalised
    assert sold.state is ReceiptState.DONE
    assert sold.fiscal_code
    with contextlib.suppress(OSError):
        await till.close()  # closing on a full disk may itself fail to write: nothing lost
    (small_disk / "filler.bin").unlink()
    till = await tills(path, marks=small_disk / "m")  # the next start catches up
    await till.sign_in()
    after = till.service.receipt(sold.id)
    assert after is not None
    assert (after.state, after.fiscal_code) == (ReceiptState.DONE, sold.fiscal_code)
    assert [r["id"] for r in sandbox_receipts(box, till.register)] == [sold.id]
