"""Goods by category: a grid of category buttons, then that category's goods as buttons.

For goods without a barcode (bakery, fruit, coffee by the cup) a touch is faster than a search.
The categories come from the catalogue through the register service; a catalogue without
categories gives none, and the panel reports itself empty so the selling screen can hide it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
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
from pos.register.service import RegisterService

COLUMNS = 3
PAGE = 120  # goods shown per category (the catalogue's order: alphabetical)


class CategoryPanel(QWidget):
    item_chosen = Signal(object)  # CatalogueItem

    def __init__(self, service: RegisterService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("categoryPanel")
        self._service = service
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

    def reload(self) -> bool:
        """Read the categories again; False when the catalogue has none."""
        self._categories = self._service.categories()
        self.show_categories()
        return bool(self._categories)

    @property
    def is_empty(self) -> bool:
        return not self._categories

    def _clear(self) -> None:
        for button in self.buttons:
            self._grid.removeWidget(button)
            button.deleteLater()
        self.buttons = []

    def _add(self, text: str, role: str, tooltip: str = "") -> QPushButton:
        button = QPushButton(text, self._grid_host)
        button.setProperty("role", role)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setToolTip(tooltip or text)
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
        self._clear()
        self.current = name
        self.back.show()
        self.title.setText(name)
        for item in self._service.in_category(name, PAGE):
            button = self._add(_good_label(item), "good", item.name)
            button.clicked.connect(lambda _checked=False, i=item: self.item_chosen.emit(i))


def _good_label(item: CatalogueItem) -> str:
    name = item.name if len(item.name) <= 28 else item.name[:27] + "…"
    return f"{name}\n{format_money(item.price)}"
