"""Customer orders' chain receipts in the sales analyses and the shift summaries, on the journal a
real till wrote against the sandbox (`pos.reports.chain_sales` says how they count).

Worked out by hand (kopecks; tax sets "5" = ПДВ 20 %, "8" = без ПДВ):

* day 1, shift 1: a loaf sold by card, 34.90 ("8"); order A — coffee 279.99 ("5") + two loaves
  69.80 ("8") = 349.79 — an advance of 150.00: 100.00 cash + 50.00 card. Its share of the lines,
  150.00 split in proportion to 279.99 : 69.80 (largest remainder), is 120.07 ("5") and 29.93
  ("8"). Order B — milk 41.99 ("5") — an advance of 20.00 by card, then cancelled: the return of
  20.00 by card.
  Money: 3 sales, 34.90 + 150.00 + 20.00 = 204.90; 1 return, 20.00. Cash 100.00; cashless
  34.90 + 50.00 + 20.00 = 104.90, returned 20.00. Tax "5": 120.07 + 20.00 = 140.07 (returned
  20.00); "8": 34.90 + 29.93 = 64.83. Goods: only the loaf sold (A is not handed over yet).
* day 3, shift 2: A's rest, 199.79 by card: 1 sale of 199.79; tax "5": 279.99 − 120.07 =
  159.92, "8": 69.80 − 29.93 = 39.87; goods handed over: coffee 1 × 279.99 and two loaves 69.80.
* both days: tax "5" 140.07 + 159.92 = 299.99 (coffee 279.99 + milk's advance 20.00), "8"
  64.83 + 39.87 = 104.70 (three loaves): the chain adds up to its lines' sums.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scenarios.harness import CATALOGUE, SimClock, exact_tender
from sqlalchemy import Connection

from pos.domain.offline_limits import KYIV
from pos.domain.receipt import PaymentType
from pos.orders.model import Customer, OrderPayment, PayMethod
from pos.register.cart import Cart
from pos.reports.periods import Bucket, Period
from pos.reports.sales import by_payment, by_tax, by_time, returns_and_discounts, top_goods
from pos.reports.shifts import shift_summaries
from pos.reports.sources import Register, open_read_only, register_of

from .conftest import TillFactory, selling_till

COFFEE, BREAD, MILK = CATALOGUE[6], CATALOGUE[0], CATALOGUE[4]
TWO_DAYS = 2 * 24 * 3600.0


@contextmanager
def sources(path: Path) -> Iterator[list[tuple[Connection, Register]]]:
    engine = open_read_only(path)
    try:
        with engine.connect() as connection:
            yield [(connection, register_of(connection))]
    finally:
        engine.dispose()


def _pay(rows: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    return {r["type"]: (r["sales_sum"], r["returns_sum"]) for r in rows}


def _tax(rows: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    return {r["tax_codes"]: (r["sales_turnover"], r["returns_turnover"]) for r in rows}


async def test_advances_after_payment_and_return_in_sales_and_shift_reports(
    clock: SimClock, tills: TillFactory
) -> None:
    till = await selling_till(tills)
    desk = till.service.orders
    day1 = clock.now().astimezone(KYIV).date()

    loaf = Cart()
    loaf.add(BREAD)
    await till.sell(loaf, [exact_tender(loaf.total, PaymentType.CASHLESS)])
    clock.advance(1)
    a_cart = Cart()
    a_cart.add(COFFEE)
    a_cart.add(BREAD, 2000)
    order_a = desk.create(a_cart, Customer("Олена"))
    assert order_a.total_sum == 34979
    clock.advance(1)
    await desk.take_advance(
        order_a.id, [OrderPayment(PayMethod.CASH, 10000), OrderPayment(PayMethod.CARD, 5000)]
    )
    b_cart = Cart()
    b_cart.add(MILK)
    order_b = desk.create(b_cart, Customer("Іван"))
    clock.advance(1)
    await desk.take_advance(order_b.id, [OrderPayment(PayMethod.CARD, 2000)])
    clock.advance(1)
    await desk.cancel(order_b.id)
    clock.advance(1)
    x = await till.service.x_report()
    with sources(till.journal_path) as found:
        (summary,) = shift_summaries(found, Period.days(day1, day1))
    report = summary.report
    assert not summary.z
    assert (report["sell_receipts_count"], report["return_receipts_count"]) == (3, 1)
    pay = {p["type"]: (p["sell_sum"], p["return_sum"]) for p in report["payments"]}
    assert pay == {"CASH": (10000, 0), "CASHLESS": (10490, 2000)}
    assert summary.expected_cash == 10000
    assert x.server is not None  # the shift summary's X is Checkbox's, kopeck for kopeck
    for ours in (report, x.local):
        server = {p["type"]: (p["sell_sum"], p["return_sum"]) for p in x.server["payments"]}
        assert {p["type"]: (p["sell_sum"], p["return_sum"]) for p in ours["payments"]} == server
        assert ours["sell_receipts_count"] == x.server["sell_receipts_count"]
        assert ours["balance"] == x.server["balance"]

    clock.advance(1)
    await till.service.close_shift()
    clock.advance(TWO_DAYS)
    await till.service.open_shift(0)
    day3 = clock.now().astimezone(KYIV).date()
    clock.advance(1)
    await desk.pay_rest(order_a.id, [OrderPayment(PayMethod.CARD, 19979)])

    first, last = Period.days(day1, day1), Period.days(day3, day3)
    both = Period.days(day1, day3)
    with sources(till.journal_path) as found:
        s = found
        days = {d["period"]: d for d in by_time(s, both, Bucket.DAY)}
        assert days[day1.isoformat()] | {"period": ""} == {
            "period": "",
            "sales_count": 3,
            "sales_sum": 20490,
            "returns_count": 1,
            "returns_sum": 2000,
            "net_sum": 18490,
        }
        assert days[day3.isoformat()]["sales_count"] == 1
        assert days[day3.isoformat()]["sales_sum"] == 19979
        hours = by_time(s, both, Bucket.HOUR)
        assert sum(int(h["sales_sum"]) for h in hours) == 20490 + 19979

        assert _pay(by_payment(s, first)) == {
            "CASH": (10000, 0),
            "CASHLESS": (10490, 2000),
        }
        assert _pay(by_payment(s, last)) == {"CASHLESS": (19979, 0)}

        assert _tax(by_tax(s, first)) == {"5": (14007, 2000), "8": (6483, 0)}
        assert _tax(by_tax(s, last)) == {"5": (15992, 0), "8": (3987, 0)}
        assert _tax(by_tax(s, both)) == {"5": (29999, 2000), "8": (10470, 0)}

        goods = {g["code"]: g for g in top_goods(s, first)}
        assert {c: (g["quantity"], g["sales_sum"]) for c, g in goods.items()} == {"1": (1000, 3490)}
        goods = {g["code"]: g for g in top_goods(s, last)}
        assert {c: (g["quantity"], g["sales_sum"], g["name"]) for c, g in goods.items()} == {
            "7": (1000, 27999, COFFEE.name),
            "1": (2000, 6980, BREAD.name),
        }

        totals = returns_and_discounts(s, both)
        assert (totals["sales_count"], totals["returns_count"], totals["returns_sum"]) == (
            4,
            1,
            2000,
        )
        shifts = shift_summaries(s, Period.days(day1, day3))
    assert [sh.z for sh in shifts] == [True, False]
    second = shifts[1].report
    assert second["sell_receipts_count"] == 1
    assert {p["type"]: p["sell_sum"] for p in second["payments"]} == {"CASH": 0, "CASHLESS": 19979}
