"""SQLModel mappings of the journal tables (the DDL itself lives, frozen, in migrations.py).

These classes stay inside ``pos.journal``: queries return the frozen records of records.py, so no
ORM object with lazy state ever reaches the GUI thread. A test checks that every column here exists
in a freshly migrated file.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from pos.journal.instants import UtcInstant


class CatalogueItemRow(SQLModel, table=True):
    __tablename__ = "catalogue_item"
    __table_args__ = (Index("catalogue_item_category", "category", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    price: int
    tax_codes: str = ""
    unit: str
    is_weighed: bool = False
    is_excise: bool = False
    uktzed: str | None = None
    updated_at: datetime = Field(sa_type=UtcInstant)
    category: str = ""
    name_key: str = Field(default="", index=True)  # migrations.name_key_v3(name)


class ItemBarcodeRow(SQLModel, table=True):
    __tablename__ = "item_barcode"

    barcode: str = Field(primary_key=True)
    item_id: int = Field(foreign_key="catalogue_item.id", index=True)


class ShiftRow(SQLModel, table=True):
    __tablename__ = "shift"

    id: str = Field(primary_key=True)
    state: str
    serial: int | None = None
    is_offline: bool = False
    initial_balance: int = 0
    opened_at: datetime | None = Field(default=None, sa_type=UtcInstant)
    closed_at: datetime | None = Field(default=None, sa_type=UtcInstant)
    open_fiscal_code: str | None = None
    open_fiscal_date: datetime | None = Field(default=None, sa_type=UtcInstant)
    close_fiscal_code: str | None = None
    close_fiscal_date: datetime | None = Field(default=None, sa_type=UtcInstant)
    z_report: str | None = None
    server_response: str | None = None
    created_at: datetime = Field(sa_type=UtcInstant)
    updated_at: datetime = Field(sa_type=UtcInstant)
    # The signed-in cashier, set by the journal's trigger at insert (migration 9).
    cashier: str | None = None


class ReceiptRow(SQLModel, table=True):
    __tablename__ = "receipt"

    id: str = Field(primary_key=True)
    shift_id: str | None = Field(default=None, foreign_key="shift.id")
    type: str
    state: str
    is_offline: bool = False
    fiscal_code: str | None = None
    fiscal_date: datetime | None = Field(default=None, sa_type=UtcInstant)
    total_sum: int
    discounts_sum: int = 0
    extra_charge_sum: int = 0
    round_sum: int = 0
    total_payment: int = 0
    rest: int = 0
    related_receipt_id: str | None = Field(default=None, foreign_key="receipt.id")
    server_response: str | None = None
    error: str | None = None
    created_at: datetime = Field(sa_type=UtcInstant)
    updated_at: datetime = Field(sa_type=UtcInstant)
    # Kept by the journal's triggers for the reports (migration 4); the program never sets them.
    doc_number: int | None = None
    report_at: int | None = None
    cash_paid: int = 0
    cashless_paid: int = 0
    # The signed-in cashier, set by the journal's trigger at insert (migration 9).
    cashier: str | None = None
    delivery: str | None = None  # migration 10: JSON {"emails": [...], "phone": "380…"}
    shift_position: int | None = None  # kept by triggers for the reports (migration 12)


class ReceiptLineRow(SQLModel, table=True):
    __tablename__ = "receipt_line"

    receipt_id: str = Field(primary_key=True, foreign_key="receipt.id")
    position: int = Field(primary_key=True)
    code: str
    name: str
    barcode: str | None = None
    price: int
    quantity: int
    sum: int
    tax_codes: str = ""
    is_return: bool = False
    excise_barcodes: str = "[]"
    uktzed: str | None = None


class ReceiptPaymentRow(SQLModel, table=True):
    __tablename__ = "receipt_payment"

    receipt_id: str = Field(primary_key=True, foreign_key="receipt.id")
    position: int = Field(primary_key=True)
    type: str
    value: int
    label: str = ""
    details: str | None = None


class ReceiptDiscountRow(SQLModel, table=True):
    __tablename__ = "receipt_discount"

    receipt_id: str = Field(primary_key=True, foreign_key="receipt.id")
    position: int = Field(primary_key=True)
    line_position: int | None = None
    type: str
    mode: str
    value: int
    sum: int
    name: str = ""
    tax_codes: str = ""


class OfflineCodeRow(SQLModel, table=True):
    __tablename__ = "offline_code"

    fiscal_code: str = Field(primary_key=True)
    serial: int
    state: str = "free"
    used_by: str | None = None
    added_at: datetime = Field(sa_type=UtcInstant)
    changed_at: datetime = Field(sa_type=UtcInstant)


class OfflineQueueRow(SQLModel, table=True):
    __tablename__ = "offline_queue"

    seq: int | None = Field(default=None, primary_key=True)
    kind: str
    subject_id: str
    fiscal_code: str | None = Field(default=None, foreign_key="offline_code.fiscal_code")
    fiscal_date: datetime = Field(sa_type=UtcInstant)
    payload: str | None = None
    state: str = "pending"
    attempts: int = 0
    error: str | None = None
    enqueued_at: datetime = Field(sa_type=UtcInstant)
    finished_at: datetime | None = Field(default=None, sa_type=UtcInstant)


class ConnectivityTransitionRow(SQLModel, table=True):
    __tablename__ = "connectivity_transition"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UtcInstant)
    from_state: str
    to_state: str
    cause: str = ""


class FiscalClockRow(SQLModel, table=True):
    __tablename__ = "fiscal_clock"

    id: int = Field(default=1, primary_key=True)
    last_instant: int


class SettingRow(SQLModel, table=True):
    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str
