"""Carts not yet sold — the one being rung up and the parked ones — kept in the journal.

Why in the journal: a power cut or a restart must not make the cashier scan a full basket again
(issue 11). A cart is nothing fiscal: it is stored as the register layer's JSON of it, replaced
whole on every change in one transaction, and read back when the window opens.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text

from pos.journal.instants import from_micros, to_micros
from pos.journal.store import Store

OPEN = 0
"""The slot of the cart being rung up; parked carts keep their own number (1, 2, …)."""


@dataclass(frozen=True)
class HeldCart:
    slot: int  # OPEN, or the number the parked cart was given
    body: dict[str, Any]
    parked_at: datetime | None


def cart_text(body: dict[str, Any]) -> str:
    """A cart as the journal stores it: the same cart always gives the same text, so a sale's
    commit can recognise (and clear) the open cart it sells."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True)


CLEAR_SOLD = "DELETE FROM held_cart WHERE slot = 0 AND body = ?"
"""Run by a sale's commit, in its transaction, with the sold cart's ``cart_text``: a kill between
"sale committed" and "cart cleared" can then never bring sold goods back, and a different open
cart (say a cash-in made while goods wait in the cart) is never touched."""


class HeldCarts:
    def __init__(self, store: Store) -> None:
        self._store = store

    def replace(self, carts: list[HeldCart], now: datetime) -> None:
        """Keep exactly ``carts`` (an empty open cart need not be given)."""
        with self._store.write() as session:
            session.execute(text("DELETE FROM held_cart"))
            for cart in carts:
                session.execute(
                    text(
                        "INSERT INTO held_cart (slot, body, parked_at, saved_at) "
                        "VALUES (:slot, :body, :parked_at, :saved_at)"
                    ),
                    {
                        "slot": cart.slot,
                        "body": cart_text(cart.body),
                        "parked_at": None if cart.parked_at is None else to_micros(cart.parked_at),
                        "saved_at": to_micros(now),
                    },
                )

    def all(self) -> list[HeldCart]:
        """The open cart (slot 0) first, then the parked ones by number."""
        with self._store.read() as session:
            rows = session.execute(
                text("SELECT slot, body, parked_at FROM held_cart ORDER BY slot")
            ).all()
        return [
            HeldCart(
                int(slot), json.loads(body), None if parked is None else from_micros(int(parked))
            )
            for slot, body, parked in rows
        ]
