"""One receipt's lines and payments, for the reports window's detail pane."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from pos.reports.schema import receipt, receipt_line, receipt_payment


def receipt_detail(connection: Connection, receipt_id: str) -> dict[str, Any] | None:
    head = connection.execute(
        select(
            receipt.c.id,
            receipt.c.type,
            receipt.c.state,
            receipt.c.fiscal_code,
            receipt.c.total_sum,
            receipt.c.discounts_sum,
            receipt.c.round_sum,
            receipt.c.rest,
            receipt.c.is_offline,
        ).where(receipt.c.id == receipt_id)
    ).first()
    if head is None:
        return None
    lines = connection.execute(
        select(
            receipt_line.c.code,
            receipt_line.c.name,
            receipt_line.c.price,
            receipt_line.c.quantity,
            receipt_line.c.sum,
        )
        .where(receipt_line.c.receipt_id == receipt_id)
        .order_by(receipt_line.c.position)
    ).all()
    payments = connection.execute(
        select(receipt_payment.c.type, receipt_payment.c.value, receipt_payment.c.label)
        .where(receipt_payment.c.receipt_id == receipt_id)
        .order_by(receipt_payment.c.position)
    ).all()
    return {
        **dict(head._mapping),
        "lines": [dict(line._mapping) for line in lines],
        "payments": [dict(p._mapping) for p in payments],
    }
