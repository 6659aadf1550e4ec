"""Core ``Table`` definitions of the journal tables the reports read, and the few expressions
that depend on how the journal stores things.

The DDL lives, frozen, in ``pos.journal.migrations``; these declare only the columns the reports
read. A back office holding the same tables (plus a register column) can reuse every query built
on them. Instants are integer UTC microseconds, as the journal stores them (``BigInteger``: they
do not fit the PostgreSQL ``integer`` the back office would bind them as); ``doc_number``,
``report_at``, ``cash_paid`` and ``cashless_paid`` are kept by the journal's triggers (migration 4).
"""

from __future__ import annotations

from typing import Any

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
    # Kept by the journal's triggers (migration 4): the journal's document number, the report
    # date and the payments by type.
    Column("doc_number", Integer),
    Column("report_at", BigInteger),
    Column("cash_paid", Integer),
    Column("cashless_paid", Integer),
    # Migration 9: the cashier signed in when it was committed (read only where it exists:
    # see ``pos.reports.capabilities``).
    Column("cashier", Text),
    # Migration 12: the position among the shift's fiscal receipts, kept by triggers (read only
    # where it exists: see ``pos.reports.receipts.stored_positions``).
    Column("shift_position", Integer),
)

# Migration 12: fiscal receipts' count and sums per UTC hour of report date, kept by triggers.
receipt_hour_total = Table(
    "receipt_hour_total",
    metadata,
    Column("hour", BigInteger, primary_key=True),
    Column("type", Text, primary_key=True),
    Column("state", Text, primary_key=True),
    Column("is_offline", Integer, primary_key=True),
    Column("receipts", Integer),
    Column("total_sum", Integer),
    Column("cash", Integer),
    Column("cashless", Integer),
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
    Column("cashier", Text),  # migration 9
)

# Customer orders' chain receipts (migration 5); times are ISO 8601 UTC text, sums in kopecks.
order_receipt = Table(
    "order_receipt",
    metadata,
    Column("id", Text, primary_key=True),
    Column("order_id", Text),
    Column("kind", Text),
    Column("state", Text),
    Column("shift_id", Text),
    Column("fiscal", Text),
    Column("cash_sum", Integer),
    Column("card_sum", Integer),
    Column("qr_sum", Integer),
    Column("fiscal_code", Text),
    Column("fiscal_date", Text),
    Column("created_at", Text),
    Column("cashier", Text),  # migration 9
)

customer_order = Table(
    "customer_order",
    metadata,
    Column("id", Text, primary_key=True),
    Column("number", Integer),
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

# Receipt states that are fiscal documents (fiscalised online, or offline with a local code),
# and those that are not (in flight, refused, superseded).
FISCAL_STATES: tuple[str, ...] = ("done", "offline_issued", "uploaded")
NOT_FISCAL_STATES: tuple[str, ...] = ("committed", "sending", "failed", "void")


def receipt_instant() -> ColumnElement[int]:
    """When the receipt was fiscalised: its fiscal date, or its commit time while the server
    gave none (``report_at``, kept by the journal's triggers and indexed)."""
    return receipt.c.report_at


def is_fiscal(table: Any = None) -> ColumnElement[bool]:
    """The receipt is a fiscal document. Written as NOT IN so that SQLite walks the report-date
    index rather than the (unselective) state index."""
    return (receipt if table is None else table).c.state.not_in(NOT_FISCAL_STATES)


def cash_of_receipt() -> ColumnElement[int]:
    """Cash that stayed in the drawer: cash paid less the change."""
    return receipt.c.cash_paid - receipt.c.rest


def card_of_receipt() -> ColumnElement[int]:
    return receipt.c.cashless_paid


def shift_open_instant() -> ColumnElement[int]:
    return func.coalesce(shift.c.open_fiscal_date, shift.c.opened_at)


def shift_close_instant() -> ColumnElement[int]:
    return func.coalesce(shift.c.close_fiscal_date, shift.c.closed_at)


def prepaid_sum() -> ColumnElement[int]:
    """What a receipt settled from a prepayment (customer orders fill this in later); 0 now.
    The one place the receipts report takes ``prepaidSum`` from."""
    return literal(0, Integer)
