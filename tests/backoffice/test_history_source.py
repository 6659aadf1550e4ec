"""The reports window's source switch: "this register" reads the journal, "the whole shop" the
shop database's registers of this shop (offscreen, on a pushed generated journal)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot
from reports.generated import FISCAL_NUMBER, generate
from sqlalchemy import Engine

from pos.backoffice.push import Pusher
from pos.reports.sources import open_read_only
from pos.ui.history_window import HistoryWindow

TODAY = date(2026, 1, 3)


def _pushed(path: Path, engine: Engine, fiscal_number: str | None, seed: int) -> None:
    generate(path, first_day=date(2026, 1, 1), days=3, per_day=30, seed=seed)
    if fiscal_number is not None:
        with sqlite3.connect(path) as c:
            c.execute("UPDATE setting SET value = ? WHERE key = 'fiscal_number'", (fiscal_number,))
    pusher = Pusher(path, engine, "Крамниця")
    try:
        pusher.push_all()
    finally:
        pusher.close()


def test_the_whole_shop_shows_every_register_and_this_register_its_own(
    qtbot: QtBot, tmp_path: Path, shop_database: Engine
) -> None:
    mine = tmp_path / "mine.sqlite"
    _pushed(mine, shop_database, None, 1)
    _pushed(tmp_path / "other.sqlite", shop_database, "4000777777", 2)
    engine = open_read_only(mine)
    window = HistoryWindow(engine, today=lambda: TODAY, shop=(shop_database, "Крамниця"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.total > 0 and not window.reader.busy, timeout=10000)
    assert window.source.isVisible()
    alone = window.model.total
    registers = {window.model.row(i)["register"] for i in range(min(alone, 50))}
    assert registers == {FISCAL_NUMBER}

    window.source.setCurrentIndex(window.source.findData("shop"))
    qtbot.waitUntil(lambda: not window.reader.busy and window.model.total > alone, timeout=10000)
    whole = window.model.total
    shown = {window.model.row(i)["register"] for i in range(min(whole, 100))}
    assert shown == {FISCAL_NUMBER, "4000777777"}
    window.table.selectRow(0)  # a row's detail comes from its own register
    qtbot.waitUntil(lambda: "<table" in window.detail.toHtml() or not window.reader.busy)

    window.source.setCurrentIndex(window.source.findData("register"))
    qtbot.waitUntil(lambda: not window.reader.busy and window.model.total == alone, timeout=10000)
    window.reader.shop = None  # the test's engine is disposed by its fixture, not the window
    window.reject()
    engine.dispose()


def test_without_a_back_office_there_is_no_switch(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    generate(path, first_day=date(2026, 1, 1), days=1, per_day=5)
    engine = open_read_only(path)
    window = HistoryWindow(engine, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.reader.busy, timeout=10000)
    assert not window.source.isVisible()
    window.reject()
    engine.dispose()
