"""Cases 3 and 5: a disk nearly full, and a damaged, truncated or missing journal.

A sale is refused before anything is committed when the journal's disk is below the threshold;
a journal write failing after Checkbox fiscalised the receipt (SQLite's own "database or disk is
full", injected into that one write) still reports the sale as fiscalised, and the next start
records it from Checkbox under the same id. A damaged file, a damaged header, a zero-length or
missing journal with backups stop the program with a message naming the file and the last
backup; backups are SQLite online backups, rotated; every file is owner-only.
"""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scenarios.harness import SimClock, sandbox_receipts

from pos.journal import Journal
from pos.journal.integrity import (
    KEEP_DAYS,
    JournalDamagedError,
    JournalMissingError,
    backups,
    daily_backup,
)
from pos.journal.records import ReceiptState
from pos.register.errors import Refusal, RegisterError
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory


async def test_a_nearly_full_disk_refuses_before_committing(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    till = await tills(tmp_path / "journal.sqlite", marks=tmp_path / "m")
    await till.sign_in()
    await till.service.open_shift()
    till.service.min_free_bytes = till.journal.free_bytes() + 10**12  # "below the threshold"
    with pytest.raises(RegisterError) as refused:
        await till.sell_bread()
    assert refused.value.refusal is Refusal.DISK_FULL
    assert till.receipts() == []
    assert sandbox_receipts(box, till.register) == []


async def test_a_journal_write_failing_after_fiscalisation_is_not_a_failed_sale(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    path = tmp_path / "journal.sqlite"
    till = await tills(path, marks=tmp_path / "m")
    await till.sign_in()
    await till.service.open_shift()
    real = till.journal.receipts.mark_done

    def disk_full(*args: object, **kwargs: object) -> object:
        raise sqlite3.OperationalError("database or disk is full")

    till.journal.receipts.mark_done = disk_full  # type: ignore[assignment,method-assign]
    sold = await till.sell_bread()
    assert sold.state is ReceiptState.DONE
    assert sold.fiscal_code
    till.journal.receipts.mark_done = real  # type: ignore[method-assign]
    await till.close()
    till = await tills(path, marks=tmp_path / "m")  # the next start catches up
    await till.sign_in()
    after = till.service.receipt(sold.id)
    assert after is not None
    assert (after.state, after.fiscal_code) == (ReceiptState.DONE, sold.fiscal_code)
    assert [r["id"] for r in sandbox_receipts(box, till.register)] == [sold.id]


def _journal_with_backup(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "journal.sqlite"
    with Journal.open(path, exclusive=True) as journal:
        journal.settings.set("note", "x" * 5000)
    assert backups(path)
    return path


def test_a_missing_or_empty_journal_is_never_silently_replaced(tmp_path: Path) -> None:
    path = _journal_with_backup(tmp_path)
    path.write_bytes(b"")  # a power cut left it zero-length
    with pytest.raises(JournalMissingError) as empty:
        Journal.open(path, exclusive=True)
    assert str(path) in str(empty.value)
    assert str(backups(path)[-1]) in str(empty.value)
    path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with pytest.raises(JournalMissingError, match="missing"):
        Journal.open(path, exclusive=True)
    assert not path.exists()  # nothing was created in its place


def test_damaged_pages_and_header_are_named_with_the_last_backup(tmp_path: Path) -> None:
    path = _journal_with_backup(tmp_path)
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2 : page * 2 + 200] = b"\xff" * 200  # a damaged page
    path.write_bytes(bytes(data))
    with pytest.raises(JournalDamagedError) as damaged:
        Journal.open(path, exclusive=True)
    assert str(path) in str(damaged.value)
    assert "last backup" in str(damaged.value)
    data[0:100] = b"\x00" * 100  # a damaged header
    path.write_bytes(bytes(data))
    with pytest.raises(JournalDamagedError, match="damaged"):
        Journal.open(path, exclusive=True)


def test_files_are_owner_only_and_backups_rotate(tmp_path: Path) -> None:
    path = _journal_with_backup(tmp_path)
    for file in [path, *backups(path)]:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    with Journal.open(path) as journal:
        journal.check(full=True)  # integrity_check on demand
        raw = journal.engine.raw_connection()
        try:
            start = datetime(2031, 1, 1, tzinfo=UTC)
            for day in range(KEEP_DAYS + 5):
                daily_backup(raw.driver_connection, path, start + timedelta(days=day))  # type: ignore[arg-type]
        finally:
            raw.close()
    kept = [p for p in backups(path) if p.name.startswith("journal-2031")]
    assert len(kept) == KEEP_DAYS + 1
    with sqlite3.connect(kept[-1]) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
