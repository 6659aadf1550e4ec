"""The status bar's back-office note: connecting, up to date, sending, unreachable; hidden when
the register has no back office."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pos.backoffice.push import PushStatus
from pos.ui.status_bar import RegisterStatusBar


def test_the_note_follows_the_push(qtbot: QtBot) -> None:
    bar = RegisterStatusBar()
    qtbot.addWidget(bar)
    bar.show()
    assert not bar.backoffice.isVisible()
    for status, words in (
        (PushStatus(connected=False, pending=0), "connecting"),
        (PushStatus(connected=True, pending=0), "up to date"),
        (PushStatus(connected=True, pending=3), "sending 3"),
        (PushStatus(connected=False, pending=7, error="OperationalError"), "unreachable, 7"),
    ):
        bar.show_backoffice(status)
        assert bar.backoffice.isVisible()
        assert words in bar.backoffice.text()
    bar.show_backoffice(None)
    assert not bar.backoffice.isVisible()
