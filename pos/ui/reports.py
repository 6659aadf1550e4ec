"""X- and Z-reports: the shift's totals, and closing the shift after counting the drawer.

Why the Z-report is three steps (count → confirm → report): closing a shift cannot be undone,
and a shortage noticed after the Z-report can no longer be looked for in this shift, so the
difference between the counted and the expected cash is shown, coloured, before anything is
sent, and the cashier confirms once more. The totals come from the register (the journal's own,
and the server's when it could be asked); the paper layout is ``pos.printing``'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pos.domain.money import format_money
from pos.printing.html import report_html
from pos.register.errors import RegisterError
from pos.register.status import ShiftReportView
from pos.ui.asyncio_qt import async_slot
from pos.ui.cash_count import CashCountWidget
from pos.ui.messages import show_error
from pos.ui.receipt_dialog import (
    ERROR_STYLE,
    OK_STYLE,
    PREVIEW_FONT_PT,
    WARN_STYLE,
    KeyDialog,
    buttons_row,
    receipt_header,
)
from pos.ui.register_writes import asked
from pos.ui.widgets import MoneyEdit

if TYPE_CHECKING:
    from pos.app import RunningRegister
    from pos.journal.records import Shift

PAYMENT_TOTALS = (
    "sell_sum",
    "return_sum",
    "service_in",
    "service_out",
    "cash_withdrawal",
    "cash_withdrawal_commission",
)
TAX_TOTALS = ("sell_sum", "return_sum", "sales_turnover", "returns_turnover")


def _number(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def report_differences(
    local: Mapping[str, Any], server: Mapping[str, Any]
) -> list[tuple[str, int, int]]:
    """Where the server's report differs from the journal's: (field, journal, server).

    Compared to the kopeck: every top-level total of the journal's report, each payment type's
    totals, and each tax rate's turnovers and taxes (a rate missing on one side counts as 0)."""
    found: list[tuple[str, int, int]] = []
    for key, value in local.items():
        mine = _number(value)
        if mine is None:
            continue
        theirs = _number(server.get(key)) or 0
        if mine != theirs:
            found.append((key, mine, theirs))
    groups: tuple[tuple[str, str, tuple[str, ...]], ...] = (
        ("payments", "type", PAYMENT_TOTALS),
        ("taxes", "code", TAX_TOTALS),
    )
    for group, by, fields in groups:
        mine_rows = {str(row.get(by)): row for row in local.get(group) or ()}
        their_rows = {str(row.get(by)): row for row in server.get(group) or ()}
        for name in sorted(set(mine_rows) | set(their_rows)):
            a, b = mine_rows.get(name, {}), their_rows.get(name, {})
            for field in fields:
                left, right = _number(a.get(field)) or 0, _number(b.get(field)) or 0
                if left != right:
                    found.append((f"{group}.{name}.{field}", left, right))
    return found


def expected_cash(service: Any) -> tuple[Shift | None, dict[str, Any], int]:
    """(the open shift, its journal totals, receipts not yet settled), off the GUI thread."""
    shift = service.current_shift()
    if shift is None:
        return None, {}, 0
    local, pending = service.local_report(shift)
    return shift, local, pending


def _big(label: QLabel, extra: int = 4) -> QLabel:
    font = QFont(label.font())
    font.setPointSize(font.pointSize() + extra)
    font.setBold(True)
    label.setFont(font)
    return label


class ReportDialog(KeyDialog):
    """``z=False``: the X-report of the open shift. ``z=True``: count the drawer, see the
    difference, confirm, close the shift, see and print the Z-report; ``shift_closed(view)``
    is emitted once the register has closed it."""

    shift_closed = Signal(object)

    def __init__(self, running: RunningRegister, z: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._running = running
        self.z = z
        self.view: ShiftReportView | None = None
        self.expected = 0
        self.expected_known = False
        """Whether ``expected`` is the register's answer (not yet when the dialog opens)."""
        self.shift: Shift | None = None
        self.setWindowTitle(self.tr("Z-report: close the shift") if z else self.tr("X-report"))
        self.resize(900, 720)

        self.pages = QStackedWidget()
        self.report_page = self._report_page()
        if z:
            self.count_page = self._count_page()
            self.confirm_page = self._confirm_page()
            self.pages.addWidget(self.count_page)
            self.pages.addWidget(self.confirm_page)
        self.pages.addWidget(self.report_page)
        self.pages.currentChanged.connect(lambda _i: self._show_buttons())

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.notice)
        self._show_buttons()
        if z:
            self.next_button.setEnabled(False)  # until the register says what is expected
            self.expected_label.setText("…")
            self._load_expected()
            self.counter.focus_first()
        else:
            self.refresh()  # a task: it starts once the dialog is on screen

    # --- pages -----------------------------------------------------------------------------

    def _report_page(self) -> QWidget:
        page = QWidget()
        self.agreement = QLabel()
        self.agreement.setWordWrap(True)
        self.pending = QLabel()
        self.pending.setWordWrap(True)
        self.pending.setStyleSheet(WARN_STYLE)
        self.pending.hide()
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.print_button = self.key_button(self.tr("Print"), Qt.Key.Key_F2, self.print_report)
        self.pdf_button = self.key_button(self.tr("Save PDF"), Qt.Key.Key_F3, self.ask_pdf)
        self.refresh_button = self.key_button(self.tr("Refresh"), Qt.Key.Key_F5, self.refresh)
        self.close_button = self.key_button(self.tr("Close"), Qt.Key.Key_Escape, self.reject)
        self.refresh_button.setVisible(not self.z)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.agreement)
        layout.addWidget(self.pending)
        layout.addWidget(self.preview, 1)
        layout.addLayout(
            buttons_row(self.print_button, self.pdf_button, self.refresh_button, self.close_button)
        )
        return page

    def _count_page(self) -> QWidget:
        page = QWidget()
        title = _big(QLabel(self.tr("Count the cash in the drawer")))
        self.counter = CashCountWidget()
        self.counter.total_changed.connect(lambda _total: self._show_difference())
        self.expected_label = _big(QLabel(), 2)
        self.counted_label = _big(QLabel(), 2)
        self.difference_label = _big(QLabel(), 2)
        self.difference_text = QLabel()
        self.difference_text.setWordWrap(True)
        self.count_pending = QLabel()
        self.count_pending.setWordWrap(True)
        self.count_pending.setStyleSheet(WARN_STYLE)
        self.count_pending.hide()
        figures = QFormLayout()
        figures.addRow(self.tr("Expected:"), self.expected_label)
        figures.addRow(self.tr("Counted:"), self.counted_label)
        figures.addRow(self.tr("Difference:"), self.difference_label)
        # The cash collection (інкасація): taken out as a service out before the Z; what is left
        # is the balance Checkbox carries into the next shift's float.
        self.collect_edit = MoneyEdit()
        self.collect_edit.textChanged.connect(lambda _text: self._show_difference())
        self.collect_all_button = QPushButton(self.tr("All"))
        self.collect_all_button.setAutoDefault(False)
        self.collect_all_button.clicked.connect(self.collect_all)
        self.collect_counted_button = QPushButton(self.tr("Counted"))
        self.collect_counted_button.setAutoDefault(False)
        self.collect_counted_button.clicked.connect(self.collect_counted)
        self.collect_edit.setMinimumWidth(90)
        collect_buttons = QHBoxLayout()
        collect_buttons.addWidget(self.collect_all_button)
        collect_buttons.addWidget(self.collect_counted_button)
        self.left_label = _big(QLabel(), 2)
        collection = QFormLayout()
        # Labels above their fields: the Ukrainian "Залишиться на наступну зміну:" beside a field
        # pushed the dialog past a 1024 px screen.
        collection.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        collection.addRow(self.tr("Cash collection:"), self.collect_edit)
        collection.addRow(self.tr("Left for the next shift:"), self.left_label)
        side = QVBoxLayout()
        side.addLayout(figures)
        side.addLayout(collection)
        side.addLayout(collect_buttons)
        side.addWidget(self.difference_text)
        side.addWidget(self.count_pending)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.counter, 3)
        body.addLayout(side, 2)
        self.next_button = self.key_button(
            self.tr("Close the shift…"), Qt.Key.Key_Return, self.to_confirm
        )
        self.cancel_button = self.key_button(self.tr("Cancel"), Qt.Key.Key_Escape, self.reject)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addLayout(body, 1)
        layout.addLayout(buttons_row(self.next_button, self.cancel_button))
        return page

    def _confirm_page(self) -> QWidget:
        page = QWidget()
        self.question = _big(QLabel(), 4)
        self.question.setWordWrap(True)
        self.summary = _big(QLabel(), 2)
        self.summary.setWordWrap(True)
        warning = QLabel(
            self.tr(
                "After the Z-report no more receipts can be made in this shift. "
                "This cannot be undone."
            )
        )
        warning.setWordWrap(True)
        self.close_shift_button = self.key_button(
            self.tr("Close the shift"), Qt.Key.Key_Return, self.close_shift
        )
        self.back_button = self.key_button(self.tr("Back"), Qt.Key.Key_Escape, self.back)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.question)
        layout.addWidget(self.summary)
        layout.addWidget(warning)
        layout.addStretch(2)
        layout.addLayout(buttons_row(self.close_shift_button, self.back_button))
        return page

    def _show_buttons(self) -> None:
        """Only the current page's buttons take keys (Esc means Back on the confirm page)."""
        self._keys = {}
        page = self.pages.currentWidget()
        buttons = {
            Qt.Key.Key_F2: self.print_button,
            Qt.Key.Key_F3: self.pdf_button,
            Qt.Key.Key_F5: self.refresh_button,
            Qt.Key.Key_Escape: self.close_button,
        }
        if self.z and page is self.count_page:
            buttons = {Qt.Key.Key_Escape: self.cancel_button}
        elif self.z and page is self.confirm_page:
            buttons = {Qt.Key.Key_Escape: self.back_button}
        self._keys = {int(key): button for key, button in buttons.items()}

    # --- X ---------------------------------------------------------------------------------

    @async_slot()
    async def refresh(self) -> None:
        """Ask the register for the X-report (its server's too, when it is reachable)."""
        self.set_busy(True, self.tr("Making the X-report…"))
        try:
            view = await self._running.service.x_report()
        except RegisterError as error:
            if not shiboken6.isValid(self):
                return  # closed while the register worked
            self.set_busy(False)
            self.show_notice(self.tr("The X-report could not be made."), ERROR_STYLE)
            show_error(self, error)
            return
        if not shiboken6.isValid(self):
            return  # closed while the register worked
        self.set_busy(False)
        self.show_notice("")
        self.show_report(view)

    def show_report(self, view: ShiftReportView) -> None:
        self.view = view
        self.preview.setHtml(self.html(font_pt=PREVIEW_FONT_PT))
        if view.server is None:
            self.agreement.setText(
                self.tr(
                    "The server's report is not available (the register works offline): these "
                    "are the register's own totals."
                )
            )
            self.agreement.setStyleSheet(WARN_STYLE)
        else:
            differences = report_differences(view.local, view.server)
            if not differences:
                self.agreement.setText(
                    self.tr("The register's totals and the server's agree to the kopeck.")
                )
                self.agreement.setStyleSheet(OK_STYLE)
            else:
                items = "; ".join(
                    self.tr("{field}: register {local}, server {server}").format(
                        field=name, local=format_money(mine), server=format_money(theirs)
                    )
                    for name, mine, theirs in differences
                )
                self.agreement.setText(
                    self.tr("The register's totals differ from the server's: {items}").format(
                        items=items
                    )
                )
                self.agreement.setStyleSheet(ERROR_STYLE)
        self.pending.setVisible(bool(view.pending))
        self.pending.setText(
            self.tr("{count} receipt(s) are not settled yet and are not in these totals.").format(
                count=view.pending
            )
        )

    def _printed_report(self) -> Mapping[str, Any]:
        view = self.view
        assert view is not None
        return view.server or view.local

    def html(self, *, font_pt: float = 8.0) -> str:
        view = self.view
        if view is None:
            return ""
        shift = view.shift
        closed_at = shift.closed_at if (view.z and shift is not None) else None
        return report_html(
            self._printed_report(),
            z=view.z,
            header=receipt_header(self._running),
            shift_serial=shift.serial if shift is not None else None,
            opened_at=shift.opened_at if shift is not None else None,
            closed_at=closed_at or datetime.now(UTC),
            counted_cash=view.counted_cash,
            font_pt=font_pt,
        )

    def rows(self) -> list[Any]:
        """The report's layout rows, for the ESC/POS receipt printer."""
        from pos.printing.layout import report_rows

        view = self.view
        if view is None:
            return []
        shift = view.shift
        closed_at = shift.closed_at if (view.z and shift is not None) else None
        return report_rows(
            self._printed_report(),
            z=view.z,
            header=receipt_header(self._running),
            shift_serial=shift.serial if shift is not None else None,
            opened_at=shift.opened_at if shift is not None else None,
            closed_at=closed_at or datetime.now(UTC),
            counted_cash=view.counted_cash,
        )

    def print_report(self) -> None:
        if self.view is not None:
            what = self.tr("The Z-report") if self.z else self.tr("The X-report")
            self.print_document(self.html(), self._running.config, what, rows=self.rows())

    def ask_pdf(self) -> None:
        if self.view is None:
            return
        serial = self.view.shift.serial if self.view.shift is not None else None
        name = f"{'z' if self.z else 'x'}-report-{serial or 'shift'}.pdf"
        self.ask_pdf_path(name, self.save_pdf_to)

    def save_pdf_to(self, path: Path) -> bool:
        return self.write_pdf(self.html(), path, self._running.config)

    # --- Z ---------------------------------------------------------------------------------

    @async_slot()
    async def _load_expected(self) -> None:
        """The cash the register expects in the drawer, asked of the register without waiting
        for it (it may still be uploading): the count can be typed meanwhile, only "Close the
        shift" waits for the answer."""
        service = self._running.service
        shift, local, pending = await asked(service, lambda: expected_cash(service))
        if not shiboken6.isValid(self):
            return  # closed while the register worked
        self.shift = shift
        if shift is None:
            self.show_notice(self.tr("No shift is open."), ERROR_STYLE)
            return
        self.expected = int(local.get("balance", 0))
        self.expected_known = True
        self.next_button.setEnabled(True)
        self.count_pending.setVisible(bool(pending))
        self.count_pending.setText(
            self.tr(
                "{count} receipt(s) are not settled yet: the register sends them before closing."
            ).format(count=pending)
        )
        self._show_difference()

    def difference(self) -> int:
        return self.counter.total() - self.expected

    def _difference_texts(self) -> tuple[str, str, str]:
        """(signed amount, sentence, style) of counted − expected."""
        diff = self.difference()
        amount = format_money(diff) if diff <= 0 else f"+{format_money(diff)}"
        if diff == 0:
            return amount, self.tr("The cash matches."), OK_STYLE
        if diff < 0:
            text = self.tr("Short by {amount}: count again before closing.")
            return amount, text.format(amount=format_money(-diff)), ERROR_STYLE
        text = self.tr("Over by {amount}: count again before closing.")
        return amount, text.format(amount=format_money(diff)), WARN_STYLE

    def collection(self) -> int:
        """The cash collection typed (kopecks; 0 when none)."""
        return self.collect_edit.value() or 0

    def collect_all(self) -> None:
        """Take the whole balance the register expects in the drawer."""
        self.collect_edit.set_value(max(self.expected, 0))

    def collect_counted(self) -> None:
        """Take what was counted (never more than the register's balance: Checkbox refuses)."""
        self.collect_edit.set_value(max(min(self.counter.total(), self.expected), 0))

    def _show_difference(self) -> None:
        if not self.expected_known:
            self.counted_label.setText(format_money(self.counter.total()))
            return
        self.left_label.setText(format_money(self.expected - self.collection()))
        self.left_label.setStyleSheet(ERROR_STYLE if self.collection() > self.expected else "")
        amount, text, style = self._difference_texts()
        self.expected_label.setText(format_money(self.expected))
        self.counted_label.setText(format_money(self.counter.total()))
        self.difference_label.setText(amount)
        self.difference_label.setStyleSheet(style)
        self.difference_text.setText(text)
        self.difference_text.setStyleSheet(style)

    def to_confirm(self) -> None:
        if not self.expected_known:
            return  # before the register said what the drawer holds
        if self.collection() > self.expected:
            self.show_notice(
                self.tr(
                    "The cash collection ({amount}) is more than the drawer holds ({balance})."
                ).format(
                    amount=format_money(self.collection()), balance=format_money(self.expected)
                ),
                ERROR_STYLE,
            )
            return
        shift = self.shift
        serial = shift.serial if shift is not None and shift.serial is not None else "—"
        self.question.setText(
            self.tr("Close shift No. {serial} and make the Z-report?").format(serial=serial)
        )
        amount, text, style = self._difference_texts()
        self.summary.setText(
            self.tr("Expected {expected}, counted {counted}, difference {difference}.").format(
                expected=format_money(self.expected),
                counted=format_money(self.counter.total()),
                difference=amount,
            )
            + "\n"
            + text
            + self._collection_text()
        )
        self.summary.setStyleSheet(style)
        self.pages.setCurrentWidget(self.confirm_page)
        self.show_notice("")

    def _collection_text(self) -> str:
        if not self.collection():
            return ""
        return "\n" + self.tr(
            "Cash collection {amount} goes out before the Z-report; {left} stays for the next "
            "shift."
        ).format(
            amount=format_money(self.collection()),
            left=format_money(self.expected - self.collection()),
        )

    def back(self) -> None:
        self.pages.setCurrentWidget(self.count_page)
        self.counter.focus_first()

    @async_slot()
    async def close_shift(self) -> None:
        counted = self.counter.total()
        self.set_busy(True, self.tr("Closing the shift… (what is still queued is sent first)"))
        try:
            view = await self._running.service.close_shift(counted, collect=self.collection())
        except RegisterError as error:
            self.set_busy(False)
            self.show_notice(self.tr("The shift is still open."), ERROR_STYLE)
            self.back()
            show_error(self, error)
            return
        if not shiboken6.isValid(self):
            return  # closed while the register worked
        self.set_busy(False)
        self.show_notice("")
        self.show_report(view)
        self.pages.setCurrentWidget(self.report_page)
        self.shift_closed.emit(view)

    # --- keys ------------------------------------------------------------------------------

    def enter_pressed(self) -> None:
        page = self.pages.currentWidget()
        if self.z and page is self.count_page:
            if self.next_button.isEnabled():
                self.to_confirm()
        elif self.z and page is self.confirm_page:
            self.close_shift()
        else:
            self.reject()
