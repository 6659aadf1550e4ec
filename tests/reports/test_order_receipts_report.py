"""Customer orders' chain receipts in the receipts report (seed 004's ``prepaidSum``) and the
cashier filter, on a generated journal with two orders written as the register writes them.

Worked out by hand from the seeds (sums in kopecks):

* order 1, 525.00 (cake 450.00 + three candles at 25.00): an advance of 150.00 on 2 Jan at
  12:00 Kyiv, 100.00 cash + 50.00 card → totalSum 15000, cashTotalSum 10000, ecashTotalSum
  5000, prepaidSum 0; the after-payment on 3 Jan at 15:00, the rest 375.00 by card →
  totalSum 52500 (the whole order), prepaidSum 15000 (the advance set off), ecashTotalSum
  37500, cashTotalSum 0: 52500 = 0 + 37500 + 15000;
* order 2, 200.00: an advance of 200.00 by card on 2 Jan at 13:00, returned by card on 3 Jan at
  16:00 (the order cancelled) → the return: operation income_return, totalSum 20000,
  ecashTotalSum 20000, prepaidSum 0.

Over the six days: three chain receipts, prepaidSum 15000 in all, cash 10000, cashless
5000 + 37500 + 20000 = 62500.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pos.domain.offline_limits import KYIV
from pos.domain.receipt import FiscalReceipt, Payment, PaymentType, ReceiptType
from pos.journal.migrations import MIGRATIONS, migrate
from pos.orders.model import fiscal_json
from pos.reports.periods import ReportInputError

from .conftest import Sources, generated_journal, report
from .generated import CASHIERS

ADVANCE_1 = "a0000000-0000-4000-8000-000000000001"
AFTER_1 = "a0000000-0000-4000-8000-000000000002"
ADVANCE_2 = "a0000000-0000-4000-8000-000000000003"
RETURN_2 = "a0000000-0000-4000-8000-000000000004"


def _at(day: int, hour: int) -> str:
    return datetime(2026, 1, day, hour, tzinfo=KYIV).astimezone(UTC).isoformat()


def _fiscal(kind: ReceiptType, total: int, *payments: tuple[PaymentType, int]) -> str:
    paid = tuple(
        Payment(t, v, "Готівка" if t is PaymentType.CASH else "Картка") for t, v in payments
    )
    return json.dumps(fiscal_json(FiscalReceipt(kind, total, paid)))


def _add_orders(path: Path) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    shifts = dict(connection.execute("SELECT serial, id FROM shift").fetchall())
    connection.execute("INSERT OR REPLACE INTO setting VALUES ('cashier_name', 'Ірина Бондар')")
    for oid, number, total, state in (
        ("o-1", 1, 52500, "handed_over"),
        ("o-2", 2, 20000, "cancelled"),
    ):
        connection.execute(
            "INSERT INTO customer_order (id, number, state, lines, total_sum, created_at, "
            "updated_at) VALUES (?, ?, ?, '[]', ?, ?, ?)",
            (oid, number, state, total, _at(2, 11), _at(3, 16)),
        )
    sell, ret = ReceiptType.SELL, ReceiptType.RETURN
    cash, card = PaymentType.CASH, PaymentType.CASHLESS
    rows = (
        (
            ADVANCE_1,
            "o-1",
            "prepayment",
            2,
            12,
            _fiscal(sell, 15000, (cash, 10000), (card, 5000)),
            10000,
            5000,
        ),
        (AFTER_1, "o-1", "after_payment", 3, 15, _fiscal(sell, 37500, (card, 37500)), 0, 37500),
        (ADVANCE_2, "o-2", "prepayment", 2, 13, _fiscal(sell, 20000, (card, 20000)), 0, 20000),
        (RETURN_2, "o-2", "return", 3, 16, _fiscal(ret, 20000, (card, 20000)), 0, 20000),
    )
    for rid, oid, kind, day, hour, fiscal, cash_sum, card_sum in rows:
        connection.execute(
            "INSERT INTO order_receipt (id, order_id, kind, state, shift_id, body, fiscal, "
            "cash_sum, card_sum, qr_sum, fiscal_code, fiscal_date, created_at, updated_at) "
            "VALUES (?, ?, ?, 'done', ?, '{}', ?, ?, ?, 0, ?, ?, ?, ?)",
            (
                rid,
                oid,
                kind,
                shifts[day],
                fiscal,
                cash_sum,
                card_sum,
                f"CH-{rid[-1]}",
                _at(day, hour),
                _at(day, hour),
                _at(day, hour),
            ),
        )
    # One more sent but never confirmed: not a fiscal document, not in the report.
    connection.execute(
        "INSERT INTO order_receipt (id, order_id, kind, state, shift_id, body, fiscal, created_at,"
        " updated_at) VALUES ('unsent', 'o-1', 'prepayment', 'failed', ?, '{}', ?, ?, ?)",
        (shifts[2], _fiscal(sell, 100, (cash, 100)), _at(2, 14), _at(2, 14)),
    )
    connection.close()


@pytest.fixture(scope="module")
def journal_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = generated_journal(tmp_path_factory, "order-report", per_day=30)
    _add_orders(path)
    return path


def _chain(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in rows if r.get("chain_role")}


def test_chain_receipts_carry_the_seeds_sums(sources: Sources) -> None:
    rows = _chain(report(sources).data)
    assert set(rows) == {ADVANCE_1, AFTER_1, ADVANCE_2, RETURN_2}
    sums = ("totalSum", "cashTotalSum", "ecashTotalSum", "prepaidSum", "creditSum", "provisionSum")
    assert [rows[ADVANCE_1][k] for k in sums] == [15000, 10000, 5000, 0, 0, 0]
    assert [rows[AFTER_1][k] for k in sums] == [52500, 0, 37500, 15000, 0, 0]
    assert [rows[ADVANCE_2][k] for k in sums] == [20000, 0, 20000, 0, 0, 0]
    assert [rows[RETURN_2][k] for k in sums] == [20000, 0, 20000, 0, 0, 0]
    after = rows[AFTER_1]
    assert after["totalSum"] == after["cashTotalSum"] + after["ecashTotalSum"] + after["prepaidSum"]
    assert (after["code_name"], after["operation"], after["document_type"]) == (
        "чек післяплати",
        "income",
        "receipt",
    )
    assert rows[RETURN_2]["operation"] == "income_return"
    assert rows[ADVANCE_1]["code_name"] == "чек передоплати"
    assert (after["real_date"], after["shift"], after["order"], after["fiscalSign"]) == (
        "2026-01-03 15:00:00",
        3,
        1,
        "CH-2",
    )
    assert (after["offline"], after["sync"], after["cashier"]) == (False, "online", "Ірина Бондар")


def test_totals_count_the_chain_and_equal_the_rows(sources: Sources) -> None:
    answer = report(sources)
    assert answer.total == len(answer.data)
    for key in ("totalSum", "cashTotalSum", "ecashTotalSum", "prepaidSum"):
        assert answer.totals[key] == sum(r[key] for r in answer.data), key
    assert answer.totals["prepaidSum"] == 15000
    chain = [g for g in answer.totals["by_type"] if g["document_type"] == "receipt"]
    by_type = {(g["operation"], g["totalSum"]) for g in chain}
    assert ("income", 15000 + 20000) in by_type  # the two advances
    assert ("income", 52500) in by_type  # the after-payment
    assert ("income_return", 20000) in by_type  # the chain's return


def test_pages_of_a_merged_answer_are_exact(sources: Sources) -> None:
    """Every page (any limit, any offset) is the slice of the whole ordered answer."""
    for orders in (["date"], ["-date"], ["-totalSum"], ["shift", "-number"], ["ecashTotalSum"]):
        whole = report(sources, orders=orders).data
        ids = [(r["id"], r["doc_number"], r["document_type"]) for r in whole]
        assert len(set(ids)) == len(ids)
        for limit, offset in itertools.product((1, 3, 7, 50), (0, 1, 2, 5, 40, 95, 180)):
            page = report(sources, orders=orders, limit=limit, offset=offset).data
            expected = ids[offset : offset + limit]
            assert [(r["id"], r["doc_number"], r["document_type"]) for r in page] == expected, (
                orders,
                limit,
                offset,
            )


def test_numbers_in_a_shift_count_the_chain_receipts(sources: Sources) -> None:
    rows = report(sources, date_from="2026-01-02", date_to="2026-01-02", orders=["date"]).data
    fiscal = [r for r in rows if r["document_type"] not in ("openShift", "closeShift")]
    fiscal = [r for r in fiscal if r["document_type"] == "receipt" or r["doc_number"]]
    numbers = [r["number"] for r in fiscal]
    assert numbers == list(range(1, len(numbers) + 1))


def test_filters_apply_to_chain_receipts(sources: Sources) -> None:
    def chain(**body: Any) -> set[str]:
        return set(_chain(report(sources, **body).data))

    assert chain(operation_types=["income_return"]) == {RETURN_2}
    assert chain(operation_types=["income"]) == {ADVANCE_1, AFTER_1, ADVANCE_2}
    assert chain(payment_types=["cash"]) == {ADVANCE_1}
    assert chain(shifts=[3]) == {AFTER_1, RETURN_2}
    assert chain(fiscal_sign="CH-4") == {RETURN_2}
    assert chain(search="CH-") == {ADVANCE_1, AFTER_1, ADVANCE_2, RETURN_2}
    assert chain(fiscal_doc=1) == set()
    assert chain(offline=True) == set()
    assert chain(sync_states=["pending"]) == set()
    assert chain(document_types=["serviceIn"]) == set()
    assert chain(date_from="2026-01-03 15:00:00", date_to="2026-01-03 15:59:59") == {AFTER_1}
    assert chain(date_from="2026-01-03 15:00:01") == {RETURN_2}
    assert chain(cashiers=["Ірина Бондар"]) == {ADVANCE_1, AFTER_1, ADVANCE_2, RETURN_2}


def test_the_cashier_filter(sources: Sources) -> None:
    everything = report(sources)
    first = report(sources, cashiers=[CASHIERS[0]])
    assert first.total > 0
    assert {r["cashier"] for r in first.data} == {CASHIERS[0]}
    # The generator's shifts alternate: 1, 3, 5 are the first cashier's.
    assert {r["shift"] for r in first.data} == {1, 3, 5}
    both = report(sources, cashiers=list(CASHIERS))
    assert both.total + 4 == everything.total  # all but the order cashier's chain receipts
    assert report(sources, cashiers=["Ніхто"]).total == 0


def test_a_bad_cashiers_value_is_refused(sources: Sources) -> None:
    with pytest.raises(ReportInputError, match="cashiers"):
        report(sources, cashiers=[1])


def test_migration_9_gives_old_rows_their_shifts_cashier(tmp_path: Path) -> None:
    path = tmp_path / "v7.sqlite"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, None, target=7)
    response = json.dumps({"id": "s-1", "cashier": {"full_name": "Тестовий касир"}})
    connection.execute(
        "INSERT INTO shift (id, state, serial, server_response, created_at, updated_at) "
        "VALUES ('s-1', 'opened', 1, ?, 0, 0)",
        (response,),
    )
    connection.execute(
        "INSERT INTO shift (id, state, serial, created_at, updated_at) "
        "VALUES ('s-2', 'opened', 2, 0, 0)"
    )
    for rid, sid in (("r-1", "s-1"), ("r-2", "s-2")):
        connection.execute(
            "INSERT INTO receipt (id, shift_id, type, state, total_sum, created_at, updated_at) "
            "VALUES (?, ?, 'SELL', 'done', 100, 0, 0)",
            (rid, sid),
        )
    migrate(connection, path, target=len(MIGRATIONS))
    cashiers = dict(connection.execute("SELECT id, cashier FROM receipt").fetchall())
    assert cashiers == {"r-1": "Тестовий касир", "r-2": None}
    # New rows: the signed-in cashier of the settings, else their shift's.
    connection.execute(
        "INSERT INTO receipt (id, shift_id, type, state, total_sum, created_at, updated_at) "
        "VALUES ('r-3', 's-1', 'SELL', 'done', 100, 0, 0)"
    )
    connection.execute("INSERT INTO setting VALUES ('cashier_name', 'Олена Коваль')")
    connection.execute(
        "INSERT INTO receipt (id, shift_id, type, state, total_sum, created_at, updated_at) "
        "VALUES ('r-4', 's-1', 'SELL', 'done', 100, 0, 0)"
    )
    cashiers = dict(connection.execute("SELECT id, cashier FROM receipt").fetchall())
    assert (cashiers["r-3"], cashiers["r-4"]) == ("Тестовий касир", "Олена Коваль")
    connection.close()


def test_pos_report_receipts_by_cashier_with_the_chain(
    journal_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pos.cli import main

    base = ["report", "receipts", "--journal", str(journal_file), "--from", "2026-01-03"]
    base += ["--to", "2026-01-03"]
    assert main([*base, "--cashier", "Ірина Бондар", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in body["data"]} == {AFTER_1, RETURN_2}
    assert body["total"] == 2
    assert body["totals"]["prepaidSum"] == 15000
    assert main([*base, "--cashier", CASHIERS[0], "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split(",")
    assert "prepaidSum" in header
    assert "cashier" in header
    column = header.index("cashier")
    assert {line.split(",")[column] for line in lines[1:]} == {CASHIERS[0]}
