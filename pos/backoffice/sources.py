"""The shop database as report sources: one connection per register, on which the journal's
table names (``receipt``, ``shift``, …) are views of that register's rows.

This is how the report queries of ``pos.reports`` run unchanged on PostgreSQL: each register
has a schema of views (``backoffice_register_<id>``, made the first time it is read) and a
source connection puts it first on its ``search_path``, so ``receipt`` there is the register's
part of ``backoffice.receipt`` and ``setting`` gives its fiscal number. The views are derived,
not part of the Alembic schema: a revision that changes a copied table drops them (``DROP
SCHEMA … CASCADE``), and they are made again on the next read. A source is chosen by shop
first: no source of another shop's register is ever opened, whatever the query's filters say.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select, text

from pos.backoffice.schema import SCHEMA, register, shop
from pos.reports.sources import Register

_RECEIPT = (
    "doc_number, report_at, cash_paid, cashless_paid, id, shift_id, type, state, is_offline, "
    "fiscal_code, fiscal_date, "
    "total_sum, discounts_sum, extra_charge_sum, round_sum, total_payment, rest, "
    "related_receipt_id, created_at"
)
_SHIFT = (
    "journal_rowid AS rowid, id, state, serial, is_offline, initial_balance, opened_at, "
    "closed_at, open_fiscal_code, open_fiscal_date, close_fiscal_code, close_fiscal_date, "
    "z_report, created_at"
)
_CHILDREN = {
    "receipt_line": "receipt_id, position, code, name, barcode, price, quantity, sum, "
    "tax_codes, is_return",
    "receipt_payment": "receipt_id, position, type, value, label",
    "receipt_discount": "receipt_id, position, type, sum, name",
}


@dataclass(frozen=True)
class ShopRegister:
    id: int
    shop: str
    fiscal_number: str
    cash_register_id: str


def registers(
    connection: Connection, shops: Sequence[str] = (), fiscal_numbers: Sequence[str] = ()
) -> list[ShopRegister]:
    """The registers of the given shops (all when none given), optionally only some."""
    statement = (
        select(register.c.id, shop.c.name, register.c.fiscal_number, register.c.cash_register_id)
        .join(shop, shop.c.id == register.c.shop_id)
        .order_by(register.c.fiscal_number)
    )
    if shops:
        statement = statement.where(shop.c.name.in_(shops))
    if fiscal_numbers:
        statement = statement.where(register.c.fiscal_number.in_(fiscal_numbers))
    return [ShopRegister(int(r[0]), r[1], r[2], r[3]) for r in connection.execute(statement)]


def view_schema(register_id: int) -> str:
    return f"{SCHEMA}_register_{int(register_id)}"


def _create_views(connection: Connection, register_id: int) -> None:
    n = int(register_id)
    where = f"WHERE register_id = {n}"
    views = {
        "receipt": f"SELECT {_RECEIPT} FROM {SCHEMA}.receipt {where}",
        "shift": f"SELECT {_SHIFT} FROM {SCHEMA}.shift {where}",
        **{
            table: f"SELECT {columns} FROM {SCHEMA}.{table} {where}"
            for table, columns in _CHILDREN.items()
        },
        "setting": (
            f"SELECT 'fiscal_number'::text AS key, fiscal_number AS value FROM {SCHEMA}.register "
            f"WHERE id = {n} UNION ALL SELECT 'cash_register_id', cash_register_id "
            f"FROM {SCHEMA}.register WHERE id = {n}"
        ),
        # Copied since revision 0003 (journal version 8).
        "catalogue_item": f"SELECT id, code, name, category FROM {SCHEMA}.catalogue_item {where}",
        "connectivity_transition": (
            f"SELECT id, at, from_state, to_state, cause FROM {SCHEMA}.connectivity_transition "
            f"{where}"
        ),
        # Customer orders' chain receipts, for the sales analyses and shift summaries
        # (pos.reports.chain_sales) and the receipts report's chain rows.
        "order_receipt": (
            f"SELECT id, order_id, kind, state, shift_id, fiscal, cash_sum, card_sum, qr_sum, "
            f"fiscal_code, fiscal_date, created_at FROM {SCHEMA}.order_receipt {where}"
        ),
        "customer_order": (
            f"SELECT id, number, state, lines, discount, total_sum, created_at "
            f"FROM {SCHEMA}.customer_order {where}"
        ),
    }
    name = view_schema(n)
    # Two report readers meeting a new register at once must not race on the same views.
    connection.execute(text("SELECT pg_advisory_xact_lock(16, :n)"), {"n": n})
    connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {name}"))
    for view, body in views.items():
        connection.execute(text(f"CREATE OR REPLACE VIEW {name}.{view} AS {body}"))


def scope_to_register(connection: Connection, register_id: int) -> None:
    """Make the journal's table names on this connection mean this register's rows: its views
    (made once, in a schema of their own) first on the search path."""
    made: set[int] = connection.info.setdefault("pos_register_views", set())
    if register_id not in made:
        with connection.begin():
            _create_views(connection, register_id)
        made.add(register_id)
    connection.execute(text(f"SET search_path TO {view_schema(register_id)}"))
    connection.commit()


@contextmanager
def shop_sources(
    engine: Engine, shops: Sequence[str] = (), fiscal_numbers: Sequence[str] = ()
) -> Iterator[list[tuple[Connection, Register]]]:
    """Report sources ``(connection, Register)``, one per register of the chosen shops."""
    opened: list[Connection] = []
    try:
        with engine.connect() as listing:
            found = registers(listing, shops, fiscal_numbers)
        sources: list[tuple[Connection, Register]] = []
        for item in found:
            connection = engine.connect()
            opened.append(connection)
            scope_to_register(connection, item.id)
            register_ = Register(item.fiscal_number, item.cash_register_id, item.shop)
            sources.append((connection, register_))
        yield sources
    finally:
        for connection in opened:
            connection.close()
