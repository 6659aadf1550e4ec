"""A PIN (or login and password) kept only as a salted, slow digest.

Why: the register accepts an offline sign-in with a PIN that signed in online before, and the
manager's PIN gates discounts and settings; both must be checkable without keeping the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ROUNDS = 100_000


def _digest(salt: str, secret: str, pepper: bytes | None) -> str:
    material = secret.encode()
    if pepper:
        # Keyed by a random key kept in the OS keyring, not in the journal: a 4-digit PIN's
        # digest copied out of the journal cannot be brute-forced without that key.
        material = hmac.new(pepper, material, hashlib.sha256).digest()
    return hashlib.pbkdf2_hmac("sha256", material, salt.encode(), ROUNDS).hex()


def make_digest(secret: str, pepper: bytes | None = None) -> str:
    """``salt:digest`` for storing (``pepper``: the keyring's key, when there is one)."""
    salt = secrets.token_hex(8)
    return f"{salt}:{_digest(salt, secret, pepper)}"


def matches(stored: str, secret: str, pepper: bytes | None = None) -> bool:
    """Whether ``secret`` is the one ``stored`` (from ``make_digest``) was made of."""
    salt, sep, digest = stored.partition(":")
    return bool(sep) and secrets.compare_digest(_digest(salt, secret, pepper), digest)
