"""The status bar's words and colours, and the banners the limits raise."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos.register.connectivity import ConnectivityState
from pos.register.errors import Refusal, RegisterError
from pos.register.limits import Level, Limit, LimitWarning
from pos.register.status import RegisterStatus
from pos.ui.i18n import Translations
from pos.ui.messages import refusal_text
from pos.ui.status_bar import BannerArea, RegisterStatusBar, banner_texts


def status(**changes: object) -> RegisterStatus:
    values: dict[str, object] = {
        "state": ConnectivityState.ONLINE,
        "queued": 0,
        "codes_left": 480,
        "offline_seconds_left": 36 * 3600,
        "month_offline_seconds_left": 168 * 3600,
        "shift_seconds_left": 23 * 3600 + 59 * 60,
        "shift": None,
        "signed_in": True,
        "cashier_name": "Тестовий касир",
    }
    values.update(changes)
    return RegisterStatus(**values)  # type: ignore[arg-type]


def test_every_state_has_words_and_a_colour(qtbot: QtBot) -> None:
    bar = RegisterStatusBar()
    qtbot.addWidget(bar)
    seen = set()
    for state in ConnectivityState:
        bar.show_status(status(state=state, queued=3))
        assert bar.state == state.value
        assert bar.connectivity.property("state") == state.value
        seen.add(bar.connectivity.text())
    assert len(seen) == len(ConnectivityState)
    assert bar.queue.text() == "Queue: 3"
    assert bar.codes.text() == "Codes: 480"
    assert bar.shift.text() == "Shift: 23 h 59 min left"
    assert bar.offline_left.text() == "Offline left: 36 h 00 min"


def test_limits_become_banners(qtbot: QtBot) -> None:
    area = BannerArea()
    qtbot.addWidget(area)
    area.show()
    warnings = (
        LimitWarning(Limit.SHIFT_AGE, Level.WARNING, 45 * 60),
        LimitWarning(Limit.OFFLINE_PERIOD, Level.STOP, 4 * 60),
        LimitWarning(Limit.OFFLINE_CODES, Level.WARNING, 12),
    )
    area.show_status(
        status(state=ConnectivityState.LOCAL_OFFLINE, warnings=warnings, recovering=("a", "b"))
    )
    texts = area.texts()
    assert len(texts) == 4
    assert "36 h" in texts[0]  # the stop comes first, in red
    assert area.labels[0].property("banner") == "stop"
    assert any("F10" in text and "45 min" in text for text in texts)
    assert any("12" in text for text in texts)
    assert any("Recovering 2" in text for text in texts)
    assert area.isVisible()
    area.show_status(status())
    assert area.texts() == []
    assert not area.isVisible()


def test_no_code_warning_before_sign_in() -> None:
    empty_pool = (LimitWarning(Limit.OFFLINE_CODES, Level.STOP, 0),)
    assert banner_texts(status(signed_in=False, warnings=empty_pool)) == []
    assert banner_texts(status(signed_in=True, warnings=empty_pool))


def test_receipts_awaiting_checkbox_raise_a_banner_in_both_languages(qapp: QApplication) -> None:
    """A receipt a stopped run left sending is not issued offline: the cashier is told it
    awaits Checkbox (not to sell it again), and that the Z-report waits for it."""
    assert not [t for _, t in banner_texts(status()) if "Checkbox" in t and "await" in t]
    waiting = status(awaiting_checkbox=("r1", "r2"))
    (english,) = [t for level, t in banner_texts(waiting) if level == "warning"]
    assert english.startswith("2 receipt(s)")
    assert "do not sell them again" in english
    assert "Z-report" in english
    translations = Translations(qapp)
    try:
        assert translations.install("uk") == "uk"
        (ukrainian,) = [t for level, t in banner_texts(waiting) if level == "warning"]
        assert "(2)" in ukrainian
        assert "не продавайте їх повторно" in ukrainian
        text = refusal_text(RegisterError(Refusal.AWAITING_CHECKBOX, count=1))
        assert text.startswith("Чеки цієї зміни (1)")
    finally:
        translations.uninstall()
    text = refusal_text(RegisterError(Refusal.AWAITING_CHECKBOX, count=1))
    assert text.startswith("1 receipt(s) of this shift")
