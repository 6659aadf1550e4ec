"""Screenshots of the back office in the window: the reports window reading the whole shop, and
the status-bar note of a register whose shop database is out of reach.

Not a test (pytest does not collect it). Starts its own PostgreSQL (as the tests do), pushes two
generated journals of one shop, and saves ``backoffice-shop-<size>.png`` and
``backoffice-status-<size>.png``::

    QT_QPA_PLATFORM=offscreen python tests/backoffice/screenshots.py [docs/screenshots]
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication
from reports.generated import generate

from backoffice.pgserver import running_postgres
from pos.backoffice.database import open_database, upgrade
from pos.backoffice.push import Pusher, PushStatus
from pos.reports.sources import open_read_only
from pos.ui.history_window import HistoryWindow
from pos.ui.status_bar import RegisterStatusBar

ROOT = Path(__file__).resolve().parents[2]


def _wait(app: QApplication, done: object) -> None:
    import time

    deadline = time.monotonic() + 30
    while not done() and time.monotonic() < deadline:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    translator = QTranslator()
    if translator.load(str(ROOT / "translations" / "pos_uk.qm")):
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Ukrainian))
    folder = Path(tempfile.mkdtemp(prefix="bo-shots-"))
    with running_postgres() as server:
        shop = open_database(server.create_database("shots"))
        upgrade(shop)
        paths = []
        for number, fiscal in enumerate(("4000123456", "4000654321"), start=1):
            path = folder / f"r{number}.sqlite"
            generate(path, first_day=date(2026, 1, 1), days=6, per_day=120, seed=number)
            with sqlite3.connect(path) as c:
                c.execute("UPDATE setting SET value = ? WHERE key = 'fiscal_number'", (fiscal,))
            pusher = Pusher(path, shop, "Крамниця на Подолі")
            pusher.push_all()
            pusher.close()
            paths.append(path)
        engine = open_read_only(paths[0])
        for width, height in ((1024, 768), (1366, 768)):
            window = HistoryWindow(
                engine, today=lambda: date(2026, 1, 6), shop=(shop, "Крамниця на Подолі")
            )
            window.resize(width, height)
            window.show()
            window.source.setCurrentIndex(window.source.findData("shop"))
            _wait(app, lambda w=window: w.model.total > 0 and not w.reader.busy)
            window.grab().save(str(out / f"backoffice-shop-{width}x{height}.png"))
            window.reader.shop = None
            window.reject()
            bar = RegisterStatusBar()
            bar.resize(width, 28)
            bar.show_backoffice(PushStatus(connected=False, pending=17, error="OperationalError"))
            bar.show()
            app.processEvents()
            bar.grab().save(str(out / f"backoffice-status-{width}x{height}.png"))
            bar.close()
        engine.dispose()
        shop.dispose()
    print(f"saved to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
