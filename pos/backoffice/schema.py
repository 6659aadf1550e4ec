"""Core ``Table`` definitions of the shop database (PostgreSQL schema ``backoffice``).

Each journal table the reports read has a copy here with the register it came from in every
row (``register_id``), keyed by the document's own id, so that a second push of the same
document overwrites itself instead of adding a row. Instants stay integer UTC microseconds and
money integer kopecks, as in the journal, so the report queries read both the same way. The
DDL is created by the Alembic revisions in ``pos/backoffice/migrations``; these declare the
columns the code uses.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    Table,
    Text,
)

SCHEMA = "backoffice"
metadata = MetaData(schema=SCHEMA)

shop = Table(
    "shop",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
)

register = Table(
    "register",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("shop_id", Integer, ForeignKey("shop.id"), nullable=False),
    Column("fiscal_number", Text, nullable=False, unique=True),
    Column("cash_register_id", Text, nullable=False, server_default=""),
    Column("pushed_at", DateTime(timezone=True)),
    Column("cashier_name", Text, nullable=False, server_default=""),  # revision 0003
)


def _register_column() -> Column[int]:
    return Column("register_id", Integer, ForeignKey("register.id"), primary_key=True)


receipt = Table(
    "receipt",
    metadata,
    _register_column(),
    Column("id", Text, primary_key=True),
    Column("doc_number", BigInteger, nullable=False),
    Column("report_at", BigInteger, nullable=False),
    Column("cash_paid", BigInteger, nullable=False),
    Column("cashless_paid", BigInteger, nullable=False),
    Column("shift_id", Text),
    Column("type", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("is_offline", SmallInteger, nullable=False),
    Column("fiscal_code", Text),
    Column("fiscal_date", BigInteger),
    Column("total_sum", BigInteger, nullable=False),
    Column("discounts_sum", BigInteger, nullable=False),
    Column("extra_charge_sum", BigInteger, nullable=False),
    Column("round_sum", BigInteger, nullable=False),
    Column("total_payment", BigInteger, nullable=False),
    Column("rest", BigInteger, nullable=False),
    Column("related_receipt_id", Text),
    Column("error", Text),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

receipt_line = Table(
    "receipt_line",
    metadata,
    _register_column(),
    Column("receipt_id", Text, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("barcode", Text),
    Column("price", BigInteger, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("sum", BigInteger, nullable=False),
    Column("tax_codes", Text, nullable=False),
    Column("is_return", SmallInteger, nullable=False),
    Column("excise_barcodes", Text, nullable=False),
    Column("uktzed", Text),
)

receipt_payment = Table(
    "receipt_payment",
    metadata,
    _register_column(),
    Column("receipt_id", Text, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("type", Text, nullable=False),
    Column("value", BigInteger, nullable=False),
    Column("label", Text, nullable=False),
)

receipt_discount = Table(
    "receipt_discount",
    metadata,
    _register_column(),
    Column("receipt_id", Text, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("line_position", Integer),
    Column("type", Text, nullable=False),
    Column("mode", Text, nullable=False),
    Column("value", BigInteger, nullable=False),
    Column("sum", BigInteger, nullable=False),
    Column("name", Text, nullable=False),
    Column("tax_codes", Text, nullable=False),
)

shift = Table(
    "shift",
    metadata,
    _register_column(),
    Column("id", Text, primary_key=True),
    Column("journal_rowid", BigInteger, nullable=False),
    Column("state", Text, nullable=False),
    Column("serial", Integer),
    Column("is_offline", SmallInteger, nullable=False),
    Column("initial_balance", BigInteger, nullable=False),
    Column("opened_at", BigInteger),
    Column("closed_at", BigInteger),
    Column("open_fiscal_code", Text),
    Column("open_fiscal_date", BigInteger),
    Column("close_fiscal_code", Text),
    Column("close_fiscal_date", BigInteger),
    Column("z_report", Text),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

# The offline queue: offline periods (go_offline / go_online), offline shift and receipt
# documents, and the uploads that were set aside.
offline_event = Table(
    "offline_event",
    metadata,
    _register_column(),
    Column("seq", BigInteger, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("subject_id", Text, nullable=False),
    Column("fiscal_code", Text),
    Column("fiscal_date", BigInteger, nullable=False),
    Column("state", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("enqueued_at", BigInteger, nullable=False),
    Column("finished_at", BigInteger),
)

# Customer orders and their chain receipts (revision 0003): the journal's rows as they are, JSON
# and ISO 8601 instants as text, read back into orders by pos.orders.records.
customer_order = Table(
    "customer_order",
    metadata,
    _register_column(),
    Column("id", Text, primary_key=True),
    Column("number", Integer, nullable=False),
    Column("state", Text, nullable=False),
    Column("customer_name", Text, nullable=False),
    Column("phone", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("due_date", Text),
    Column("note", Text, nullable=False),
    Column("lines", Text, nullable=False),
    Column("discount", Text),
    Column("total_sum", BigInteger, nullable=False),
    Column("relation_id", Text),
    Column("pending_action", Text),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
)

order_receipt = Table(
    "order_receipt",
    metadata,
    _register_column(),
    Column("id", Text, primary_key=True),
    Column("journal_rowid", BigInteger, nullable=False),
    Column("order_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("shift_id", Text),
    Column("body", Text, nullable=False),
    Column("fiscal", Text, nullable=False),
    Column("cash_sum", BigInteger, nullable=False),
    Column("card_sum", BigInteger, nullable=False),
    Column("qr_sum", BigInteger, nullable=False),
    Column("fiscal_code", Text),
    Column("fiscal_date", Text),
    Column("error", Text),
    Column("server_response", Text),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
)

# The catalogue's goods (their shelves, for sales by category) and the connectivity log (offline
# periods), revision 0003; column types as the report views expose them.
catalogue_item = Table(
    "catalogue_item",
    metadata,
    _register_column(),
    Column("id", Integer, primary_key=True),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("category", Text, nullable=False),
)

connectivity_transition = Table(
    "connectivity_transition",
    metadata,
    _register_column(),
    Column("id", Integer, primary_key=True),
    Column("at", BigInteger, nullable=False),
    Column("from_state", Text, nullable=False),
    Column("to_state", Text, nullable=False),
    Column("cause", Text, nullable=False),
)

api_key = Table(
    "api_key",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("shop_id", Integer, ForeignKey("shop.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("digest", Text, nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Journal tables copied one to one (receipt children and the offline queue): their columns.
RECEIPT_CHILDREN = (receipt_line, receipt_payment, receipt_discount)
