"""Cases 8 and 9: a catalogue import that would move a barcode, and hand-edited settings.

A barcode already held by another good is a per-row error unless ``--move-barcodes`` is given
(scanning it would otherwise sell the other good); control characters in names are refused;
formula prefixes are neutralised in the export. A hand-edited ``settings.json`` with a bad value
names it, uses the default, and nothing crashes (a real ``pos register status`` included).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from pos import config as app_config
from pos.journal import Journal
from pos.journal.catalogue_import import export_catalogue, import_catalogue, spreadsheet_safe
from pos.journal.records import CatalogueItem

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
HEADER = "code,barcode,name,price,tax,unit\n"


def _csv(path: Path, rows: str) -> Path:
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_barcode_of_another_good_is_a_row_error_unless_moved(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        journal.catalogue.upsert(
            [CatalogueItem("1", "Хліб", 3490, (8,), barcodes=("4820000000017",))], NOW
        )
        file = _csv(tmp_path / "goods.csv", "2,4820000000017,Молоко,42.50,А,шт\n")
        report = import_catalogue(journal, file, NOW)
        assert not report.applied
        [error] = report.errors
        assert (error.row, error.field, error.reason) == (2, "barcode", "barcode_taken")
        assert "1" in error.message
        scanned = journal.catalogue.find_by_barcode("4820000000017")
        assert scanned is not None
        assert scanned.code == "1"  # scanning still sells the bread
        moved = import_catalogue(journal, file, NOW, move_barcodes=True)
        assert moved.applied
        scanned = journal.catalogue.find_by_barcode("4820000000017")
        assert scanned is not None
        assert scanned.code == "2"
        # The good that holds it already may keep it: no error for its own barcode.
        again = import_catalogue(journal, file, NOW)
        assert again.applied


def test_control_characters_refused_and_formulas_neutralised_on_export(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        bad = _csv(tmp_path / "bad.csv", '3,,"Сир\x07 твердий",100,А,шт\n')
        report = import_catalogue(journal, bad, NOW)
        assert [e.reason for e in report.errors] == ["control_characters"]
        formula = _csv(
            tmp_path / "f.csv", '4,,"=HYPERLINK(""http://x"")",10,А,шт\n5,,@SUM,10,А,шт\n'
        )
        assert import_catalogue(journal, formula, NOW).applied
        out = tmp_path / "export.csv"
        assert export_catalogue(journal, out) == 2
        with out.open(encoding="utf-8-sig", newline="") as handle:
            names = [row["name"] for row in csv.DictReader(handle)]
        assert names == ['\'=HYPERLINK("http://x")', "'@SUM"]
    assert spreadsheet_safe("+380501234567") == "'+380501234567"
    assert spreadsheet_safe("Хліб") == "Хліб"


def test_hand_edited_settings_name_the_bad_value_and_use_the_default(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps(
            {
                "training": "false",
                "paper_width_mm": "abc",
                "language": "uk",
                "api_url": "http://127.0.0.1:9",
                "thresholds": {"codes_low_water": -5, "offline_warning_hours": 2},
            }
        ),
        encoding="utf-8",
    )
    config = app_config.load(tmp_path)
    assert config.paper_width_mm == 80
    assert config.training is True  # the default, and said so — not a silent switch
    assert config.thresholds.codes_low_water == 100
    assert config.thresholds.offline_warning_hours == 2
    assert config.api_url == "http://127.0.0.1:9"
    joined = "\n".join(config.problems)
    for name in ("training", "paper_width_mm", "codes_low_water"):
        assert name in joined
    assert "'abc'" in joined
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    assert app_config.load(tmp_path).paper_width_mm == 80
    # A real command on such a file: a clear message, no traceback.
    (tmp_path / "settings.json").write_text('{"paper_width_mm": "abc"}', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pos", "register", "status", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr
    assert "paper_width_mm = 'abc' is not valid" in done.stderr
    assert done.returncode == 2  # not set up (no login yet): said so, no crash
