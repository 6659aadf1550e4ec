"""Sales analyses over a period: by time bucket, payment type, tax rate, good and category;
returns and discounts; cash movements; offline periods against the legal limits.

Sums are integer kopecks of fiscalised receipts (sales and returns apart, never netted silently);
a payment's cash is what stayed in the drawer (cash taken less the change). Good and tax figures
are line sums, before receipt-level discounts, as the lines were printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, case, func, select

from pos.domain.offline_limits import OFFLINE_MONTH_LIMIT, OFFLINE_PERIOD_LIMIT
from pos.reports.periods import Bucket, Period, bucket_key, bucket_label, kyiv_text, month_key
from pos.reports.schema import (
    card_of_receipt,
    cash_of_receipt,
    catalogue_item,
    connectivity_transition,
    is_fiscal,
    receipt,
    receipt_instant,
    receipt_line,
)
from pos.reports.sources import Register

Sources = Sequence[tuple[Connection, Register]]
_SALES = ("SELL", "RETURN")


def _in_period(period: Period) -> list[Any]:
    instant = receipt_instant()
    return [instant >= period.start, instant <= period.end, is_fiscal()]


def _signed(column: Any, kind: str) -> Any:
    return func.coalesce(func.sum(case((receipt.c.type == kind, column), else_=0)), 0)


def by_time(sources: Sources, period: Period, bucket: Bucket) -> list[dict[str, Any]]:
    """Sales and returns per Kyiv hour, day, week or month: count and sums."""
    sql_bucket = Bucket.DAY if bucket is Bucket.MONTH else bucket
    merged: dict[str, list[int]] = {}
    for connection, _ in sources:
        key = bucket_key(receipt_instant(), period, sql_bucket).label("bucket")
        rows = connection.execute(
            select(
                key,
                _signed(1, "SELL"),
                _signed(receipt.c.total_sum, "SELL"),
                _signed(1, "RETURN"),
                _signed(receipt.c.total_sum, "RETURN"),
            )
            .where(*_in_period(period), receipt.c.type.in_(_SALES))
            .group_by(key)
        ).all()
        for row in rows:
            label = (
                month_key(int(row[0]))
                if bucket is Bucket.MONTH
                else bucket_label(int(row[0]), bucket)
            )
            acc = merged.setdefault(label, [0, 0, 0, 0])
            for i in range(4):
                acc[i] += int(row[i + 1])
    return [
        {
            "period": label,
            "sales_count": v[0],
            "sales_sum": v[1],
            "returns_count": v[2],
            "returns_sum": v[3],
            "net_sum": v[1] - v[3],
        }
        for label, v in sorted(merged.items())
    ]


def by_payment(sources: Sources, period: Period) -> list[dict[str, Any]]:
    """Sales and returns per payment type (cash net of change)."""
    merged: dict[str, list[int]] = {}
    for connection, _ in sources:
        row = connection.execute(
            select(
                _signed(cash_of_receipt(), "SELL"),
                _signed(cash_of_receipt(), "RETURN"),
                _signed(card_of_receipt(), "SELL"),
                _signed(card_of_receipt(), "RETURN"),
            ).where(*_in_period(period), receipt.c.type.in_(_SALES))
        ).one()
        for ptype, sales, returns in (("CASH", row[0], row[1]), ("CASHLESS", row[2], row[3])):
            acc = merged.setdefault(ptype, [0, 0])
            acc[0] += int(sales)
            acc[1] += int(returns)
    return [
        {"type": t, "sales_sum": v[0], "returns_sum": v[1], "net_sum": v[0] - v[1]}
        for t, v in sorted(merged.items())
        if v != [0, 0]
    ]


def by_tax(sources: Sources, period: Period) -> list[dict[str, Any]]:
    """Line sums per tax-code set (turnover before receipt-level discounts)."""
    merged: dict[str, list[int]] = {}
    for connection, _ in sources:
        rows = connection.execute(
            select(
                receipt_line.c.tax_codes,
                _signed(receipt_line.c.sum, "SELL"),
                _signed(receipt_line.c.sum, "RETURN"),
            )
            .join(receipt_line, receipt_line.c.receipt_id == receipt.c.id)
            .where(*_in_period(period), receipt.c.type.in_(_SALES))
            .group_by(receipt_line.c.tax_codes)
        ).all()
        for codes, sales, returns in rows:
            acc = merged.setdefault(str(codes or ""), [0, 0])
            acc[0] += int(sales)
            acc[1] += int(returns)
    return [
        {"tax_codes": k, "sales_turnover": v[0], "returns_turnover": v[1]}
        for k, v in sorted(merged.items())
    ]


def top_goods(
    sources: Sources, period: Period, *, top: int = 10, by_category: bool = False
) -> list[dict[str, Any]]:
    """The best-selling goods (or categories) by sum: quantity in thousandths and sum."""
    merged: dict[tuple[str, str], list[int]] = {}
    for connection, _ in sources:
        category = func.coalesce(
            select(catalogue_item.c.category)
            .where(catalogue_item.c.code == receipt_line.c.code)
            .scalar_subquery(),
            "",
        )
        keys: list[Any] = (
            [category.label("category")]
            if by_category
            else [receipt_line.c.code, func.max(receipt_line.c.name)]
        )
        group = [category] if by_category else [receipt_line.c.code]
        rows = connection.execute(
            select(
                *keys,
                _signed(receipt_line.c.quantity, "SELL"),
                _signed(receipt_line.c.sum, "SELL"),
                _signed(receipt_line.c.quantity, "RETURN"),
                _signed(receipt_line.c.sum, "RETURN"),
            )
            .join(receipt_line, receipt_line.c.receipt_id == receipt.c.id)
            .where(*_in_period(period), receipt.c.type.in_(_SALES))
            .group_by(*group)
        ).all()
        for row in rows:
            values = list(row)
            ident = (str(values[0]), "") if by_category else (str(values[0]), str(values[1]))
            numbers = values[1:] if by_category else values[2:]
            acc = merged.setdefault(ident, [0, 0, 0, 0])
            for i in range(4):
                acc[i] += int(numbers[i])
    ranked = sorted(merged.items(), key=lambda kv: (-(kv[1][1] - kv[1][3]), kv[0]))[:top]
    result = []
    for (key, name), v in ranked:
        entry: dict[str, Any] = {"category": key} if by_category else {"code": key, "name": name}
        entry.update(quantity=v[0] - v[2], sales_sum=v[1], returns_sum=v[3], net_sum=v[1] - v[3])
        result.append(entry)
    return result


def returns_and_discounts(sources: Sources, period: Period) -> dict[str, int]:
    totals = dict.fromkeys(
        ("returns_count", "returns_sum", "discounts_sum", "extra_charge_sum", "sales_count"), 0
    )
    for connection, _ in sources:
        row = connection.execute(
            select(
                _signed(1, "RETURN"),
                _signed(receipt.c.total_sum, "RETURN"),
                _signed(receipt.c.discounts_sum, "SELL"),
                _signed(receipt.c.extra_charge_sum, "SELL"),
                _signed(1, "SELL"),
            ).where(*_in_period(period), receipt.c.type.in_(_SALES))
        ).one()
        for name, value in zip(totals, row, strict=True):
            totals[name] += int(value)
    return totals


def cash_movements(sources: Sources, period: Period) -> list[dict[str, Any]]:
    """Service cash-in, cash-out and cash withdrawals, one row each, in time order."""
    found: list[dict[str, Any]] = []
    for connection, register in sources:
        instant = receipt_instant()
        rows = connection.execute(
            select(receipt.c.type, receipt.c.total_sum, receipt.c.fiscal_code, instant)
            .where(
                *_in_period(period),
                receipt.c.type.in_(("SERVICE_IN", "SERVICE_OUT", "CASH_WITHDRAWAL")),
            )
            .order_by(instant)
        ).all()
        found += [
            {
                "real_date": kyiv_text(at),
                "type": rtype,
                "sum": int(total),
                "fiscal_code": code or "",
                "register": register.fiscal_number,
            }
            for rtype, total, code, at in rows
        ]
    found.sort(key=lambda r: (r["real_date"], r["register"]))
    return found


_OFFLINE = ("LOCAL_OFFLINE", "SERVER_OFFLINE", "UPLOADING", "GOING_ONLINE")


def offline_periods(sources: Sources, period: Period, now_micros: int) -> list[dict[str, Any]]:
    """Stretches the register worked offline (local codes) overlapping the period, each with its
    duration against the 36-hour limit, and the Kyiv month's total against 168 hours."""
    found: list[dict[str, Any]] = []
    for connection, register in sources:
        rows = connection.execute(
            select(connectivity_transition.c.at, connectivity_transition.c.to_state).order_by(
                connectivity_transition.c.at
            )
        ).all()
        start: int | None = None
        stretches: list[tuple[int, int | None]] = []
        for at, to_state in rows:
            offline = to_state == "LOCAL_OFFLINE"
            if offline and start is None:
                start = int(at)
            elif not offline and to_state not in _OFFLINE and start is not None:
                stretches.append((start, int(at)))
                start = None
        if start is not None:
            stretches.append((start, None))
        by_month: dict[str, float] = {}
        for begin, end in stretches:
            stop = now_micros if end is None else end
            if stop < period.start or begin > period.end:
                continue
            hours = (stop - begin) / 3_600_000_000
            month = kyiv_text(begin)[:7]
            by_month[month] = by_month.get(month, 0.0) + hours
            found.append(
                {
                    "started_at": kyiv_text(begin),
                    "ended_at": "" if end is None else kyiv_text(end),
                    "hours": round(hours, 2),
                    "limit_hours": OFFLINE_PERIOD_LIMIT / timedelta(hours=1),
                    "over_limit": hours > OFFLINE_PERIOD_LIMIT / timedelta(hours=1),
                    "month": month,
                    "month_hours": 0.0,
                    "month_limit_hours": OFFLINE_MONTH_LIMIT / timedelta(hours=1),
                    "register": register.fiscal_number,
                }
            )
        for entry in found:
            if entry["register"] == register.fiscal_number:
                entry["month_hours"] = round(by_month.get(entry["month"], 0.0), 2)
                entry["month_over_limit"] = entry["month_hours"] > entry["month_limit_hours"]
    return found
