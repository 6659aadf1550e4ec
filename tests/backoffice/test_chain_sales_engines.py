"""Customer orders' chain receipts in the sales analyses on both engines: the register's SQLite
journal and the shop's PostgreSQL database it was pushed into (the register views expose
``order_receipt`` and ``customer_order``).

The journal holds only orders, written as the register writes them (fiscal sums from
``pos.domain.prepayment``), with the sums of ``tests/orders/test_order_sales_reports.py``: order
A (coffee 279.99 "5" + two loaves 69.80 "8") an advance of 150.00 (100.00 cash, 50.00 card) on
2 January and the rest, 199.79 by card, on 3 January; order B (milk 41.99 "5") an advance of
20.00 by card on 2 January, returned the same day.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from reports.test_sales import Sources, _sources
from sqlalchemy import Engine

from pos.backoffice.push import Pusher
from pos.backoffice.sources import shop_sources
from pos.domain.offline_limits import KYIV
from pos.domain.prepayment import after_payment_fiscal, chain_return_fiscal, prepayment_fiscal
from pos.domain.receipt import FiscalReceipt, Payment, PaymentType
from pos.journal import Journal
from pos.orders.model import OrderLine, fiscal_json, line_json, price_order
from pos.reports.periods import Bucket, Period
from pos.reports.sales import by_payment, by_tax, by_time, returns_and_discounts, top_goods

COFFEE = OrderLine("7", "Кава мелена", 27999, 1000, (5,))
BREAD = OrderLine("1", "Хліб", 3490, 2000, (8,))
MILK = OrderLine("5", "Молоко 2,5%", 4199, 1000, (5,))
CASH, CARD = PaymentType.CASH, PaymentType.CASHLESS


def _at(day: int, hour: int) -> str:
    return datetime(2026, 1, day, hour, tzinfo=KYIV).astimezone(UTC).isoformat()


def _write(path: Path) -> None:
    Journal.open(path).close()
    a_priced = price_order((COFFEE, BREAD))
    b_priced = price_order((MILK,))
    advance_a = prepayment_fiscal(a_priced, [Payment(CASH, 10000), Payment(CARD, 5000)])
    rest_a = after_payment_fiscal(a_priced, [advance_a], [Payment(CARD, 19979)])
    advance_b = prepayment_fiscal(b_priced, [Payment(CARD, 2000)])
    receipts: list[tuple[str, str, str, FiscalReceipt, int, int, str]] = [
        ("r-a1", "o-a", "prepayment", advance_a, 10000, 5000, _at(2, 10)),
        ("r-b1", "o-b", "prepayment", advance_b, 0, 2000, _at(2, 11)),
        ("r-b2", "o-b", "return", chain_return_fiscal(advance_b), 0, 2000, _at(2, 12)),
        ("r-a2", "o-a", "after_payment", rest_a, 0, 19979, _at(3, 15)),
    ]
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("INSERT OR REPLACE INTO setting VALUES ('fiscal_number', '4000000015')")
    for oid, number, state, lines, total in (
        ("o-a", 1, "handed_over", (COFFEE, BREAD), 34979),
        ("o-b", 2, "cancelled", (MILK,), 4199),
    ):
        connection.execute(
            "INSERT INTO customer_order (id, number, state, lines, total_sum, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                oid,
                number,
                state,
                json.dumps([line_json(li) for li in lines]),
                total,
                _at(2, 9),
                _at(3, 15),
            ),
        )
    for rid, oid, kind, fiscal, cash, card, at in receipts:
        connection.execute(
            "INSERT INTO order_receipt (id, order_id, kind, state, body, fiscal, cash_sum, "
            "card_sum, fiscal_code, fiscal_date, created_at, updated_at) "
            "VALUES (?, ?, ?, 'done', '{}', ?, ?, ?, ?, ?, ?, ?)",
            (rid, oid, kind, json.dumps(fiscal_json(fiscal)), cash, card, f"CH-{rid}", at, at, at),
        )
    connection.close()


@pytest.fixture(scope="module")
def journal_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("chain-sales") / "journal.sqlite"
    _write(path)
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def sources(request: pytest.FixtureRequest, journal_file: Path) -> Iterator[Sources]:
    if request.param == "postgresql":
        shop: Engine = request.getfixturevalue("shop_database")
        pusher = Pusher(journal_file, shop, "Крамниця")
        try:
            pusher.push_all()
        finally:
            pusher.close()
        with shop_sources(shop, ["Крамниця"]) as found:
            yield found
        return
    yield from _sources(journal_file)


def _rows(rows: list[dict[str, Any]], key: str, *values: str) -> dict[str, tuple[Any, ...]]:
    return {r[key]: tuple(r[v] for v in values) for r in rows}


def test_chain_receipts_count_the_same_on_both_engines(sources: Sources) -> None:
    day2, day3 = Period.parse("2026-01-02", "2026-01-02"), Period.parse("2026-01-03", "2026-01-03")
    both = Period.parse("2026-01-01", "2026-01-31")
    days = _rows(
        by_time(sources, both, Bucket.DAY), "period", "sales_count", "sales_sum", "returns_sum"
    )
    assert days == {"2026-01-02": (2, 17000, 2000), "2026-01-03": (1, 19979, 0)}
    assert _rows(by_payment(sources, day2), "type", "sales_sum", "returns_sum") == {
        "CASH": (10000, 0),
        "CASHLESS": (7000, 2000),
    }
    assert _rows(by_tax(sources, day2), "tax_codes", "sales_turnover", "returns_turnover") == {
        "5": (14007, 2000),
        "8": (2993, 0),
    }
    assert _rows(by_tax(sources, both), "tax_codes", "sales_turnover", "returns_turnover") == {
        "5": (29999, 2000),
        "8": (6980, 0),
    }
    assert top_goods(sources, day2) == []
    assert _rows(top_goods(sources, day3), "code", "quantity", "sales_sum") == {
        "7": (1000, 27999),
        "1": (2000, 6980),
    }
    totals = returns_and_discounts(sources, both)
    assert (totals["sales_count"], totals["returns_count"], totals["returns_sum"]) == (3, 1, 2000)
