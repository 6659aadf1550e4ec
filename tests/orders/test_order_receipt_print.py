"""The printed copy of a chain receipt in our layout: text, ESC/POS bytes (python-escpos's Dummy)
and PDF, with the order's goods, what was paid before, this receipt's sum and taxes, and what is
left. Sums by hand: cake 450.00 + three candles at 25.00 = 525.00; an advance of 150.00
(100.00 cash + 50.00 QR) leaves 375.00; the after-payment of 375.00 by card closes it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from escpos.printer import Dummy
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication

from pos.domain.prepayment import after_payment_fiscal
from pos.orders.model import (
    ChainRole,
    Order,
    OrderPayment,
    OrderReceipt,
    OrderReceiptState,
    OrderState,
)
from pos.printing.escpos_output import Connection, EscposSettings, render_document
from pos.printing.html import rows_html
from pos.printing.layout import ReceiptHeader, Row, render_lines
from pos.printing.order_receipt import order_receipt_rows
from pos.printing.qt_output import save_pdf

from .builders import CAKE, CANDLES, CARD, CASH, QR, WHEN, advanced, order

HEADER = ReceiptHeader(
    shop_name="Пекарня «Колос»",
    shop_address="Київ, вул. Хрещатик, 1",
    register_fiscal_number="4000123456",
    cashier_name="Олена Коваль",
    training=False,
)
TAX_URL = "https://cabinet.tax.gov.ua/cashregs/check?fn=4000123456&id=TEST-1"


def _paid() -> tuple[Order, OrderReceipt]:
    paid = advanced(order(CAKE, CANDLES), OrderPayment(CASH, 10000), OrderPayment(QR, 5000))
    return paid, paid.receipts[0]


def _text(rows: list[Row]) -> str:
    return "\n".join(render_lines(rows))


def test_the_advance_says_the_order_what_it_pays_and_what_is_left() -> None:
    paid, advance = _paid()
    rows = order_receipt_rows(paid, advance, HEADER, server_response={"serial": 7})
    text = _text(rows)
    for expected in (
        "КАСОВИЙ ЧЕК",
        "ПЕРЕДОПЛАТА",
        "Замовлення № 00001",
        "Торт Київський",
        "Свічки святкові",
        "Пекарня «Колос»",
        "Олена Коваль",
        "ФН чека",
        "TEST-1",
        "ФІСКАЛЬНИЙ ЧЕК",
    ):
        assert expected in text, expected
    lines = text.splitlines()

    def amount(label: str) -> str:
        line = next(li for li in lines if li.startswith(label))
        return line.removeprefix(label).strip()

    assert amount("СУМА ЗАМОВЛЕННЯ") == "525.00 грн"
    assert amount("ПЕРЕДОПЛАТА ") == "150.00 грн"
    assert amount("ЗАЛИШОК ДО СПЛАТИ") == "375.00 грн"
    assert amount("ГОТІВКА") == "100.00"
    assert amount("QR-КОД") == "50.00"
    assert amount("ЧЕК №") == "7"
    assert "СПЛАЧЕНО РАНІШЕ" not in text
    sale_sum = [li for li in lines if li.startswith("СУМА ") and "ЗАМОВЛЕННЯ" not in li]
    assert sale_sum == []  # the order's sum and this receipt's, not a sale's "СУМА"
    assert any(li.startswith("ПДВ") for li in lines)  # the advance's share of the VAT


def test_the_after_payment_counts_what_was_paid_before() -> None:
    paid, advance = _paid()
    fiscal = after_payment_fiscal(
        paid.priced(),
        [advance.fiscal],
        [OrderPayment(CARD, 37500).payment()],
    )
    rest = OrderReceipt(
        "40000000-0000-4000-8000-000000000001",
        ChainRole.AFTER_PAYMENT,
        OrderReceiptState.DONE,
        fiscal,
        0,
        37500,
        0,
        WHEN + timedelta(days=2),
        fiscal_code="TEST-2",
        fiscal_date=WHEN + timedelta(days=2),
    )
    handed = replace(paid, state=OrderState.HANDED_OVER, receipts=(advance, rest))
    text = _text(order_receipt_rows(handed, rest, HEADER, server_response={"tax_url": TAX_URL}))
    assert "ПІСЛЯПЛАТА" in text
    lines = text.splitlines()
    assert next(li for li in lines if li.startswith("СПЛАЧЕНО РАНІШЕ")).endswith("150.00 грн")
    assert next(li for li in lines if li.startswith("ДО СПЛАТИ")).endswith("375.00 грн")
    assert "ЗАЛИШОК ДО СПЛАТИ" not in text


def test_a_returned_advance_prints_as_a_return() -> None:
    cancelled = advanced(order(CAKE), OrderPayment(CARD, 20000), returned=True)
    back = replace(cancelled.receipts[1], fiscal_code="TEST-R", fiscal_date=WHEN)
    text = _text(order_receipt_rows(cancelled, back, HEADER))
    assert "ВИДАТКОВИЙ ЧЕК" in text
    assert "ПОВЕРНЕННЯ ПЕРЕДОПЛАТИ" in text
    assert next(li for li in text.splitlines() if li.startswith("ПОВЕРНЕННЯ ")).endswith(
        "200.00 грн"
    )


def test_escpos_bytes_and_pdf(qapp: QApplication, tmp_path: Path) -> None:
    paid, advance = _paid()
    rows = order_receipt_rows(paid, advance, HEADER, server_response={"tax_url": TAX_URL})
    settings = EscposSettings(Connection.FILE, "/dev/null")
    data = render_document(rows, settings, printer=Dummy())
    assert "ПЕРЕДОПЛАТА".encode("cp866") in data
    assert "ЗАЛИШОК ДО СПЛАТИ".encode("cp866") in data
    assert TAX_URL.encode() in data  # the QR code, drawn by the printer
    pdf = save_pdf(rows_html(rows, title="Чек TEST-1"), tmp_path / "advance.pdf")
    page = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "ПЕРЕДОПЛАТА" in page
    assert "Замовлення" in page
