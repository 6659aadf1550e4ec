"""The manager's list of offline transactions the server refused for good ("set aside").

Why it exists: an offline receipt the tax service will never accept must not block the upload of
everything after it, so the register sets it aside and goes on; somebody has to look at it, and
this list (read-only, with the server's own words) is where the manager sees it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos.journal.records import QueueEntry, QueueKind
from pos.ui.asyncio_qt import async_slot
from pos.ui.register_writes import asked

if TYPE_CHECKING:
    from pos.app import RunningRegister


class SetAsideList(QWidget):
    """A read-only table of ``service.set_aside()``; ``refresh()`` reads it again."""

    def __init__(self, running: RunningRegister, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._running = running
        self.entries: list[QueueEntry] = []
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("No."),
                self.tr("What"),
                self.tr("Receipt or shift"),
                self.tr("Fiscal code"),
                self.tr("The server's answer"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.refresh()

    def _kind_text(self, kind: QueueKind) -> str:
        texts = {
            QueueKind.GO_OFFLINE: self.tr("going offline"),
            QueueKind.SHIFT_OPEN: self.tr("shift opening"),
            QueueKind.SHIFT_CLOSE: self.tr("shift closing (Z-report)"),
            QueueKind.RECEIPT: self.tr("receipt"),
            QueueKind.GO_ONLINE: self.tr("going online"),
        }
        return texts.get(kind, str(kind))

    # Not exclusive: a refresh asked while one is on its way reads the list again after it.
    @async_slot(exclusive=False)
    async def refresh(self) -> None:
        """Read by the register and shown when it answers (the settings open at once)."""
        service = self._running.service
        entries: list[QueueEntry] = await asked(service, lambda: service.set_aside())
        if not shiboken6.isValid(self):
            return
        self.entries = entries
        if self.entries:
            self.summary.setText(
                self.tr(
                    "{count} offline transaction(s) were refused by the server and set aside. "
                    "The rest were uploaded. Check each one with Checkbox support."
                ).format(count=len(self.entries))
            )
        else:
            self.summary.setText(self.tr("No problems: every offline transaction was accepted."))
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            cells = [
                str(entry.seq),
                self._kind_text(entry.kind),
                entry.subject_id,
                entry.fiscal_code or "",
                entry.error or "",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
