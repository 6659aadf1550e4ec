"""API keys of the back-office API: random, shown once, stored as a SHA-256 digest.

A key is 32 random bytes (``secrets``), so a plain digest is enough to make the stored form
useless to whoever reads the table (there is nothing to guess, unlike a password). Each key
belongs to one shop, and the API answers it with that shop's data only.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert

from pos.backoffice.database import ensure_shop
from pos.backoffice.schema import api_key, shop

PREFIX = "pos_"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def add_key(connection: Connection, name: str, shop_name: str) -> str:
    """Make a key for ``shop_name`` and return it: the only time it exists in clear."""
    shop_id = ensure_shop(connection, shop_name)
    key = PREFIX + secrets.token_urlsafe(32)
    connection.execute(
        insert(api_key).values(
            shop_id=shop_id, name=name, digest=digest(key), created_at=datetime.now(UTC)
        )
    )
    return key


@dataclass(frozen=True)
class KeyOwner:
    key_name: str
    shop_id: int
    shop: str


def owner_of(connection: Connection, key: str) -> KeyOwner | None:
    row = connection.execute(
        select(api_key.c.name, shop.c.id, shop.c.name)
        .join(shop, shop.c.id == api_key.c.shop_id)
        .where(api_key.c.digest == digest(key))
    ).first()
    return None if row is None else KeyOwner(row[0], int(row[1]), row[2])
