"""The header's sort arrow points the way the rows run, on every platform: ▼ when the largest
(the newest) come first, ▲ when the smallest do.

Why a style of its own: Qt tells the style "SortUp" for a descending column, and Fusion draws
that as an up arrow on Linux but a down arrow elsewhere, so the reports window's default, newest
first, showed ▲ (read as oldest first) on a Linux till. Only the arrow is redrawn; everything
else is the application's style.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QStyleOptionHeader, QWidget
from typing_extensions import override

_ARROW = QStyle.PrimitiveElement.PE_IndicatorHeaderArrow


def arrow_for(order: Qt.SortOrder) -> QStyle.PrimitiveElement:
    """The arrow a column sorted in ``order`` shows."""
    if order == Qt.SortOrder.DescendingOrder:
        return QStyle.PrimitiveElement.PE_IndicatorArrowDown
    return QStyle.PrimitiveElement.PE_IndicatorArrowUp


class SortArrowStyle(QProxyStyle):
    """The application's style with the sort arrow of `arrow_for` (set on one header)."""

    @override
    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == _ARROW and isinstance(option, QStyleOptionHeader):
            indicator = option.sortIndicator
            if indicator != QStyleOptionHeader.SortIndicator.None_:
                # Qt's own mapping: a descending column is "SortUp" (QHeaderView::paintSection).
                descending = indicator == QStyleOptionHeader.SortIndicator.SortUp
                order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
                super().drawPrimitive(arrow_for(order), option, painter, widget)
                return
        super().drawPrimitive(element, option, painter, widget)
