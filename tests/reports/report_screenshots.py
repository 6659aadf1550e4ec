"""Screenshots of the reports window with customer orders' chain receipts and the cashier
filter, on a generated journal (not a test: pytest does not collect it).

    xvfb-run -s "-screen 0 1366x768x24" python tests/reports/report_screenshots.py [DIR]

Saves ``reports-orders-cashier-<size>.png`` at 1024x768 and 1366x768: January 3rd, the
cashier "Ірина Бондар" (who took the orders' money), sorted by date.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QDate  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from pos.reports.sources import open_read_only  # noqa: E402
from pos.ui.history_window import HistoryWindow  # noqa: E402
from pos.ui.qt_compat import guard_singleton_refcounts  # noqa: E402
from reports.generated import generate  # noqa: E402
from reports.test_order_receipts_report import _add_orders  # noqa: E402


def main() -> int:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="report-shots-")) / "journal.sqlite"
    generate(path, first_day=date(2026, 1, 1), days=6, per_day=40)
    _add_orders(path)
    guard_singleton_refcounts()  # the PySide6 / Python 3.11 workaround the app applies
    app = QApplication.instance() or QApplication([])
    engine = open_read_only(path)
    for width, height in ((1024, 768), (1366, 768)):
        window = HistoryWindow(engine, today=lambda: date(2026, 1, 6))
        window.resize(width, height)
        window.show()
        window.preset.setCurrentIndex(window.preset.findData("custom"))
        window.date_from.setDate(QDate(2026, 1, 3))
        window.date_to.setDate(QDate(2026, 1, 3))
        window.cashier_filter.setText("Ірина Бондар")
        window.apply_filters()
        while window.reader.busy or window.model.row(0) is None:
            app.processEvents()
        window.table.selectRow(0)
        for _ in range(50):
            app.processEvents()
        out = target / f"reports-orders-cashier-{width}x{height}.png"
        window.grab().save(str(out))
        print(out)
        window.close()
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
