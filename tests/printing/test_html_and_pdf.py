"""HTML for the preview and Qt output: the QR code as a data URI, a PDF strip of receipt width."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from pos.domain.receipt import Line, Payment, PaymentType
from pos.journal.records import Receipt, ReceiptState
from pos.printing.html import qr_data_uri, receipt_html, report_html
from pos.printing.layout import NOT_FISCALISED_MARK, TRAINING_MARK, ReceiptHeader, qr_payload
from pos.printing.qt_output import (
    PrintError,
    available_printers,
    default_printer,
    print_html,
    save_pdf,
)

from .builders import (
    BREAD,
    HEADER,
    SEED_Z_REPORT,
    TRAINING_HEADER,
    WINE,
    build_receipt,
    service_receipt,
)

PNG_URI = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


def offline_sale() -> Receipt:
    return build_receipt(
        [Line(WINE, 1000), Line(BREAD, 2000)],
        [Payment(PaymentType.CASH, 30000, "Готівка")],
        state=ReceiptState.OFFLINE_ISSUED,
        is_offline=True,
        fiscal_code="TEST-iA5fmb",
    )


def test_receipt_html_has_the_qr_code_as_png_data_uri() -> None:
    receipt = offline_sale()
    page = receipt_html(receipt, HEADER)
    match = PNG_URI.search(page)
    assert match is not None
    assert base64.b64decode(match.group(1)).startswith(b"\x89PNG")
    payload = qr_payload(receipt, HEADER)
    assert payload is not None
    assert qr_data_uri(payload) in page
    assert "ОФЛАЙН" in page
    assert "TEST-iA5fmb" in page
    assert "monospace" in page


def test_receipt_html_escapes_text_and_marks_training() -> None:
    receipt = service_receipt("SERVICE_IN", 10000, state=ReceiptState.COMMITTED)
    header = ReceiptHeader("<b>Shop & Co</b>", "addr", "FN1", "Касир", training=True)
    page = receipt_html(receipt, header)
    assert "&lt;b&gt;Shop &amp; Co&lt;/b&gt;" in page
    assert page.count(TRAINING_MARK) == 2
    assert page.count(NOT_FISCALISED_MARK) == 2
    assert "data:image/png" not in page  # a service receipt has no check link


def test_report_html() -> None:
    page = report_html(
        SEED_Z_REPORT,
        z=True,
        header=HEADER,
        shift_serial=43,
        opened_at=datetime(2023, 11, 6, 14, 41, 30, tzinfo=UTC),
        closed_at=datetime(2023, 11, 6, 15, 40, 16, tzinfo=UTC),
        counted_cash=4420,
    )
    assert "<b>Z-ЗВІТ</b>" in page
    assert "Фактично в касі" in page
    assert "-20.00" in page


def _media_box_width_mm(pdf: bytes) -> float:
    match = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert match is not None
    return float(match.group(1)) / 72 * 25.4


@pytest.mark.parametrize("paper_mm", [80.0, 58.0])
def test_pdf_receipt_is_a_strip_of_paper_width(
    qapp: QApplication, tmp_path: Path, paper_mm: float
) -> None:
    path = save_pdf(
        receipt_html(offline_sale(), TRAINING_HEADER),
        tmp_path / "receipt.pdf",
        paper_width_mm=paper_mm,
    )
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 1000
    assert _media_box_width_mm(data) == pytest.approx(paper_mm, abs=0.5)


def test_long_receipt_continues_on_more_pages(qapp: QApplication, tmp_path: Path) -> None:
    receipt = build_receipt([Line(BREAD, 1000)] * 400, [Payment(PaymentType.CASH, 1199600)])
    data = save_pdf(receipt_html(receipt, HEADER), tmp_path / "long.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) > 1


def test_a_receipt_is_one_page_whatever_its_length(qapp: QApplication, tmp_path: Path) -> None:
    """The page is sized to the content; rounding its size to points once left a sliver of the
    content for an almost empty second page (7 and 47 lines did it)."""
    for lines in range(1, 60):
        html = "".join(f"<p>Хліб {i} 34.90</p>" for i in range(lines))
        data = save_pdf(html, tmp_path / f"r{lines}.pdf").read_bytes()
        assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1, lines


def test_pdf_report(qapp: QApplication, tmp_path: Path) -> None:
    page = report_html(
        SEED_Z_REPORT, z=False, header=HEADER, shift_serial=43, opened_at=None, closed_at=None
    )
    data = save_pdf(page, str(tmp_path / "x.pdf")).read_bytes()
    assert data.startswith(b"%PDF")


def test_printers_are_listed_and_an_unknown_one_is_refused(qapp: QApplication) -> None:
    printers = available_printers()
    assert isinstance(printers, list)
    assert default_printer() is None or default_printer() in printers
    with pytest.raises(PrintError):
        print_html("<p>x</p>", "no such printer 7d1e")
