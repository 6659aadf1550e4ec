"""What a report shows, written out as CSV or XLSX (the PDF comes from the window's Qt printer).

Both take the same table: a header of column titles and rows of plain values; money columns stay
integers of kopecks in the data and are written as hryvnias with two decimals, so a spreadsheet
adds them up to the kopeck.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

MONEY_FIELDS = frozenset(
    {
        "totalSum",
        "cashTotalSum",
        "ecashTotalSum",
        "prepaidSum",
        "creditSum",
        "provisionSum",
        "sales_sum",
        "returns_sum",
        "net_sum",
        "sum",
        "sell_sum",
        "return_sum",
        "service_in",
        "service_out",
        "cash_withdrawal",
        "sales_turnover",
        "returns_turnover",
        "expected_cash",
        "counted_cash",
        "difference",
    }
)


def hryvnias(kopecks: int) -> Decimal:
    return Decimal(kopecks).scaleb(-2)


def cell(field: str, value: Any) -> Any:
    if field in MONEY_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return hryvnias(value)
    return value


def table(rows: Sequence[dict[str, Any]], fields: Sequence[str]) -> list[list[Any]]:
    return [[cell(f, row.get(f)) for f in fields] for row in rows]


def csv_text(rows: Sequence[dict[str, Any]], fields: Sequence[str], titles: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(titles)
    for values in table(rows, fields):
        writer.writerow(
            ["" if v is None else f"{v:.2f}" if isinstance(v, Decimal) else v for v in values]
        )
    return out.getvalue()


def write_csv(
    path: Path, rows: Sequence[dict[str, Any]], fields: Sequence[str], titles: Sequence[str]
) -> None:
    path.write_text(csv_text(rows, fields, titles), encoding="utf-8-sig")


def write_xlsx(
    path: Path,
    rows: Sequence[dict[str, Any]],
    fields: Sequence[str],
    titles: Sequence[str],
    sheet: str = "Report",
) -> None:
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append(list(titles))
    for values in table(rows, fields):
        ws.append([float(v) if isinstance(v, Decimal) else v for v in values])
    for index, field in enumerate(fields, start=1):
        if field in MONEY_FIELDS:
            for (c,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                c.number_format = "0.00"
    book.save(path)
