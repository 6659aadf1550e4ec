"""Counting the drawer at closing: how many of each Ukrainian bill and coin, and the total.

Why a per-denomination counter rather than one amount field: the cashier counts piles of bills,
not sums, and a typed sum hides a miscount. The denominations are the NBU's current ones (coins
of 1, 2, 5 and 25 kopecks are withdrawn; old 1–10 hryvnia notes are still legal tender beside the
coins). Money stays in integer kopecks.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos.domain.money import format_money

BILLS: tuple[int, ...] = (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100)
"""Banknotes, kopecks: 1000 … 1 hryvnia."""

COINS: tuple[int, ...] = (1000, 500, 200, 100, 50, 10)
"""Coins, kopecks: 10, 5, 2, 1 hryvnia, 50 and 10 kopecks."""

MAX_PIECES = 99_999


def denomination_text(kopecks: int) -> str:
    """ "500 грн" / "50 коп." in the interface language."""
    if kopecks >= 100:
        return QCoreApplication.translate("CashCountWidget", "{amount} UAH").format(
            amount=kopecks // 100
        )
    return QCoreApplication.translate("CashCountWidget", "{amount} kop.").format(amount=kopecks)


class _CountBox(QSpinBox):
    """A count field: digits type, + and − step, Up and Down move to the next denomination."""

    step_row = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, MAX_PIECES)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        # Not ButtonSymbols.NoButtons: with a style sheet's border or padding (the theme's)
        # Qt then gives the text field 1 px and the typed count is invisible. The theme hides
        # the arrows of a box with buttons="none" instead (its own − and + are beside it).
        self.setProperty("buttons", "none")
        self.setMinimumWidth(90)
        self.setMinimumHeight(30)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        """Coming into the box selects its count: typing "12" over the 0 gives 12, not 120."""
        super().focusInEvent(event)
        QTimer.singleShot(0, self.selectAll)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.stepUp()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.stepDown()
        elif key == Qt.Key.Key_Up:
            self.step_row.emit(-1)
        elif key == Qt.Key.Key_Down:
            self.step_row.emit(1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class CashCountWidget(QWidget):
    """Bills and coins with a count each (type it, or + / −), and the total in kopecks."""

    total_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._boxes: dict[int, _CountBox] = {}
        self._sums: dict[int, QLabel] = {}

        columns = QHBoxLayout()
        top = Qt.AlignmentFlag.AlignTop
        columns.addWidget(self._group(self.tr("Banknotes"), BILLS, "bill"), 0, top)
        columns.addWidget(self._group(self.tr("Coins"), COINS, "coin"), 0, top)

        self.total_label = QLabel()
        font = QFont(self.total_label.font())
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.total_label.setFont(font)
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        hint = QLabel(self.tr("Type the count, or + / −; ↑ ↓ move between rows"))
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(columns)
        layout.addWidget(hint)
        layout.addWidget(self.total_label)
        layout.addStretch(1)
        self._update()

    def _group(self, title: str, denominations: tuple[int, ...], kind: str) -> QGroupBox:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setVerticalSpacing(2)
        for row, value in enumerate(denominations):
            index = len(self._boxes)  # position in the Up/Down order
            label = QLabel(denomination_text(value))
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            count = _CountBox()
            count.setObjectName(f"count_{kind}_{value}")
            count.setAccessibleName(denomination_text(value))
            count.valueChanged.connect(lambda _v: self._update())
            count.step_row.connect(lambda step, i=index: self._move(i, step))
            minus = self._step_button("−", count.stepDown)
            plus = self._step_button("+", count.stepUp)
            amount = QLabel()
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            amount.setMinimumWidth(90)
            grid.addWidget(label, row, 0)
            grid.addWidget(minus, row, 1)
            grid.addWidget(count, row, 2)
            grid.addWidget(plus, row, 3)
            grid.addWidget(amount, row, 4)
            self._boxes[self._key(kind, value)] = count
            self._sums[self._key(kind, value)] = amount
        return box

    @staticmethod
    def _key(kind: str, value: int) -> int:
        # A 10-hryvnia note and a 10-hryvnia coin are different piles: coins get negative keys.
        return value if kind == "bill" else -value

    @staticmethod
    def _step_button(text: str, step: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("countStep")
        button.setStyleSheet("min-height: 0px; padding: 0px; font-size: 14pt;")
        button.setAutoDefault(False)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setFixedSize(48, 38)
        button.clicked.connect(lambda _checked=False: step())
        return button

    def _move(self, index: int, step: int) -> None:
        boxes = list(self._boxes.values())
        target = boxes[(index + step) % len(boxes)]
        target.setFocus(Qt.FocusReason.TabFocusReason)
        target.selectAll()

    def _update(self) -> None:
        for key, box in self._boxes.items():
            self._sums[key].setText(format_money(abs(key) * box.value()))
        total = self.total()
        self.total_label.setText(self.tr("Counted: {amount}").format(amount=format_money(total)))
        self.total_changed.emit(total)

    # --- the API ---------------------------------------------------------------------------

    def total(self) -> int:
        """The counted cash in kopecks."""
        return sum(abs(key) * box.value() for key, box in self._boxes.items())

    def counts(self) -> dict[str, int]:
        """Non-zero counts by pile ("bill_50000", "coin_1000": pieces) for a record or a print."""
        return {
            f"{'bill' if key > 0 else 'coin'}_{abs(key)}": box.value()
            for key, box in self._boxes.items()
            if box.value()
        }

    def count_box(self, denomination: int, *, coin: bool = False) -> QSpinBox:
        """The count field of one denomination (kopecks)."""
        return self._boxes[self._key("coin" if coin else "bill", denomination)]

    def set_count(self, denomination: int, pieces: int, *, coin: bool = False) -> None:
        self.count_box(denomination, coin=coin).setValue(pieces)

    def clear(self) -> None:
        for box in self._boxes.values():
            box.setValue(0)

    def focus_first(self) -> None:
        first = next(iter(self._boxes.values()))
        first.setFocus(Qt.FocusReason.TabFocusReason)
        first.selectAll()
