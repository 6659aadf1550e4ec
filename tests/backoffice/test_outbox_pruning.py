"""The outbox keeps exactly what the shop database has not acknowledged.

Acknowledged rows are pruned after each round; a register with no back office keeps no outbox at
all (nothing to acknowledge them), and configuring one later copies every document, including
those committed meanwhile. A push process killed with SIGKILL at random instants of its rounds,
while the till keeps changing its receipts, never leaves a document that is neither in the shop
database as the journal has it nor still in the outbox.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from reports.generated import generate
from sqlalchemy import Engine, select

from pos.app import open_register
from pos.backoffice import schema
from pos.backoffice.outbox import (
    RECEIPT_COLUMNS,
    SHIFT_COLUMNS,
    is_paused,
    pause_outbox,
    resume_outbox,
)
from pos.backoffice.push import Pusher
from pos.config import AppConfig
from pos.journal.migrations import migrate

ROUNDS = Path(__file__).with_name("push_rounds.py")
FISCAL_NUMBER = "4000000001"


def _journal(tmp_path: Path, per_day: int = 40) -> Path:
    path = tmp_path / "journal.sqlite3"
    generate(path, first_day=date(2026, 3, 1), days=3, per_day=per_day, seed=5)
    with sqlite3.connect(path) as c:
        c.execute("UPDATE setting SET value = ? WHERE key = 'fiscal_number'", (FISCAL_NUMBER,))
    return path


def _outbox(path: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as c:
        return {(k, s) for k, s in c.execute("SELECT kind, subject_id FROM backoffice_outbox")}


def _journal_rows(path: Path) -> dict[tuple[str, str], tuple[Any, ...]]:
    rows: dict[tuple[str, str], tuple[Any, ...]] = {}
    with sqlite3.connect(path) as c:
        for kind, columns in (("receipt", RECEIPT_COLUMNS), ("shift", SHIFT_COLUMNS)):
            names = [part.split(" AS ")[-1].strip() for part in columns.split(",")]
            for row in c.execute(f"SELECT {columns} FROM {kind}"):
                values = dict(zip(names, row, strict=True))
                rows[(kind, str(values["id"]))] = tuple(sorted(values.items()))
    return rows


def _shop_rows(engine: Engine) -> dict[tuple[str, str], tuple[Any, ...]]:
    rows: dict[tuple[str, str], tuple[Any, ...]] = {}
    with engine.connect() as c:
        for kind, table in (("receipt", schema.receipt), ("shift", schema.shift)):
            for row in c.execute(select(table)):
                values = {k: v for k, v in row._mapping.items() if k != "register_id"}
                rows[(kind, str(values["id"]))] = tuple(sorted(values.items()))
    return rows


def _unacknowledged_are_kept(path: Path, engine: Engine) -> None:
    """Every document the shop database lacks, or has in an older state, is in the outbox."""
    journal, shop, outbox = _journal_rows(path), _shop_rows(engine), _outbox(path)
    behind = {key for key, row in journal.items() if shop.get(key) != row}
    assert behind <= outbox, sorted(behind - outbox)[:5]


def test_acknowledged_rows_are_pruned_after_each_round(
    tmp_path: Path, shop_database: Engine
) -> None:
    path = _journal(tmp_path)
    before = len(_outbox(path))
    pusher = Pusher(path, shop_database)
    try:
        assert pusher.push_once(50) == 50
        assert len(_outbox(path)) == before - 50  # the acknowledged rows are gone at once
        pusher.push_all()
        assert _outbox(path) == set()
        assert _shop_rows(shop_database) == _journal_rows(path)
    finally:
        pusher.close()


def test_no_outbox_without_a_back_office_and_everything_copied_once_one_is_configured(
    tmp_path: Path, shop_database: Engine
) -> None:
    path = _journal(tmp_path)
    assert _outbox(path)
    assert pause_outbox(path) > 0
    assert is_paused(path)
    assert _outbox(path) == set()
    with sqlite3.connect(path) as c:  # the till goes on: new and changed documents
        c.execute("UPDATE receipt SET error = 'changed while paused' WHERE doc_number % 7 = 0")
    assert _outbox(path) == set()  # nothing piles up
    assert pause_outbox(path) == 0  # again: nothing to do
    pusher = Pusher(path, shop_database)  # a back office is configured: the first round refills
    try:
        pusher.push_all()
    finally:
        pusher.close()
    assert not is_paused(path)
    assert _outbox(path) == set()
    assert _shop_rows(shop_database) == _journal_rows(path)
    with sqlite3.connect(path) as c:  # and the triggers work again
        c.execute("UPDATE receipt SET error = 'later' WHERE doc_number = 1")
    assert len(_outbox(path)) == 1
    assert resume_outbox(path) == 0  # not paused: resuming changes nothing


async def test_a_register_opened_without_a_back_office_keeps_no_outbox(tmp_path: Path) -> None:
    config = AppConfig(training=False, api_url="http://127.0.0.1:9", data=tmp_path)
    async with open_register(config, worker=False, token_dir=tmp_path) as running:
        path = running.journal.path
    assert is_paused(path)
    assert _outbox(path) == set()


def test_a_push_killed_at_any_instant_never_loses_an_unacknowledged_document(
    tmp_path: Path, shop_database: Engine, shop_url: str
) -> None:
    path = _journal(tmp_path, per_day=120)
    with sqlite3.connect(path) as c:
        ids = [r[0] for r in c.execute("SELECT id FROM receipt")]
    rng = random.Random(11)
    for kill in range(12):
        process = subprocess.Popen(
            [sys.executable, str(ROUNDS), str(path), shop_url], stdout=subprocess.PIPE, text=True
        )
        try:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
            with sqlite3.connect(path) as c:  # the till changes documents while rounds run
                for receipt_id in rng.sample(ids, 5):
                    c.execute(
                        "UPDATE receipt SET error = ? WHERE id = ?", (f"kill {kill}", receipt_id)
                    )
            time.sleep(rng.uniform(0, 0.05))  # a random instant of a round, not a wait
        finally:
            process.kill()
            process.wait(10)
        _unacknowledged_are_kept(path, shop_database)
    pusher = Pusher(path, shop_database)
    try:
        pusher.push_all()
    finally:
        pusher.close()
    assert _outbox(path) == set()
    assert _shop_rows(shop_database) == _journal_rows(path)


def test_journal_version_8_keeps_the_outbox_and_enters_orders_goods_and_the_log(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v7.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, path, target=7)
    connection.execute(
        "INSERT INTO customer_order (id, number, state, lines, total_sum, created_at, updated_at)"
        " VALUES ('o1', 1, 'open', '[]', 100, '2026-12-01T08:00:00+00:00', "
        "'2026-12-01T08:00:00+00:00')"
    )
    connection.execute(
        "INSERT INTO connectivity_transition (at, from_state, to_state) VALUES (1, 'A', 'B')"
    )
    for subject in ("r1", "r2", "r3"):
        connection.execute(
            "INSERT INTO backoffice_outbox(kind, subject_id) VALUES ('receipt', ?)", (subject,)
        )
    connection.execute("DELETE FROM backoffice_outbox WHERE subject_id = 'r3'")
    migrate(connection, path)
    rows = connection.execute("SELECT seq, kind, subject_id FROM backoffice_outbox ORDER BY seq")
    assert [tuple(r) for r in rows] == [
        (1, "receipt", "r1"),
        (2, "receipt", "r2"),
        (4, "customer_order", "o1"),  # after every seq ever used: none goes back
        (5, "connectivity_transition", "1"),
    ]
    connection.close()
