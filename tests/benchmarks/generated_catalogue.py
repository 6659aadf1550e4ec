"""A journal with a shop's catalogue of N goods, built fast for the benchmarks (1,000,000 in
seconds, not minutes).

The journal is created by ``Journal.open`` (the app's own migrations, indexes, FTS and triggers),
then filled in SQL: one ``INSERT … SELECT`` over a recursive CTE per table, in one transaction with
``synchronous=OFF`` on a rollback journal (a set-up, not what is measured). Goods' names are made
of a few dozen words, so every derived column is computed from its words' own values and checked
against the app's function (``name_key_v3``) before a row is written; barcodes are valid EAN-13
(``482`` + the good's number + the check digit, computed in SQL by :func:`barcode_sql`).
The catalogue's indexes and triggers are set aside meanwhile and put back from their own DDL as
read from the file (so they are exactly the app's), and the name search index is rebuilt once
from the goods: the same index the triggers would have written row by row, in a fraction of the
time. The back office's outbox is left empty, as in a journal whose goods were pushed (or that
keeps no outbox).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pos.journal import Journal
from pos.journal.migrations import name_key_v3

WORDS: tuple[tuple[str, str], ...] = (  # (the good, its shelf)
    ("Молоко", "Молочне"),
    ("Кефір", "Молочне"),
    ("Ряжанка", "Молочне"),
    ("Йогурт", "Молочне"),
    ("Сметана", "Молочне"),
    ("Сир", "Молочне"),
    ("Масло", "Молочне"),
    ("Хліб", "Хлібне"),
    ("Батон", "Хлібне"),
    ("Печиво", "Кондитерські"),
    ("Вафлі", "Кондитерські"),
    ("Цукерки", "Кондитерські"),
    ("Шоколад", "Кондитерські"),
    ("Чай", "Бакалія"),
    ("Кава", "Бакалія"),
    ("Сік", "Напої"),
    ("Вода", "Напої"),
    ("Пиво", "Алкоголь"),
    ("Вино", "Алкоголь"),
    ("Ковбаса", "М’ясне"),
    ("Сосиски", "М’ясне"),
    ("Шинка", "М’ясне"),
    ("Сало", "М’ясне"),
    ("Рис", "Бакалія"),
    ("Гречка", "Бакалія"),
    ("Борошно", "Бакалія"),
    ("Цукор", "Бакалія"),
    ("Олія", "Бакалія"),
    ("Макарони", "Бакалія"),
    ("Мило", "Побутова хімія"),
    ("Шампунь", "Побутова хімія"),
    ("Серветки", "Побутова хімія"),
    ("Яблука", "Овочі й фрукти"),
    ("Картопля", "Овочі й фрукти"),
    ("М’ясо", "М’ясне"),
)
MAKERS = (
    "Галичина",
    "Яготинське",
    "Ферма",
    "Рошен",
    "Світоч",
    "Оболонь",
    "Хортиця",
    "Моршинська",
    "Сандора",
    "Чумак",
    "Торчин",
    "Київмлин",
    "Щедрий",
    "Олейна",
    "Їжачок",
    "Ічня",
    "Ґаздиня",
    "Подільська",
    "Карпатська",
    "Веселка",
)
KINDS = ("класичний", "домашній", "преміум", "легкий", "ніжний", "витриманий", "гострий")


def barcode_sql(n: str) -> str:
    """The EAN-13 barcode of good ``n`` (an SQL integer expression) in SQL: ``482``, ``n`` as nine
    digits, and the check digit: 4·1 + 8·3 + 2·1 = 30 for the prefix, then the weights 3, 1, 3 …
    of positions 4 to 12 (``n``'s digits from 10⁸ down)."""
    weighted = " + ".join(
        f"{3 if power % 2 == 0 else 1} * (({n} / {10**power}) % 10)" for power in range(8, -1, -1)
    )
    return f"('482' || printf('%09d', {n}) || ((10 - (30 + {weighted}) % 10) % 10))"


MAX_GOODS = 999_999_999  # nine digits of the good's number in its barcode

# Good n: word n % 35, maker (n / 35) % 20, kind (n / 700) % 7, weight n % 997: every combination
# of word, maker and kind before any repeats, as a shop's list would have them.
_PARTS = (
    ("word", WORDS, "n % {size}"),
    ("maker", MAKERS, "(n / {stride}) % {size}"),
    ("kind", KINDS, "(n / {stride}) % {size}"),
)


def _key_of(parts: tuple[str, ...]) -> str:
    """A name's key, from its parts' keys: what the SQL below writes."""
    return " ".join(name_key_v3(part) for part in parts)


def _check_keys() -> None:
    """The key of a whole name is the keys of its parts joined by spaces: true of these words
    (no part folds into two words or none), checked here so that a changed list or a changed
    ``name_key_v3`` cannot write keys the app would not."""
    for word, _shelf in WORDS:
        for maker in MAKERS:
            for kind in KINDS:
                for weight in ("0", "996"):
                    parts = (word, maker, kind, weight, "г")
                    name = " ".join(parts)
                    if name_key_v3(name) != _key_of(parts):
                        raise AssertionError(f"name_key of {name!r} is not its parts' keys")


def _word_table(connection: sqlite3.Connection, table: str, words: tuple[str, ...]) -> None:
    connection.execute(f"CREATE TEMP TABLE {table} (k INTEGER PRIMARY KEY, w TEXT, key TEXT)")
    connection.executemany(
        f"INSERT INTO {table} VALUES (?, ?, ?)",
        [(k, word, name_key_v3(word)) for k, word in enumerate(words)],
    )


def build(path: Path, count: int) -> None:
    """A journal at ``path`` (created by the app) holding goods 1…``count``: code ``str(n)``,
    one EAN-13 barcode each (:func:`barcode`), a name like "Молоко Галичина класичний 17 г",
    a shelf, a price and a tax code."""
    if not 0 <= count <= MAX_GOODS:
        raise ValueError(f"count must be within 0…{MAX_GOODS}")
    _check_keys()
    Journal.open(path).close()
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-400000")
        connection.execute("PRAGMA temp_store=MEMORY")
        connection.execute("BEGIN")
        if connection.execute("SELECT count(*) FROM catalogue_item").fetchone()[0]:
            raise ValueError(f"{path} already holds goods")
        # The catalogue's own indexes and triggers, as the file has them, set aside meanwhile.
        kept = connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN "
            "('catalogue_item', 'item_barcode') AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL"
        ).fetchall()
        for kind, name, _sql in kept:
            connection.execute(f'DROP {kind.upper()} "{name}"')
        _word_table(connection, "gen_word", tuple(word for word, _shelf in WORDS))
        _word_table(connection, "gen_maker", MAKERS)
        _word_table(connection, "gen_kind", KINDS)
        _word_table(connection, "gen_shelf", tuple(shelf for _word, shelf in WORDS))
        connection.execute(
            f"""WITH RECURSIVE goods(n) AS (SELECT 1 WHERE ?1 >= 1
                    UNION ALL SELECT n + 1 FROM goods WHERE n < ?1)
            INSERT INTO catalogue_item (id, code, name, price, tax_codes, unit, is_weighed,
                updated_at, category, name_key)
            SELECT n, CAST(n AS TEXT),
                w.w || ' ' || m.w || ' ' || k.w || ' ' || (n % 997) || ' г',
                500 + (n * 7919) % 199500,
                CASE WHEN n % 10 = 0 THEN '1' ELSE '5' END,
                CASE WHEN n % 50 = 0 THEN 'кг' ELSE 'шт' END,
                n % 50 = 0,
                0,
                s.w,
                w.key || ' ' || m.key || ' ' || k.key || ' ' || (n % 997) || ' г'
            FROM goods
            JOIN gen_word w ON w.k = n % {len(WORDS)}
            JOIN gen_maker m ON m.k = (n / {len(WORDS)}) % {len(MAKERS)}
            JOIN gen_kind k ON k.k = (n / {len(WORDS) * len(MAKERS)}) % {len(KINDS)}
            JOIN gen_shelf s ON s.k = n % {len(WORDS)}""",
            (count,),
        )
        connection.execute(
            "INSERT INTO item_barcode (barcode, item_id) "
            f"SELECT {barcode_sql('id')}, id FROM catalogue_item ORDER BY id"
        )
        for kind, _name, sql in kept:
            if kind == "index":
                connection.execute(sql)
        connection.execute("INSERT INTO catalogue_name(catalogue_name) VALUES ('rebuild')")
        for kind, _name, sql in kept:
            if kind == "trigger":
                connection.execute(sql)
        for table in ("gen_word", "gen_maker", "gen_kind", "gen_shelf"):
            connection.execute(f"DROP TABLE {table}")
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()


def barcode(n: int) -> str:
    """Good n's barcode (as :func:`barcode_sql` writes it)."""
    from pos.domain.barcodes import ean13_check_digit

    first12 = f"482{n:09d}"
    return first12 + str(ean13_check_digit(first12))


def barcodes(path: Path) -> list[str]:
    """The barcodes of the journal's piece goods, read back (the scan benchmark's picks: a
    weighed good's scan asks for its weight in a dialog, and every 50th good is weighed)."""
    connection = sqlite3.connect(path)
    try:
        return [
            row[0]
            for row in connection.execute(
                "SELECT barcode FROM item_barcode JOIN catalogue_item ON id = item_id "
                "WHERE NOT is_weighed"
            )
        ]
    finally:
        connection.close()
