"""Journal rows ↔ orders: the one place that knows how an order is laid out in the journal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pos.orders.model import (
    ChainRole,
    Customer,
    Order,
    OrderReceipt,
    OrderReceiptState,
    OrderState,
    discount_of,
    fiscal_of,
    line_of,
)


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def receipt_of(row: dict[str, Any]) -> OrderReceipt:
    created = _when(row["created_at"])
    assert created is not None
    return OrderReceipt(
        id=row["id"],
        kind=ChainRole(row["kind"]),
        state=OrderReceiptState(row["state"]),
        fiscal=fiscal_of(row["fiscal"]),
        cash_sum=int(row["cash_sum"]),
        card_sum=int(row["card_sum"]),
        qr_sum=int(row["qr_sum"]),
        created_at=created,
        shift_id=row["shift_id"],
        fiscal_code=row["fiscal_code"],
        fiscal_date=_when(row["fiscal_date"]),
        error=row["error"],
        body=row["body"] or {},
        server_response=row.get("server_response"),
    )


def order_of(row: dict[str, Any], receipts: list[dict[str, Any]]) -> Order:
    created, updated = _when(row["created_at"]), _when(row["updated_at"])
    assert created is not None
    assert updated is not None
    return Order(
        id=row["id"],
        number=int(row["number"]),
        state=OrderState(row["state"]),
        customer=Customer(row["customer_name"], row["phone"], row["email"]),
        lines=tuple(line_of(li) for li in row["lines"]),
        total_sum=int(row["total_sum"]),
        created_at=created,
        updated_at=updated,
        due_date=None if row["due_date"] is None else date.fromisoformat(row["due_date"]),
        note=row["note"],
        discount=discount_of(row["discount"]),
        relation_id=row["relation_id"],
        pending_action=row["pending_action"],
        receipts=tuple(receipt_of(r) for r in receipts),
    )
