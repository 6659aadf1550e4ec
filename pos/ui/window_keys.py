"""The cashier window's keys, in one table: the key bar's buttons, their captions, the F1 help and
the key dispatch all read it.

Why one table: the key map used to be written four times (buttons, captions, help, dispatch) and
they drifted (a key in the help that did nothing, a button whose key did something else). Texts
are marked with ``QT_TRANSLATE_NOOP`` in the main window's context and translated where shown.
Keys whose meaning depends on where the focus is (Esc, Del, +/−, Enter, arrows, Ctrl+Z) have a
help line here and their handling in ``MainWindow.handle_key``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

if TYPE_CHECKING:
    from pos.ui.main_window import MainWindow

CONTEXT = "MainWindow"
SELLING = frozenset({"selling"})
SIGNED_IN = frozenset({"shift", "selling"})
EVERYWHERE = frozenset({"sign_in", "shift", "selling"})


@dataclass(frozen=True)
class WindowKey:
    name: str  # as on the button: "F2", "Del"
    key: Qt.Key | None  # None: help only, handled where the focus is (MainWindow.handle_key)
    action: Callable[[MainWindow], object] | None
    help: str | None  # the F1 line (source text)
    caption: str | None = None  # a button in the key bar with this caption (source text)
    pages: frozenset[str] = SELLING  # where the key works
    shift: bool | None = None  # Shift must be held (True), must not (False), either (None)
    stretch: int = 1
    dispatched: bool = True  # False: the button only (the key is handled where the focus is)

    def help_text(self) -> str | None:
        return None if self.help is None else QCoreApplication.translate(CONTEXT, self.help)

    def caption_text(self) -> str:
        return QCoreApplication.translate(CONTEXT, self.caption or "")


KEYS: tuple[WindowKey, ...] = (
    WindowKey(
        "F1",
        Qt.Key.Key_F1,
        lambda w: w.show_help(),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "F1 — this help")),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "Help")),
        EVERYWHERE,
    ),
    WindowKey(
        "F2",
        Qt.Key.Key_F2,
        lambda w: w.shift_menu(),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "F2 — open the shift / shift menu")),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "Shift")),
        SIGNED_IN,
    ),
    WindowKey(
        "F3",
        Qt.Key.Key_F3,
        lambda w: w.focus_search(),
        cast(
            str,
            QT_TRANSLATE_NOOP("MainWindow", "F3 — search (scan or type a name, code or barcode)"),
        ),
    ),
    WindowKey(
        "F4",
        Qt.Key.Key_F4,
        lambda w: w.selling.change_quantity(),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "F4 — quantity or weight of the selected line")),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "Quantity")),
    ),
    WindowKey(
        "F5",
        Qt.Key.Key_F5,
        lambda w: w.selling.ask_discount(),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "F5 — discount or extra charge (manager's PIN)")),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "Discount")),
    ),
    WindowKey(
        "Del",
        Qt.Key.Key_Delete,
        lambda w: w.selling.remove_line(),
        None,  # in the "+ / −" line below
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "Remove")),
        dispatched=False,  # Del in a non-empty search deletes a character
    ),
    WindowKey(
        "F6",
        Qt.Key.Key_F6,
        lambda w: w.selling.park_or_resume(),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "F6 — park the receipt / resume a parked one")),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "Park")),
        shift=False,
    ),
    WindowKey(
        "F7",
        Qt.Key.Key_F7,
        lambda w: w.open_return(),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "F7 — return")),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "Return")),
    ),
    WindowKey(
        "F8",
        Qt.Key.Key_F8,
        lambda w: w.cash_menu(),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "F8 — cash in / cash out")),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "Cash in/out")),
    ),
    WindowKey(
        "F9",
        Qt.Key.Key_F9,
        lambda w: w.open_report(z=False),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "F9 — X-report")),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "X-report")),
        SIGNED_IN,
    ),
    WindowKey(
        "F10",
        Qt.Key.Key_F10,
        lambda w: w.open_report(z=True),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "F10 — Z-report (closes the shift)")),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "Z-report")),
        SIGNED_IN,
    ),
    WindowKey(
        "F11",
        Qt.Key.Key_F11,
        lambda w: w.open_shift_receipts(),
        cast(
            str,
            QT_TRANSLATE_NOOP(
                "MainWindow", "F11 — receipts of this shift (list, receipt, reprint)"
            ),
        ),
        pages=SIGNED_IN,
        shift=False,
    ),
    WindowKey(
        "Shift+F11",
        Qt.Key.Key_F11,
        lambda w: w.open_reports(),
        cast(
            str,
            QT_TRANSLATE_NOOP(
                "MainWindow",
                "Shift+F11 — reports: receipts history, shifts, charts (manager's PIN)",
            ),
        ),
        pages=SIGNED_IN,
        shift=True,
    ),
    WindowKey(
        "Shift+F6",
        Qt.Key.Key_F6,
        lambda w: w.open_orders(),
        cast(
            str,
            QT_TRANSLATE_NOOP(
                "MainWindow", "Shift+F6 — customer orders: from the cart, advances, hand-over"
            ),
        ),
        shift=True,
    ),
    WindowKey(
        "F12",
        Qt.Key.Key_F12,
        lambda w: w.selling.pay(),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "F12 — pay")),
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "PAY")),
        stretch=2,
    ),
    WindowKey(
        "Enter",
        None,
        None,
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "Enter — add the highlighted good / confirm")),
    ),
    WindowKey(
        "Esc",
        None,
        None,
        cast(
            str,
            QT_TRANSLATE_NOOP(
                "MainWindow", "Esc — clear the search / cancel the receipt / close a dialog"
            ),
        ),
    ),
    WindowKey(
        "+/-",
        None,
        None,
        cast(
            str,
            QT_TRANSLATE_NOOP(
                "MainWindow", "+ / − — one piece more / less;  Del — remove the line"
            ),
        ),
    ),
    WindowKey(
        "Ctrl+Z",
        None,
        None,
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "Ctrl+Z — undo the last change of the receipt")),
    ),
    WindowKey(
        "Arrows",
        None,
        None,
        cast(str, QT_TRANSLATE_NOOP("MainWindow", "↑ ↓ — move in the results or in the cart")),
    ),
)


def buttons() -> tuple[WindowKey, ...]:
    """The key bar, left to right."""
    return tuple(k for k in KEYS if k.caption is not None)


def help_lines() -> list[str]:
    return [text for k in KEYS if (text := k.help_text()) is not None]


def dispatched(key: int, shift: bool, page: str) -> WindowKey | None:
    """The entry a key press on ``page`` runs, if any."""
    for entry in KEYS:
        if (
            entry.dispatched
            and entry.key == key
            and entry.action is not None
            and page in entry.pages
            and (entry.shift is None or entry.shift == shift)
        ):
            return entry
    return None
