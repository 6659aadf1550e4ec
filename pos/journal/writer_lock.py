"""One writer per journal, across processes (invariant 10).

Why: two programs on one journal each run startup recovery, each resends the other's in-flight
receipt, and one of them then finds "its" receipt settled under it. An exclusive OS lock on a
file beside the journal (``filelock``: ``flock``/``LockFileEx``, released by the OS when the
process dies, so a crash or a SIGKILL never leaves a stale lock) makes the second process stop
with a clear message naming the holder before it touches anything.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from filelock import FileLock, Timeout

from pos.journal.errors import JournalError


class JournalInUseError(JournalError):
    """Another process has this journal open for writing."""

    def __init__(self, path: Path, holder: str) -> None:
        who = f" (process {holder})" if holder else ""
        super().__init__(
            f"the journal {path} is in use by another POS window or command{who}; "
            "close it or wait for it to finish"
        )
        self.path = path
        self.holder = holder


class WriterLock:
    def __init__(self, journal_path: Path) -> None:
        self.journal_path = journal_path
        self.path = journal_path.with_name(journal_path.name + ".lock")
        self.owner_path = journal_path.with_name(journal_path.name + ".owner")
        self._lock = FileLock(self.path, mode=0o600)

    def acquire(self, timeout: float = 0.0) -> None:
        """Take the lock or raise ``JournalInUseError`` (after ``timeout`` seconds)."""
        try:
            self._lock.acquire(timeout=timeout)
        except Timeout:
            raise JournalInUseError(self.journal_path, self._holder()) from None
        with contextlib.suppress(OSError):
            fd = os.open(self.owner_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, str(os.getpid()).encode())
            finally:
                os.close(fd)

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)

    def _holder(self) -> str:
        try:
            return self.owner_path.read_text().strip()
        except OSError:
            return ""
