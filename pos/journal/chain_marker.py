"""The register's own record of how far its journal got, kept outside the data folder.

Why: a journal restored from a backup, copied to another PC or recreated empty looks perfectly
healthy on its own, yet its pool still lists offline codes that were already printed and
uploaded. The fiscal clock's last instant only ever grows, so this PC writes it down beside
(not inside) the journal after every fiscal step; a journal whose clock is behind the mark, or a
journal with history that this PC has no mark for, is *behind Checkbox* and must reconcile online
before it issues anything offline (invariant 9). The mark lives in the per-user state directory,
not in the data folder, so copying or restoring the data folder does not copy or restore it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

import platformdirs

STATE_DIR_ENV = "POS_STATE_DIR"


def default_marker_dir() -> Path:
    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_state_dir("pos", appauthor=False)) / "journal-marks"


class ChainMarker:
    """The last fiscal instant (UTC microseconds) this PC saw in one journal file."""

    def __init__(self, journal_path: Path, directory: Path | None = None) -> None:
        self.journal_path = journal_path.resolve()
        key = hashlib.sha256(str(self.journal_path).encode()).hexdigest()[:20]
        self.path = (directory or default_marker_dir()) / f"{key}.json"

    def read(self) -> int | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return int(data["last_instant"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def advance(self, last_instant: int) -> None:
        """Record ``last_instant`` if it is later than the mark (never moves back). Atomic: a
        crash leaves the old mark or the new one, never a torn file."""
        current = self.read()
        if current is not None and current >= last_instant:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_suffix(".tmp")
        text = json.dumps({"journal": str(self.journal_path), "last_instant": last_instant})
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, text.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)
        with contextlib.suppress(OSError):
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
