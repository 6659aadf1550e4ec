"""Sales analyses over a period: by time bucket, payment type, tax rate, good and category;
returns and discounts; cash movements; offline periods against the legal limits.

Sums are integer kopecks of fiscalised receipts (sales and returns apart, never netted silently);
a payment's cash is what stayed in the drawer (cash taken less the change). Good and tax figures
are line sums, before receipt-level discounts, as the lines were printed.

Customer orders' chain receipts count too (`pos.reports.chain_sales` says how): money when it is
taken (the advance on its day and payment types, the after-payment for the rest), each receipt's
own tax turnover, and the goods on the day they are handed over (the after-payment).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, timedelta
from typing import Any

from sqlalchemy import Connection, case, func, select

from pos.domain.offline_limits import KYIV, OFFLINE_MONTH_LIMIT, OFFLINE_PERIOD_LIMIT
from pos.journal.instants import from_micros
from pos.reports.chain_sales import ChainSale, chain_sales
from pos.reports.periods import (
    DAY_US,
    HOUR_US,
    Bucket,
    Period,
    bucket_key,
    bucket_label,
    kyiv_text,
    month_key,
)
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


def _local_key(instant: int, bucket: Bucket) -> int:
    """`bucket_key` of one instant, in Python (for the chain receipts read apart)."""
    offset = from_micros(instant).astimezone(KYIV).utcoffset() or timedelta(0)
    local = instant + int(offset.total_seconds()) * 1_000_000
    if bucket is Bucket.HOUR:
        return local // HOUR_US
    day = local // DAY_US
    return (day + 3) // 7 if bucket is Bucket.WEEK else day


def _chains(connection: Connection, period: Period) -> list[ChainSale]:
    return chain_sales(connection, period)


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
        keyed = [(int(row[0]), [int(v) for v in row[1:]]) for row in rows]
        for chain in _chains(connection, period):
            total = chain.fiscal.total_sum
            counted = [0, 0, 1, total] if chain.is_return else [1, total, 0, 0]
            keyed.append((_local_key(chain.instant, sql_bucket), counted))
        for key_value, values in keyed:
            label = (
                month_key(key_value) if bucket is Bucket.MONTH else bucket_label(key_value, bucket)
            )
            acc = merged.setdefault(label, [0, 0, 0, 0])
            for i in range(4):
                acc[i] += values[i]
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
        for chain in _chains(connection, period):
            for ptype, value in chain.net_by_type().items():
                merged.setdefault(ptype, [0, 0])[1 if chain.is_return else 0] += value
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
        for chain in _chains(connection, period):
            for codes, turnover in chain.turnover.items():
                merged.setdefault(codes, [0, 0])[1 if chain.is_return else 0] += turnover
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
        moved = [(c, g) for c in _chains(connection, period) for g in c.goods]
        shelves: dict[str, str] = {}
        if by_category and moved:
            codes = sorted({g.code for _, g in moved})
            shelves = {
                str(code): str(shelf or "")
                for code, shelf in connection.execute(
                    select(catalogue_item.c.code, catalogue_item.c.category).where(
                        catalogue_item.c.code.in_(codes)
                    )
                )
            }
        for chain, good in moved:
            ident = (shelves.get(good.code, ""), "") if by_category else (good.code, good.name)
            if not by_category:  # the name the receipts' lines gave the code, if any
                ident = next((k for k in merged if k[0] == good.code), ident)
            acc = merged.setdefault(ident, [0, 0, 0, 0])
            first = 2 if chain.is_return else 0
            acc[first] += good.quantity
            acc[first + 1] += good.sum
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
        for chain in _chains(connection, period):
            if chain.is_return:
                totals["returns_count"] += 1
                totals["returns_sum"] += chain.fiscal.total_sum
            else:
                totals["sales_count"] += 1
                totals["discounts_sum"] += chain.fiscal.discounts_sum
                totals["extra_charge_sum"] += chain.fiscal.extra_charge_sum
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


def _stretches(transitions: Sequence[tuple[int, str, str]]) -> list[tuple[int, int | None]]:
    """Offline stretches as the register counts them (pos.register.limits): from leaving ONLINE
    until back to ONLINE, whatever happened between (server offline, uploading)."""
    stretches: list[tuple[int, int | None]] = []
    start: int | None = None
    for at, from_state, to_state in transitions:
        if from_state == "ONLINE" and to_state != "ONLINE" and start is None:
            start = int(at)
        elif to_state == "ONLINE" and from_state != "ONLINE" and start is not None:
            stretches.append((start, int(at)))
            start = None
    if start is not None:
        stretches.append((start, None))
    return stretches


def _month_hours(stretches: Sequence[tuple[int, int | None]], now_micros: int) -> dict[str, float]:
    """Hours offline per Kyiv calendar month, a stretch split at each month's midnight."""
    months: dict[str, float] = {}
    for begin, end in stretches:
        moment, stop = from_micros(begin), from_micros(now_micros if end is None else end)
        while moment < stop:
            local = moment.astimezone(KYIV)
            following = (local.replace(day=28) + timedelta(days=4)).replace(
                day=1, hour=0, minute=0, second=0, microsecond=0
            )
            piece_end = min(stop, following.astimezone(UTC))
            key = local.strftime("%Y-%m")
            months[key] = months.get(key, 0.0) + (piece_end - moment) / timedelta(hours=1)
            moment = piece_end
    return months


def offline_periods(sources: Sources, period: Period, now_micros: int) -> list[dict[str, Any]]:
    """Stretches the register was offline overlapping the period, each with its duration against
    the 36-hour limit, and its Kyiv month's total against 168 hours."""
    found: list[dict[str, Any]] = []
    period_limit = OFFLINE_PERIOD_LIMIT / timedelta(hours=1)
    month_limit = OFFLINE_MONTH_LIMIT / timedelta(hours=1)
    for connection, register in sources:
        c = connectivity_transition.c
        rows = connection.execute(select(c.at, c.from_state, c.to_state).order_by(c.at, c.id)).all()
        stretches = _stretches([(int(at), f, t) for at, f, t in rows])
        months = _month_hours(stretches, now_micros)
        for begin, end in stretches:
            stop = now_micros if end is None else end
            if stop < period.start or begin > period.end:
                continue
            hours = (stop - begin) / 3_600_000_000
            month = kyiv_text(begin)[:7]
            found.append(
                {
                    "started_at": kyiv_text(begin),
                    "ended_at": "" if end is None else kyiv_text(end),
                    "hours": round(hours, 2),
                    "limit_hours": period_limit,
                    "over_limit": hours > period_limit,
                    "month": month,
                    "month_hours": round(months.get(month, 0.0), 2),
                    "month_limit_hours": month_limit,
                    "month_over_limit": months.get(month, 0.0) > month_limit,
                    "register": register.fiscal_number,
                }
            )
    found.sort(key=lambda r: (r["started_at"], r["register"]))
    return found
