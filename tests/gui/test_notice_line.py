"""The feedback line above the cart: a new text at every scan never lays the page out again, a
shop's usual text shows whole at 1024 px, a longer one is elided (whole in its tooltip)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from typing_extensions import override

from pos.ui.notice_line import NoticePlace


class LayoutRequests(QObject):
    count = 0

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def page(qtbot: QtBot) -> tuple[QWidget, NoticePlace]:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    place = NoticePlace(widget)
    layout.addWidget(place)
    layout.addWidget(QLabel("the cart"), 1)
    qtbot.addWidget(widget)
    widget.resize(1024, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, place


def test_a_new_text_does_not_lay_the_page_out_again(qtbot: QtBot) -> None:
    widget, place = page(qtbot)
    notice = place.line
    height = place.height()
    QApplication.processEvents()  # the layout's own requests from showing it
    requests = LayoutRequests()
    widget.installEventFilter(requests)
    for n in range(10):
        notice.setText(f"Додано: Молоко Галичина {n} г — {n} шт" * (n % 3 + 1))
        QApplication.processEvents()  # a layout request (a posted event) would come now
    assert requests.count == 0
    assert place.height() == height == notice.height()
    assert notice.width() == place.width()


def test_a_usual_text_shows_whole_and_a_long_one_elided(qtbot: QtBot) -> None:
    _widget, place = page(qtbot)
    notice = place.line
    usual = "Додано: Молоко Галичина Ультрапастеризоване 2.5% 900 г — 12 шт"
    notice.setText(usual)
    assert notice.text() == usual
    assert QLabel.text(notice) == usual
    assert notice.toolTip() == ""
    long = "Це був штрихкод, а не кількість: 4820001000016 відскановано. " * 4
    notice.setText(long)
    assert notice.text() == long
    shown = QLabel.text(notice)
    assert shown.endswith("…")
    assert len(shown) < len(long)
    assert notice.fontMetrics().horizontalAdvance(shown) <= notice.contentsRect().width()
    assert notice.toolTip() == long
    notice.setText("")
    assert notice.text() == ""
    assert notice.toolTip() == ""
