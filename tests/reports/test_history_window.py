"""The reports window, offscreen: filter, sort, page, totals, charts, exports on a generated
journal; and a cashier's receipts of the shift on a training register, opened and reprinted."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from dialogs.conftest import aw, gui_config, qloop, running, running_shift, running_unsigned, sell
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.reports.sources import open_read_only
from pos.ui.history_models import COLUMNS
from pos.ui.history_window import HistoryWindow
from pos.ui.receipt_dialog import ReceiptDialog

from .generated import generate

__all__ = ["aw", "gui_config", "qloop", "running", "running_shift", "running_unsigned"]

TODAY = date(2026, 1, 6)


@pytest.fixture(scope="module")
def journal_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("window") / "journal.sqlite"
    generate(path, first_day=date(2026, 1, 1), days=6, per_day=120)
    return path


@pytest.fixture
def window(qtbot: QtBot, journal_file: Path) -> Iterator[HistoryWindow]:
    engine = open_read_only(journal_file)
    shown = HistoryWindow(engine, today=lambda: TODAY)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitUntil(lambda: shown.model.total > 0 and bool(shown.model.totals), timeout=10000)
    yield shown
    shown.reject()
    engine.dispose()


def choose(combo: Any, key: str) -> None:
    combo.setCurrentIndex(combo.findData(key))


def settle(qtbot: QtBot, window: HistoryWindow) -> None:
    qtbot.waitUntil(lambda: not window.reader.busy, timeout=10000)


def test_filter_sort_page_and_totals(qtbot: QtBot, window: HistoryWindow) -> None:
    today = window.model.total
    choose(window.preset, "month")
    settle(qtbot, window)
    month = window.model.total
    assert month > today > 0
    assert window.model.totals["count"] == month
    assert "documents" in window.totals_label.text()
    choose(window.type_filter, "returns")
    settle(qtbot, window)
    returns = window.model.total
    assert 0 < returns < month
    assert {window.model.row(i)["operation"] for i in range(returns)} == {"income_return"}
    choose(window.type_filter, "all")
    settle(qtbot, window)
    # sort by the total, descending, as a click on the header does
    window.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    settle(qtbot, window)
    first = [window.model.row(i)["totalSum"] for i in range(50)]
    assert first == sorted(first, reverse=True)
    # paging: a row far down is fetched when the view asks for it
    far = month - 3
    assert window.model.row(far) is None
    settle(qtbot, window)
    assert window.model.row(far) is not None
    window.search.setText(window.model.row(5)["fiscal_code"])
    window.apply_filters()
    settle(qtbot, window)
    assert window.model.total == 1


def test_shifts_and_charts(qtbot: QtBot, window: HistoryWindow) -> None:
    choose(window.preset, "month")
    window.tabs.setCurrentIndex(1)
    settle(qtbot, window)
    assert window.shift_table.rowCount() == 6
    window.shift_table.selectRow(0)
    assert "Z" in window.shift_detail.toPlainText()
    window.tabs.setCurrentIndex(2)
    for kind in ("day", "hour", "payment", "goods"):
        choose(window.charts.kind, kind)
        settle(qtbot, window)
        assert window.charts.rows
        assert window.charts.chart.series()


def test_exports_write_what_is_shown(qtbot: QtBot, window: HistoryWindow, tmp_path: Path) -> None:
    choose(window.preset, "yesterday")
    settle(qtbot, window)
    total = window.model.total
    for kind in ("csv", "xlsx", "pdf"):
        window.export_to(tmp_path / f"out.{kind}", kind)
    qtbot.waitUntil(lambda: len(window.exported) == 3, timeout=20000)
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert len(rows) == total + 1
    book = load_workbook(tmp_path / "out.xlsx")
    sheet = book.active
    assert sheet.max_row == total + 1
    cash_column = [c.value for c in sheet[1]].index(window.model.titles["cashTotalSum"]) + 1
    cash = round(sum(sheet.cell(r, cash_column).value for r in range(2, total + 2)) * 100)
    assert cash == window.model.totals["cashTotalSum"]
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "out.pdf").pages)
    assert rows[1][9] in text  # a fiscal code of the first row
    assert "2026-01-05" in text


def test_the_cashier_sees_this_shift_opens_and_reprints_a_receipt(
    qtbot: QtBot,
    aw: Callable[..., Any],
    running_shift: RunningRegister,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sale = sell(aw, running_shift)
    shift = running_shift.service.status().shift
    assert shift is not None
    window = HistoryWindow(running_shift.journal.engine, running=running_shift, shift_id=shift.id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.total >= 1 and window.model.row(0) is not None)
    assert not window.tabs.isTabVisible(1)
    assert not window.csv_button.isVisible()
    codes = [window.model.row(i)["fiscal_code"] for i in range(window.model.total)]
    assert sale.fiscal_code in codes
    window.table.selectRow(codes.index(sale.fiscal_code))
    qtbot.waitUntil(lambda: str(sale.fiscal_code) in window.detail.toPlainText())
    printed: list[str] = []
    monkeypatch.setattr(
        ReceiptDialog, "print_document", lambda self, html, config, what: printed.append(html)
    )
    window.open_receipt()
    qtbot.waitUntil(lambda: hasattr(window, "receipt_dialog"))
    dialog = window.receipt_dialog
    assert isinstance(dialog, ReceiptDialog)
    assert dialog.receipt.id == sale.id
    dialog.reprint()  # read again by the register (the window does not wait), then printed
    qtbot.waitUntil(lambda: bool(printed))
    assert str(sale.fiscal_code) in printed[0]
    dialog.reject()
    window.reject()


def test_the_main_window_opens_both(qtbot: QtBot, running_shift: RunningRegister) -> None:
    from gui.helpers import gone, modal, open_window

    from pos.ui.manager_pin import ManagerPinDialog

    window = open_window(qtbot, running_shift)
    qtbot.waitUntil(lambda: window.page_name == "selling")
    qtbot.keyClick(window.selling.search, Qt.Key.Key_F11)  # the cashier's: no PIN
    mine = modal(qtbot, HistoryWindow)
    assert not mine.tabs.isTabVisible(1)
    mine.reject()
    qtbot.waitUntil(lambda: gone(mine))
    window.a_reports.trigger()  # the manager's: behind the PIN
    gate = modal(qtbot, ManagerPinDialog)
    qtbot.keyClicks(gate.pad.edit, "0000")
    qtbot.keyClick(gate.pad.edit, Qt.Key.Key_Return)
    reports = modal(qtbot, HistoryWindow)
    assert reports.tabs.isTabVisible(1)
    assert reports.csv_button.isVisibleTo(reports)
    reports.reject()
    qtbot.waitUntil(lambda: gone(reports))


def test_the_cashier_filter(qtbot: QtBot, window: HistoryWindow) -> None:
    from .generated import CASHIERS

    choose(window.preset, "month")
    settle(qtbot, window)
    month = window.model.total
    window.cashier_filter.setText(CASHIERS[0])  # QTest types ASCII only
    qtbot.keyClick(window.cashier_filter, Qt.Key.Key_Return)
    settle(qtbot, window)
    mine = window.model.total
    assert 0 < mine < month
    assert {window.model.row(i)["cashier"] for i in range(min(mine, 50))} == {CASHIERS[0]}
    column = [name for name, _ in COLUMNS]
    assert window.model.headerData(column.index("cashier"), Qt.Orientation.Horizontal) == "Cashier"
    window.cashier_filter.clear()
    qtbot.keyClick(window.cashier_filter, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.model.total == month
