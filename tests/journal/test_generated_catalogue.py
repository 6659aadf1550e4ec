"""The benchmarks' generated catalogue is a catalogue the app reads as its own: same schema, right
derived columns, goods found by scan, code, name and shelf through the till's normal reads.

Why: the generator writes in bulk SQL around the app's code (tests/benchmarks/
generated_catalogue.py); if the schema moves on, this fails instead of the benchmarks quietly
measuring a catalogue the app would not have.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from benchmarks import generated_catalogue as generated

from pos.domain.barcodes import is_valid_ean13
from pos.journal import Journal
from pos.journal.migrations import name_key_v3
from pos.journal.records import CatalogueItem
from pos.register import catalogue_reads

GOODS = 2000


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "journal-generated.sqlite"
    generated.build(path, GOODS)
    return path


@pytest.fixture
def journal(built: Path, tmp_path: Path) -> Iterator[Journal]:
    copy = tmp_path / "journal-copy.sqlite"
    copy.write_bytes(built.read_bytes())
    opened = Journal.open(copy)
    yield opened
    opened.close()


def schema(path: Path) -> list[tuple[str, str, str, str | None]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        version = connection.execute("PRAGMA user_version").fetchone()
    connection.close()
    return [*rows, ("user_version", str(version[0]), "", None)]


def test_the_schema_is_the_apps_own(built: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "journal-fresh.sqlite"
    Journal.open(fresh).close()
    assert schema(built) == schema(fresh)
    with sqlite3.connect(built) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        # The name index holds exactly the goods' names (FTS5's own check of its content).
        connection.execute(
            "INSERT INTO catalogue_name(catalogue_name, rank) VALUES ('integrity-check', 1)"
        )
        assert connection.execute("SELECT count(*) FROM backoffice_outbox").fetchone() == (0,)
    connection.close()


def test_every_derived_column_is_what_the_app_writes(built: Path) -> None:
    with sqlite3.connect(built) as connection:
        rows = connection.execute("SELECT id, code, name, name_key FROM catalogue_item").fetchall()
        barcodes = dict(connection.execute("SELECT item_id, barcode FROM item_barcode"))
    connection.close()
    assert len(rows) == GOODS
    for item_id, code, name, key in rows:
        assert code == str(item_id)
        assert key == name_key_v3(name), name
        assert barcodes[item_id] == generated.barcode(item_id)
        assert is_valid_ean13(barcodes[item_id])


def test_the_sql_barcode_is_right_for_every_digit_of_a_big_catalogue() -> None:
    numbers = [1, 9, 10, 99, 12_345, 1_000_000, 123_456_789, 987_654_321, 999_999_999]
    with sqlite3.connect(":memory:") as connection:
        for n in numbers:
            (text,) = connection.execute(f"SELECT {generated.barcode_sql(':n')}", {"n": n})
            assert text == (generated.barcode(n),)
            assert is_valid_ean13(text[0])
    connection.close()


def test_the_till_finds_goods_by_scan_code_name_and_shelf(journal: Journal, built: Path) -> None:
    catalogue = journal.catalogue
    assert catalogue.count() == GOODS
    wanted = catalogue_reads.item(catalogue, "1234")
    assert wanted is not None
    scanned = catalogue_reads.scan(catalogue, generated.barcode(1234))
    assert scanned is not None
    assert scanned.item == wanted
    assert wanted.barcodes == (generated.barcode(1234),)
    picks = generated.barcodes(built)  # the scan benchmark's: piece goods only
    assert generated.barcode(1234) in picks
    assert generated.barcode(1250) not in picks  # every 50th good is weighed
    assert len(picks) == GOODS - GOODS // 50
    # By the start of its name, by words anywhere in it, by its code typed off a label.
    word, maker = wanted.name.split()[:2]
    by_start = catalogue_reads.search(catalogue, f"{word[:3].lower()} {maker[:3].lower()}", 200)
    assert wanted in by_start
    assert all(item.name.startswith(f"{word} {maker}") for item in by_start)
    by_words = catalogue_reads.search(catalogue, f"{maker.lower()} {word.lower()}", 200)
    assert wanted in by_words
    assert catalogue_reads.search(catalogue, "1234")[0] == wanted
    # The apostrophe folded as the app folds it.
    assert catalogue_reads.search(catalogue, "мясо", 1)[0].name.startswith("М’ясо")
    shelves = dict(catalogue_reads.categories(catalogue))
    assert sum(shelves.values()) == GOODS
    assert wanted in catalogue_reads.in_category(catalogue, wanted.category, GOODS)


def test_the_catalogues_triggers_work_after_the_bulk_build(journal: Journal) -> None:
    journal.catalogue.upsert(
        [CatalogueItem("new-1", "Халва Жайвір", 5990, (5,), barcodes=("4820000999991",))],
        datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
    )
    assert [item.code for item in journal.catalogue.search("жайвір")] == ["new-1"]
    found = journal.catalogue.find_by_barcode("4820000999991")
    assert found is not None
    assert found.code == "new-1"
