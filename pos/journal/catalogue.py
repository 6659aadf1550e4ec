"""The goods catalogue: barcode lookup at the scanner, name search at the keyboard, and the
category buttons of the selling screen.

All of them run on every scan, keystroke or button press over catalogues of up to 200,000 goods,
so each is indexed SQL that reads about a page of rows:
- barcodes are the primary key of their own table;
- names are indexed twice: ``name_key`` (the name case-folded by Python, since SQLite's lower()
  leaves Cyrillic alone; see ``migrations.name_key_v3``) turns "names starting with the query" into
  a range scan, and an FTS5 index (unicode61 folds Cyrillic case too, so "моло" finds "Молоко";
  each word matched as a prefix) finds the query's words anywhere in a name;
- ``(category, name_key)`` counts each category's goods and gives a category's first page in
  name order without reading the rest of it.
Lists come in the Ukrainian alphabet's order (ґ after г, є after е, і and ї after и): the name key
is built so that SQLite's plain code-point order of keys is that order, and a page is cut by LIMIT.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from pos.domain.barcodes import BarcodeError, normalize_barcode, parse_scale_barcode
from pos.journal.instants import to_micros
from pos.journal.migrations import name_key_v3
from pos.journal.records import CatalogueItem
from pos.journal.store import Store, codes_text, codes_tuple

_COLUMNS = (
    "c.id, c.code, c.name, c.price, c.tax_codes, c.unit, c.is_weighed, c.is_excise, c.uktzed, "
    "c.category"
)
_WORD = re.compile(r"\w+", re.UNICODE)
_UPSERT = """
INSERT INTO catalogue_item (code, name, price, tax_codes, unit, is_weighed, is_excise, uktzed,
    category, name_key, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(code) DO UPDATE SET
    name = excluded.name, price = excluded.price, tax_codes = excluded.tax_codes,
    unit = excluded.unit, is_weighed = excluded.is_weighed, is_excise = excluded.is_excise,
    uktzed = excluded.uktzed, category = excluded.category, name_key = excluded.name_key,
    updated_at = excluded.updated_at
WHERE (name, price, tax_codes, unit, is_weighed, is_excise, uktzed, category, name_key)
    IS NOT (excluded.name, excluded.price, excluded.tax_codes, excluded.unit, excluded.is_weighed,
        excluded.is_excise, excluded.uktzed, excluded.category, excluded.name_key)
"""
# The WHERE leaves an unchanged good alone (updated_at is when it last changed): a daily re-import
# of a mostly unchanged catalogue then skips rewriting its rows, name indexes and FTS entries.
_DROP_BARCODES = (
    "DELETE FROM item_barcode WHERE item_id = (SELECT id FROM catalogue_item WHERE code = ?)"
)
_ADD_BARCODE = (
    "INSERT OR REPLACE INTO item_barcode (barcode, item_id) "
    "SELECT ?, id FROM catalogue_item WHERE code = ?"
)
# Above every character a name can hold: key <= name_key < key + _TOP means "starts with key".
_TOP = "\U0010ffff"
_MAX_CODE = 64
_CHUNK = 500  # ids per IN (...) list, well under SQLite's bound-parameter limit

# The key the journal stores in catalogue_item.name_key (schema 3); its code-point order is the
# Ukrainian alphabet's, so it is also the order goods are listed in.
name_key = name_key_v3


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
                item.category,
                name_key(item.name),
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
        """What the cashier most likely means by ``text``, best first, at most ``limit`` goods:
        1. the good whose code or barcode is exactly ``text`` (typed off a label);
        2. goods whose name starts with ``text`` (ignoring case, apostrophes and extra spaces),
           in alphabet order;
        3. goods with a word starting with each word of ``text``: those whose name starts with
           its first word ahead, then by FTS rank and name.

        Each tier is an index lookup cut at ``limit`` and the FTS index is asked only when the
        tiers above leave room, so a short query over 200,000 goods stays fast.
        """
        if limit <= 0:
            return []
        key = name_key(text)
        expression = match_expression(text)
        found: dict[int, Any] = {}  # id -> row, in display order
        with self._store.engine.connect() as connection:
            for row in self._exact_rows(connection, text.strip()):
                found.setdefault(row[0], row)
            if key and len(found) < limit:
                for row in connection.exec_driver_sql(
                    f"SELECT {_COLUMNS} FROM catalogue_item c "
                    "WHERE c.name_key >= ? AND c.name_key < ? ORDER BY c.name_key, c.id LIMIT ?",
                    (key, key + _TOP, limit),
                ):
                    found.setdefault(row[0], row)
            if expression is not None and len(found) < limit:
                first = key.split(" ", 1)[0]
                for row in connection.exec_driver_sql(
                    f"SELECT {_COLUMNS} FROM catalogue_name f "
                    "JOIN catalogue_item c ON c.id = f.rowid "
                    "WHERE catalogue_name MATCH ? AND NOT (c.name_key >= ? AND c.name_key < ?) "
                    "ORDER BY (c.name_key >= ? AND c.name_key < ?) DESC, f.rank, c.name_key "
                    "LIMIT ?",
                    (expression, key, key + _TOP, first, first + _TOP, limit),
                ):
                    found.setdefault(row[0], row)
            return self._items(connection, list(found.values())[:limit])

    def categories(self) -> list[tuple[str, int]]:
        """Every category in use with its number of goods, in alphabet order; goods without a
        category ('') are not a category. Reads only the category index."""
        with self._store.engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT category, count(*) FROM catalogue_item WHERE category > '' "
                "GROUP BY category"
            ).all()
        found = [(str(name), int(count)) for name, count in rows]
        return sorted(found, key=lambda pair: (name_key(pair[0]), pair[0]))

    def in_category(self, name: str, limit: int = 200) -> list[CatalogueItem]:
        """The first ``limit`` goods of category ``name`` in alphabet order ('' gives none):
        a walk along the (category, name_key) index, however large the category."""
        if not name or limit <= 0:
            return []
        return self._query(
            f"SELECT {_COLUMNS} FROM catalogue_item c WHERE c.category = ? "
            "ORDER BY c.name_key, c.id LIMIT ?",
            (name, limit),
        )

    def barcode_owners(self, barcodes: Iterable[str]) -> dict[str, str]:
        """Barcode → code of the good that holds it now (for the import's takeover check)."""
        wanted = list(dict.fromkeys(barcodes))
        owners: dict[str, str] = {}
        with self._store.engine.connect() as connection:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for barcode, code in connection.exec_driver_sql(
                    "SELECT b.barcode, c.code FROM item_barcode b "
                    f"JOIN catalogue_item c ON c.id = b.item_id WHERE b.barcode IN ({marks})",
                    tuple(chunk),
                ):
                    owners[str(barcode)] = str(code)
        return owners

    def all(self) -> list[CatalogueItem]:
        """Every good, by code (for the export)."""
        return self._query(f"SELECT {_COLUMNS} FROM catalogue_item c ORDER BY c.code", ())

    def count(self) -> int:
        with self._store.engine.connect() as connection:
            value = connection.exec_driver_sql("SELECT count(*) FROM catalogue_item").scalar_one()
            return int(value)

    def upsert(self, items: Iterable[CatalogueItem], now: datetime) -> None:
        """Insert or update items by code, all in one transaction."""
        with self._store.write() as session:
            upsert_items(session.connection(), list(items), now)

    def _exact_rows(self, connection: Connection, text: str) -> list[Any]:
        """The good whose code, then whose barcode (UPC-A read as its EAN-13), is ``text``."""
        if not text or len(text) > _MAX_CODE or any(ch.isspace() for ch in text):
            return []
        barcodes = [text]
        if text.isdigit():
            with contextlib.suppress(BarcodeError):
                barcodes.append(normalize_barcode(text))
        rows: list[Any] = list(
            connection.exec_driver_sql(
                f"SELECT {_COLUMNS} FROM catalogue_item c WHERE c.code = ?", (text,)
            )
        )
        rows += connection.exec_driver_sql(
            f"SELECT {_COLUMNS} FROM item_barcode b JOIN catalogue_item c ON c.id = b.item_id "
            "WHERE b.barcode IN (?, ?)",
            (barcodes[0], barcodes[-1]),
        ).all()
        return rows

    def _query(self, sql: str, parameters: tuple[Any, ...]) -> list[CatalogueItem]:
        with self._store.engine.connect() as connection:
            return self._items(connection, connection.exec_driver_sql(sql, parameters).all())

    @staticmethod
    def _items(connection: Connection, rows: Sequence[Any]) -> list[CatalogueItem]:
        """Rows of ``_COLUMNS`` → records, in the same order, each with all its barcodes."""
        if not rows:
            return []
        barcodes: dict[int, list[str]] = {}
        ids = [row[0] for row in rows]
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for item_id, barcode in connection.exec_driver_sql(
                f"SELECT item_id, barcode FROM item_barcode WHERE item_id IN ({marks}) "
                "ORDER BY item_id, barcode",
                tuple(chunk),
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
                category=row[9],
            )
            for row in rows
        ]
