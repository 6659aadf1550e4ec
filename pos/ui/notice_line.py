"""The one line of feedback above the cart ("Added: …", "No good with the barcode …").

Why not a word-wrapped QLabel: a new text is set at every scan, and a wrapping label then makes
the page lay itself out again (its height depends on the text's width), on the cashier's Enter.
This one is a single line, elided to the width it has (the whole text in its tooltip), on a
place of fixed size: a new text only repaints it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget
from typing_extensions import override


class NoticePlace(QWidget):
    """The notice's place in the page's layout: as wide as the layout makes it, one line high."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.line = NoticeLine(self)

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.line.fit(self.width())


class NoticeLine(QLabel):
    """A label of one line whose ``text()`` is the whole text set, shown elided to its width.

    Its size is fixed (set by its place), so setting a text never asks a layout to run again."""

    def __init__(self, place: NoticePlace) -> None:
        super().__init__(place)
        self.setObjectName("notice")
        self.setWordWrap(False)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._place = place
        self._whole = ""
        self._fit_height()

    @override
    def text(self) -> str:
        return self._whole

    @override
    def setText(self, text: str) -> None:
        self._whole = text
        self._show()

    def fit(self, width: int) -> None:
        self.setFixedSize(width, self._place.height())
        self._show()

    def _show(self) -> None:
        room = self.contentsRect().width() - 2 * self.margin()
        shown = self._whole
        metrics = self.fontMetrics()
        if shown and metrics.horizontalAdvance(shown) > room:
            shown = metrics.elidedText(shown, Qt.TextElideMode.ElideRight, max(room, 0))
        self.setToolTip(self._whole if shown != self._whole else "")
        super().setText(shown)

    def _fit_height(self) -> None:
        """One line of this label's font (bold by the theme) with its margins."""
        self.ensurePolished()
        margins = self.contentsMargins()
        height = self.fontMetrics().height() + margins.top() + margins.bottom() + 2 * self.margin()
        self._place.setFixedHeight(height)
        self.setFixedHeight(height)

    @override
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_height()
            self._show()
