"""The receipts report on a generated journal: every filter, order key and paging rule of the OFD
seed, the inclusive Kyiv-day boundaries, and totals that equal the rows and the Z-reports."""

from __future__ import annotations

import itertools
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from pos.domain.offline_limits import KYIV
from pos.journal.instants import to_micros
from pos.reports.periods import ReportInputError
from pos.reports.receipts import ORDER_KEYS
from pos.reports.shifts import periodical, shift_summaries
from pos.reports.sources import open_read_only, register_of

from .conftest import Sources, generated_journal, report
from .generated import FISCAL_NUMBER, generate


def _edge_receipts(path: Path) -> None:
    """A sale at 23:59:59 on 3 Jan and one at 00:00:00 on 4 Jan (Kyiv), no shift."""
    connection = sqlite3.connect(path, isolation_level=None)
    for rid, moment in (
        ("edge-late", datetime(2026, 1, 3, 23, 59, 59, tzinfo=KYIV)),
        ("edge-next", datetime(2026, 1, 4, 0, 0, 0, tzinfo=KYIV)),
    ):
        at = to_micros(moment)
        connection.execute(
            "INSERT INTO receipt (id, type, state, fiscal_code, fiscal_date, total_sum, "
            "total_payment, created_at, updated_at) VALUES (?, 'SELL', 'done', ?, ?, 100, 100,"
            " ?, ?)",
            (rid, f"EDGE-{rid}", at, at, at),
        )
        connection.execute(
            "INSERT INTO receipt_payment (receipt_id, position, type, value) "
            "VALUES (?, 1, 'CASH', 100)",
            (rid,),
        )
    connection.close()


@pytest.fixture(scope="module")
def journal_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = generated_journal(tmp_path_factory, "reports", per_day=40)
    _edge_receipts(path)
    return path


def test_the_answer_has_the_seed_shape_and_the_register(sources: Sources) -> None:
    answer = report(sources, limit=5)
    body = json.loads(json.dumps(answer.as_json()))
    assert set(body) >= {"data", "total"}
    assert len(body["data"]) == 5
    seed_fields = {
        "creditSum", "shift", "real_date", "provisionSum", "prepaidSum", "totalSum", "number",
        "operation", "ecashTotalSum", "fn", "doc_number", "cashTotalSum", "code_name", "rn",
        "fiscalSign",
    }  # fmt: skip
    for row in body["data"]:
        assert seed_fields <= set(row)
        assert row["rn"] == row["register"] == FISCAL_NUMBER
        assert {"fiscal_code", "offline", "sync"} <= set(row)


def test_a_day_is_inclusive_at_235959_and_excludes_the_next_midnight(sources: Sources) -> None:
    day = report(sources, date_from="2026-01-03", date_to="2026-01-03")
    ids = {row["id"] for row in day.data}
    assert "edge-late" in ids
    assert "edge-next" not in ids
    following = report(sources, date_from="2026-01-04", date_to="2026-01-04")
    assert "edge-next" in {row["id"] for row in following.data}
    to_the_second = report(sources, date_from="2026-01-03 23:59:59", date_to="2026-01-03 23:59:59")
    assert [row["id"] for row in to_the_second.data] == ["edge-late"]
    assert to_the_second.data[0]["real_date"] == "2026-01-03 23:59:59"


def test_paging_cuts_the_same_ordered_list(sources: Sources) -> None:
    whole = report(sources, orders=["-totalSum"])
    assert whole.total == len(whole.data) > 200
    pages = []
    for offset in range(0, whole.total, 37):
        page = report(sources, orders=["-totalSum"], limit=37, offset=offset)
        assert page.total == whole.total
        pages += page.data
    assert [r["id"] for r in pages] == [r["id"] for r in whole.data]
    assert report(sources, limit=10, offset=whole.total).data == []
    assert report(sources, limit=0).data == []


@pytest.mark.parametrize("key", ORDER_KEYS)
def test_every_order_key_sorts_both_ways(sources: Sources, key: str) -> None:
    field = {"date": "real_date"}.get(key, key)
    up = [row[field] for row in report(sources, orders=[key]).data]
    down = [row[field] for row in report(sources, orders=[f"-{key}"]).data]
    assert up == sorted(up)
    assert down == sorted(down, reverse=True)


def test_several_orders_apply_in_sequence(sources: Sources) -> None:
    rows = report(sources, orders=["-shift", "operation" and "cashTotalSum", "-date"]).data
    keys = [(-r["shift"], r["cashTotalSum"]) for r in rows]
    assert keys == sorted(keys)
    for a, b in itertools.pairwise(rows):
        if (a["shift"], a["cashTotalSum"]) == (b["shift"], b["cashTotalSum"]):
            assert a["real_date"] >= b["real_date"]


def test_document_type_operation_and_payment_filters(sources: Sources) -> None:
    everything = report(sources).data
    for kind in ("receipt", "serviceIn", "serviceOut", "cashWithdrawal", "openShift", "closeShift"):
        rows = report(sources, document_types=[kind]).data
        assert rows, kind
        assert {r["document_type"] for r in rows} == {kind}
        assert len(rows) == sum(1 for r in everything if r["document_type"] == kind)
    returns = report(sources, operation_types=["income_return"]).data
    assert returns
    assert {r["operation"] for r in returns} == {"income_return"}
    sales = report(sources, operation_types=["income"]).data
    assert len(sales) + len(returns) == sum(1 for r in everything if r["operation"])
    card = report(sources, payment_types=["cashless"]).data
    assert card
    assert all(r["ecashTotalSum"] > 0 for r in card)
    cash = report(sources, payment_types=["cash"]).data
    assert all(r["cashTotalSum"] != 0 or r["totalSum"] == 0 for r in cash)
    assert len({r["id"] for r in card} | {r["id"] for r in cash}) == sum(
        1 for r in everything if r["document_type"] not in ("openShift", "closeShift")
    )


def test_shift_code_number_register_offline_sync_and_search_filters(sources: Sources) -> None:
    everything = report(sources).data
    second = report(sources, shifts=[2]).data
    assert second
    assert {r["shift"] for r in second} == {2}
    assert {r["document_type"] for r in second} >= {"openShift", "closeShift", "receipt"}
    sample = next(r for r in everything if r["document_type"] == "receipt")
    assert [r["id"] for r in report(sources, fiscal_sign=sample["fiscal_code"]).data] == [
        sample["id"]
    ]
    assert [r["id"] for r in report(sources, fiscal_doc=sample["doc_number"]).data] == [
        sample["id"]
    ]
    assert report(sources, cashbox_ids=[FISCAL_NUMBER]).total == len(everything)
    assert report(sources, cashbox_ids=["someone else"]).total == 0
    offline = report(sources, offline=True).data
    assert offline
    assert all(r["offline"] for r in offline)
    assert len(offline) + report(sources, offline=False).total == len(everything)
    pending = report(sources, sync_states=["pending"]).data
    assert pending
    assert all(r["sync"] == "pending" and r["offline"] for r in pending)
    uploaded = report(sources, sync_states=["uploaded"]).data
    assert uploaded
    assert all(r["sync"] == "uploaded" for r in uploaded)
    prefix = sample["fiscal_code"][:10]
    found = report(sources, search=prefix).data
    assert sample["id"] in {r["id"] for r in found}
    assert all(r["fiscal_code"].startswith(prefix) for r in found)
    by_number = report(sources, search=str(sample["doc_number"])).data
    assert sample["id"] in {r["id"] for r in by_number}


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"colour": "red"}, "'colour'"),
        ({"company_ids": ["301"]}, "'company_ids'"),
        ({"date_from": "2026-02-30"}, "'2026-02-30'"),
        ({"date_to": "yesterday"}, "'yesterday'"),
        ({"orders": ["-price"]}, "'-price'"),
        ({"document_types": ["bso"]}, "'bso'"),
        ({"operation_types": ["outcome"]}, "'outcome'"),
        ({"payment_types": ["barter"]}, "'barter'"),
        ({"sync_states": ["lost"]}, "'lost'"),
        ({"limit": -1}, "-1"),
        ({"shifts": ["x"]}, "'x'"),
        ({"date_from": "2026-01-05", "date_to": "2026-01-04"}, "'2026-01-04'"),
    ],
)
def test_bad_queries_are_refused_naming_the_value(
    sources: Sources, body: dict[str, Any], named: str
) -> None:
    with pytest.raises(ReportInputError, match=named.replace("-", r"\-")):
        report(sources, **body)


def test_totals_equal_the_rows_and_the_z_reports(sources: Sources) -> None:
    answer = report(sources, date_from="2026-01-01", date_to="2026-01-05")
    rows = answer.data
    assert answer.totals["count"] == answer.total == len(rows)
    for field in ("totalSum", "cashTotalSum", "ecashTotalSum"):
        assert answer.totals[field] == sum(r[field] for r in rows)
    from pos.reports.periods import Period

    period = Period.parse("2026-01-01", "2026-01-05")
    summaries = {s.serial: s for s in shift_summaries(sources, period)}
    for serial, summary in summaries.items():
        if not summary.z:
            continue
        mine = [r for r in rows if r["shift"] == serial]
        payments = {p["type"]: p for p in summary.report["payments"]}
        sales = [r for r in mine if r["operation"] == "income"]
        returns = [r for r in mine if r["operation"] == "income_return"]
        assert payments["CASH"]["sell_sum"] == sum(r["cashTotalSum"] for r in sales)
        assert payments["CASHLESS"]["sell_sum"] == sum(r["ecashTotalSum"] for r in sales)
        assert payments["CASH"]["return_sum"] == sum(r["cashTotalSum"] for r in returns)
        assert summary.report["sell_receipts_count"] == len(sales)
    whole = periodical(sources, period)
    cash = next(p for p in whole["payments"] if p["type"] == "CASH")
    closed = {s.serial for s in summaries.values() if s.z}
    assert whole["z_reports_count"] == len(closed)
    assert cash["sell_sum"] == sum(
        r["cashTotalSum"] for r in rows if r["operation"] == "income" and r["shift"] in closed
    )


def test_several_journals_merge_into_one_report(journal_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    generate(other, first_day=date(2026, 1, 2), days=2, per_day=10, seed=99)
    connection = sqlite3.connect(other, isolation_level=None)
    connection.execute("UPDATE setting SET value = '4000999999' WHERE key = 'fiscal_number'")
    connection.close()
    engines = [open_read_only(journal_file), open_read_only(other)]
    with engines[0].connect() as first, engines[1].connect() as second:
        both = [(first, register_of(first)), (second, register_of(second))]
        whole = report(both, orders=["-date"])
        assert {r["register"] for r in whole.data} == {FISCAL_NUMBER, "4000999999"}
        assert whole.total == report(both[:1]).total + report(both[1:]).total
        dates = [r["real_date"] for r in whole.data]
        assert dates == sorted(dates, reverse=True)
        paged = []
        for offset in range(0, whole.total, 50):
            paged += report(both, orders=["-date"], limit=50, offset=offset).data
        assert [r["id"] for r in paged] == [r["id"] for r in whole.data]
        only = report(both, cashbox_ids=["4000999999"])
        assert {r["register"] for r in only.data} == {"4000999999"}
    for engine in engines:
        engine.dispose()
