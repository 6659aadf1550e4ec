"""Who the client speaks as: the cashier's credentials, the register's license key, the token.

Why: every call after sign-in carries the token, and calls about a register carry its license
key. Both are secrets: they live in ``SecretStr`` and reach nothing but request headers (and,
if the app asks, a ``TokenStore`` such as the OS keyring). A token that the server rejects
("Невірний токен доступу") is replaced by one transparent sign-in (see ``transport``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import SecretStr


class TokenStore(Protocol):
    """Somewhere a token outlives the process (the app may plug in the OS keyring)."""

    def load(self, key: str) -> str | None: ...

    def save(self, key: str, token: str) -> None: ...

    def forget(self, key: str) -> None: ...


class MemoryTokenStore:
    """A ``TokenStore`` that keeps tokens in this process only (tests, training mode)."""

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"MemoryTokenStore({len(self._tokens)} tokens)"

    def load(self, key: str) -> str | None:
        return self._tokens.get(key)

    def save(self, key: str, token: str) -> None:
        self._tokens[key] = token

    def forget(self, key: str) -> None:
        self._tokens.pop(key, None)


@dataclass(frozen=True)
class PinSignIn:
    """Sign in by the cashier's PIN on the register of ``license_key``."""

    license_key: SecretStr = field(repr=False)
    pin_code: SecretStr = field(repr=False)


@dataclass(frozen=True)
class PasswordSignIn:
    """Sign in by the cashier's login and password (license key optional, for register calls)."""

    login: str
    password: SecretStr = field(repr=False)
    license_key: SecretStr | None = field(default=None, repr=False)


Credentials = PinSignIn | PasswordSignIn


class Session:
    """The credentials, the current token, and where (if anywhere) the token is persisted."""

    def __init__(
        self,
        credentials: Credentials | None = None,
        *,
        license_key: str | None = None,
        token_store: TokenStore | None = None,
    ) -> None:
        self.credentials = credentials
        key = license_key
        if key is None and credentials is not None and credentials.license_key is not None:
            key = credentials.license_key.get_secret_value()
        self._license_key = SecretStr(key) if key is not None else None
        self._store = token_store
        self._token: SecretStr | None = None
        if token_store is not None:
            stored = token_store.load(self.store_key)
            if stored:
                self._token = SecretStr(stored)

    def __repr__(self) -> str:
        who = type(self.credentials).__name__ if self.credentials else "no credentials"
        return f"Session({who}, token={'set' if self._token else 'none'})"

    @property
    def store_key(self) -> str:
        """A token-store key that names the register/cashier without revealing a secret."""
        if isinstance(self.credentials, PasswordSignIn):
            basis = "login:" + self.credentials.login
        elif self._license_key is not None:
            basis = "license:" + self._license_key.get_secret_value()
        else:
            basis = "anonymous"
        return "checkbox-token:" + hashlib.sha256(basis.encode()).hexdigest()[:16]

    @property
    def can_sign_in(self) -> bool:
        return self.credentials is not None

    @property
    def token(self) -> SecretStr | None:
        return self._token

    def set_token(self, token: SecretStr) -> None:
        self._token = token
        if self._store is not None:
            self._store.save(self.store_key, token.get_secret_value())

    def clear_token(self) -> None:
        self._token = None
        if self._store is not None:
            self._store.forget(self.store_key)

    def headers(self, *, auth: bool = True) -> dict[str, str]:
        """The secret headers: Authorization (if signed in) and X-License-Key (if known)."""
        headers: dict[str, str] = {}
        if auth and self._token is not None:
            headers["Authorization"] = "Bearer " + self._token.get_secret_value()
        if self._license_key is not None:
            headers["X-License-Key"] = self._license_key.get_secret_value()
        return headers
