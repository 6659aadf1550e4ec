"""Write tests/journal/data/journal-v1.sqlite: a small journal exactly as schema version 1 left it.

Every future schema change is tested by upgrading this real old file (test_journal_schema.py).
Rows are written with raw SQL against the frozen v1 DDL, not through today's API, so the file
stays a faithful version-1 journal. Run ``python tests/journal/make_v1_journal.py`` only if the
file is lost; never regenerate it after a schema change (that would defeat its purpose).
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from pos.journal.migrations import migrate

OUT = Path(__file__).resolve().parent / "data" / "journal-v1.sqlite"
T = 1_772_355_600_000_000  # 2026-03-01T09:00:00Z in UTC microseconds
RECEIPT = "44395b8e-a53d-462d-9c8c-a69d05c11111"
OFFLINE_RECEIPT = "5a1b2c3d-0000-4000-8000-000000000002"
SHIFT = "cec5dd7e-837c-46c6-a0ba-03a61cd11111"

ROWS: tuple[tuple[str, tuple[object, ...]], ...] = (
    (
        "INSERT INTO catalogue_item (id, code, name, price, tax_codes, unit, is_weighed, "
        "is_excise, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (1, "500", "Вино ігристе біле Вінтаж де Локсарел", 19500, "1", "шт", 0, 1, T),
    ),
    (
        "INSERT INTO catalogue_item (id, code, name, price, tax_codes, unit, is_weighed, "
        "is_excise, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (2, "00101", "Ковбаса Лікарська варена", 28900, "5", "кг", 1, 0, T),
    ),
    ("INSERT INTO item_barcode (barcode, item_id) VALUES (?, ?)", ("2000000000009", 1)),
    ("INSERT INTO item_barcode (barcode, item_id) VALUES (?, ?)", ("2000101000006", 2)),
    (
        "INSERT INTO shift (id, state, serial, initial_balance, opened_at, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (SHIFT, "opened", 43, 50000, T, T, T),
    ),
    (
        "INSERT INTO receipt (id, shift_id, type, state, fiscal_code, fiscal_date, total_sum, "
        "discounts_sum, total_payment, server_response, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            RECEIPT,
            SHIFT,
            "SELL",
            "done",
            "TEST-FC-1",
            T + 1_000_000,
            14500,
            5000,
            14500,
            '{"serial": 92}',
            T,
            T,
        ),
    ),
    (
        "INSERT INTO receipt_line (receipt_id, position, code, name, barcode, price, quantity, "
        "sum, tax_codes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (RECEIPT, 1, "500", "Вино ігристе", "2000000000009", 19500, 1000, 19500, "1"),
    ),
    (
        "INSERT INTO receipt_payment (receipt_id, position, type, value, label) "
        "VALUES (?, ?, ?, ?, ?)",
        (RECEIPT, 1, "CASH", 14500, "Готівка"),
    ),
    (
        "INSERT INTO receipt_discount (receipt_id, position, type, mode, value, sum, name, "
        "tax_codes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (RECEIPT, 1, "DISCOUNT", "VALUE", 5000, 5000, "Знижка", "1"),
    ),
    (
        "INSERT INTO offline_code (fiscal_code, serial, state, added_at, changed_at) "
        "VALUES (?, ?, ?, ?, ?)",
        ("TEST-iA5fmb", 1, "used", T, T),
    ),
    (
        "INSERT INTO offline_code (fiscal_code, serial, state, added_at, changed_at) "
        "VALUES (?, ?, ?, ?, ?)",
        ("TEST-aQ-V-c", 2, "free", T, T),
    ),
    (
        "INSERT INTO offline_code (fiscal_code, serial, state, added_at, changed_at) "
        "VALUES (?, ?, ?, ?, ?)",
        ("TEST-WzSbIz", 3, "free", T, T),
    ),
    (
        "INSERT INTO receipt (id, shift_id, type, state, is_offline, fiscal_code, fiscal_date, "
        "total_sum, total_payment, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            OFFLINE_RECEIPT,
            SHIFT,
            "SELL",
            "offline_issued",
            1,
            "TEST-iA5fmb",
            T + 2_000_000,
            28900,
            28900,
            T,
            T,
        ),
    ),
    (
        "UPDATE offline_code SET used_by = ? WHERE fiscal_code = ?",
        (OFFLINE_RECEIPT, "TEST-iA5fmb"),
    ),
    (
        "INSERT INTO offline_queue (kind, subject_id, fiscal_code, fiscal_date, enqueued_at) "
        "VALUES (?, ?, ?, ?, ?)",
        ("receipt", OFFLINE_RECEIPT, "TEST-iA5fmb", T + 2_000_000, T),
    ),
    (
        "INSERT INTO connectivity_transition (at, from_state, to_state, cause) VALUES (?, ?, ?, ?)",
        (T, "ONLINE", "LOCAL_OFFLINE", "connect timeout"),
    ),
    ("INSERT INTO fiscal_clock (id, last_instant) VALUES (?, ?)", (1, T + 2_000_000)),
    ("INSERT INTO setting (key, value) VALUES (?, ?)", ("register_name", "Каса 1")),
)


def build(path: Path) -> None:
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")
    migrate(connection, None, target=1)
    connection.execute("BEGIN")
    for sql, parameters in ROWS:
        connection.execute(sql, parameters)
    connection.execute("COMMIT")
    connection.execute("VACUUM")
    connection.close()


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    build(OUT)
    print(f"{OUT}: version 1 journal", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
