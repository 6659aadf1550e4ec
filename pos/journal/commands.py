"""`pos catalogue import FILE`: load the shop's goods into the register's journal.

Exit status: 0 imported (with --skip-bad-rows, bad rows are listed but do not fail the run),
1 some rows are bad and nothing was imported, 2 the file (or the journal) cannot be used at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pos.journal.catalogue_import import (
    CatalogueFileError,
    ImportReport,
    export_catalogue,
    import_catalogue,
)
from pos.journal.errors import JournalError
from pos.journal.journal import DEFAULT_REGISTER, Journal, default_journal_path

SubParsers = Any  # argparse._SubParsersAction[argparse.ArgumentParser] is private


def register(subparsers: SubParsers) -> None:
    catalogue = subparsers.add_parser("catalogue", help="goods catalogue of the register")
    actions = catalogue.add_subparsers(dest="catalogue_command", metavar="ACTION")
    importing = actions.add_parser(
        "import",
        help="import goods from CSV (code,barcode,name,price,tax,unit[,category,weighed,excise])"
        " or XLSX",
        description="Import goods from a CSV or XLSX file; nothing is imported if any row is bad.",
    )
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--data", type=Path, metavar="DIR", help="data directory")
    importing.add_argument(
        "--register", default=DEFAULT_REGISTER, help="register name (journal file)"
    )
    importing.add_argument("--json", action="store_true", help="print the report as JSON")
    importing.add_argument(
        "--skip-bad-rows", action="store_true", help="import the good rows, report the bad ones"
    )
    importing.add_argument(
        "--move-barcodes",
        action="store_true",
        help="a barcode another good holds moves to the good of the file (else a row error)",
    )
    importing.set_defaults(handler=run_import)
    exporting = actions.add_parser(
        "export",
        help="write the catalogue as CSV (formula-like cells are neutralised)",
        description="Write the catalogue to a CSV file in the import's columns.",
    )
    exporting.add_argument("file", type=Path, metavar="FILE")
    exporting.add_argument("--data", type=Path, metavar="DIR", help="data directory")
    exporting.add_argument(
        "--register", default=DEFAULT_REGISTER, help="register name (journal file)"
    )
    exporting.set_defaults(handler=run_export)
    catalogue.set_defaults(handler=lambda args: _usage(catalogue))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def _print_report(report: ImportReport, path: Path, as_json: bool) -> None:
    if as_json:
        body = {
            "file": str(path),
            "rows": report.rows,
            "imported": report.imported,
            "applied": report.applied,
            "errors": [error.as_dict() for error in report.errors],
        }
        print(json.dumps(body, ensure_ascii=False, indent=2))
        return
    for error in report.errors:
        print(f"рядок {error.row}, {error.field}: {error.message} [{error.reason}]")
    if report.applied:
        print(f"Імпортовано товарів: {report.imported} з {report.rows}")
    elif report.errors:
        print(f"Нічого не імпортовано: помилок {len(report.errors)} у {report.rows} рядках")
    else:
        print("Нічого не імпортовано")


def _print_failure(reason: str, message: str, path: Path, as_json: bool) -> None:
    if as_json:
        body = {"file": str(path), "error": {"reason": reason, "message": message}}
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        print(f"Помилка: {message}", file=sys.stderr)


def run_import(args: argparse.Namespace) -> int:
    path: Path = args.file
    journal_path = default_journal_path(args.data, args.register)
    try:
        with Journal.open(journal_path, exclusive=True) as journal:
            report = import_catalogue(
                journal,
                path,
                datetime.now(UTC),
                skip_bad_rows=args.skip_bad_rows,
                move_barcodes=args.move_barcodes,
            )
    except CatalogueFileError as error:
        _print_failure(error.reason, error.message, path, args.json)
        return 2
    except (JournalError, OSError) as error:
        _print_failure("journal", f"журнал {journal_path}: {error}", path, args.json)
        return 2
    _print_report(report, path, args.json)
    if report.errors and not report.applied and not args.skip_bad_rows:
        return 1
    return 0


def run_export(args: argparse.Namespace) -> int:
    journal_path = default_journal_path(args.data, args.register)
    try:
        with Journal.open(journal_path, exclusive=True) as journal:
            count = export_catalogue(journal, args.file)
    except (JournalError, OSError) as error:
        print(f"Помилка: журнал {journal_path}: {error}", file=sys.stderr)
        return 2
    print(f"Експортовано товарів: {count}")
    return 0
