"""The receipt preview (training mark, offline mark and QR) and saving it as a PDF."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.journal.records import Receipt, ReceiptState
from pos.ui.receipt_dialog import ReceiptDialog

from .conftest import sell


def test_preview_and_pdf(
    qtbot: QtBot,
    running_shift: RunningRegister,
    sale: Receipt,
    tmp_path: Path,
    press: Callable[..., None],
) -> None:
    dialog = ReceiptDialog(running_shift, sale, None)
    qtbot.addWidget(dialog)
    dialog.open()
    # The goods' units come from the look-up thread, the page is made off the GUI thread.
    qtbot.waitUntil(lambda: dialog.units_known and dialog.rendered)
    text = dialog.preview.toPlainText()
    assert sale.fiscal_code
    assert sale.fiscal_code in text
    assert "НАВЧАЛЬНИЙ РЕЖИМ" in text
    assert "1.250 кг" in text  # the weighed line in kilograms
    assert "<img" in dialog.html()  # the check-link QR
    assert dialog.email.isReadOnly()
    assert dialog.email.text() == ""

    press(dialog, Qt.Key.Key_F3)
    chooser = dialog.findChild(QFileDialog)
    assert chooser is not None
    assert chooser.isVisible()
    target = tmp_path / "receipt.pdf"
    chooser.selectFile(str(target))
    chooser.accept()
    assert target.read_bytes().startswith(b"%PDF")
    assert str(target) in dialog.notice.text()

    press(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_offline_receipt_shows_its_code_and_mark(
    qtbot: QtBot, aw: Callable[..., Any], running_shift: RunningRegister
) -> None:
    running_shift.cut_network(True)
    receipt = sell(aw, running_shift, cheese=0)
    assert receipt.state is ReceiptState.OFFLINE_ISSUED
    assert receipt.fiscal_code
    dialog = ReceiptDialog(running_shift, receipt, None)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.rendered)  # the page is made off the GUI thread
    text = dialog.preview.toPlainText()
    assert receipt.fiscal_code in text
    assert "ОФЛАЙН" in text
    assert "<img" in dialog.html()
    assert "upload" in dialog.summary.text() or "вивантаж" in dialog.summary.text()
    running_shift.cut_network(False)


def test_a_conflict_shows_the_printed_code_and_checkboxs_beside_it(
    qtbot: QtBot, aw: Callable[..., Any], running_shift: RunningRegister
) -> None:
    """An offline receipt whose lost online attempt Checkbox fiscalised under its own code: the
    preview still shows the printed code (the paper never changes), the summary Checkbox's."""
    running_shift.cut_network(True)
    printed = sell(aw, running_shift, cheese=0)
    running_shift.cut_network(False)
    assert printed.fiscal_code
    conflict = dataclasses.replace(
        printed,
        state=ReceiptState.DONE,
        server_response={"id": printed.id, "fiscal_code": "CHECKBOX-7"},
        error="CONFLICT: Checkbox had already fiscalised this receipt online under CHECKBOX-7",
    )
    dialog = ReceiptDialog(running_shift, conflict, None)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.rendered)
    assert printed.fiscal_code in dialog.preview.toPlainText()
    assert "CHECKBOX-7" in dialog.summary.text()
    assert printed.fiscal_code in dialog.summary.text()
