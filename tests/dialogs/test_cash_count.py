"""The drawer counter: typed counts, + and −, Up/Down between rows, the total in kopecks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.ui.cash_count import BILLS, COINS, CashCountWidget


def test_counting_with_keys(qtbot: QtBot) -> None:
    widget = CashCountWidget()
    qtbot.addWidget(widget)
    widget.show()
    totals: list[int] = []
    widget.total_changed.connect(totals.append)
    assert len(BILLS) == 10
    assert COINS[-2:] == (50, 10)

    widget.focus_first()
    box = widget.count_box(100000)
    qtbot.keyClicks(box, "3")
    qtbot.keyClick(box, Qt.Key.Key_Plus)
    assert box.value() == 4
    assert widget.total() == 400000
    qtbot.keyClick(box, Qt.Key.Key_Minus)
    qtbot.keyClick(box, Qt.Key.Key_Up)  # wraps to the last coin (10 kop)
    assert widget.focusWidget() is widget.count_box(10, coin=True)
    qtbot.keyClicks(widget.focusWidget(), "7")
    assert widget.total() == 300070
    assert totals[-1] == 300070
    widget.set_count(1000, 1)
    widget.set_count(1000, 2, coin=True)  # a 10-hryvnia note and two coins are separate piles
    assert widget.total() == 300070 + 3000
    assert widget.counts() == {"bill_100000": 3, "coin_10": 7, "bill_1000": 1, "coin_1000": 2}
    widget.clear()
    assert widget.total() == 0
