"""Shift reports (each shift with its X/Z contents) and the periodical report built from Z-reports.

A closed shift's contents are its journalled Z-report (the server's, or the register's own when it
closed offline); an open shift's are an X computed here from its receipts, customer orders' chain
receipts included as Checkbox's X counts them (`pos.reports.chain_sales`: an advance is a sale of
what it took, the after-payment of the rest, a chain's return a return). The periodical report
adds up the Z-reports of the shifts closed in the period, as Checkbox's ``/reports/periodical``
does. Counted cash is what the cashier counted at closing, when the register recorded it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, case, func, select

from pos.reports.chain_sales import chain_sales
from pos.reports.periods import Period, kyiv_text
from pos.reports.schema import (
    is_fiscal,
    receipt,
    receipt_payment,
    setting,
    shift,
    shift_close_instant,
    shift_open_instant,
)
from pos.reports.sources import Register

PAYMENT_FIELDS = (
    "sell_sum",
    "return_sum",
    "service_in",
    "service_out",
    "cash_withdrawal",
    "cash_withdrawal_commission",
)
COUNT_FIELDS = ("sell_receipts_count", "return_receipts_count", "cash_withdrawal_receipts_count")
SUM_FIELDS = (
    "sales_round_up",
    "sales_round_down",
    "returns_round_up",
    "returns_round_down",
    "discounts_sum",
    "extra_charge_sum",
)


def _if_sale(column: Any) -> Any:
    return case((receipt.c.type == "SELL", column), else_=0)


def x_contents(connection: Connection, shift_id: str, initial: int) -> dict[str, Any]:
    """The X-report totals of a shift from its fiscalised receipts (API field names)."""
    net = receipt_payment.c.value - case(
        (receipt_payment.c.type == "CASH", receipt.c.rest), else_=0
    )
    rows = connection.execute(
        select(
            receipt.c.type, receipt_payment.c.type, func.sum(net), func.sum(receipt_payment.c.value)
        )
        .join(receipt_payment, receipt_payment.c.receipt_id == receipt.c.id)
        .where(receipt.c.shift_id == shift_id, is_fiscal())
        .group_by(receipt.c.type, receipt_payment.c.type)
    ).all()
    pay = {t: dict.fromkeys(PAYMENT_FIELDS, 0) for t in ("CASH", "CASHLESS")}
    for rtype, ptype, net_sum, gross in rows:
        acc = pay[ptype]
        if rtype == "SELL":
            acc["sell_sum"] += int(net_sum)
        elif rtype == "RETURN":
            acc["return_sum"] += int(net_sum)
        elif rtype == "SERVICE_IN":
            acc["service_in"] += int(gross)
        elif rtype == "SERVICE_OUT":
            acc["service_out"] += int(gross)
        elif rtype == "CASH_WITHDRAWAL":
            acc["service_out"] += int(gross)
            acc["cash_withdrawal"] += int(gross)
    counts: dict[str, int] = dict(
        connection.execute(
            select(receipt.c.type, func.count())
            .where(receipt.c.shift_id == shift_id, is_fiscal())
            .group_by(receipt.c.type)
        ).all()
    )
    sums = connection.execute(
        select(
            func.coalesce(func.sum(_if_sale(receipt.c.discounts_sum)), 0),
            func.coalesce(func.sum(_if_sale(receipt.c.extra_charge_sum)), 0),
        ).where(receipt.c.shift_id == shift_id, is_fiscal())
    ).one()
    discounts, charges = int(sums[0]), int(sums[1])
    for chain in chain_sales(connection, shift_id=shift_id):  # customer orders' advances
        field = "return_sum" if chain.is_return else "sell_sum"
        for ptype, value in chain.net_by_type().items():
            pay[ptype][field] += value
        name = "RETURN" if chain.is_return else "SELL"
        counts[name] = int(counts.get(name, 0)) + 1
        if not chain.is_return:
            discounts += chain.fiscal.discounts_sum
            charges += chain.fiscal.extra_charge_sum
    cash, card = pay["CASH"], pay["CASHLESS"]
    balance = (
        initial
        + cash["sell_sum"]
        - cash["return_sum"]
        + cash["service_in"]
        + card["service_in"]
        - cash["service_out"]
        - card["service_out"]
    )
    return {
        "payments": [{"type": t, **values} for t, values in pay.items()],
        "taxes": [],
        "sell_receipts_count": int(counts.get("SELL", 0)),
        "return_receipts_count": int(counts.get("RETURN", 0)),
        "cash_withdrawal_receipts_count": int(counts.get("CASH_WITHDRAWAL", 0)),
        "initial": initial,
        "balance": balance,
        "discounts_sum": discounts,
        "extra_charge_sum": charges,
    }


@dataclass(frozen=True)
class ShiftSummary:
    id: str
    serial: int
    state: str
    offline: bool
    opened_at: str
    closed_at: str
    report: dict[str, Any]  # Z contents when closed, X when open
    z: bool
    counted_cash: int | None
    register: str

    @property
    def expected_cash(self) -> int:
        return int(self.report.get("balance", 0))

    @property
    def difference(self) -> int | None:
        return None if self.counted_cash is None else self.counted_cash - self.expected_cash

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "shift": self.serial,
            "state": self.state,
            "offline": self.offline,
            "opened_at": self.opened_at,
            "closed_at": self.closed_at,
            "z": self.z,
            "report": self.report,
            "expected_cash": self.expected_cash,
            "counted_cash": self.counted_cash,
            "difference": self.difference,
            "register": self.register,
        }


COUNTED_CASH_KEY = "counted_cash:{shift_id}"  # the setting the register writes at closing


def _counted(connection: Connection) -> dict[str, int]:
    rows = connection.execute(
        select(setting.c.key, setting.c.value).where(setting.c.key.like("counted_cash:%"))
    ).all()
    found = {}
    for key, value in rows:
        try:
            found[key.split(":", 1)[1]] = int(value)
        except ValueError:
            continue
    return found


def shift_summaries(
    sources: Sequence[tuple[Connection, Register]], period: Period
) -> list[ShiftSummary]:
    """Every shift opened in the period (or still open then), oldest first, with X/Z contents."""
    found: list[tuple[int, ShiftSummary]] = []
    for connection, register in sources:
        counted = _counted(connection)
        opened = shift_open_instant()
        rows = connection.execute(
            select(
                shift.c.id,
                shift.c.serial,
                shift.c.state,
                shift.c.is_offline,
                shift.c.initial_balance,
                shift.c.z_report,
                opened.label("opened"),
                shift_close_instant().label("closed"),
            )
            .where(opened >= period.start, opened <= period.end, shift.c.state != "failed")
            .order_by(opened)
        ).all()
        for row in rows:
            closed = row.state == "closed" and row.z_report is not None
            report = json.loads(row.z_report) if closed else None
            if report is None:
                report = x_contents(connection, row.id, int(row.initial_balance))
            found.append(
                (
                    int(row.opened or 0),
                    ShiftSummary(
                        id=row.id,
                        serial=int(row.serial or 0),
                        state=row.state,
                        offline=bool(row.is_offline),
                        opened_at=kyiv_text(row.opened),
                        closed_at=kyiv_text(row.closed) if row.state == "closed" else "",
                        report=report,
                        z=closed,
                        counted_cash=counted.get(row.id),
                        register=register.fiscal_number,
                    ),
                )
            )
    found.sort(key=lambda pair: pair[0])
    return [summary for _, summary in found]


def _tax_value(tax: Mapping[str, Any], ours: str, servers: str) -> int:
    return int(tax.get(ours, tax.get(servers, 0)) or 0)


def periodical(sources: Sequence[tuple[Connection, Register]], period: Period) -> dict[str, Any]:
    """Totals of the Z-reports of the shifts closed within the period (Checkbox's periodical)."""
    payments: dict[str, dict[str, int]] = {}
    taxes: dict[str, dict[str, Any]] = {}
    totals = dict.fromkeys((*COUNT_FIELDS, *SUM_FIELDS), 0)
    serials: list[int] = []
    registers: set[str] = set()
    for connection, register in sources:
        closed = shift_close_instant()
        rows = connection.execute(
            select(shift.c.serial, shift.c.z_report).where(
                shift.c.state == "closed",
                shift.c.z_report.is_not(None),
                closed >= period.start,
                closed <= period.end,
            )
        ).all()
        for serial, text in rows:
            registers.add(register.fiscal_number)
            serials.append(int(serial or 0))
            z = json.loads(text)
            for p in z.get("payments", []):
                acc = payments.setdefault(str(p["type"]), dict.fromkeys(PAYMENT_FIELDS, 0))
                for name in PAYMENT_FIELDS:
                    acc[name] += int(p.get(name, 0) or 0)
            for t in z.get("taxes", []):
                key = str(t.get("code", t.get("symbol", "")))
                acc_t = taxes.setdefault(
                    key,
                    {
                        "code": t.get("code"),
                        "rate": t.get("rate"),
                        "sell_sum": 0,
                        "return_sum": 0,
                        "sales_turnover": 0,
                        "returns_turnover": 0,
                    },
                )
                acc_t["sell_sum"] += _tax_value(t, "sell_sum", "sales")
                acc_t["return_sum"] += _tax_value(t, "return_sum", "returns")
                acc_t["sales_turnover"] += _tax_value(t, "sales_turnover", "sales_turnover")
                acc_t["returns_turnover"] += _tax_value(t, "returns_turnover", "returns_turnover")
            for name in totals:
                totals[name] += int(z.get(name, 0) or 0)
    return {
        "date_from": kyiv_text(period.start),
        "date_to": kyiv_text(period.end),
        "z_reports_count": len(serials),
        "first_shift": min(serials) if serials else None,
        "last_shift": max(serials) if serials else None,
        "registers": sorted(registers),
        "payments": [{"type": t, **v} for t, v in sorted(payments.items())],
        "taxes": [taxes[k] for k in sorted(taxes)],
        **totals,
    }
