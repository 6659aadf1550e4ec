"""Customer orders and the receipts of their prepayment chains, for the MoySklad prepayments;
the register's cashier, whom a prepayment names as its owner; the catalogue's goods (sales by
shelf) and the connectivity log (offline periods), which the report views now read.

Rows are the journal's as they are (JSON as text, instants as ISO 8601 UTC text), so that the
back office turns them into orders with the same code as the till (``pos.orders.records``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None

S = "backoffice"


def _register() -> sa.Column[int]:
    return sa.Column("register_id", sa.Integer, sa.ForeignKey(f"{S}.register.id"), primary_key=True)


def upgrade() -> None:
    op.add_column(
        "register",
        sa.Column("cashier_name", sa.Text, nullable=False, server_default=""),
        schema=S,
    )
    op.create_table(
        "customer_order",
        _register(),
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("customer_name", sa.Text, nullable=False),
        sa.Column("phone", sa.Text, nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("due_date", sa.Text),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("discount", sa.Text),
        sa.Column("total_sum", sa.BigInteger, nullable=False),
        sa.Column("relation_id", sa.Text),
        sa.Column("pending_action", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        schema=S,
    )
    op.create_table(
        "order_receipt",
        _register(),
        sa.Column("id", sa.Text, primary_key=True),
        # the journal's rowid: an order's receipts in the till's order (created_at, rowid)
        sa.Column("journal_rowid", sa.BigInteger, nullable=False),
        sa.Column("order_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("shift_id", sa.Text),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("fiscal", sa.Text, nullable=False),
        sa.Column("cash_sum", sa.BigInteger, nullable=False),
        sa.Column("card_sum", sa.BigInteger, nullable=False),
        sa.Column("qr_sum", sa.BigInteger, nullable=False),
        sa.Column("fiscal_code", sa.Text),
        sa.Column("fiscal_date", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("server_response", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        schema=S,
    )
    op.create_index(
        "order_receipt_order", "order_receipt", ["register_id", "order_id", "created_at"], schema=S
    )
    op.create_table(
        "catalogue_item",
        _register(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        schema=S,
    )
    op.create_index("catalogue_item_code", "catalogue_item", ["register_id", "code"], schema=S)
    op.create_table(
        "connectivity_transition",
        _register(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("from_state", sa.Text, nullable=False),
        sa.Column("to_state", sa.Text, nullable=False),
        sa.Column("cause", sa.Text, nullable=False),
        schema=S,
    )
    # The report views of each register read these tables now: dropped, made again on next read.
    bind = op.get_bind()
    for (register_id,) in bind.execute(sa.text(f"SELECT id FROM {S}.register")):
        op.execute(f"DROP SCHEMA IF EXISTS {S}_register_{int(register_id)} CASCADE")


def downgrade() -> None:
    op.drop_table("connectivity_transition", schema=S)
    op.drop_index("catalogue_item_code", table_name="catalogue_item", schema=S)
    op.drop_table("catalogue_item", schema=S)
    op.drop_index("order_receipt_order", table_name="order_receipt", schema=S)
    op.drop_table("order_receipt", schema=S)
    op.drop_table("customer_order", schema=S)
    op.drop_column("register", "cashier_name", schema=S)
