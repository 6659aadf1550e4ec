"""The journal's side of the push: reading the outbox and the current state of its documents,
and forgetting what the shop database has confirmed.

The outbox is filled by the journal's own triggers (schema version 5) in the transaction that
commits each document, so a document the journal has is a document the outbox knows about. Rows
are deleted only after the shop database committed their copies, and by ``seq``: a document
changed meanwhile has a new row with a higher ``seq`` and is copied again next time.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pos.journal.engine import apply_pragmas

RECEIPT_COLUMNS = (
    "doc_number, report_at, cash_paid, cashless_paid, id, shift_id, type, state, is_offline, "
    "fiscal_code, fiscal_date, "
    "total_sum, discounts_sum, extra_charge_sum, round_sum, total_payment, rest, "
    "related_receipt_id, error, created_at, updated_at"
)
SHIFT_COLUMNS = (
    "rowid AS journal_rowid, id, state, serial, is_offline, initial_balance, opened_at, "
    "closed_at, open_fiscal_code, open_fiscal_date, close_fiscal_code, close_fiscal_date, "
    "z_report, created_at, updated_at"
)
CHILD_COLUMNS: dict[str, str] = {
    "receipt_line": "receipt_id, position, code, name, barcode, price, quantity, sum, "
    "tax_codes, is_return, excise_barcodes, uktzed",
    "receipt_payment": "receipt_id, position, type, value, label",
    "receipt_discount": "receipt_id, position, line_position, type, mode, value, sum, name, "
    "tax_codes",
}
QUEUE_COLUMNS = (
    "seq, kind, subject_id, fiscal_code, fiscal_date, state, attempts, error, enqueued_at, "
    "finished_at"
)


@dataclass
class Batch:
    """What one push round copies: the documents' current rows, and the last outbox seq."""

    last_seq: int
    receipts: list[dict[str, Any]] = field(default_factory=list)
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    shifts: list[dict[str, Any]] = field(default_factory=list)
    queue: list[dict[str, Any]] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return len(self.receipts) + len(self.shifts) + len(self.queue)


class JournalOutbox:
    """One connection of its own to a journal file (the push runs in its own thread)."""

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(path, check_same_thread=False)
        apply_pragmas(self._connection)
        self._connection.row_factory = sqlite3.Row

    def close(self) -> None:
        self._connection.close()

    def register(self) -> tuple[str, str]:
        """The register's fiscal number and Checkbox id ("" before its first login)."""
        rows = dict(
            self._connection.execute(
                "SELECT key, value FROM setting WHERE key IN ('fiscal_number', 'cash_register_id')"
            ).fetchall()
        )
        return rows.get("fiscal_number") or "", rows.get("cash_register_id") or ""

    def pending(self) -> int:
        row = self._connection.execute("SELECT count(*) FROM backoffice_outbox").fetchone()
        return int(row[0])

    def read(self, limit: int) -> Batch | None:
        """The next ``limit`` outbox rows' documents, read in one snapshot; None if empty."""
        c = self._connection
        c.execute("BEGIN")
        try:
            rows = c.execute(
                "SELECT seq, kind, subject_id FROM backoffice_outbox ORDER BY seq LIMIT ?",
                (limit,),
            ).fetchall()
            if not rows:
                return None
            batch = Batch(last_seq=int(rows[-1]["seq"]))
            ids: dict[str, list[str]] = {"receipt": [], "shift": [], "offline_queue": []}
            for row in rows:
                ids[row["kind"]].append(row["subject_id"])
            batch.shifts = self._select("shift", SHIFT_COLUMNS, "id", ids["shift"])
            batch.receipts = self._select("receipt", RECEIPT_COLUMNS, "id", ids["receipt"])
            for table, columns in CHILD_COLUMNS.items():
                batch.children[table] = self._select(table, columns, "receipt_id", ids["receipt"])
            queue_ids = [int(i) for i in ids["offline_queue"]]
            batch.queue = self._select("offline_queue", QUEUE_COLUMNS, "seq", queue_ids)
            return batch
        finally:
            c.execute("COMMIT")

    def _select(self, table: str, columns: str, key: str, ids: list[Any]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            cursor = self._connection.execute(
                f"SELECT {columns} FROM {table} WHERE {key} IN ({marks})", chunk
            )
            found += [dict(row) for row in cursor]
        return found

    def forget(self, last_seq: int) -> None:
        """The shop database holds everything up to ``last_seq``: drop those rows."""
        c = self._connection
        c.execute("BEGIN IMMEDIATE")
        try:
            c.execute("DELETE FROM backoffice_outbox WHERE seq <= ?", (last_seq,))
        except BaseException:
            c.execute("ROLLBACK")
            raise
        c.execute("COMMIT")
