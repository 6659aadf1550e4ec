"""The shop database's first schema: shops, registers and the copies of their documents.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

S = "backoffice"


def _register() -> sa.Column[int]:
    return sa.Column("register_id", sa.Integer, sa.ForeignKey(f"{S}.register.id"), primary_key=True)


def _money(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger, nullable=False)


def upgrade() -> None:
    op.create_table(
        "shop",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        schema=S,
    )
    op.create_table(
        "register",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("shop_id", sa.Integer, sa.ForeignKey(f"{S}.shop.id"), nullable=False),
        sa.Column("fiscal_number", sa.Text, nullable=False, unique=True),
        sa.Column("cash_register_id", sa.Text, nullable=False, server_default=""),
        sa.Column("pushed_at", sa.DateTime(timezone=True)),
        schema=S,
    )
    op.create_table(
        "receipt",
        _register(),
        sa.Column("id", sa.Text, primary_key=True),
        # The journal's document number, report date and payments by type (kept there by
        # triggers, copied as they are).
        sa.Column("doc_number", sa.BigInteger, nullable=False),
        sa.Column("report_at", sa.BigInteger, nullable=False),
        _money("cash_paid"),
        _money("cashless_paid"),
        sa.Column("shift_id", sa.Text),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("is_offline", sa.SmallInteger, nullable=False),
        sa.Column("fiscal_code", sa.Text),
        sa.Column("fiscal_date", sa.BigInteger),
        _money("total_sum"),
        _money("discounts_sum"),
        _money("extra_charge_sum"),
        _money("round_sum"),
        _money("total_payment"),
        _money("rest"),
        sa.Column("related_receipt_id", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        schema=S,
    )
    # The receipts report filters, sorts and pages by the report date and number per register,
    # and numbers a receipt within its shift by the second index (the journal's v4, per register).
    # Covering, like the journal's: a month's count and totals are an index-only scan.
    op.create_index(
        "receipt_report",
        "receipt",
        ["register_id", "report_at", "doc_number"],
        schema=S,
        postgresql_include=[
            "state",
            "type",
            "total_sum",
            "rest",
            "cash_paid",
            "cashless_paid",
            "is_offline",
        ],
    )
    op.create_index(
        "receipt_shift_report", "receipt", ["register_id", "shift_id", "report_at"], schema=S
    )
    op.create_table(
        "receipt_line",
        _register(),
        sa.Column("receipt_id", sa.Text, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("barcode", sa.Text),
        _money("price"),
        sa.Column("quantity", sa.BigInteger, nullable=False),
        _money("sum"),
        sa.Column("tax_codes", sa.Text, nullable=False),
        sa.Column("is_return", sa.SmallInteger, nullable=False),
        sa.Column("excise_barcodes", sa.Text, nullable=False),
        sa.Column("uktzed", sa.Text),
        schema=S,
    )
    op.create_table(
        "receipt_payment",
        _register(),
        sa.Column("receipt_id", sa.Text, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("type", sa.Text, nullable=False),
        _money("value"),
        sa.Column("label", sa.Text, nullable=False),
        schema=S,
    )
    op.create_table(
        "receipt_discount",
        _register(),
        sa.Column("receipt_id", sa.Text, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("line_position", sa.Integer),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        _money("sum"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("tax_codes", sa.Text, nullable=False),
        schema=S,
    )
    op.create_table(
        "shift",
        _register(),
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("journal_rowid", sa.BigInteger, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("serial", sa.Integer),
        sa.Column("is_offline", sa.SmallInteger, nullable=False),
        _money("initial_balance"),
        sa.Column("opened_at", sa.BigInteger),
        sa.Column("closed_at", sa.BigInteger),
        sa.Column("open_fiscal_code", sa.Text),
        sa.Column("open_fiscal_date", sa.BigInteger),
        sa.Column("close_fiscal_code", sa.Text),
        sa.Column("close_fiscal_date", sa.BigInteger),
        sa.Column("z_report", sa.Text),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        schema=S,
    )
    op.create_table(
        "offline_event",
        _register(),
        sa.Column("seq", sa.BigInteger, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("subject_id", sa.Text, nullable=False),
        sa.Column("fiscal_code", sa.Text),
        sa.Column("fiscal_date", sa.BigInteger, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("enqueued_at", sa.BigInteger, nullable=False),
        sa.Column("finished_at", sa.BigInteger),
        schema=S,
    )


def downgrade() -> None:
    for table in (
        "offline_event",
        "shift",
        "receipt_discount",
        "receipt_payment",
        "receipt_line",
        "receipt",
        "register",
        "shop",
    ):
        op.drop_table(table, schema=S)
