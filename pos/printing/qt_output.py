"""HTML receipts and reports to a system printer or a PDF file, through Qt's print support.

Why a page as long as the content: a receipt printer feeds a roll, not sheets. The page is the
paper's width (80 mm by default) and exactly as tall as the laid-out document, so the PDF is one
strip like the paper and the printer cuts once. Content longer than a PDF page may be is split
over several pages. Works headless (QT_QPA_PLATFORM=offscreen); a QGuiApplication (or
QApplication) must exist, as for anything that lays out text with fonts.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

RECEIPT_PAPER_WIDTH_MM = 80.0
"""An 80 mm receipt roll; pass 58.0 for the narrow one."""

MARGIN_MM = 3.0
MIN_PAGE_HEIGHT_MM = 40.0
MAX_PAGE_HEIGHT_MM = 2000.0
"""Longest single page; a longer receipt continues on the next page (PDF allows ~5 m)."""

ROUNDING_SLACK_MM = 1.0
"""Added to a page's height: the page size is rounded to whole points (0.35 mm) on the way."""

_MM_PER_INCH = 25.4


class PrintError(RuntimeError):
    """The document could not be printed: no such printer, or it refused the job."""


def available_printers() -> list[str]:
    """Names of the printers the system offers (possibly none)."""
    return [str(name) for name in QPrinterInfo.availablePrinterNames()]


def default_printer() -> str | None:
    """The system's default printer, or None when there is none."""
    name = QPrinterInfo.defaultPrinterName()
    return str(name) or None


def _require_gui_application() -> None:
    if QGuiApplication.instance() is None:
        raise RuntimeError("printing needs a QGuiApplication (or QApplication) to exist")


def _render(html: str, printer: QPrinter, paper_width_mm: float) -> None:
    """Lay `html` out at the paper's width, size the page to it and paint it, page by page."""
    printer.setFullPage(False)
    printer.setPageMargins(
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter
    )
    resolution = printer.resolution()
    content_width_mm = paper_width_mm - 2 * MARGIN_MM
    document = QTextDocument()
    document.documentLayout().setPaintDevice(printer)
    document.setDocumentMargin(0)
    document.setHtml(html)
    document.setTextWidth(content_width_mm / _MM_PER_INCH * resolution)
    content_height_mm = document.size().height() / resolution * _MM_PER_INCH
    page_content_mm = min(
        max(content_height_mm + ROUNDING_SLACK_MM, MIN_PAGE_HEIGHT_MM - 2 * MARGIN_MM),
        MAX_PAGE_HEIGHT_MM - 2 * MARGIN_MM,
    )
    page_size = QPageSize(
        QSizeF(paper_width_mm, page_content_mm + 2 * MARGIN_MM),
        QPageSize.Unit.Millimeter,
        "Receipt",
        QPageSize.SizeMatchPolicy.ExactMatch,
    )
    if not printer.setPageSize(page_size):
        raise PrintError("the printer does not accept a receipt page size")
    # The page the printer really made (its size is rounded to points), not the one asked for:
    # content a hair taller than the computed page gave an almost empty second page.
    page_height_px = float(printer.pageLayout().paintRectPixels(resolution).height())
    if page_height_px <= 0:
        page_height_px = page_content_mm / _MM_PER_INCH * resolution
    pages = max(1, math.ceil(document.size().height() / page_height_px - 1e-6))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("the printer could not start the job")
    try:
        for page in range(pages):
            if page:
                printer.newPage()
            top = page * page_height_px
            painter.save()
            painter.translate(0, -top)
            document.drawContents(painter, QRectF(0, top, document.textWidth(), page_height_px))
            painter.restore()
    finally:
        painter.end()


def save_pdf(
    html: str, path: str | Path, *, paper_width_mm: float = RECEIPT_PAPER_WIDTH_MM
) -> Path:
    """Write `html` as a PDF receipt strip to `path`; returns the path written."""
    _require_gui_application()
    target = Path(path)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setCreator("pos")
    _render(html, printer, paper_width_mm)
    return target


def print_html(
    html: str,
    printer_name: str | None = None,
    *,
    paper_width_mm: float = RECEIPT_PAPER_WIDTH_MM,
    copies: int = 1,
) -> None:
    """Print `html` on the named system printer (None: the default one).

    Raises PrintError when there is no such printer or the job cannot start.
    """
    _require_gui_application()
    name = printer_name or default_printer()
    if not name:
        raise PrintError("no printer is installed")
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        raise PrintError(f"printer '{name}' was not found")
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.NativeFormat)
    printer.setCopyCount(max(1, copies))
    printer.setDocName("Чек")
    if not printer.isValid():
        raise PrintError(f"printer '{name}' is not usable")
    _render(html, printer, paper_width_mm)
