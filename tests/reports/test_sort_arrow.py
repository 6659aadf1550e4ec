"""The reports window opens newest first, and its header's arrow says so: it points down (the
largest date at the top), with the shop's style sheet, on any platform; ascending points up.
Checked on the pixels drawn, not on a flag."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QHeaderView
from pytestqt.qtbot import QtBot

from pos.reports.sources import open_read_only
from pos.ui.history_window import HistoryWindow
from pos.ui.sort_arrow import SortArrowStyle
from pos.ui.theme import style_sheet

from .generated import generate


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[HistoryWindow]:
    path = tmp_path / "journal.sqlite"
    generate(path, first_day=date(2026, 1, 1), days=1, per_day=5)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.styleSheet()
    app.setStyleSheet(style_sheet())  # the till's look: header sections are styled
    engine = open_read_only(path)
    shown = HistoryWindow(engine, today=lambda: date(2026, 1, 1))
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitUntil(lambda: shown.model.total > 0, timeout=10000)
    try:
        yield shown
    finally:
        shown.reject()
        engine.dispose()
        app.setStyleSheet(before)


def arrow_rows(header: QHeaderView, section: int) -> list[int]:
    """How many arrow pixels each drawn row has, top to bottom: pixels clearly darker than the
    section's background in its last 24 px, where the style puts the arrow (the title is
    centred, well left of it)."""
    image = header.grab().toImage()
    right = header.sectionViewportPosition(section) + header.sectionSize(section) - 2
    middle = image.height() // 2
    background = QColor(image.pixel(right - 30, 2)).lightness()
    rows = []
    for y in range(image.height()):
        dark = sum(
            1
            for x in range(right - 24, right)
            if QColor(image.pixel(x, y)).lightness() < background - 40
        )
        if dark and abs(y - middle) < image.height() // 3:
            rows.append(dark)
    return rows


def test_newest_first_shows_a_down_arrow(qtbot: QtBot, window: HistoryWindow) -> None:
    header = window.table.horizontalHeader()
    assert isinstance(window.sort_arrow_style, SortArrowStyle)
    header.resizeSection(0, max(header.sectionSize(0), 160))
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        0,
        Qt.SortOrder.DescendingOrder,
    )
    first = window.model.index(0, 0).data()
    last = window.model.index(window.model.rowCount() - 1, 0).data()
    assert first >= last  # the rows do run newest first
    down = arrow_rows(header, 0)
    assert len(down) >= 3
    assert down[0] > down[-1]  # wide at the top, a point at the bottom: ▼
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not window.reader.busy, timeout=10000)
    up = arrow_rows(header, 0)
    assert len(up) >= 3
    assert up[0] < up[-1]  # ▲
