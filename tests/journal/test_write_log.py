"""The journal's write log names the tables each committed write changed, those its triggers wrote
included, and nothing for a read or a rolled-back write (what the register's status relies on to
read a figure again)."""

from __future__ import annotations

import uuid

import pytest

from pos.journal import Journal
from pos.journal.records import NewReceipt, ReceiptPayment
from pos.journal.write_log import EVERY_TABLE, written_tables

from .conftest import T0


@pytest.mark.parametrize(
    ("statement", "tables"),
    [
        ("SELECT count(*) FROM receipt WHERE state = ?", set()),
        ("  select 1", set()),
        ("BEGIN IMMEDIATE", set()),
        ("PRAGMA user_version", set()),
        ("WITH last AS (SELECT 1) SELECT * FROM last", set()),
        ("INSERT INTO receipt (id) VALUES (?)", {"receipt"}),
        ("insert or replace into item_barcode (barcode) select ?, id from x", {"item_barcode"}),
        ("REPLACE INTO setting VALUES (?, ?)", {"setting"}),
        ("UPDATE offline_code SET state = ? WHERE fiscal_code = ?", {"offline_code"}),
        ('UPDATE "shift" SET state = ?', {"shift"}),
        ("DELETE FROM held_cart WHERE slot = ?", {"held_cart"}),
        (
            "INSERT INTO setting (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            {"setting"},
        ),
        ("WITH n AS (SELECT 1) INSERT INTO catalogue_item SELECT * FROM n", {"catalogue_item"}),
        ("CREATE TABLE extra (a)", {EVERY_TABLE}),
        ("DROP TRIGGER receipt_cashier_ai", {EVERY_TABLE}),
        ("VACUUM", {EVERY_TABLE}),
    ],
)
def test_statements_are_classified_by_the_tables_they_write(
    statement: str, tables: set[str]
) -> None:
    assert written_tables(statement) == tables


def _sale() -> NewReceipt:
    return NewReceipt(
        str(uuid.uuid4()), "SELL", 100, T0, payments=(ReceiptPayment("CASH", 100, "Готівка"),)
    )


def test_a_commit_names_its_tables_and_those_its_triggers_wrote(journal: Journal) -> None:
    start = journal.generation
    journal.receipts.commit(_sale())
    assert journal.generation == start + 1
    assert journal.changed_since(start, ("receipt_payment",))
    assert journal.changed_since(start, ("backoffice_outbox",))  # by the receipt's trigger
    assert not journal.changed_since(start, ("offline_queue", "setting", "shift"))
    assert not journal.changed_since(start, ())  # no table it could not name
    sold = journal.generation
    journal.settings.set("cashier_name", "Олена")
    assert journal.changed_since(sold, ("setting",))
    assert not journal.changed_since(sold, ("receipt", "backoffice_outbox"))


def test_payments_written_alone_change_their_receipt_through_its_trigger(
    journal: Journal,
) -> None:
    receipt = journal.receipts.commit(_sale())
    start = journal.generation
    with journal.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO receipt_payment (receipt_id, position, type, value) VALUES (?, 2, ?, ?)",
            (receipt.id, "CASHLESS", 50),
        )
    assert journal.changed_since(start, ("receipt",))  # its cash/cashless sums


def test_reads_and_rolled_back_writes_change_nothing(journal: Journal) -> None:
    journal.receipts.commit(_sale())
    start = journal.generation
    journal.receipts.list()
    journal.catalogue.search("молоко")
    assert journal.settings.get("nothing") is None

    def given_up() -> None:
        with journal.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE setting SET value = 'x'")
            raise RuntimeError("given up")

    with pytest.raises(RuntimeError):
        given_up()
    assert journal.generation == start
    journal.settings.set("after", "1")  # the rolled-back statement is not carried into it
    assert not journal.changed_since(start, ("receipt",))


def test_a_write_it_cannot_name_changes_every_table(journal: Journal) -> None:
    start = journal.generation
    with journal.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE scratch (a)")
    assert journal.changed_since(start, ())
    assert journal.changed_since(start, ("receipt",))
