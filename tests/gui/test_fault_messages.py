"""The training "Checkbox fault" drill: each fault gives the cashier the message it needs (what
happened, what is lost or not, what to do), chosen by the register's error mapping
(``pos.checkbox.errors`` → ``RegisterError.params["kind"]``), in English and Ukrainian."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.domain.receipt import PaymentType
from pos.register.cart import Cart, Tender
from pos.register.errors import RegisterError
from pos.sandbox.server import RunningSandbox
from pos.ui.i18n import Translations
from pos.ui.messages import refusal_text, show_error

from .helpers import TIMEOUT, open_window

BREAD = "1005"


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    installed = Translations(qapp)
    yield installed
    installed.uninstall()  # the other tests read English source texts


def _sell(aw: Callable[..., Any], running: RunningRegister) -> RegisterError:
    service = running.service
    item = service.item(BREAD)
    assert item is not None
    cart = Cart()
    cart.add(item)
    tender = Tender(PaymentType.CASHLESS, cart.total)
    with pytest.raises(RegisterError) as refused:
        aw(service.sell(cart, [tender]))
    return refused.value


@pytest.mark.parametrize(
    ("fault", "kind", "english", "ukrainian"),
    [
        ("receipt_error", "ReceiptEndedError", "it is NOT sold", "НЕ продано"),
        ("signature_inactive", "SignatureInactive", "cannot sign anything", "не запущено"),
        ("cashier_blocked", "CashierBlocked", "blocked this cashier", "заблокував цього касира"),
    ],
)
def test_each_drill_fault_tells_the_cashier_what_happened_and_what_to_do(
    qtbot: QtBot,
    aw: Callable[..., Any],
    running_shift: RunningRegister,
    sandbox: RunningSandbox,
    translations: Translations,
    fault: str,
    kind: str,
    english: str,
    ukrainian: str,
) -> None:
    window = open_window(qtbot, running_shift)
    qtbot.waitUntil(lambda: window.page_name == "selling", timeout=TIMEOUT)
    window.fault_actions[fault].trigger()  # the training menu schedules it on the sandbox

    def active() -> list[str]:
        return [f["fault"] for f in sandbox.control("GET", "/sandbox/faults")["faults"]]

    qtbot.waitUntil(lambda: fault in active(), timeout=TIMEOUT)
    error = _sell(aw, running_shift)
    assert error.params.get("kind") == kind
    text = refusal_text(error)
    assert english in text
    assert "Checkbox refused the operation" not in text  # not the general sentence
    box = show_error(window, error)
    qtbot.waitUntil(box.isVisible)
    assert english in box.text()
    box.accept()
    translations.install("uk")
    assert ukrainian in refusal_text(error)
    translations.install("en")
    window.fault_actions[None].trigger()
    qtbot.waitUntil(lambda: active() == [], timeout=TIMEOUT)
