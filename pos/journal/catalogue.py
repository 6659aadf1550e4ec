"""The goods catalogue: barcode lookup at the scanner, name search at the keyboard.

Both run on every keystroke or scan of a 200,000-item catalogue, so they are plain indexed SQL:
barcodes are the primary key of their own table, names live in an FTS5 index (unicode61 folds case
for Cyrillic, so "моло" finds "Молоко"; each word is matched as a prefix).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from pos.domain.barcodes import parse_scale_barcode
from pos.journal.instants import to_micros
from pos.journal.records import CatalogueItem
from pos.journal.store import Store, codes_text, codes_tuple

_COLUMNS = "c.id, c.code, c.name, c.price, c.tax_codes, c.unit, c.is_weighed, c.is_excise, c.uktzed"
_WORD = re.compile(r"\w+", re.UNICODE)
_UPSERT = """
INSERT INTO catalogue_item
    (code, name, price, tax_codes, unit, is_weighed, is_excise, uktzed, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(code) DO UPDATE SET
    name = excluded.name, price = excluded.price, tax_codes = excluded.tax_codes,
    unit = excluded.unit, is_weighed = excluded.is_weighed, is_excise = excluded.is_excise,
    uktzed = excluded.uktzed, updated_at = excluded.updated_at
"""
_DROP_BARCODES = (
    "DELETE FROM item_barcode WHERE item_id = (SELECT id FROM catalogue_item WHERE code = ?)"
)
_ADD_BARCODE = (
    "INSERT OR REPLACE INTO item_barcode (barcode, item_id) "
    "SELECT ?, id FROM catalogue_item WHERE code = ?"
)


def match_expression(text: str) -> str | None:
    """User text → an FTS5 query: every word, quoted, as a prefix; None if there is no word."""
    words = _WORD.findall(text.casefold())
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


def upsert_items(connection: Connection, items: Sequence[CatalogueItem], now: datetime) -> None:
    """Inside a write transaction: insert or update by code, barcodes replaced per item."""
    stamp = to_micros(now)
    connection.exec_driver_sql(
        _UPSERT,
        [
            (
                item.code,
                item.name,
                item.price,
                codes_text(item.tax_codes),
                item.unit,
                int(item.is_weighed),
                int(item.is_excise),
                item.uktzed,
                stamp,
            )
            for item in items
        ],
    )
    connection.exec_driver_sql(_DROP_BARCODES, [(item.code,) for item in items])
    barcodes = [(barcode, item.code) for item in items for barcode in item.barcodes]
    if barcodes:
        connection.exec_driver_sql(_ADD_BARCODE, barcodes)


@dataclass(frozen=True, slots=True)
class ScannedItem:
    """What a scan found: the good, and for a scale label its weight or price."""

    item: CatalogueItem
    quantity: int | None = None  # thousandths of kg, from a weight label
    price: int | None = None  # kopecks, from a price label


class Catalogue:
    def __init__(self, store: Store) -> None:
        self._store = store

    def find_by_barcode(self, barcode: str) -> CatalogueItem | None:
        rows = self._query(
            f"SELECT {_COLUMNS} FROM item_barcode b JOIN catalogue_item c ON c.id = b.item_id "
            "WHERE b.barcode = ?",
            (barcode,),
        )
        return rows[0] if rows else None

    def find_by_scan(self, code: str) -> ScannedItem | None:
        """A scanned code: a catalogue barcode first, else an in-store scale label (2x prefix)
        whose 5-digit item code is the good's catalogue code."""
        item = self.find_by_barcode(code)
        if item is not None:
            return ScannedItem(item)
        label = parse_scale_barcode(code)
        if label is None:
            return None
        item = self.find_by_code(label.item_code)
        if item is None:
            return None
        return ScannedItem(item, quantity=label.quantity, price=label.price)

    def find_by_code(self, code: str) -> CatalogueItem | None:
        rows = self._query(f"SELECT {_COLUMNS} FROM catalogue_item c WHERE c.code = ?", (code,))
        return rows[0] if rows else None

    def search(self, text: str, limit: int = 50) -> list[CatalogueItem]:
        """Items whose name has words starting with each word of ``text``, best match first."""
        expression = match_expression(text)
        if expression is None:
            return []
        return self._query(
            f"SELECT {_COLUMNS} FROM catalogue_name f JOIN catalogue_item c ON c.id = f.rowid "
            "WHERE catalogue_name MATCH ? ORDER BY f.rank, c.name LIMIT ?",
            (expression, limit),
        )

    def count(self) -> int:
        with self._store.engine.connect() as connection:
            value = connection.exec_driver_sql("SELECT count(*) FROM catalogue_item").scalar_one()
            return int(value)

    def upsert(self, items: Iterable[CatalogueItem], now: datetime) -> None:
        """Insert or update items by code, all in one transaction."""
        with self._store.write() as session:
            upsert_items(session.connection(), list(items), now)

    def _query(self, sql: str, parameters: tuple[Any, ...]) -> list[CatalogueItem]:
        with self._store.engine.connect() as connection:
            rows = connection.exec_driver_sql(sql, parameters).all()
            if not rows:
                return []
            ids = [row[0] for row in rows]
            marks = ",".join("?" * len(ids))
            barcodes: dict[int, list[str]] = {}
            for item_id, barcode in connection.exec_driver_sql(
                f"SELECT item_id, barcode FROM item_barcode WHERE item_id IN ({marks}) "
                "ORDER BY item_id, barcode",
                tuple(ids),
            ):
                barcodes.setdefault(item_id, []).append(barcode)
        return [
            CatalogueItem(
                code=row[1],
                name=row[2],
                price=row[3],
                tax_codes=codes_tuple(row[4]),
                unit=row[5],
                is_weighed=bool(row[6]),
                is_excise=bool(row[7]),
                barcodes=tuple(barcodes.get(row[0], ())),
                uktzed=row[8],
            )
            for row in rows
        ]
