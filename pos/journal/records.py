"""Plain frozen records that the journal hands out and takes in.

They carry no database state, so they can cross threads (GUI ↔ register worker) freely. Money in
integer kopecks, quantities in integer thousandths, instants as aware UTC datetimes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any


class ReceiptState(enum.StrEnum):
    """Where a receipt is on its way to the tax service."""

    COMMITTED = "committed"  # durably stored, nothing sent yet
    SENDING = "sending"  # a request about it may have left the machine
    DONE = "done"  # fiscalised online; fiscal code known
    OFFLINE_ISSUED = "offline_issued"  # fiscalised locally with an offline code, queued
    UPLOADED = "uploaded"  # the offline receipt was accepted by the server
    FAILED = "failed"  # rejected for good; the error text says why
    VOID = "void"  # a local copy superseded by the server's receipt


FISCALISED = (ReceiptState.DONE, ReceiptState.OFFLINE_ISSUED, ReceiptState.UPLOADED)
"""The states of a receipt that has its fiscal code: it counts in the shift and can be returned."""


class ShiftState(enum.StrEnum):
    OPENING = "opening"
    OPENED = "opened"
    CLOSING = "closing"
    CLOSED = "closed"
    FAILED = "failed"


class OfflineCodeState(enum.StrEnum):
    FREE = "free"
    RESERVED = "reserved"
    USED = "used"  # printed on a local transaction, not yet accepted by the server
    UPLOADED = "uploaded"
    BURNED = "burned"  # never usable again (the server used it, or it was spent and lost)


class QueueKind(enum.StrEnum):
    GO_OFFLINE = "go_offline"
    SHIFT_OPEN = "shift_open"
    SHIFT_CLOSE = "shift_close"
    RECEIPT = "receipt"
    GO_ONLINE = "go_online"


class QueueState(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    SET_ASIDE = "set_aside"


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    code: str
    name: str
    price: int
    tax_codes: tuple[int, ...] = ()
    unit: str = "шт"
    is_weighed: bool = False
    is_excise: bool = False
    barcodes: tuple[str, ...] = ()
    uktzed: str | None = None
    category: str = ""  # the shelf for the selling screen's buttons; "" = none


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    code: str
    name: str
    price: int
    quantity: int
    sum: int
    tax_codes: tuple[int, ...] = ()
    barcode: str | None = None
    is_return: bool = False
    excise_barcodes: tuple[str, ...] = ()
    uktzed: str | None = None


@dataclass(frozen=True, slots=True)
class ReceiptPayment:
    type: str  # CASH | CASHLESS
    value: int
    label: str = ""
    details: dict[str, Any] | None = None  # card mask, RRN, terminal… as the API names them


@dataclass(frozen=True, slots=True)
class ReceiptDiscount:
    type: str  # DISCOUNT | EXTRA_CHARGE
    mode: str  # VALUE | PERCENT
    value: int  # kopecks (VALUE) or thousandths of a percent (PERCENT)
    sum: int  # the amount it made, in kopecks
    name: str = ""
    line_position: int | None = None  # None: the whole receipt
    tax_codes: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class NewReceipt:
    """What the register commits: a priced, settled receipt before it is sent anywhere."""

    id: str  # UUIDv4 text, reused by every retry
    type: str  # SELL | RETURN | SERVICE_IN | SERVICE_OUT | CASH_WITHDRAWAL
    total_sum: int
    created_at: datetime
    lines: tuple[ReceiptLine, ...] = ()
    payments: tuple[ReceiptPayment, ...] = ()
    discounts: tuple[ReceiptDiscount, ...] = ()
    discounts_sum: int = 0
    extra_charge_sum: int = 0
    round_sum: int = 0
    total_payment: int = 0
    rest: int = 0
    shift_id: str | None = None
    related_receipt_id: str | None = None
    delivery: dict[str, Any] | None = None  # the guide's delivery: {"emails": [...], "phone"}
    sold_cart: str | None = None  # the held open cart's text this sells: cleared by the commit


@dataclass(frozen=True, slots=True)
class Receipt:
    id: str
    type: str
    state: ReceiptState
    is_offline: bool
    total_sum: int
    created_at: datetime
    updated_at: datetime
    lines: tuple[ReceiptLine, ...] = ()
    payments: tuple[ReceiptPayment, ...] = ()
    discounts: tuple[ReceiptDiscount, ...] = ()
    discounts_sum: int = 0
    extra_charge_sum: int = 0
    round_sum: int = 0
    total_payment: int = 0
    rest: int = 0
    shift_id: str | None = None
    related_receipt_id: str | None = None
    fiscal_code: str | None = None
    fiscal_date: datetime | None = None
    server_response: dict[str, Any] | None = None
    error: str | None = None
    delivery: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Shift:
    id: str
    state: ShiftState
    is_offline: bool
    initial_balance: int
    created_at: datetime
    updated_at: datetime
    serial: int | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    open_fiscal_code: str | None = None
    open_fiscal_date: datetime | None = None
    close_fiscal_code: str | None = None
    close_fiscal_date: datetime | None = None
    z_report: dict[str, Any] | None = None
    server_response: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class OfflineCode:
    fiscal_code: str
    serial: int
    state: OfflineCodeState = OfflineCodeState.FREE
    used_by: str | None = None


@dataclass(frozen=True, slots=True)
class QueueEntry:
    seq: int
    kind: QueueKind
    subject_id: str
    fiscal_date: datetime
    state: QueueState
    fiscal_code: str | None = None
    payload: dict[str, Any] | None = None
    attempts: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class OfflineIssue:
    """What one atomic offline issue produced: the code spent and the fiscal instant taken."""

    fiscal_code: str
    fiscal_date: datetime
    queue_seq: int


@dataclass(frozen=True, slots=True)
class ConnectivityTransition:
    at: datetime
    from_state: str
    to_state: str
    cause: str = ""
    id: int = 0


@dataclass(frozen=True, slots=True)
class CodePoolCounts:
    free: int = 0
    reserved: int = 0
    used: int = 0
    uploaded: int = 0
    burned: int = 0
