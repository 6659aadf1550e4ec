"""What the register is doing, always on screen: the status bar and the warning banners.

Why one place: connectivity is a small enum (``ConnectivityState``) and this module is the one
place that turns it into words and a colour (online green, tax service offline amber, offline
red, uploading/going online blue); the limits' warnings (36 h offline period, 168 h a month, the
24 h shift, offline codes) become coloured bands across the top of the window that the cashier
cannot miss. Both only read ``RegisterStatus``; nothing here asks the register anything.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget
from typing_extensions import override

from pos.register.connectivity import ConnectivityState
from pos.register.limits import Level, Limit, LimitWarning
from pos.register.status import RegisterStatus
from pos.ui.messages import format_duration


def state_text(status: RegisterStatus) -> str:
    """The connectivity state in the cashier's words."""
    state = status.state
    if state is ConnectivityState.ONLINE:
        return QCoreApplication.translate("StatusBar", "Online")
    if state is ConnectivityState.SERVER_OFFLINE:
        return QCoreApplication.translate("StatusBar", "Tax service offline")
    if state is ConnectivityState.LOCAL_OFFLINE:
        return (
            QCoreApplication.translate("StatusBar", "Offline (by the manager)")
            if status.forced_offline
            else QCoreApplication.translate("StatusBar", "Offline")
        )
    if state is ConnectivityState.UPLOADING:
        return QCoreApplication.translate("StatusBar", "Uploading offline receipts…")
    return QCoreApplication.translate("StatusBar", "Going online…")


def state_tooltip(state: ConnectivityState) -> str:
    texts = {
        ConnectivityState.ONLINE: QCoreApplication.translate(
            "StatusBar", "Receipts are fiscalised online through Checkbox."
        ),
        ConnectivityState.SERVER_OFFLINE: QCoreApplication.translate(
            "StatusBar",
            "Checkbox is reachable but the tax service is not: Checkbox issues receipts with "
            "its offline codes. Selling goes on.",
        ),
        ConnectivityState.LOCAL_OFFLINE: QCoreApplication.translate(
            "StatusBar",
            "Checkbox cannot be reached: receipts are fiscalised here with offline codes and "
            "uploaded later. Selling goes on.",
        ),
        ConnectivityState.UPLOADING: QCoreApplication.translate(
            "StatusBar", "Offline receipts are being sent, in order."
        ),
        ConnectivityState.GOING_ONLINE: QCoreApplication.translate(
            "StatusBar", "All sent; waiting for the register to be online."
        ),
    }
    return texts[state]


def warning_text(warning: LimitWarning) -> str:
    """A limit warning as a banner says it, with what to do."""
    left = format_duration(warning.left)
    stop = warning.level is Level.STOP
    if warning.limit is Limit.OFFLINE_PERIOD:
        if stop:
            return QCoreApplication.translate(
                "StatusBar",
                "The 36 h offline limit is reached: selling offline is stopped. Restore the "
                "connection so the receipts can be uploaded.",
            )
        return QCoreApplication.translate(
            "StatusBar",
            "Offline for a long time: {left} left of the 36 h limit. Restore the connection.",
        ).format(left=left)
    if warning.limit is Limit.OFFLINE_MONTH:
        if stop:
            return QCoreApplication.translate(
                "StatusBar",
                "The 168 h monthly offline limit is reached: selling offline is stopped.",
            )
        return QCoreApplication.translate(
            "StatusBar", "Offline time this month: {left} left of 168 h."
        ).format(left=left)
    if warning.limit is Limit.SHIFT_AGE:
        if stop:
            return QCoreApplication.translate(
                "StatusBar", "The shift's day is over: make the Z-report (F10) now."
            )
        return QCoreApplication.translate(
            "StatusBar", "The shift must close in {left}: make the Z-report (F10) soon."
        ).format(left=left)
    if stop:
        return QCoreApplication.translate(
            "StatusBar",
            "Offline codes are used up ({count} left): the register cannot work offline. "
            "Restore the connection.",
        ).format(count=warning.left)
    return QCoreApplication.translate(
        "StatusBar", "Only {count} offline codes left: restore the connection to get more."
    ).format(count=warning.left)


def banner_texts(status: RegisterStatus) -> list[tuple[str, str]]:
    """(level, text) of every banner due: "stop" red, "warning" amber, "info" blue."""
    banners: list[tuple[str, str]] = []
    for warning in sorted(status.warnings, key=lambda w: w.level is not Level.STOP):
        if warning.limit is Limit.OFFLINE_CODES and not status.signed_in:
            continue  # the pool is filled at sign-in: nothing the cashier can do before it
        level = "stop" if warning.level is Level.STOP else "warning"
        banners.append((level, warning_text(warning)))
    if status.recovering:
        banners.append(
            (
                "info",
                QCoreApplication.translate(
                    "StatusBar", "Recovering {count} unfinished operation(s) from the last run…"
                ).format(count=len(status.recovering)),
            )
        )
    if status.awaiting_checkbox:
        banners.append(
            (
                "warning",
                QCoreApplication.translate(
                    "StatusBar",
                    "{count} receipt(s) from before the register stopped await Checkbox's "
                    "answer: do not sell them again; the register asks Checkbox by itself, and "
                    "the Z-report waits for them.",
                ).format(count=len(status.awaiting_checkbox)),
            )
        )
    if status.set_aside:
        banners.append(
            (
                "warning",
                QCoreApplication.translate(
                    "StatusBar",
                    "{count} offline transaction(s) were refused by the server: call the manager.",
                ).format(count=status.set_aside),
            )
        )
    if status.journal_behind:
        banners.append(
            (
                "stop",
                QCoreApplication.translate(
                    "StatusBar",
                    "This journal may be behind Checkbox (restored, copied or recreated): no "
                    "offline receipts until the register has reconciled online.",
                ),
            )
        )
    if status.codes_unreconciled:
        banners.append(
            (
                "warning",
                QCoreApplication.translate(
                    "StatusBar",
                    "Checkbox used offline codes on its own: offline receipts wait until the "
                    "code pool is reconciled online.",
                ),
            )
        )
    if status.clock_skew_seconds is not None:
        banners.append(
            (
                "stop",
                QCoreApplication.translate(
                    "StatusBar",
                    "This PC's clock differs from Checkbox's by {minutes} min: check the time; "
                    "offline receipts wait until it is confirmed.",
                ).format(minutes=round(status.clock_skew_seconds / 60)),
            )
        )
    return banners


class BannerArea(QWidget):
    """Coloured bands at the top of the window, one per warning."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banners")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self.labels: list[QLabel] = []
        self._status: RegisterStatus | None = None
        self.hide()

    def show_status(self, status: RegisterStatus) -> None:
        self._status = status
        banners = banner_texts(status)
        while len(self.labels) < len(banners):
            label = QLabel(self)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._layout.addWidget(label)
            self.labels.append(label)
        for index, label in enumerate(self.labels):
            if index < len(banners):
                level, text = banners[index]
                if label.property("banner") != level:
                    label.setProperty("banner", level)
                    label.style().unpolish(label)
                    label.style().polish(label)
                label.setText(text)
                label.show()
            else:
                label.hide()
        self.setVisible(bool(banners))

    def texts(self) -> list[str]:
        return [label.text() for label in self.labels if not label.isHidden()]

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self._status is not None:
            self.show_status(self._status)
        super().changeEvent(event)


class RegisterStatusBar(QWidget):
    """Connectivity in words and colour, offline time left, codes, queue, shift time left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registerStatus")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.connectivity = QLabel(self)
        self.connectivity.setObjectName("connectivity")
        self.offline_left = QLabel(self)
        self.offline_left.setObjectName("offlineLeft")
        self.codes = QLabel(self)
        self.codes.setObjectName("codesLeft")
        self.queue = QLabel(self)
        self.queue.setObjectName("queued")
        self.shift = QLabel(self)
        self.shift.setObjectName("shiftLeft")
        self.cashier = QLabel(self)
        self.cashier.setObjectName("cashier")
        self.backoffice = QLabel(self)
        self.backoffice.setObjectName("backoffice")
        self.backoffice.hide()  # shown when the register pushes to a shop database
        self._backoffice: Any = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.setSpacing(18)
        for label in (self.connectivity, self.offline_left, self.codes, self.queue, self.shift):
            layout.addWidget(label)
        layout.addStretch(1)
        layout.addWidget(self.backoffice)
        layout.addWidget(self.cashier)
        self._status: RegisterStatus | None = None

    def show_backoffice(self, status: Any) -> None:
        """The push to the shop database (a ``PushStatus``, or None when there is none): only a
        note; the register sells the same whether the database answers or not."""
        self._backoffice = status
        if status is None:
            self.backoffice.hide()
            return
        if not status.connected and not status.error:
            text = QCoreApplication.translate("StatusBar", "Back office: connecting…")
        elif status.connected:
            text = QCoreApplication.translate("StatusBar", "Back office: up to date")
            if status.pending:
                text = QCoreApplication.translate("StatusBar", "Back office: sending {count}")
        else:
            text = QCoreApplication.translate(
                "StatusBar", "Back office: unreachable, {count} waiting"
            )
        self.backoffice.setText(text.format(count=status.pending))
        self.backoffice.setProperty("connected", bool(status.connected))
        self.backoffice.show()

    def show_status(self, status: RegisterStatus) -> None:
        self._status = status
        state = status.state.value
        if self.connectivity.property("state") != state:
            self.connectivity.setProperty("state", state)
            self.connectivity.style().unpolish(self.connectivity)
            self.connectivity.style().polish(self.connectivity)
        self.connectivity.setText(state_text(status))
        # The pill's style-sheet padding is not in a label's size hint: without this the words
        # were cut off ("Вивантаження офлайн-ч") when the bar is full.
        self.connectivity.ensurePolished()
        words = self.connectivity.fontMetrics().horizontalAdvance(self.connectivity.text())
        self.connectivity.setMinimumWidth(words * 11 // 10 + 2 * 10 + 8)
        self.connectivity.setToolTip(state_tooltip(status.state))
        self.offline_left.setText(
            QCoreApplication.translate("StatusBar", "Offline left: {left}").format(
                left=format_duration(status.offline_seconds_left)
            )
        )
        self.offline_left.setToolTip(
            QCoreApplication.translate("StatusBar", "This month: {left} of 168 h left").format(
                left=format_duration(status.month_offline_seconds_left)
            )
        )
        self.codes.setText(
            QCoreApplication.translate("StatusBar", "Codes: {count}").format(
                count=status.codes_left
            )
        )
        self.queue.setText(
            QCoreApplication.translate("StatusBar", "Queue: {count}").format(count=status.queued)
        )
        if status.shift_seconds_left is None:
            self.shift.setText(QCoreApplication.translate("StatusBar", "Shift: closed"))
        else:
            self.shift.setText(
                QCoreApplication.translate("StatusBar", "Shift: {left} left").format(
                    left=format_duration(status.shift_seconds_left)
                )
            )
        self.cashier.setText(status.cashier_name or "")

    @property
    def state(self) -> str:
        """The connectivity state shown (the colour follows it), for tests and screenshots."""
        value = self.connectivity.property("state")
        return str(value) if value else ""

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self._status is not None:
            self.show_status(self._status)
            self.show_backoffice(self._backoffice)
        super().changeEvent(event)
