"""Schema: pragmas on every connection, migrations from a real version-1 file, mappings in sync."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import SQLModel

from pos.journal import Journal, JournalTooNewError
from pos.journal import tables as _tables  # noqa: F401  (registers the mappings)
from pos.journal.errors import OfflineCodeStateError
from pos.journal.migrations import LATEST_VERSION, MIGRATIONS, migrate, name_key_v3
from pos.journal.records import NewReceipt, ReceiptState

V1 = Path(__file__).resolve().parent / "data" / "journal-v1.sqlite"
T = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_every_connection_is_durable_wal(journal: Journal) -> None:
    with journal.engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 5000,
    }
    assert journal.schema_version() == LATEST_VERSION


def test_writes_begin_immediate_and_reads_deferred(journal: Journal) -> None:
    """Writers take the lock at BEGIN, so two writers queue instead of failing mid-transaction."""
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(journal.engine, "before_cursor_execute", record)
    journal.settings.set("a", "1")
    journal.settings.get("a")
    event.remove(journal.engine, "before_cursor_execute", record)
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE", "BEGIN DEFERRED"]


def test_mappings_match_the_migrated_schema(journal: Journal) -> None:
    connection = sqlite3.connect(journal.path)
    for table in SQLModel.metadata.sorted_tables:
        columns = {row[1] for row in connection.execute(f"PRAGMA table_info({table.name})")}
        assert columns == {column.name for column in table.columns}, table.name
    connection.close()


def test_upgrade_of_a_real_version_1_journal_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "journal-default.sqlite"
    shutil.copyfile(V1, path)
    with Journal.open(path) as journal:
        assert journal.schema_version() == LATEST_VERSION
        receipt = journal.receipts.get("44395b8e-a53d-462d-9c8c-a69d05c11111")
        assert receipt is not None
        assert (receipt.state, receipt.fiscal_code, receipt.total_sum) == (
            ReceiptState.DONE,
            "TEST-FC-1",
            14500,
        )
        assert receipt.fiscal_date == T + timedelta(seconds=1)
        assert receipt.server_response == {"serial": 92}
        assert receipt.lines[0].excise_barcodes == ()  # the v2 column got its default
        assert receipt.discounts[0].sum == 5000
        item = journal.catalogue.find_by_barcode("2000000000009")
        assert item is not None
        assert (item.code, item.uktzed) == ("500", None)
        assert [i.code for i in journal.catalogue.search("ковбаса")] == ["00101"]
        shift = journal.shifts.current()
        assert shift is not None
        assert shift.serial == 43
        assert journal.codes.counts().free == 2
        with pytest.raises(OfflineCodeStateError):  # the trigger survived the upgrade
            journal.codes.release("TEST-iA5fmb", T)
        entry = journal.queue.peek_next()
        assert entry is not None
        assert entry.fiscal_code == "TEST-iA5fmb"
        assert journal.clock.next_instant(T) == T + timedelta(seconds=2, microseconds=1)
        assert journal.transitions.list()[0].cause == "connect timeout"
        assert journal.settings.get("register_name") == "Каса 1"
        # And it keeps working at the new version.
        fresh = journal.receipts.commit(NewReceipt(str(uuid.uuid4()), "SELL", 100, T))
        offline = journal.receipts.issue_offline(fresh.id, T)
        assert offline.fiscal_code == "TEST-aQ-V-c"
        assert offline.state is ReceiptState.OFFLINE_ISSUED
    backups = list(tmp_path.glob("journal-default.sqlite.v1-*.bak"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("PRAGMA user_version").fetchone() == (1,)
    assert copy.execute("SELECT count(*) FROM receipt").fetchone() == (2,)
    copy.close()


def test_version_3_gives_old_goods_a_name_key_and_no_category(tmp_path: Path) -> None:
    """The v1 fixture straight to the latest version: every good gets the Python-folded name key
    (SQL alone cannot fold Cyrillic), an empty category, and the new indexes."""
    path = tmp_path / "journal-default.sqlite"
    shutil.copyfile(V1, path)
    Journal.open(path).close()
    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT code, category, name_key FROM catalogue_item ORDER BY code"
    ).fetchall()
    assert rows == [
        ("00101", "", name_key_v3("Ковбаса Лікарська варена")),
        ("500", "", name_key_v3("Вино ігристе біле Вінтаж де Локсарел")),
    ]
    indexes = {row[1] for row in connection.execute("PRAGMA index_list(catalogue_item)")}
    assert {"catalogue_item_name_key", "catalogue_item_category"} <= indexes
    connection.close()
    with Journal.open(path) as journal:
        assert [i.code for i in journal.catalogue.search("КОВБАСА лік")] == ["00101"]
        assert journal.catalogue.categories() == []
        item = journal.catalogue.find_by_code("500")
        assert item is not None
        assert (item.category, item.is_excise, item.barcodes) == ("", True, ("2000000000009",))


def test_upgrade_of_a_version_2_journal_to_version_3_keeps_its_goods(tmp_path: Path) -> None:
    path = tmp_path / "journal-default.sqlite"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, None, target=2)
    connection.execute("BEGIN")
    connection.execute(
        "INSERT INTO catalogue_item (id, code, name, price, tax_codes, unit, is_weighed, "
        "is_excise, uktzed, updated_at) VALUES (7, '1001', 'М’ЯСО  Свиняче Ґуляш', 27900, '5', "
        "'кг', 1, 0, NULL, 1), (8, '2001', 'Горілка Хортиця 0,5 л', 22900, '1', 'шт', 0, 1, "
        "'2208601000', 1)"
    )
    connection.execute("INSERT INTO item_barcode (barcode, item_id) VALUES ('4820000000014', 8)")
    connection.execute(
        "INSERT INTO receipt (id, type, state, total_sum, created_at, updated_at) "
        "VALUES ('r', 'SELL', 'done', 22900, 1, 1)"
    )
    connection.execute(
        "INSERT INTO receipt_line (receipt_id, position, code, name, price, quantity, sum, "
        "excise_barcodes, uktzed) VALUES ('r', 1, '2001', 'Горілка', 22900, 1000, 22900, "
        "'[\"AAAA1234\"]', '2208601000')"
    )
    connection.execute("COMMIT")
    connection.close()

    with Journal.open(path) as journal:
        assert journal.schema_version() == LATEST_VERSION >= 3
        vodka = journal.catalogue.find_by_scan("4820000000014")
        assert vodka is not None
        assert (vodka.item.code, vodka.item.uktzed, vodka.item.is_excise) == (
            "2001",
            "2208601000",
            True,
        )
        assert vodka.item.category == ""
        assert [i.code for i in journal.catalogue.search("м'ясо свиняче ґ")] == ["1001"]
        receipt = journal.receipts.get("r")
        assert receipt is not None
        assert receipt.lines[0].excise_barcodes == ("AAAA1234",)
    assert len(list(tmp_path.glob("journal-default.sqlite.v2-*.bak"))) == 1
    # The backfilled key folds case, apostrophes and spaces the way a typed query is folded.
    connection = sqlite3.connect(path)
    keys = connection.execute("SELECT id, name_key FROM catalogue_item ORDER BY id").fetchall()
    assert keys == [(7, "мясо свиняче г\U0010ffffуляш"), (8, "гори\U0010ffffлка хортиця 0,5 л")]
    connection.close()


def test_the_fixture_is_still_version_1() -> None:
    connection = sqlite3.connect(f"file:{V1}?mode=ro", uri=True)
    assert connection.execute("PRAGMA user_version").fetchone() == (1,)
    connection.close()


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    shutil.copyfile(V1, path)

    def broken(connection: sqlite3.Connection) -> None:
        connection.execute("ALTER TABLE receipt ADD COLUMN note TEXT")
        raise RuntimeError("power cut")

    connection = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(RuntimeError):
        migrate(connection, path, migrations=(*MIGRATIONS, broken), target=LATEST_VERSION + 1)
    assert connection.execute("PRAGMA user_version").fetchone() == (LATEST_VERSION,)
    columns = {row[1] for row in connection.execute("PRAGMA table_info(receipt)")}
    assert "note" not in columns
    connection.close()


def test_a_journal_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    Journal.open(path).close()
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    connection.close()
    with pytest.raises(JournalTooNewError):
        Journal.open(path)
