"""The journal file survives what a store PC does to it: checks, backups, owner-only files.

Why: a power cut can leave damaged pages that pass start, sell and sync and only fail at the
X-report; a deleted or zero-length journal used to be recreated empty, and the unsent offline
receipts in it vanished without a word. So at every start ``PRAGMA quick_check`` runs (a full
``integrity_check`` on demand), a damaged file stops the program with a message naming the file
and the last backup, a missing or empty journal is never silently replaced while backups of it
exist (this PC had a history with Checkbox), and a rotating daily backup is taken with SQLite's
online backup API (consistent under WAL) and kept ``KEEP_DAYS`` days. Every file is owner-only.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pos.journal.errors import JournalError

KEEP_DAYS = 14
OWNER_ONLY = 0o600


class JournalDamagedError(JournalError):
    """The journal file fails SQLite's own check (or is not a database at all)."""


class JournalMissingError(JournalError):
    """The journal is gone or empty although backups show this PC had one."""


def backup_dir(journal_path: Path) -> Path:
    return journal_path.parent / "backups"


def backups(journal_path: Path) -> list[Path]:
    """This journal's rotating backups, newest last."""
    folder = backup_dir(journal_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{journal_path.stem}-*.sqlite"))


def last_backup_text(journal_path: Path) -> str:
    found = backups(journal_path)
    return f"the last backup is {found[-1]}" if found else "there is no backup of it"


def check_present(journal_path: Path) -> None:
    """Refuse to start on a missing or zero-length journal when backups of it exist."""
    empty = not journal_path.exists() or journal_path.stat().st_size == 0
    if empty and backups(journal_path):
        state = "missing" if not journal_path.exists() else "empty (zero length)"
        raise JournalMissingError(
            f"the journal {journal_path} is {state}, but this PC kept one before and "
            f"{last_backup_text(journal_path)}: restore it (its unsent offline receipts are in "
            "it) instead of starting a new one"
        )


def quick_check(connection: sqlite3.Connection, journal_path: Path, *, full: bool = False) -> None:
    """``PRAGMA quick_check`` (or ``integrity_check``); JournalDamagedError when not ok."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = [str(r[0]) for r in connection.execute(f"PRAGMA {pragma}").fetchall()]
    except sqlite3.DatabaseError as error:
        raise damaged(journal_path, str(error)) from error
    if rows != ["ok"]:
        raise damaged(journal_path, "; ".join(rows[:3]))


def damaged(journal_path: Path, detail: str) -> JournalDamagedError:
    return JournalDamagedError(
        f"the journal {journal_path} is damaged ({detail}); {last_backup_text(journal_path)}. "
        "Nothing was changed: call support, or restore the backup and sync"
    )


def owner_only(journal_path: Path) -> None:
    """The journal, its WAL and shared-memory files readable by the owner only."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.chmod(f"{journal_path}{suffix}", OWNER_ONLY)


def daily_backup(
    connection: sqlite3.Connection, journal_path: Path, now: datetime | None = None
) -> Path | None:
    """Today's backup if there is none yet (online backup API); older than KEEP_DAYS removed.
    A failed backup never stops selling: it returns None."""
    moment = now or datetime.now(UTC)
    folder = backup_dir(journal_path)
    target = folder / f"{journal_path.stem}-{moment:%Y%m%d}.sqlite"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        if not target.exists():
            tmp = target.with_suffix(".tmp")
            with contextlib.closing(sqlite3.connect(tmp)) as copy:
                connection.backup(copy)
            os.chmod(tmp, OWNER_ONLY)
            os.replace(tmp, target)
        cutoff = f"{journal_path.stem}-{moment - timedelta(days=KEEP_DAYS):%Y%m%d}.sqlite"
        for old in backups(journal_path):
            if old.name < cutoff:
                old.unlink()
    except (OSError, sqlite3.Error):
        return None
    return target
