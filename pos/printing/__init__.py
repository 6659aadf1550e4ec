"""Receipt and report printing: layout as text rows (`layout`), HTML (`html`), Qt output.

`layout` and `html` import no Qt, so the register and the tests can lay out receipts anywhere;
only `qt_output` needs PySide6 and a QGuiApplication.
"""
