"""Receipts and reports as simple HTML, for a QTextBrowser preview and for Qt printing.

Why this shape: Qt's rich-text engine understands only a subset of HTML 4 and CSS, so the page is
one two-column table (label | amount) in a monospace font, titles centred, warnings framed, and
the QR code an inline PNG data URI (Qt loads `data:` images itself; no resource files, no network).
The content comes from `pos.printing.layout`, so preview, paper and PDF say the same thing.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import segno

from pos.journal.records import Receipt
from pos.printing.layout import ReceiptHeader, Row, RowKind, receipt_rows, report_rows

FONT_FAMILY = "'DejaVu Sans Mono', 'Consolas', 'Liberation Mono', 'Courier New', monospace"
DEFAULT_FONT_PT = 8.0
QR_MODULE_PX = 3
"""Pixels per QR module in the PNG; Qt scales the image to `QR_WIDTH_PX` anyway."""
QR_WIDTH_PX = 140


@functools.lru_cache(maxsize=16)
def qr_data_uri(payload: str, *, scale: int = QR_MODULE_PX) -> str:
    """A QR code (error level M, as the tax service's links are printed) as a PNG data URI.

    Kept for the last few receipts: encoding one (segno, pure Python) takes ~50 ms, and a
    receipt's preview, its print and its PDF each lay it out again."""
    uri: str = segno.make(payload, error="m").png_data_uri(scale=scale, border=2)
    return uri


def _cell(text: str) -> str:
    return html.escape(text).replace("  ", "&nbsp;&nbsp;")


def _row_html(row: Row) -> str:
    if row.kind is RowKind.PAIR:
        return (
            f'<tr><td valign="top">{_cell(row.left)}</td>'
            f'<td align="right" valign="bottom">{_cell(row.right)}</td></tr>'
        )
    if row.kind is RowKind.TEXT:
        return f'<tr><td colspan="2">{_cell(row.left)}</td></tr>'
    if row.kind is RowKind.CENTER:
        return f'<tr><td colspan="2" align="center">{_cell(row.left)}</td></tr>'
    if row.kind is RowKind.TITLE:
        return f'<tr><td colspan="2" align="center"><b>{_cell(row.left)}</b></td></tr>'
    if row.kind is RowKind.MARK:
        return (
            '<tr><td colspan="2" align="center">'
            '<table width="100%" border="1" cellspacing="0" cellpadding="3">'
            f'<tr><td align="center"><b>{_cell(row.left)}</b></td></tr></table></td></tr>'
        )
    if row.kind is RowKind.RULE:
        return '<tr><td colspan="2"><hr/></td></tr>'
    # RowKind.QR
    return (
        f'<tr><td colspan="2" align="center"><img src="{qr_data_uri(row.left)}" '
        f'width="{QR_WIDTH_PX}" height="{QR_WIDTH_PX}" alt="QR"/></td></tr>'
    )


def rows_html(rows: Sequence[Row], *, title: str, font_pt: float = DEFAULT_FONT_PT) -> str:
    """A complete HTML page of layout rows."""
    body = "\n".join(_row_html(row) for row in rows)
    return (
        '<!DOCTYPE html><html lang="uk"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f'<body style="font-family: {FONT_FAMILY}; font-size: {font_pt:g}pt;">'
        f'<table width="100%" cellspacing="0" cellpadding="0">\n{body}\n</table>'
        "</body></html>"
    )


def receipt_html(
    receipt: Receipt,
    header: ReceiptHeader,
    *,
    units: Mapping[str, str] | None = None,
    mac: str | None = None,
    font_pt: float = DEFAULT_FONT_PT,
) -> str:
    """A receipt as an HTML page, with its check-link QR code when it has one."""
    rows = receipt_rows(receipt, header, units=units, mac=mac)
    return rows_html(rows, title=f"Чек {receipt.fiscal_code or receipt.id}", font_pt=font_pt)


def report_html(
    report: Mapping[str, Any],
    *,
    z: bool,
    header: ReceiptHeader,
    shift_serial: int | None,
    opened_at: datetime | None,
    closed_at: datetime | None,
    counted_cash: int | None = None,
    font_pt: float = DEFAULT_FONT_PT,
) -> str:
    """An X or Z report as an HTML page (see `pos.printing.layout.report_rows`)."""
    rows = report_rows(
        report,
        z=z,
        header=header,
        shift_serial=shift_serial,
        opened_at=opened_at,
        closed_at=closed_at,
        counted_cash=counted_cash,
    )
    return rows_html(rows, title="Z-звіт" if z else "X-звіт", font_pt=font_pt)
