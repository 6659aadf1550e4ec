"""The sandbox's own SQLite file: every record is a JSON document keyed by kind and id.

The server keeps its working state in memory and writes each changed record through to this
file (WAL), so a restarted sandbox on the same data dir finds its registers, shifts, receipts
and offline codes where it left them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Record = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS record (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, id)
)
"""


class RecordStore:
    """Write-through persistence of sandbox records (one table, JSON bodies)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM record").fetchone()
        self._seq: int = int(row[0])
        self._batch = 0

    def put(self, kind: str, key: str, body: Record) -> None:
        self._seq += 1
        self._db.execute(
            "INSERT INTO record (kind, id, seq, body) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
            (kind, key, self._seq, json.dumps(body, ensure_ascii=False)),
        )

    def delete(self, kind: str, key: str) -> None:
        self._db.execute("DELETE FROM record WHERE kind = ? AND id = ?", (kind, key))

    def load(self, kind: str) -> Iterator[Record]:
        """Records of one kind in the order they were first written."""
        rows = self._db.execute("SELECT body FROM record WHERE kind = ? ORDER BY seq", (kind,))
        for (body,) in rows.fetchall():
            yield json.loads(body)

    def begin(self) -> None:
        if self._batch == 0:
            self._db.execute("BEGIN")
        self._batch += 1

    def commit(self) -> None:
        self._batch -= 1
        if self._batch == 0:
            self._db.execute("COMMIT")

    def clear(self) -> None:
        self._db.execute("DELETE FROM record")

    def close(self) -> None:
        self._db.close()
