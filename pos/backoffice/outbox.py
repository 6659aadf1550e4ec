"""The journal's side of the push: reading the outbox and the current state of its documents,
and forgetting what the shop database has confirmed.

The outbox is filled by the journal's own triggers (schema versions 6 and 8) in the transaction
that commits each document, so a document the journal has is a document the outbox knows about.
Rows are deleted only after the shop database committed their copies, and by ``seq``: a document
changed meanwhile has a new row with a higher ``seq`` and is copied again next time.

A register with no back office configured keeps no outbox (:func:`pause_outbox`: the triggers
stand still and the rows go, since no server is there to acknowledge them); configuring one
refills it with every document the journal holds (:func:`resume_outbox`) before the first push,
so a document committed while paused is copied too. Each is one transaction: a kill leaves the
outbox as it was or as it is meant to be, never half-emptied.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pos.journal.engine import apply_pragmas
from pos.journal.orders import ORDER_COLUMNS
from pos.journal.orders import RECEIPT_COLUMNS as ORDER_RECEIPT_COLUMNS

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
# The setting that stops the outbox's triggers (schema version 8).
PAUSED_KEY = "backoffice_outbox"
PAUSED = "paused"
# Every document kind, its table and key, in the order a refill enters them (a shift before its
# receipts, an order before its chain receipts).
SUBJECTS: tuple[tuple[str, str], ...] = (
    ("shift", "id"),
    ("receipt", "id"),
    ("offline_queue", "seq"),
    ("customer_order", "id"),
    ("order_receipt", "id"),
    ("catalogue_item", "id"),
    ("connectivity_transition", "id"),
)
CATALOGUE_COLUMNS = "id, code, name, category"
TRANSITION_COLUMNS = "id, at, from_state, to_state, cause"
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
    orders: list[dict[str, Any]] = field(default_factory=list)
    order_receipts: list[dict[str, Any]] = field(default_factory=list)
    # Goods entered (their copies are replaced: a good deleted has an id and no row).
    catalogue_ids: list[int] = field(default_factory=list)
    catalogue: list[dict[str, Any]] = field(default_factory=list)
    transitions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return (
            len(self.receipts)
            + len(self.shifts)
            + len(self.queue)
            + len(self.orders)
            + len(self.order_receipts)
            + len(self.catalogue_ids)
            + len(self.transitions)
        )


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

    def cashier_name(self) -> str:
        """The cashier last signed in (a prepayment's owner in MoySklad's shape)."""
        row = self._connection.execute(
            "SELECT value FROM setting WHERE key = 'cashier_name'"
        ).fetchone()
        return str(row[0]) if row else ""

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
            ids: dict[str, list[str]] = {kind: [] for kind, _ in SUBJECTS}
            for row in rows:
                ids[row["kind"]].append(row["subject_id"])
            batch.shifts = self._select("shift", SHIFT_COLUMNS, "id", ids["shift"])
            batch.receipts = self._select("receipt", RECEIPT_COLUMNS, "id", ids["receipt"])
            for table, columns in CHILD_COLUMNS.items():
                batch.children[table] = self._select(table, columns, "receipt_id", ids["receipt"])
            queue_ids = [int(i) for i in ids["offline_queue"]]
            batch.queue = self._select("offline_queue", QUEUE_COLUMNS, "seq", queue_ids)
            batch.orders = self._select(
                "customer_order", ", ".join(ORDER_COLUMNS), "id", ids["customer_order"]
            )
            batch.order_receipts = self._select(
                "order_receipt",
                ", ".join(("rowid AS journal_rowid", *ORDER_RECEIPT_COLUMNS)),
                "id",
                ids["order_receipt"],
            )
            batch.catalogue_ids = [int(i) for i in ids["catalogue_item"]]
            batch.catalogue = self._select(
                "catalogue_item", CATALOGUE_COLUMNS, "id", batch.catalogue_ids
            )
            transition_ids = [int(i) for i in ids["connectivity_transition"]]
            batch.transitions = self._select(
                "connectivity_transition", TRANSITION_COLUMNS, "id", transition_ids
            )
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


def _paused(connection: sqlite3.Connection) -> bool:
    row = connection.execute("SELECT value FROM setting WHERE key = ?", (PAUSED_KEY,)).fetchone()
    return row is not None and row[0] == PAUSED


def _write(path: Path, work: Any) -> Any:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        apply_pragmas(connection)
        connection.execute("BEGIN IMMEDIATE")
        try:
            result = work(connection)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return result
    finally:
        connection.close()


def pause_outbox(path: Path) -> int:
    """No back office is configured: stop filling the outbox and empty it (one transaction).
    The number of rows dropped; a later :func:`resume_outbox` enters every document again."""

    def pause(connection: sqlite3.Connection) -> int:
        connection.execute(
            "INSERT INTO setting(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (PAUSED_KEY, PAUSED),
        )
        return int(connection.execute("DELETE FROM backoffice_outbox").rowcount)

    return int(_write(path, pause))


def resume_outbox(path: Path) -> int:
    """A back office is configured: if the outbox was paused, enter every document the journal
    holds (the copies are upserts, so one the server has already changes nothing) and start the
    triggers again, in one transaction. The number of rows entered (0: it was not paused)."""

    def resume(connection: sqlite3.Connection) -> int:
        if not _paused(connection):
            return 0
        connection.execute("DELETE FROM setting WHERE key = ?", (PAUSED_KEY,))
        connection.execute("DELETE FROM backoffice_outbox")
        entered = 0
        for kind, key in SUBJECTS:
            cursor = connection.execute(
                f"INSERT INTO backoffice_outbox(kind, subject_id) "
                f"SELECT '{kind}', {key} FROM {kind} ORDER BY rowid"
            )
            entered += int(cursor.rowcount)
        return entered

    return int(_write(path, resume))


def is_paused(path: Path) -> bool:
    connection = sqlite3.connect(path)
    try:
        return _paused(connection)
    finally:
        connection.close()
