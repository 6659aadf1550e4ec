"""The reports window's PDF export: the rows shown, as an A4 landscape table (Qt's PDF writer)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from pos.reports.export import table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_table_html(
    heading: str,
    rows: Sequence[dict[str, Any]],
    fields: Sequence[str],
    titles: Sequence[str],
    footer: str = "",
) -> str:
    head = "".join(f"<th>{_escape(t)}</th>" for t in titles)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{_escape('' if v is None else str(v))}</td>" for v in values)
        + "</tr>"
        for values in table(rows, fields)
    )
    return (
        "<html><body style='font-size:7pt'>"
        f"<h3>{_escape(heading)}</h3>"
        f"<table border=1 cellspacing=0 cellpadding=2 width=100%><tr>{head}</tr>{body}</table>"
        f"<p><b>{_escape(footer)}</b></p></body></html>"
    )


def write_pdf(path: Path, html: str, title: str = "") -> Path:
    """Print a report's HTML (``report_table_html``) as an A4 landscape PDF."""
    writer = QPdfWriter(str(path))
    writer.setCreator("pos")
    writer.setTitle(title)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(10, 10, 10, 10),
        )
    )
    document = QTextDocument()
    document.setHtml(html)
    document.print_(writer)
    return path
