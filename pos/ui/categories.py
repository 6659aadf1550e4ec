"""Goods by category: a grid of category buttons, then that category's goods as buttons.

For goods without a barcode (bakery, fruit, coffee by the cup) a touch is faster than a search.
The categories come from the catalogue through the window's look-ups (``pos.ui.lookups``: they
never wait on the register); a catalogue without categories gives none, and the panel reports
itself empty (``loaded(False)``) so the selling screen can hide it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from pos.domain.money import format_money
from pos.journal.records import CatalogueItem
from pos.ui.lookups import Answer, CatalogueSource, Lookups

log = logging.getLogger(__name__)

COLUMNS = 3
PAGE = 120  # goods shown per category (the catalogue's order: alphabetical)


class CategoryPanel(QWidget):
    item_chosen = Signal(object)  # CatalogueItem
    loaded = Signal(bool)  # the categories are read again: whether there are any

    def __init__(self, lookups: Lookups, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("categoryPanel")
        self._lookups = lookups
        self._categories: list[tuple[str, int]] = []
        self.current: str | None = None
        self.title = QLabel(self)
        self.title.setObjectName("hint")
        self.back = QPushButton(self)
        self.back.setObjectName("categoryBack")
        self.back.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back.clicked.connect(self.show_categories)
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setSpacing(6)
        self._scroll.setWidget(self._grid_host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.back)
        layout.addWidget(self._scroll, 1)
        self.buttons: list[QPushButton] = []
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.back.setText(self.tr("← All categories"))
        if self.current is None:
            self.title.setText(self.tr("Categories"))

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def reload(self) -> None:
        """Read the categories again; ``loaded`` says whether the catalogue has any."""
        self._lookups.ask(_categories).add_done_callback(self._categories_answered)

    def _categories_answered(self, answer: Answer[list[tuple[str, int]]]) -> None:
        try:
            self._categories = answer.result()
        except Exception:
            log.exception("the categories could not be read")
            self._categories = []
        if self.current is None:
            self.show_categories()
        self.loaded.emit(bool(self._categories))

    @property
    def is_empty(self) -> bool:
        return not self._categories

    def _clear(self) -> None:
        for button in self.buttons:
            self._grid.removeWidget(button)
            button.deleteLater()
        self.buttons = []

    def _add(self, text: str, role: str, tooltip: str = "") -> QPushButton:
        return self._place(QPushButton(text, self._grid_host), role, tooltip or text)

    def _place(self, button: QPushButton, role: str, tooltip: str) -> QPushButton:
        button.setProperty("role", role)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Ignored across: the columns share the panel's width whatever the captions need, so
        # the third column never hides behind a horizontal scrollbar (1366 px, a long list).
        button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        button.setToolTip(tooltip)
        index = len(self.buttons)
        self._grid.addWidget(button, index // COLUMNS, index % COLUMNS)
        self.buttons.append(button)
        return button

    def show_categories(self) -> None:
        self._clear()
        self.current = None
        self.back.hide()
        self.title.setText(self.tr("Categories"))
        for name, count in self._categories:
            button = self._add(f"{name}\n({count})", "category", name)
            button.clicked.connect(lambda _checked=False, n=name: self.show_category(n))
        self._grid.setRowStretch(self._grid.rowCount(), 1)

    def show_category(self, name: str) -> None:
        """The category's goods, once the look-up answers (the touch is not waited on)."""
        self.current = name
        self._lookups.ask(_in_category, name).add_done_callback(
            lambda answer: self._category_answered(name, answer)
        )

    def _category_answered(self, name: str, answer: Answer[list[CatalogueItem]]) -> None:
        if self.current != name:  # "back" or another category touched since
            return
        try:
            items = answer.result()
        except Exception:
            log.exception("the goods of category %s could not be read", name)
            items = []
        self._clear()
        self.back.show()
        self.title.setText(name)
        for item in items:
            button = self._place(_GoodButton(item, self._grid_host), "good", item.name)
            button.clicked.connect(lambda _checked=False, i=item: self.item_chosen.emit(i))


def _categories(source: CatalogueSource) -> list[tuple[str, int]]:
    return source.categories()


def _in_category(source: CatalogueSource, name: str) -> list[CatalogueItem]:
    return source.in_category(name, PAGE)


class _GoodButton(QPushButton):
    """A good's button: its name wrapped to the width the button has (two lines at most, the
    second elided), then the price. A push button neither wraps nor shrinks its text itself."""

    PADDING = 30  # the theme's 10 px each side, the frame, a little air

    def __init__(self, item: CatalogueItem, parent: QWidget) -> None:
        super().__init__(parent)
        self.item = item
        self._width = -1
        self.setText(f"{item.name}\n{format_money(item.price)}")

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._width:
            self._width = event.size().width()
            self.setText(self.label(self._width - self.PADDING))

    @override
    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self.fontMetrics().lineSpacing() * 3 + 12))

    def label(self, width: int) -> str:
        metrics = self.fontMetrics()
        lines: list[str] = []
        words = self.item.name.split()
        while words and len(lines) < 2:
            line = words.pop(0)
            while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
                line = f"{line} {words.pop(0)}"
            lines.append(line)
        if words:
            lines[-1] = f"{lines[-1]} {' '.join(words)}"
        lines = [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]
        return "\n".join([*lines, format_money(self.item.price)])
