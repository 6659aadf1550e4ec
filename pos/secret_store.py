"""Secrets at rest: the license key, the cashier's token and (headless) PIN or password live in
the operating system's keyring (the ``keyring`` library: Secret Service, Windows Credential
Locker, macOS Keychain).

Why not a file: any local user, backup or support copy of the settings folder would carry them.
Where no keyring backend exists (a bare Linux box without a desktop session), the license key
and token go to a file readable by the owner only (0600) and the PIN or password is not kept at
all (a headless command then needs ``$POS_PIN`` again when the token expires); ``describe()``
says which is in use. Insecure keyring backends (plain-text files, the "fail" backend) count as
no keyring unless chosen explicitly through keyring's own configuration
(``PYTHON_KEYRING_BACKEND`` or its config file): the tests do that.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # keyring finds its backends through every package's metadata: imported
    from keyring.backend import KeyringBackend  # when a store is first made, not at start-up

SERVICE = "pos"
FALLBACK_FILE = "secrets-fallback.json"
INSECURE = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")
# Never written to the fallback file: a PIN or password is kept in a real keyring or not at all.
KEYRING_ONLY = frozenset({"pin", "password", "login"})


def _explicit() -> bool:
    return bool(os.environ.get("PYTHON_KEYRING_BACKEND"))


def _usable(backend: KeyringBackend) -> bool:
    module = type(backend).__module__
    if _explicit():
        return not module.startswith(("keyring.backends.fail", "keyring.backends.null"))
    try:
        priority = float(backend.priority)
    except Exception:
        return False
    return priority > 0 and not module.startswith(INSECURE)


class SecretStore:
    """Named secrets of one installation (``scope``: its settings folder)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.scope = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]
        import keyring

        backend = keyring.get_keyring()
        self._keyring: KeyringBackend | None = backend if _usable(backend) else None
        self._backend_name = f"{type(backend).__module__}.{type(backend).__name__}"

    def describe(self) -> str:
        if self._keyring is not None:
            return f"OS keyring ({self._backend_name})"
        return f"owner-only file {self.directory / FALLBACK_FILE} (no OS keyring available)"

    @property
    def uses_keyring(self) -> bool:
        return self._keyring is not None

    def _name(self, name: str) -> str:
        return f"{self.scope}:{name}"

    def get(self, name: str) -> str | None:
        if self._keyring is not None:
            from keyring.errors import KeyringError

            try:
                return self._keyring.get_password(SERVICE, self._name(name))
            except KeyringError:
                return None
        value = self._file().get(name)
        return str(value) if value else None

    def set(self, name: str, value: str) -> None:
        if self._keyring is not None:
            self._keyring.set_password(SERVICE, self._name(name), value)
            return
        if name in KEYRING_ONLY:
            return  # no keyring: a PIN or password is not kept at all
        data = self._file()
        data[name] = value
        self._write(data)

    def delete(self, name: str) -> None:
        if self._keyring is not None:
            from keyring.errors import KeyringError

            with contextlib.suppress(KeyringError):
                self._keyring.delete_password(SERVICE, self._name(name))
            return
        data = self._file()
        if data.pop(name, None) is not None:
            self._write(data)

    def pepper(self) -> bytes:
        """A random key for the offline sign-in digest, made once and kept here: a copied
        journal's digest cannot be brute-forced without it."""
        value = self.get("offline_pin_key")
        if not value:
            value = secrets.token_hex(32)
            self.set("offline_pin_key", value)
        return bytes.fromhex(value)

    def _file(self) -> dict[str, str]:
        try:
            data = json.loads((self.directory / FALLBACK_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, str]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self.directory / FALLBACK_FILE
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)


class KeyringTokenStore:
    """The client's ``TokenStore`` over a ``SecretStore``."""

    def __init__(self, store: SecretStore) -> None:
        self._store = store

    def __repr__(self) -> str:
        return "KeyringTokenStore(…)"

    def load(self, key: str) -> str | None:
        return self._store.get(f"token:{key}")

    def save(self, key: str, token: str) -> None:
        self._store.set(f"token:{key}", token)

    def forget(self, key: str) -> None:
        self._store.delete(f"token:{key}")
