"""X and Z reports on paper: the seed's Z report, counted cash and its difference."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from pos.printing.layout import PAPER_58MM, PAPER_80MM, TRAINING_REPORT_MARK, report_lines

from .builders import HEADER, SEED_Z_REPORT, TRAINING_HEADER
from .test_receipt_layout import pair

OPENED = datetime(2023, 11, 6, 14, 41, 30, tzinfo=UTC)
CLOSED = datetime(2023, 11, 6, 15, 40, 16, tzinfo=UTC)


def z_report(counted_cash: int | None = None, **kwargs: Any) -> list[str]:
    options: dict[str, Any] = {
        "z": True,
        "header": HEADER,
        "shift_serial": 43,
        "opened_at": OPENED,
        "closed_at": CLOSED,
        "counted_cash": counted_cash,
    }
    options.update(kwargs)
    return report_lines(SEED_Z_REPORT, **options)


def section(lines: list[str], title: str) -> list[str]:
    """The lines under a centred payment title, up to the next title or rule."""
    start = [line.strip() for line in lines].index(title) + 1
    end = start
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    return lines[start:end]


def test_z_report_totals_per_payment_type() -> None:
    lines = z_report()
    assert "Z-ЗВІТ" in [line.strip() for line in lines]
    assert pair(lines, "Зміна №") == "43"
    assert pair(lines, "Відкрито") == "06.11.2023 16:41:30"  # Kyiv time
    assert pair(lines, "Закрито") == "06.11.2023 17:40:16"
    cash = section(lines, "ГОТІВКА")
    assert pair(cash, "  Продаж") == "164.20"
    assert pair(cash, "  Службове внесення") == "100.00"
    assert pair(cash, "  Службова видача") == "0.00"
    card = section(lines, "КАРТКА")
    assert pair(card, "  Продаж") == "563.00"
    assert pair(card, "  Повернення") == "0.00"
    assert pair(card, "  Службова видача") == "200.00"
    assert pair(card, "  Видача готівки") == "200.00"


def test_z_report_taxes_counts_rounding_and_balance() -> None:
    lines = z_report()
    text = "\n".join(lines)
    assert "А ПДВ 20% + АКЦИЗ 5%" in lines
    assert pair(lines, "  Податок з продажу") == "116.17"
    assert pair(lines, "  Оборот продажу") == "563.00"
    assert "БЕЗ ПДВ З" in lines
    assert "Б " not in [line[:2] for line in lines]  # a rate with nothing on it is left out
    assert pair(lines, "Чеків продажу") == "2"
    assert pair(lines, "Чеків повернення") == "0"
    assert pair(lines, "Чеків видачі готівки") == "1"
    assert pair(lines, "Знижки") == "55.83"
    assert pair(lines, "  продаж, вгору") == "0.03"
    assert pair(lines, "  повернення, вниз") == "0.00"
    assert pair(lines, "Початковий залишок") == "0.00"
    assert pair(lines, "Готівка в касі") == "64.20"
    assert "Фактично в касі" not in text


@pytest.mark.parametrize(
    ("counted", "difference"), [(4420, "-20.00"), (6500, "+0.80"), (6420, "0.00")]
)
def test_z_report_with_counted_cash_shows_the_difference(counted: int, difference: str) -> None:
    lines = z_report(counted)
    assert pair(lines, "Фактично в касі") == f"{counted / 100:.2f}"
    assert pair(lines, "Різниця") == difference


def test_x_report_is_titled_and_ignores_counted_cash() -> None:
    lines = z_report(4420, z=False, closed_at=None)
    stripped = [line.strip() for line in lines]
    assert "X-ЗВІТ" in stripped
    assert "Z-ЗВІТ" not in stripped
    assert "Фактично в касі" not in "\n".join(lines)
    assert "Закрито" not in "\n".join(lines)
    assert pair(z_report(z=False), "Сформовано") == "06.11.2023 17:40:16"


def test_report_with_missing_fields_prints_zeros() -> None:
    lines = report_lines(
        {"payments": [{"type": "CASH", "label": None, "sell_sum": None}], "taxes": None},
        z=False,
        header=HEADER,
        shift_serial=None,
        opened_at=None,
        closed_at=None,
        counted_cash=None,
    )
    assert "ГОТІВКА" in [line.strip() for line in lines]
    assert pair(lines, "Готівка в касі") == "0.00"


def test_offline_z_report_shows_its_fiscal_code() -> None:
    report = {**SEED_Z_REPORT, "fiscal_code": "TEST-Z1"}
    lines = report_lines(
        report,
        z=True,
        header=HEADER,
        shift_serial=43,
        opened_at=OPENED,
        closed_at=CLOSED,
        counted_cash=None,
    )
    assert pair(lines, "ФН звіту") == "TEST-Z1"


@pytest.mark.parametrize("width", [PAPER_80MM, PAPER_58MM])
def test_training_report_marked_and_within_width(width: int) -> None:
    header = replace(TRAINING_HEADER, cashier_name="Черезплетинногузадирайщенко Петро")
    lines = z_report(100, header=header, width=width)
    assert lines[0] == lines[-1] == "*" * width
    mark_end = lines.index("*" * width, 1)
    assert " ".join(line.strip() for line in lines[1:mark_end]) == TRAINING_REPORT_MARK
    assert all(len(line) <= width for line in lines), "\n".join(lines)
