"""Customer orders and the receipts of their prepayment chains, in the journal file.

Why plain rows: the journal knows tables, not rules; `pos.orders` turns rows into orders. Every
write is one `BEGIN IMMEDIATE` transaction: an order receipt and the order's new state are written
together, and a receipt is committed before it is sent (invariant 1). Times are ISO 8601 UTC text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, text

from pos.journal.errors import NotFoundError
from pos.journal.store import Store, json_text, json_value

ORDER_COLUMNS = (
    "id",
    "number",
    "state",
    "customer_name",
    "phone",
    "email",
    "due_date",
    "note",
    "lines",
    "discount",
    "total_sum",
    "relation_id",
    "pending_action",
    "created_at",
    "updated_at",
)
RECEIPT_COLUMNS = (
    "id",
    "order_id",
    "kind",
    "state",
    "shift_id",
    "body",
    "fiscal",
    "cash_sum",
    "card_sum",
    "qr_sum",
    "fiscal_code",
    "fiscal_date",
    "error",
    "server_response",
    "created_at",
    "updated_at",
)
_JSON = frozenset({"lines", "discount", "body", "fiscal", "server_response"})


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _row(columns: tuple[str, ...], values: Any) -> dict[str, Any]:
    row = dict(zip(columns, values, strict=True))
    for key in _JSON & row.keys():
        row[key] = json_value(row[key])
    return row


def _params(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in _JSON:
            out[key] = json_text(value)
        elif isinstance(value, datetime):
            out[key] = stamp(value)
        else:
            out[key] = value
    return out


class OrdersJournal:
    """Orders and order receipts; reads give dicts keyed by column name."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # --- orders ----------------------------------------------------------------------------

    def create(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Insert an order; its number is the next one of this journal."""
        with self._store.write() as session:
            number = session.execute(
                text("SELECT COALESCE(MAX(number), 0) + 1 FROM customer_order")
            ).scalar_one()
            params = _params({**values, "number": number})
            names = ", ".join(params)
            marks = ", ".join(f":{name}" for name in params)
            session.execute(text(f"INSERT INTO customer_order ({names}) VALUES ({marks})"), params)
        return self.get(str(values["id"]))

    def get(self, order_id: str) -> dict[str, Any]:
        with self._store.read() as session:
            found = session.execute(
                text(f"SELECT {', '.join(ORDER_COLUMNS)} FROM customer_order WHERE id = :id"),
                {"id": order_id},
            ).first()
        if found is None:
            raise NotFoundError(f"order {order_id}")
        return _row(ORDER_COLUMNS, found)

    def find(self, query: str = "", limit: int = 100) -> list[dict[str, Any]]:
        """Orders by number, phone digits or a part of the customer's name or e-mail, newest
        first (names are compared with Python's case folding: SQLite's lower() skips Cyrillic)."""
        with self._store.read() as session:
            rows = session.execute(
                text(f"SELECT {', '.join(ORDER_COLUMNS)} FROM customer_order ORDER BY number DESC")
            ).all()
        orders = [_row(ORDER_COLUMNS, r) for r in rows]
        needle = query.strip().casefold()
        if not needle:
            return orders[:limit]
        digits = "".join(ch for ch in needle if ch.isdigit())
        only_digits = digits and len(digits) == len(needle.replace("+", "").replace(" ", ""))

        def matches(order: dict[str, Any]) -> bool:
            if only_digits:
                phone = "".join(ch for ch in order["phone"] if ch.isdigit())
                return str(order["number"]) == digits.lstrip("0") or (
                    len(digits) >= 3 and digits in phone
                )
            return (
                needle in order["customer_name"].casefold() or needle in order["email"].casefold()
            )

        return [o for o in orders if matches(o)][:limit]

    def update(self, order_id: str, now: datetime, **values: Any) -> dict[str, Any]:
        with self._store.write() as session:
            self._update(session, order_id, now, values)
        return self.get(order_id)

    @staticmethod
    def _update(session: Any, order_id: str, now: datetime, values: Mapping[str, Any]) -> None:
        params = _params({**values, "updated_at": now})
        sets = ", ".join(f"{name} = :{name}" for name in params)
        done = session.execute(
            text(f"UPDATE customer_order SET {sets} WHERE id = :order_id"),
            {**params, "order_id": order_id},
        )
        if done.rowcount != 1:
            raise NotFoundError(f"order {order_id}")

    def unsettled_ids(self) -> list[str]:
        """Orders with a chain receipt not confirmed yet or a return not settled."""
        with self._store.read() as session:
            rows = session.execute(
                text(
                    "SELECT id FROM customer_order WHERE pending_action IS NOT NULL "
                    "UNION SELECT order_id FROM order_receipt WHERE state = 'sending'"
                )
            ).all()
        return [str(r[0]) for r in rows]

    # --- order receipts --------------------------------------------------------------------

    def commit_receipt(
        self, values: Mapping[str, Any], order_changes: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Insert a chain receipt (state committed or done), and change its order with it."""
        params = _params(values)
        names = ", ".join(params)
        marks = ", ".join(f":{name}" for name in params)
        with self._store.write() as session:
            session.execute(text(f"INSERT INTO order_receipt ({names}) VALUES ({marks})"), params)
            if order_changes:
                self._update(session, str(values["order_id"]), values["updated_at"], order_changes)
        return self.receipt(str(values["id"]))

    def update_receipt(
        self,
        receipt_id: str,
        now: datetime,
        order_changes: Mapping[str, Any] | None = None,
        **values: Any,
    ) -> dict[str, Any]:
        """Change a chain receipt (and its order) in one transaction."""
        params = _params({**values, "updated_at": now})
        sets = ", ".join(f"{name} = :{name}" for name in params)
        with self._store.write() as session:
            done = session.execute(
                text(f"UPDATE order_receipt SET {sets} WHERE id = :receipt_id"),
                {**params, "receipt_id": receipt_id},
            )
            if cast("CursorResult[Any]", done).rowcount != 1:
                raise NotFoundError(f"order receipt {receipt_id}")
            if order_changes:
                order_id = session.execute(
                    text("SELECT order_id FROM order_receipt WHERE id = :id"), {"id": receipt_id}
                ).scalar_one()
                self._update(session, order_id, now, order_changes)
        return self.receipt(receipt_id)

    def receipt(self, receipt_id: str) -> dict[str, Any]:
        with self._store.read() as session:
            found = session.execute(
                text(f"SELECT {', '.join(RECEIPT_COLUMNS)} FROM order_receipt WHERE id = :id"),
                {"id": receipt_id},
            ).first()
        if found is None:
            raise NotFoundError(f"order receipt {receipt_id}")
        return _row(RECEIPT_COLUMNS, found)

    def receipts(
        self, *, order_id: str | None = None, shift_id: str | None = None
    ) -> list[dict[str, Any]]:
        clauses, params = [], {}
        if order_id is not None:
            clauses.append("order_id = :order_id")
            params["order_id"] = order_id
        if shift_id is not None:
            clauses.append("shift_id = :shift_id")
            params["shift_id"] = shift_id
        where = " AND ".join(clauses) or "1"
        with self._store.read() as session:
            rows = session.execute(
                text(
                    f"SELECT {', '.join(RECEIPT_COLUMNS)} FROM order_receipt WHERE {where} "
                    "ORDER BY created_at, rowid"
                ),
                params,
            ).all()
        return [_row(RECEIPT_COLUMNS, r) for r in rows]
