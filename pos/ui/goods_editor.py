"""The goods editor (behind the manager's PIN): find a good, fix its price or name, add a barcode,
or add a new good, at the till.

Why it checks nothing itself: a good typed here is checked by the catalogue import's own row
check (``pos.journal.catalogue_import.check_good``), so a price, barcode, tax letter or unit is
refused with the same words as in a file, and the good is written through the journal's
catalogue store (``Catalogue.upsert``) exactly as an import writes it. One check the import makes
between the rows of a file is made against the whole catalogue here: a barcode another good
already has (and, for a new good, a code the catalogue has already). Those checks are reads,
answered by the window's look-up thread (``pos.ui.lookups``) while the register may be busy
uploading or closing a shift; only the write goes to the register.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos.domain.money import format_money
from pos.journal.catalogue_import import WEIGHED_UNITS, RowError, check_good, tax_letters
from pos.journal.records import CatalogueItem
from pos.ui.asyncio_qt import async_slot
from pos.ui.lookups import Answer, CatalogueSource, InOrder
from pos.ui.messages import error_text, show_error
from pos.ui.receipt_dialog import ERROR_STYLE, OK_STYLE, KeyDialog, buttons_row
from pos.ui.register_thread import lookups_for
from pos.ui.register_writes import written

if TYPE_CHECKING:
    from pos.app import RunningRegister

UNIT_CHOICES = ("шт", "кг", "г", "л", "м")
FOUND = 50


class GoodsEditorDialog(KeyDialog):
    """Find (F3), new (F2), save (F12); ``saved(item)`` after a good is written."""

    saved = Signal(object)

    def __init__(self, running: RunningRegister, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goodsEditor")
        self._running = running
        # Finding goods never waits on the register: the window's look-up thread answers, in
        # the order the keys asked (pos.ui.lookups).
        self._lookups = lookups_for(running.service)
        self._in_order = InOrder()
        self._asked_for = ""
        self.item: CatalogueItem | None = None  # the good being edited; None: a new one
        self.errors: list[RowError] = []
        self.setWindowTitle(self.tr("Goods"))
        self.resize(960, 640)

        self.search = QLineEdit()
        self.search.setObjectName("goodsSearch")
        self.search.setPlaceholderText(self.tr("Name, code or barcode"))
        self.search.textEdited.connect(lambda _text: self.find_goods())
        self.find_button = self.key_button(self.tr("Find"), Qt.Key.Key_F3, self.find_goods)
        self.new_button = self.key_button(self.tr("New good"), Qt.Key.Key_F2, self.new_good)
        self.found = QListWidget()
        self.found.setObjectName("goodsFound")
        self.found.currentItemChanged.connect(lambda current, _previous: self._chosen(current))

        self.code = QLineEdit()
        self.code.setObjectName("goodCode")
        self.name = QLineEdit()
        self.name.setObjectName("goodName")
        self.price = QLineEdit()
        self.price.setObjectName("goodPrice")
        self.price.setPlaceholderText("42,50")
        self.barcodes = QLineEdit()
        self.barcodes.setObjectName("goodBarcodes")
        self.tax = QLineEdit()
        self.tax.setObjectName("goodTax")
        self.tax.setPlaceholderText("А, Б, Є, З")
        self.unit = QComboBox()
        self.unit.setObjectName("goodUnit")
        self.unit.addItems(UNIT_CHOICES)
        self.unit.setEditable(True)
        self.category = QLineEdit()
        self.category.setObjectName("goodCategory")
        self.weighed = QCheckBox()
        self.weighed.setObjectName("goodWeighed")
        self.excise = QCheckBox()
        self.excise.setObjectName("goodExcise")
        self.unit.currentTextChanged.connect(self._unit_changed)
        self.field_errors = QLabel()
        self.field_errors.setObjectName("goodErrors")
        self.field_errors.setWordWrap(True)
        self.field_errors.setStyleSheet(ERROR_STYLE)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.labels = {
            "code": QLabel(),
            "name": QLabel(),
            "price": QLabel(),
            "barcode": QLabel(),
            "tax": QLabel(),
            "unit": QLabel(),
            "category": QLabel(),
            "weighed": QLabel(),
            "excise": QLabel(),
        }
        editors: dict[str, QWidget] = {
            "code": self.code,
            "name": self.name,
            "price": self.price,
            "barcode": self.barcodes,
            "tax": self.tax,
            "unit": self.unit,
            "category": self.category,
            "weighed": self.weighed,
            "excise": self.excise,
        }
        for key, editor in editors.items():
            form.addRow(self.labels[key], editor)

        self.save_button = self.key_button(self.tr("Save"), Qt.Key.Key_F12, self.save)
        self.close_button = self.key_button(self.tr("Close"), Qt.Key.Key_Escape, self.reject)

        search_buttons = QHBoxLayout()
        search_buttons.addWidget(self.find_button)
        search_buttons.addWidget(self.new_button)
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addLayout(search_buttons)
        left.addWidget(self.found, 1)
        right = QVBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("dialogTitle")
        right.addWidget(self.heading)
        right.addLayout(form)
        right.addWidget(self.field_errors)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.notice)
        layout.addLayout(buttons_row(self.save_button, self.close_button))
        self.retranslate_ui()
        self.new_good()
        self.search.setFocus()

    def retranslate_ui(self) -> None:
        texts = {
            "code": self.tr("Code:"),
            "name": self.tr("Name:"),
            "price": self.tr("Price, UAH:"),
            "barcode": self.tr("Barcodes (space between):"),
            "tax": self.tr("Tax letters:"),
            "unit": self.tr("Unit:"),
            "category": self.tr("Category:"),
            "weighed": self.tr("Weighed:"),
            "excise": self.tr("Excise:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.weighed.setText(self.tr("sold by weight"))
        self.excise.setText(self.tr("excise good"))
        self._heading()

    def _heading(self) -> None:
        if self.item is None:
            self.heading.setText(self.tr("New good"))
        else:
            self.heading.setText(self.tr("Good {code}").format(code=self.item.code))

    # --- finding ---------------------------------------------------------------------------

    def find_goods(self) -> Answer[list[CatalogueItem]] | None:
        """Ask for the goods the search names; the list shows them when the answer comes."""
        text = self.search.text().strip()
        self._asked_for = text
        if not text:
            self.found.clear()
            return None
        pending = self._lookups.ask(_search, text)
        pending.add_done_callback(lambda answer: self._found_answered(text, answer))
        return pending

    def _found_answered(self, text: str, answer: Answer[list[CatalogueItem]]) -> None:
        if text != self._asked_for:  # typed over since
            return
        try:
            items = answer.result()
        except Exception as error:
            self.show_notice(str(error), ERROR_STYLE)
            return
        self.found.clear()
        for item in items:
            entry = QListWidgetItem(_entry_text(item))
            entry.setData(Qt.ItemDataRole.UserRole, item)
            self.found.addItem(entry)
        if not items:
            self.show_notice(self.tr("Nothing found for “{text}”").format(text=text))
        else:
            self.show_notice("")

    def enter_pressed(self) -> None:
        """Enter in the search: the first good found; elsewhere: save."""
        if self.focusWidget() in (self.search, self.found):
            pending = self.find_goods() if self.focusWidget() is self.search else None
            self._in_order.add(pending, lambda _answer: self._take_first())
            return
        self.save()

    def _take_first(self) -> None:
        if self.found.count():
            self.found.setCurrentRow(max(0, self.found.currentRow()))
            self._chosen(self.found.currentItem())
            self.name.setFocus()

    def _chosen(self, entry: QListWidgetItem | None) -> None:
        item = entry.data(Qt.ItemDataRole.UserRole) if entry is not None else None
        if isinstance(item, CatalogueItem):  # as just found (a saved good is updated below)
            self.show_good(item)

    # --- the form --------------------------------------------------------------------------

    def new_good(self) -> None:
        """F2: an empty form for a good the catalogue does not have yet."""
        self.item = None
        self.code.setReadOnly(False)
        for edit in (self.code, self.name, self.price, self.barcodes, self.tax, self.category):
            edit.clear()
        self.tax.setText("Є")
        self.unit.setCurrentText("шт")
        self.weighed.setChecked(False)
        self.excise.setChecked(False)
        self._show_errors([])
        self._heading()
        self.code.setFocus()

    def show_good(self, item: CatalogueItem) -> None:
        self.item = item
        self.code.setText(item.code)
        self.code.setReadOnly(True)  # the code is the good's identity in every receipt
        self.name.setText(item.name)
        self.price.setText(format_money(item.price))
        self.barcodes.setText(" ".join(item.barcodes))
        self.tax.setText(tax_letters(item.tax_codes))
        self.unit.setCurrentText(item.unit)
        self.category.setText(item.category)
        self.weighed.setChecked(item.is_weighed)
        self.excise.setChecked(item.is_excise)
        self._show_errors([])
        self._heading()

    def _unit_changed(self, unit: str) -> None:
        if unit == "шт":
            self.weighed.setChecked(False)
        elif unit in WEIGHED_UNITS:
            self.weighed.setChecked(True)

    def cells(self) -> dict[str, str]:
        """The form as an import row would hold it."""
        return {
            "code": self.code.text(),
            "barcode": self.barcodes.text(),
            "name": self.name.text(),
            "price": self.price.text(),
            "tax": self.tax.text(),
            "unit": self.unit.currentText(),
            "uktzed": (self.item.uktzed or "") if self.item is not None else "",
            "category": self.category.text(),
            "weighed": "1" if self.weighed.isChecked() else "0",
            "excise": "1" if self.excise.isChecked() else "0",
        }

    @property
    def settled(self) -> bool:
        """Every look-up asked has been answered and what waited for it has run."""
        return self._in_order.idle and not self.busy

    def save(self) -> None:
        """F12: check the good as the import does, then against the catalogue (the look-up
        thread answers); write it, or say what is wrong."""
        if self.busy:
            return
        item, errors = check_good(self.cells())
        if errors or item is None:
            self._show_errors(errors)
            return
        self.set_busy(True, self.tr("Saving…"))  # from now on: a second F12 waits
        checks = self._lookups.ask(_save_checks, item, self.item is None)
        self._in_order.add(checks, lambda answer: self._checked(item, answer))

    def _checked(self, item: CatalogueItem, answer: Answer[list[RowError]]) -> None:
        try:
            errors = answer.result()
        except Exception as error:  # the catalogue could not be read: nothing is written
            self.set_busy(False)
            self.show_notice(error_text(error), ERROR_STYLE)
            return
        if errors:
            self.set_busy(False)
            self._show_errors(errors)
            return
        self._write(item)

    @async_slot()
    async def _write(self, item: CatalogueItem) -> None:
        """The good is written by the register (as an import writes it); the editor stays
        alive while the register is busy."""
        catalogue = self._running.journal.catalogue
        try:
            await written(
                self._running.service, lambda: catalogue.upsert([item], datetime.now(UTC))
            )
        except Exception as error:  # nothing was written: say why, keep the form
            self.set_busy(False)
            self.show_notice("")
            show_error(self, error)
            return
        self.set_busy(False)
        self._show_errors([])
        self.show_good(item)
        for row in range(self.found.count()):  # the list shows the good as saved
            entry = self.found.item(row)
            listed = entry.data(Qt.ItemDataRole.UserRole)
            if isinstance(listed, CatalogueItem) and listed.code == item.code:
                entry.setData(Qt.ItemDataRole.UserRole, item)
                entry.setText(_entry_text(item))
        self.show_notice(self.tr("Saved: {name}").format(name=item.name), OK_STYLE)
        self.saved.emit(item)

    def _show_errors(self, errors: list[RowError]) -> None:
        self.errors = errors
        self.field_errors.setText("\n".join(error.message for error in errors))
        self.field_errors.setVisible(bool(errors))
        for key, label in self.labels.items():
            wrong = any(error.field == key for error in errors)
            label.setStyleSheet(ERROR_STYLE if wrong else "")
        if errors:
            self.show_notice(self.tr("Not saved: correct what is marked."), ERROR_STYLE)


def _save_checks(source: CatalogueSource, item: CatalogueItem, new: bool) -> list[RowError]:
    """On the look-up thread: a barcode another good has; for a new good, a code taken."""
    errors = []
    for barcode in item.barcodes:
        owner = source.barcode_owner(barcode)
        if owner is not None and owner.code != item.code:
            errors.append(
                RowError(
                    0,
                    "barcode",
                    "duplicate_barcode",
                    f"Штрихкод {barcode} уже має товар {owner.code} ({owner.name})",
                )
            )
    if not errors and new and source.item(item.code) is not None:
        errors.append(RowError(0, "code", "duplicate", f"Код {item.code} уже має інший товар"))
    return errors


def _search(source: CatalogueSource, text: str) -> list[CatalogueItem]:
    return source.search(text, FOUND)


def _entry_text(item: CatalogueItem) -> str:
    return f"{item.code}  {item.name}  —  {format_money(item.price)}"
