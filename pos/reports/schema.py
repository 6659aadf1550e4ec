"""Core ``Table`` definitions of the journal tables the reports read, and the few expressions
that depend on how the journal stores things.

The DDL lives, frozen, in ``pos.journal.migrations``; these declare only the columns the reports
read. A back office holding the same tables (plus a register column) can reuse every query built
on them. Two things are SQLite-journal specific and live only here: the local document number is
the receipt row's ``rowid`` (receipts are never deleted, so it is the order they were committed
in), and instants are integer UTC microseconds (``BigInteger``: they do not fit a PostgreSQL
``integer``, which the back office's copy of these tables is read with).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Table,
    Text,
    func,
    literal,
)

metadata = MetaData()

receipt = Table(
    "receipt",
    metadata,
    Column("rowid", Integer, key="doc_number"),
    Column("id", Text, primary_key=True),
    Column("shift_id", Text),
    Column("type", Text),
    Column("state", Text),
    Column("is_offline", Integer),
    Column("fiscal_code", Text),
    Column("fiscal_date", BigInteger),
    Column("total_sum", Integer),
    Column("discounts_sum", Integer),
    Column("extra_charge_sum", Integer),
    Column("round_sum", Integer),
    Column("total_payment", Integer),
    Column("rest", Integer),
    Column("related_receipt_id", Text),
    Column("created_at", BigInteger),
)

receipt_line = Table(
    "receipt_line",
    metadata,
    Column("receipt_id", Text, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("code", Text),
    Column("name", Text),
    Column("barcode", Text),
    Column("price", Integer),
    Column("quantity", Integer),
    Column("sum", Integer),
    Column("tax_codes", Text),
    Column("is_return", Integer),
)

receipt_payment = Table(
    "receipt_payment",
    metadata,
    Column("receipt_id", Text, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("type", Text),
    Column("value", Integer),
    Column("label", Text),
)

receipt_discount = Table(
    "receipt_discount",
    metadata,
    Column("receipt_id", Text, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("type", Text),
    Column("sum", Integer),
    Column("name", Text),
)

shift = Table(
    "shift",
    metadata,
    Column("rowid", Integer, key="doc_number"),
    Column("id", Text, primary_key=True),
    Column("state", Text),
    Column("serial", Integer),
    Column("is_offline", Integer),
    Column("initial_balance", Integer),
    Column("opened_at", BigInteger),
    Column("closed_at", BigInteger),
    Column("open_fiscal_code", Text),
    Column("open_fiscal_date", BigInteger),
    Column("close_fiscal_code", Text),
    Column("close_fiscal_date", BigInteger),
    Column("z_report", Text),
    Column("created_at", BigInteger),
)

catalogue_item = Table(
    "catalogue_item",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", Text),
    Column("name", Text),
    Column("category", Text),
)

connectivity_transition = Table(
    "connectivity_transition",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", BigInteger),
    Column("from_state", Text),
    Column("to_state", Text),
    Column("cause", Text),
)

setting = Table(
    "setting",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text),
)

# Receipt states that are fiscal documents (fiscalised online, or offline with a local code).
FISCAL_STATES: tuple[str, ...] = ("done", "offline_issued", "uploaded")


def receipt_instant() -> ColumnElement[int]:
    """When the receipt was fiscalised (its fiscal date; the commit time if the server gave
    none). The v4 journal migration indexes exactly this expression."""
    return func.coalesce(receipt.c.fiscal_date, receipt.c.created_at)


def shift_open_instant() -> ColumnElement[int]:
    return func.coalesce(shift.c.open_fiscal_date, shift.c.opened_at)


def shift_close_instant() -> ColumnElement[int]:
    return func.coalesce(shift.c.close_fiscal_date, shift.c.closed_at)


def prepaid_sum() -> ColumnElement[int]:
    """What a receipt settled from a prepayment (customer orders fill this in later); 0 now.
    The one place the receipts report takes ``prepaidSum`` from."""
    return literal(0, Integer)
