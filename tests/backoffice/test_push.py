"""The push copies a journal into the shop database: every document once, idempotently, in
order, resuming after an interrupted round; later changes update the copy."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from reports.generated import generate
from sqlalchemy import Engine, func, select

from pos.backoffice import schema
from pos.backoffice.database import ensure_register
from pos.backoffice.outbox import JournalOutbox
from pos.backoffice.push import Pusher, copy_batch


def _journal(tmp_path: Path, name: str = "a", fiscal_number: str = "4000000001") -> Path:
    path = tmp_path / f"{name}.sqlite3"
    generate(path, first_day=date(2026, 3, 1), days=3, per_day=40, seed=len(name) + 7)
    with sqlite3.connect(path) as c:
        c.execute("UPDATE setting SET value = ? WHERE key = 'fiscal_number'", (fiscal_number,))
    return path


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as c:
        return {
            t.name: int(c.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (schema.receipt, schema.receipt_line, schema.receipt_payment, schema.shift)
        }


def _journal_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as c:
        return {
            t: int(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("receipt", "receipt_line", "receipt_payment", "shift")
        }


def test_a_journal_is_copied_once_and_a_second_push_changes_nothing(
    tmp_path: Path, shop_database: Engine
) -> None:
    path = _journal(tmp_path)
    pusher = Pusher(path, shop_database, "Крамниця 1")
    try:
        assert pusher.pending() > 0
        pusher.push_all()
        assert pusher.pending() == 0
        assert _counts(shop_database) == _journal_counts(path)
        with sqlite3.connect(path) as c:  # everything again, as after a lost confirmation
            c.execute(
                "INSERT INTO backoffice_outbox(kind, subject_id) SELECT 'receipt', id FROM receipt"
            )
        pusher.push_all()
        assert _counts(shop_database) == _journal_counts(path)
    finally:
        pusher.close()


def test_an_interrupted_round_is_copied_again_and_later_changes_update_the_copy(
    tmp_path: Path, shop_database: Engine
) -> None:
    path = _journal(tmp_path)
    outbox = JournalOutbox(path)
    try:
        batch = outbox.read(50)
        assert batch is not None
        with shop_database.begin() as connection:  # committed, but the journal never heard
            register_id = ensure_register(connection, "shop", "4000000001", "x")
            copy_batch(connection, register_id, batch)
    finally:
        outbox.close()
    with sqlite3.connect(path) as c:
        pending_id = c.execute(
            "SELECT id FROM receipt WHERE state = 'offline_issued' LIMIT 1"
        ).fetchone()
    pusher = Pusher(path, shop_database)
    try:
        pusher.push_all()
        assert _counts(shop_database) == _journal_counts(path)
        if pending_id is not None:
            with sqlite3.connect(path) as c:  # the offline receipt is uploaded later
                c.execute("UPDATE receipt SET state = 'uploaded' WHERE id = ?", pending_id)
            assert pusher.pending() == 1
            pusher.push_all()
            with shop_database.connect() as c:
                state = c.execute(
                    select(schema.receipt.c.state).where(schema.receipt.c.id == pending_id[0])
                ).scalar_one()
            assert state == "uploaded"
    finally:
        pusher.close()


def test_a_change_made_while_a_round_is_in_flight_is_not_forgotten(
    tmp_path: Path, shop_database: Engine
) -> None:
    path = _journal(tmp_path)
    outbox = JournalOutbox(path)
    try:
        batch = outbox.read(10_000)
        assert batch is not None
        first = batch.receipts[0]["id"]
        with sqlite3.connect(path) as c:  # changed after it was read
            c.execute("UPDATE receipt SET error = 'later' WHERE id = ?", (first,))
        with shop_database.begin() as connection:
            copy_batch(connection, ensure_register(connection, "shop", "4000000001", ""), batch)
        outbox.forget(batch.last_seq)
        assert outbox.pending() == 1
    finally:
        outbox.close()
    pusher = Pusher(path, shop_database)
    try:
        pusher.push_all()
    finally:
        pusher.close()
    with shop_database.connect() as c:
        error = c.execute(
            select(schema.receipt.c.error).where(schema.receipt.c.id == first)
        ).scalar_one()
    assert error == "later"
