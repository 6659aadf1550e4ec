"""The goods editor: a manager finds a good, changes its price and adds a barcode, adds a new
good; what the import would refuse is refused with the import's words; the selling screen sells
the changed good at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.ui.goods_editor import GoodsEditorDialog
from pos.ui.manager_pin import ManagerPinDialog

from .helpers import modal, open_window, scan, type_text

BREAD_CODE = "1001"  # Хліб Український, 34.90


def test_edit_a_price_and_a_barcode_then_add_a_good(
    qtbot: QtBot, running_shift: RunningRegister
) -> None:
    window = open_window(qtbot, running_shift)
    qtbot.waitUntil(lambda: window.page_name == "selling")
    window.a_goods.trigger()
    gate = modal(qtbot, ManagerPinDialog)
    qtbot.keyClicks(gate.pad.edit, "0000")
    qtbot.keyClick(gate.pad.edit, Qt.Key.Key_Return)
    editor = modal(qtbot, GoodsEditorDialog)

    # find by code, Enter takes the first
    qtbot.keyClicks(editor.search, BREAD_CODE)
    qtbot.keyClick(editor.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.item is not None)  # the look-up thread answered
    assert editor.item is not None
    assert editor.item.code == BREAD_CODE
    assert editor.code.isReadOnly()

    # a bad price is refused with the import's message
    editor.price.setText("-3")
    qtbot.keyClick(editor, Qt.Key.Key_F12)
    assert any(e.field == "price" for e in editor.errors)
    assert "Ціна" in editor.field_errors.text()
    assert running_shift.service.item(BREAD_CODE).price == 3490  # type: ignore[union-attr]

    # a barcode another good has is refused
    editor.price.setText("36,10")
    editor.barcodes.setText(editor.barcodes.text() + " 4820002000022")
    qtbot.keyClick(editor, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: editor.settled)  # the look-up thread checked the catalogue
    assert any(e.reason == "duplicate_barcode" for e in editor.errors)

    # a new barcode (an internal code) and the new price are written
    editor.barcodes.setText("4820001000016 SHOP-77")
    with qtbot.waitSignal(editor.saved):
        qtbot.keyClick(editor, Qt.Key.Key_F12)
    item = running_shift.service.item(BREAD_CODE)
    assert item is not None
    assert item.price == 3610
    assert set(item.barcodes) == {"4820001000016", "SHOP-77"}

    # a new good: a fraction-weighed unit and a tax letter
    qtbot.keyClick(editor, Qt.Key.Key_F2)
    assert editor.item is None
    editor.code.setText("9001")
    type_text(editor.name, "Горіхи волоські")
    editor.price.setText("320")
    editor.tax.setText("Ж")  # no such tax
    editor.unit.setCurrentText("кг")
    assert editor.weighed.isChecked()
    qtbot.keyClick(editor, Qt.Key.Key_F12)
    assert [e.field for e in editor.errors] == ["tax"]
    editor.tax.setText("Є")
    editor.category.setText("Бакалія")
    with qtbot.waitSignal(editor.saved):
        qtbot.keyClick(editor, Qt.Key.Key_F12)
    nuts = running_shift.service.item("9001")
    assert nuts is not None
    assert (nuts.unit, nuts.is_weighed, nuts.category) == ("кг", True, "Бакалія")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not editor.isVisible())

    # the selling screen sells at the new price, by the new code
    scan(qtbot, window, "SHOP-77")
    assert window.selling.cart.lines[-1].price == 3610
