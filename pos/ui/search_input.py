"""One input for the barcode scanner and the keyboard.

A scanner "types" a code in a burst (a few milliseconds per character) and presses Enter; a
person types slower and wants to see goods as they type. So: digits arriving in a burst are a
scan; a code of barcode length (8, 12, 13 or 14 digits) followed by Enter is a scan too (typed
off a damaged label); anything else shows live results (after a short pause, so a scan never
triggers a search) and Enter takes the highlighted result. Up/Down move in the results.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget
from typing_extensions import override

SCANNER_GAP = 0.035
"""Seconds between characters below which they are a scanner's burst, not a person typing."""
SEARCH_DELAY_MS = 150
"""Live search waits this long after the last key (a scan's burst is over by then)."""
BARCODE_LENGTHS = frozenset({8, 12, 13, 14})


def looks_like_barcode(text: str) -> bool:
    return text.isdigit() and len(text) in BARCODE_LENGTHS


class ScanSearchInput(QLineEdit):
    scanned = Signal(str)  # a code to look up as a barcode (scanner burst, or barcode + Enter)
    search_changed = Signal(str)  # the text to show live results for ("" = none)
    activated = Signal(str)  # Enter on typed text: take the highlighted result
    navigate = Signal(int)  # Up (-1) / Down (+1) / PageUp (-10) / PageDown (+10)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchInput")
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._emit_search)
        self._first_key = 0.0
        self._last_key = 0.0
        self._burst = True  # every gap so far was a scanner's
        self.textEdited.connect(self._edited)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setPlaceholderText(self.tr("Scan a barcode or type a name / code (F3)"))

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _edited(self, text: str) -> None:
        if not text:
            self._timer.stop()
            self.search_changed.emit("")
            return
        self._timer.start()

    def _emit_search(self) -> None:
        self.search_changed.emit(self.text().strip())

    @property
    def typed_in_burst(self) -> bool:
        """Whether the current text came in as a scanner's burst."""
        return self._burst and len(self.text()) >= 4

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self._enter()
            return
        moves = {
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_PageUp: -10,
            Qt.Key.Key_PageDown: 10,
        }
        if key in moves:
            event.accept()
            self.navigate.emit(moves[Qt.Key(key)])
            return
        if event.text() and event.text().isprintable():
            now = time.monotonic()
            if not self.text():
                self._first_key = now
                self._burst = True
            elif now - self._last_key > SCANNER_GAP:
                self._burst = False
            self._last_key = now
        super().keyPressEvent(event)

    def _enter(self) -> None:
        text = self.text().strip()
        self._timer.stop()
        if not text:
            self.activated.emit("")
            return
        if looks_like_barcode(text) or (self.typed_in_burst and text.isdigit()):
            self.clear()
            self.search_changed.emit("")
            self.scanned.emit(text)
            return
        self.activated.emit(text)

    def reset(self) -> None:
        """Empty, ready for the next scan."""
        self._timer.stop()
        if self.text():
            self.clear()
            self.search_changed.emit("")
