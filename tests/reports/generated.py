"""A journal of many shifts and receipts, written with bulk inserts (the benchmark's million).

Every shift is one Kyiv day 08:00–21:00, opened online, with one service cash-in at opening and a
service cash-out before the Z; a sale has one or two lines (taxes А and Б), paid in cash (with
change), by card, or both; a few are returns, cash withdrawals or offline (uploaded, or still
pending on the last day). Each closed shift's Z-report is the SQL sum of its receipts, in the
register's field names, so the periodical report has something true to add up.
"""

from __future__ import annotations

import bisect
import json
import random
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from pos.domain.offline_limits import KYIV
from pos.journal import Journal
from pos.journal.instants import to_micros
from pos.journal.migrations import _V4_REPORTS, _V9_CASHIERS, _V12_REPORT_SPEED, HOUR_TOTALS_V12

GOODS: tuple[tuple[str, str, int, str, str], ...] = tuple(
    (f"{1000 + i}", f"Товар {i:02d}", 500 + 137 * i, "1" if i % 3 else "2", f"Полиця {i % 5}")
    for i in range(40)
)
FISCAL_NUMBER = "4000123456"
REGISTER_ID = "c13876dd-e51e-433f-a61c-f2c426311111"
CASHIERS = ("Олена Коваль", "Петро Шевченко")
"""Who works which day: CASHIERS[day number % 2] (the filter's test data)."""


def _receipt_rows(
    rng: random.Random, shift_id: str, day: date, count: int, serial: int, last_day: bool
) -> Iterator[tuple[tuple[object, ...], list[tuple[object, ...]], list[tuple[object, ...]]]]:
    opening = datetime.combine(day, datetime.min.time(), KYIV).replace(hour=8)
    span = 13 * 3600 * 1_000_000 - 2
    base = to_micros(opening)
    moments = sorted(rng.randrange(1, span) for _ in range(count))
    for index, offset in enumerate(moments):
        at = base + offset
        roll = rng.random()
        kind = "SELL"
        if index == 0:
            kind = "SERVICE_IN"
        elif index == count - 1:
            kind = "SERVICE_OUT"
        elif roll < 0.04:
            kind = "RETURN"
        elif roll < 0.045:
            kind = "CASH_WITHDRAWAL"
        offline = rng.random() < (0.3 if last_day else 0.05)
        state = "offline_issued" if offline and last_day else "uploaded" if offline else "done"
        rid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        code = f"{serial}.{index}.{rid[:4]}" if offline else f"TEST{rid[:12]}"
        lines: list[tuple[object, ...]] = []
        payments: list[tuple[object, ...]] = []
        rest = 0
        if kind in ("SELL", "RETURN"):
            total = 0
            for position in range(1, rng.choice((2, 3))):
                good = GOODS[rng.randrange(len(GOODS))]
                quantity = rng.choice((1000, 1000, 2000, 500))
                line_sum = good[2] * quantity // 1000
                total += line_sum
                lines.append(
                    (
                        rid,
                        position,
                        good[0],
                        good[1],
                        good[2],
                        quantity,
                        line_sum,
                        good[3],
                        int(kind == "RETURN"),
                    )
                )
            how = rng.random()
            if how < 0.55:
                given = -(-total // 10000) * 10000 if kind == "SELL" else total
                rest = given - total
                payments.append((rid, 1, "CASH", given, "Готівка"))
            elif how < 0.95:
                payments.append((rid, 1, "CASHLESS", total, "Картка"))
            else:
                part = total // 2
                payments.append((rid, 1, "CASH", part, "Готівка"))
                payments.append((rid, 2, "CASHLESS", total - part, "Картка"))
        else:
            total = rng.choice((50000, 100000, 20000)) if kind != "CASH_WITHDRAWAL" else 30000
            ptype = "CASHLESS" if kind == "CASH_WITHDRAWAL" else "CASH"
            payments.append((rid, 1, ptype, total, ""))
        paid = sum(int(p[3]) for p in payments)  # type: ignore[call-overload]
        cash = sum(int(p[3]) for p in payments if p[2] == "CASH")  # type: ignore[call-overload]
        row = (
            rid, shift_id, kind, state, int(offline), code, at, total, paid, rest, at, at,
            at, cash, paid - cash,
        )  # fmt: skip
        yield row, lines, payments


def _z_report(connection: sqlite3.Connection, shift_id: str, initial: int) -> dict[str, object]:
    sums = dict.fromkeys(("CASH", "CASHLESS"), None)
    payments = []
    for ptype in sums:
        values = {}
        for kind, name in (("SELL", "sell_sum"), ("RETURN", "return_sum")):
            cash_rest = "- r.rest" if ptype == "CASH" else ""
            values[name] = connection.execute(
                f"SELECT coalesce(sum(p.value {cash_rest}), 0) FROM receipt r JOIN receipt_payment"
                " p ON p.receipt_id = r.id WHERE r.shift_id = ? AND r.type = ? AND p.type = ?",
                (shift_id, kind, ptype),
            ).fetchone()[0]
        for kind, name in (("SERVICE_IN", "service_in"), ("SERVICE_OUT", "service_out")):
            values[name] = connection.execute(
                "SELECT coalesce(sum(p.value), 0) FROM receipt r JOIN receipt_payment p ON "
                "p.receipt_id = r.id WHERE r.shift_id = ? AND r.type = ? AND p.type = ?",
                (shift_id, kind, ptype),
            ).fetchone()[0]
        withdrawn = connection.execute(
            "SELECT coalesce(sum(total_sum), 0) FROM receipt WHERE shift_id = ? AND type = "
            "'CASH_WITHDRAWAL'",
            (shift_id,),
        ).fetchone()[0]
        values["cash_withdrawal"] = withdrawn if ptype == "CASHLESS" else 0
        values["service_out"] += values["cash_withdrawal"]
        values["cash_withdrawal_commission"] = 0
        payments.append({"type": ptype, **values})
    counts = dict(
        connection.execute(
            "SELECT type, count(*) FROM receipt WHERE shift_id = ? GROUP BY type", (shift_id,)
        ).fetchall()
    )
    cash = payments[0]
    balance = (
        initial + cash["sell_sum"] - cash["return_sum"] + cash["service_in"] - cash["service_out"]
    )
    return {
        "payments": payments,
        "taxes": [],
        "sell_receipts_count": counts.get("SELL", 0),
        "return_receipts_count": counts.get("RETURN", 0),
        "cash_withdrawal_receipts_count": counts.get("CASH_WITHDRAWAL", 0),
        "initial": initial,
        "balance": balance,
        "sales_round_up": 0,
        "sales_round_down": 0,
        "returns_round_up": 0,
        "returns_round_down": 0,
        "discounts_sum": 0,
        "extra_charge_sum": 0,
    }


_TRIGGERS = (
    tuple(ddl for ddl in _V4_REPORTS if ddl.startswith("CREATE TRIGGER"))
    + tuple(ddl for ddl in _V9_CASHIERS if ddl.startswith("CREATE TRIGGER receipt_"))
    + tuple(ddl for ddl in _V12_REPORT_SPEED if ddl.startswith("CREATE TRIGGER receipt_"))
)


def generate(
    path: Path, *, first_day: date, days: int, per_day: int, seed: int = 12, bulk: bool = False
) -> None:
    """A journal of ``days`` shifts of ``per_day`` receipts each; the last shift stays open.

    ``bulk`` (the benchmark's million): the report columns are written with the rows and the
    journal's triggers that keep them are set aside meanwhile (their frozen DDL restores them);
    otherwise the triggers fill them in, as in a register's journal."""
    Journal.open(path).close()
    rng = random.Random(seed)
    connection = sqlite3.connect(path, isolation_level=None)
    # One transaction on a fresh file: a rollback journal of almost nothing, instead of writing
    # every page twice through the WAL; the journal is put back in WAL mode at the end.
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA cache_size=-200000")
    connection.execute("BEGIN")
    if bulk:
        for ddl in _TRIGGERS:
            connection.execute(f"DROP TRIGGER {ddl.split()[2]}")
    for key, value in (("fiscal_number", FISCAL_NUMBER), ("cash_register_id", REGISTER_ID)):
        connection.execute("INSERT OR REPLACE INTO setting VALUES (?, ?)", (key, value))
    connection.executemany(
        "INSERT INTO catalogue_item (code, name, price, tax_codes, unit, updated_at, category) "
        "VALUES (?, ?, ?, ?, 'шт', 0, ?)",
        [(g[0], g[1], g[2], g[3], g[4]) for g in GOODS],
    )
    for number in range(days):
        day = first_day + timedelta(days=number)
        last = number == days - 1
        shift_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        opened = to_micros(datetime.combine(day, datetime.min.time(), KYIV).replace(hour=8))
        closed = opened + 13 * 3600 * 1_000_000
        serial = number + 1
        cashier = CASHIERS[number % 2]
        # The register keeps the signed-in cashier in its settings; the triggers copy it.
        connection.execute("INSERT OR REPLACE INTO setting VALUES ('cashier_name', ?)", (cashier,))
        connection.execute(
            "INSERT INTO shift (id, state, serial, is_offline, initial_balance, opened_at, "
            "closed_at, open_fiscal_code, close_fiscal_code, created_at, updated_at) "
            "VALUES (?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?)",
            (
                shift_id,
                "opened" if last else "closed",
                serial,
                opened,
                None if last else closed,
                f"OPEN{serial}",
                None if last else f"CLOSE{serial}",
                opened,
                opened,
            ),
        )
        receipts, lines, payments = [], [], []
        for row, its_lines, its_payments in _receipt_rows(
            rng, shift_id, day, per_day, serial, last
        ):
            receipts.append(row)
            lines += its_lines
            payments += its_payments
        if bulk:  # rowid and doc_number as the trigger would set them: the commit order
            first = connection.execute("SELECT coalesce(max(rowid), 0) + 1 FROM receipt")
            number = int(first.fetchone()[0])
            # Every generated receipt is fiscal: its position is the shift's report dates up to
            # its own (equal dates share the higher one, as the count does).
            dates = [int(r[6]) for r in receipts]  # type: ignore[call-overload]
            numbered = [
                (number + i, number + i, *r, cashier, bisect.bisect_right(dates, dates[i]))
                for i, r in enumerate(receipts)
            ]
            connection.executemany(
                "INSERT INTO receipt (rowid, doc_number, id, shift_id, type, state, is_offline, "
                "fiscal_code, fiscal_date, total_sum, total_payment, rest, created_at, updated_at,"
                " report_at, cash_paid, cashless_paid, cashier, shift_position) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                numbered,
            )
        else:
            connection.executemany(
                "INSERT INTO receipt (id, shift_id, type, state, is_offline, fiscal_code, "
                "fiscal_date, total_sum, total_payment, rest, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [r[:12] for r in receipts],
            )
        connection.executemany(
            "INSERT INTO receipt_line (receipt_id, position, code, name, price, quantity, sum, "
            "tax_codes, is_return) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            lines,
        )
        connection.executemany(
            "INSERT INTO receipt_payment (receipt_id, position, type, value, label) "
            "VALUES (?, ?, ?, ?, ?)",
            payments,
        )
        if not last:
            report = _z_report(connection, shift_id, 0)
            connection.execute(
                "UPDATE shift SET z_report = ? WHERE id = ?",
                (json.dumps(report, ensure_ascii=False), shift_id),
            )
    if bulk:
        connection.execute(HOUR_TOTALS_V12)
        for ddl in _TRIGGERS:
            connection.execute(ddl)
    connection.execute("COMMIT")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.close()
