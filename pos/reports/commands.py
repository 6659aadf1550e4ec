"""`pos report receipts | shifts | periodical | sales`: the manager reports on the command line.

They read the journal only, never the network, so they work offline and include receipts not yet
uploaded. ``--journal PATH`` (repeatable) reads copied journal files read-only and merges several
registers into one report; without it the register's own journal under ``--data`` is read, also
read-only. Output: a table, ``--json`` (the OFD receipts report's ``{"data": [...], "total": N}``
shape for receipts) or ``--csv``. Exit status 2 when the query is refused (the message names the
bad value) or a journal cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from pos.domain.offline_limits import KYIV
from pos.journal.instants import to_micros
from pos.journal.journal import DEFAULT_REGISTER, default_journal_path
from pos.reports import export
from pos.reports.periods import Bucket, Period, ReportInputError, utc_now
from pos.reports.receipts import ORDER_KEYS, ReceiptsQuery, receipts_report
from pos.reports.sales import (
    by_payment,
    by_tax,
    by_time,
    cash_movements,
    offline_periods,
    returns_and_discounts,
    top_goods,
)
from pos.reports.shifts import periodical, shift_summaries
from pos.reports.sources import (
    JournalTooOldError,
    check_schema,
    connections,
    open_read_only,
    register_of,
)

SubParsers = Any

RECEIPT_FIELDS = (
    "real_date",
    "register",
    "shift",
    "number",
    "doc_number",
    "code_name",
    "operation",
    "totalSum",
    "cashTotalSum",
    "ecashTotalSum",
    "prepaidSum",
    "fiscal_code",
    "cashier",
    "offline",
    "sync",
)
SALES_VIEWS = (
    "hour",
    "day",
    "week",
    "month",
    "payment",
    "tax",
    "goods",
    "categories",
    "returns",
    "cash",
    "offline",
)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--journal",
        type=Path,
        action="append",
        metavar="PATH",
        help="a copied journal file, read-only; repeat to merge registers",
    )
    parser.add_argument("--data", type=Path, metavar="DIR", help="data directory")
    parser.add_argument("--register", default=DEFAULT_REGISTER, help="register name (journal)")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="the shop's back-office database (postgresql://…) instead of a journal",
    )
    parser.add_argument(
        "--shop", action="append", metavar="NAME", help="with --database: only this shop; repeat"
    )
    parser.add_argument(
        "--from",
        dest="date_from",
        metavar="DATE",
        help="YYYY-MM-DD[ hh:mm:ss], Kyiv time, inclusive (default: today)",
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        metavar="DATE",
        help="YYYY-MM-DD[ hh:mm:ss], Kyiv time, inclusive (default: --from)",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print CSV")


def register(subparsers: SubParsers) -> None:
    report = subparsers.add_parser("report", help="manager reports from the journal")
    kinds = report.add_subparsers(dest="report_command", metavar="REPORT")
    receipts = kinds.add_parser("receipts", help="receipts history (OFD receipts report model)")
    _common(receipts)
    receipts.add_argument("--limit", type=int)
    receipts.add_argument("--offset", type=int, default=0)
    receipts.add_argument(
        "--type",
        dest="document_types",
        action="append",
        help="receipt, serviceIn, serviceOut, cashWithdrawal, openShift, closeShift",
    )
    receipts.add_argument(
        "--operation", dest="operation_types", action="append", help="income or income_return"
    )
    receipts.add_argument(
        "--payment", dest="payment_types", action="append", help="cash or cashless"
    )
    receipts.add_argument("--shift", dest="shifts", action="append", type=int)
    receipts.add_argument("--fiscal-code", dest="fiscal_sign")
    receipts.add_argument("--doc-number", dest="fiscal_doc", type=int)
    receipts.add_argument(
        "--cashbox", dest="cashbox_ids", action="append", help="register fiscal number"
    )
    receipts.add_argument("--offline", choices=("yes", "no"))
    receipts.add_argument(
        "--sync", dest="sync_states", action="append", help="online, pending or uploaded"
    )
    receipts.add_argument("--search", help="fiscal code prefix or document number")
    receipts.add_argument(
        "--cashier", dest="cashiers", action="append", help="the cashier's full name; repeat"
    )
    receipts.add_argument(
        "--order",
        dest="orders",
        action="append",
        help=f"{', '.join(ORDER_KEYS)}; '-' in front for descending (--order=-date); repeat",
    )
    receipts.set_defaults(handler=run_receipts)
    shifts = kinds.add_parser("shifts", help="shifts with their X/Z contents and counted cash")
    _common(shifts)
    shifts.set_defaults(handler=run_shifts)
    period = kinds.add_parser("periodical", help="periodical report from the Z-reports")
    _common(period)
    period.set_defaults(handler=run_periodical)
    sales = kinds.add_parser("sales", help="sales by time, payment, tax, goods; cash; offline")
    _common(sales)
    sales.add_argument("--by", choices=SALES_VIEWS, default="day")
    sales.add_argument("--top", type=int, default=10, help="how many goods or categories")
    sales.set_defaults(handler=run_sales)
    report.set_defaults(handler=lambda args: (report.print_help(), 0)[1])


def _paths(args: argparse.Namespace) -> list[Path]:
    if args.journal:
        return list(args.journal)
    return [default_journal_path(args.data, args.register)]


def _dates(args: argparse.Namespace) -> tuple[str, str]:
    today = datetime.now(KYIV).date().isoformat()
    first = args.date_from or today
    return first, args.date_to or (first if len(first) == 10 else first[:10])


def _run_on_database(args: argparse.Namespace, body: Any) -> int:
    """The same report bodies on the shop database: one source per register (of ``--shop``)."""
    from pos.backoffice.database import BackofficeUrlError, open_database, safe_url
    from pos.backoffice.sources import shop_sources

    try:
        engine = open_database(args.database)
    except BackofficeUrlError as error:
        print(f"pos report: {error}", file=sys.stderr)
        return 2
    try:
        with shop_sources(engine, args.shop or ()) as sources:
            result: int = body(args, sources)
            return result
    except ReportInputError as error:
        print(f"pos report: {error}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        name = type(getattr(error, "orig", None) or error).__name__
        print(f"pos report: cannot read {safe_url(args.database)} ({name})", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _run(args: argparse.Namespace, body: Any) -> int:
    if args.database:
        return _run_on_database(args, body)
    try:
        engines = [open_read_only(path) for path in _paths(args)]
    except FileNotFoundError as error:
        print(f"pos report: {error}", file=sys.stderr)
        return 2
    try:
        with connections(engines) as opened:
            for connection in opened:
                check_schema(connection)
            sources = [(c, register_of(c)) for c in opened]
            result: int = body(args, sources)
            return result
    except (ReportInputError, JournalTooOldError) as error:
        print(f"pos report: {error}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        print(
            f"pos report: cannot read the journal: {error.__class__.__name__}: {error.args}",
            file=sys.stderr,
        )
        return 2
    finally:
        for engine in engines:
            engine.dispose()


def _print(
    rows: Sequence[dict[str, Any]],
    fields: Sequence[str],
    args: argparse.Namespace,
    whole: Any = None,
) -> None:
    if args.json:
        print(json.dumps(whole if whole is not None else rows, ensure_ascii=False, indent=2))
    elif args.csv:
        sys.stdout.write(export.csv_text(rows, fields, fields))
    else:
        values = [[_text(v) for v in row] for row in export.table(rows, fields)]
        widths = [max([len(f)] + [len(r[i]) for r in values]) for i, f in enumerate(fields)]
        print("  ".join(f.ljust(w) for f, w in zip(fields, widths, strict=True)))
        for row in values:
            print(
                "  ".join(
                    v.rjust(w) if v[:1].isdigit() or v[:1] == "-" else v.ljust(w)
                    for v, w in zip(row, widths, strict=True)
                )
            )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def run_receipts(args: argparse.Namespace) -> int:
    def body(args: argparse.Namespace, sources: Any) -> int:
        date_from, date_to = _dates(args)
        request: dict[str, Any] = {
            "date_from": date_from,
            "date_to": date_to,
            "offset": args.offset,
        }
        for name in (
            "limit",
            "document_types",
            "operation_types",
            "payment_types",
            "shifts",
            "fiscal_sign",
            "fiscal_doc",
            "cashbox_ids",
            "sync_states",
            "search",
            "cashiers",
            "orders",
        ):
            value = getattr(args, name)
            if value is not None:
                request[name] = value
        if args.offline is not None:
            request["offline"] = args.offline == "yes"
        answer = receipts_report(sources, ReceiptsQuery.from_mapping(request))
        _print(answer.data, RECEIPT_FIELDS, args, answer.as_json())
        if not args.json and not args.csv:
            t = answer.totals
            print(
                f"total {answer.total}: totalSum {export.hryvnias(t['totalSum'])}, cash "
                f"{export.hryvnias(t['cashTotalSum'])}, card "
                f"{export.hryvnias(t['ecashTotalSum'])}, prepaid "
                f"{export.hryvnias(t['prepaidSum'])}"
            )
        return 0

    return _run(args, body)


def _period(args: argparse.Namespace) -> Period:
    return Period.parse(*_dates(args))


def run_shifts(args: argparse.Namespace) -> int:
    def body(args: argparse.Namespace, sources: Any) -> int:
        summaries = [s.as_json() for s in shift_summaries(sources, _period(args))]
        rows = [
            {**s, "sell_cash": _pay(s, "CASH"), "sell_card": _pay(s, "CASHLESS")} for s in summaries
        ]
        fields = (
            "register",
            "shift",
            "state",
            "opened_at",
            "closed_at",
            "z",
            "expected_cash",
            "counted_cash",
            "difference",
        )
        _print(rows, fields, args, {"data": summaries, "total": len(summaries)})
        return 0

    return _run(args, body)


def _pay(summary: dict[str, Any], ptype: str) -> int:
    for p in summary["report"].get("payments", []):
        if p.get("type") == ptype:
            return int(p.get("sell_sum", 0))
    return 0


def run_periodical(args: argparse.Namespace) -> int:
    def body(args: argparse.Namespace, sources: Any) -> int:
        result = periodical(sources, _period(args))
        rows = [
            {"type": p["type"], **{k: v for k, v in p.items() if k != "type"}}
            for p in result["payments"]
        ]
        if args.json:
            print(json.dumps(result, ensure_ascii=False, indent=2))
            return 0
        _print(
            rows,
            ("type", "sell_sum", "return_sum", "service_in", "service_out", "cash_withdrawal"),
            args,
        )
        if not args.csv:
            print(
                f"Z-reports: {result['z_reports_count']} (shifts {result['first_shift']}–"
                f"{result['last_shift']}); sales {result['sell_receipts_count']}, returns "
                f"{result['return_receipts_count']}"
            )
        return 0

    return _run(args, body)


def run_sales(args: argparse.Namespace) -> int:
    def body(args: argparse.Namespace, sources: Any) -> int:
        period = _period(args)
        view = args.by
        rows: list[dict[str, Any]]
        if view in ("hour", "day", "week", "month"):
            rows = by_time(sources, period, Bucket(view))
        elif view == "payment":
            rows = by_payment(sources, period)
        elif view == "tax":
            rows = by_tax(sources, period)
        elif view in ("goods", "categories"):
            rows = top_goods(sources, period, top=args.top, by_category=view == "categories")
        elif view == "returns":
            rows = [returns_and_discounts(sources, period)]
        elif view == "cash":
            rows = cash_movements(sources, period)
        else:
            rows = offline_periods(sources, period, to_micros(utc_now()))
        fields = list(rows[0]) if rows else ["period"]
        _print(rows, fields, args, {"data": rows, "total": len(rows)})
        return 0

    return _run(args, body)
