"""A PIN (or login and password) kept only as a salted, slow digest.

Why: the register accepts an offline sign-in with a PIN that signed in online before, and the
manager's PIN gates discounts and settings; both must be checkable without keeping the secret.
"""

from __future__ import annotations

import hashlib
import secrets

ROUNDS = 100_000


def _digest(salt: str, secret: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", secret.encode(), salt.encode(), ROUNDS).hex()


def make_digest(secret: str) -> str:
    """``salt:digest`` for storing."""
    salt = secrets.token_hex(8)
    return f"{salt}:{_digest(salt, secret)}"


def matches(stored: str, secret: str) -> bool:
    """Whether ``secret`` is the one ``stored`` (from ``make_digest``) was made of."""
    salt, sep, digest = stored.partition(":")
    return bool(sep) and secrets.compare_digest(_digest(salt, secret), digest)
