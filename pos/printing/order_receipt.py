"""The printed copy of an order's chain receipt (advance, after-payment, the chain's return) in
our receipt layout, for the ESC/POS roll and the PDF/system printer like any other receipt.

Why not Checkbox's text: the copy must look like the shop's other receipts, print on the
receipt printer with its code page, and print when Checkbox is slow to answer; everything on it
is in the journal (the order's goods, the receipt's sums and taxes as the X/Z counts them, its
fiscal code and date, and Checkbox's answer for its number and check link).

Besides the usual sale block, a chain receipt says which order it belongs to and how it stands:
the order's total, what earlier advances paid, what this receipt fiscalises, and what is left.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pos.domain.money import format_money, format_quantity
from pos.domain.receipt import PaymentType
from pos.journal.records import Receipt, ReceiptPayment, ReceiptState
from pos.orders.model import ChainRole, Order, OrderReceipt
from pos.printing.layout import ReceiptHeader, Row, RowKind, receipt_rows, tax_rows

SUBTITLES = {
    ChainRole.PREPAYMENT: "ПЕРЕДОПЛАТА",
    ChainRole.AFTER_PAYMENT: "ПІСЛЯПЛАТА",
    ChainRole.RETURN: "ПОВЕРНЕННЯ ПЕРЕДОПЛАТИ",
}


def _pair(left: str, right: str) -> Row:
    return Row(RowKind.PAIR, left, right)


def _hryvnias(kopecks: int) -> str:
    return f"{format_money(kopecks)} грн"


def chain_receipt(
    receipt: OrderReceipt, server_response: Mapping[str, Any] | None = None
) -> Receipt:
    """The chain receipt as a journal receipt without lines: its sums, payments (card and QR
    with their labels), fiscal code and date."""
    fiscal = receipt.fiscal
    moment: datetime = receipt.fiscal_date or receipt.created_at
    return Receipt(
        id=receipt.id,
        type=fiscal.type.value,
        state=ReceiptState.DONE if receipt.fiscal_code else ReceiptState.SENDING,
        is_offline=False,
        total_sum=fiscal.total_sum,
        created_at=receipt.created_at,
        updated_at=moment,
        payments=tuple(
            ReceiptPayment(
                "CASH" if p.type is PaymentType.CASH else "CASHLESS", p.value, p.label or ""
            )
            for p in fiscal.payments
        ),
        total_payment=sum(p.value for p in fiscal.payments),
        rest=fiscal.rest,
        fiscal_code=receipt.fiscal_code,
        fiscal_date=receipt.fiscal_date,
        server_response=dict(server_response) if server_response else None,
    )


def _goods_rows(order: Order) -> list[Row]:
    rows: list[Row] = []
    for line in order.priced().lines:
        good = line.line.good
        rows.append(Row(RowKind.TEXT, good.name))
        amount = f"  {format_quantity(line.line.quantity)} × {format_money(good.price)}"
        rows.append(_pair(amount, f"= {format_money(line.total)}"))
    return rows


def order_receipt_rows(
    order: Order,
    receipt: OrderReceipt,
    header: ReceiptHeader,
    *,
    server_response: Mapping[str, Any] | None = None,
) -> list[Row]:
    """The chain receipt top to bottom, independent of the paper width."""
    base = receipt_rows(chain_receipt(receipt, server_response), header)
    before = sum(
        r.fiscal.total_sum
        for r in order.receipts
        if r.kind is not ChainRole.RETURN and r.counts and r.created_at < receipt.created_at
    )
    block = [Row(RowKind.TEXT, f"Замовлення № {order.label}"), *_goods_rows(order)]
    block.append(Row(RowKind.RULE))
    block.append(_pair("СУМА ЗАМОВЛЕННЯ", _hryvnias(order.total_sum)))
    if receipt.kind is not ChainRole.RETURN and before:
        block.append(_pair("СПЛАЧЕНО РАНІШЕ", _hryvnias(before)))
    label = {
        ChainRole.PREPAYMENT: "ПЕРЕДОПЛАТА",
        ChainRole.AFTER_PAYMENT: "ДО СПЛАТИ",
        ChainRole.RETURN: "ПОВЕРНЕННЯ",
    }[receipt.kind]
    this = [_pair(label, _hryvnias(receipt.fiscal.total_sum)), *tax_rows(receipt.fiscal.taxes)]
    left = order.total_sum - before - receipt.fiscal.total_sum
    rows: list[Row] = []
    titled = False
    for row in base:
        if row.kind is RowKind.PAIR and row.left == "СУМА" and not titled:
            rows += block + this
            titled = True
            continue
        rows.append(row)
        last_title = row.left == (
            "ПОВЕРНЕННЯ" if receipt.kind is ChainRole.RETURN else "КАСОВИЙ ЧЕК"
        )
        if row.kind is RowKind.TITLE and last_title:
            rows.append(Row(RowKind.TITLE, SUBTITLES[receipt.kind]))
    if receipt.kind is ChainRole.PREPAYMENT and left > 0:
        at = next(
            (i for i, r in enumerate(rows) if r.kind is RowKind.PAIR and r.left == "Касир"),
            len(rows),
        )
        rule = at - 1 if at > 0 and rows[at - 1].kind is RowKind.RULE else at
        rows.insert(rule, _pair("ЗАЛИШОК ДО СПЛАТИ", _hryvnias(left)))
    return [
        row
        for i, row in enumerate(rows)
        if not (row.kind is RowKind.RULE and i and rows[i - 1].kind is RowKind.RULE)
    ]
