"""A diagnostics file for support: what happened, on what, in what state — and nothing private.

Why a zip of facts and not the journal itself: the journal holds the shop's receipts, customers'
e-mails and phone numbers, and the register's credentials' digests. Support needs the versions,
the journal's schema version, counts and integrity, the register's state and the last errors;
``collect`` gathers exactly those, and every text that goes into the zip (logs included) passes
``scrub``: the registered secrets, credential-shaped values, e-mail addresses and phone numbers
are blanked. The journal is opened read-only with plain ``sqlite3`` (no migration runs, nothing
is written), so a broken journal still yields a report, with the error in it.
"""

from __future__ import annotations

import json
import platform
import re
import sqlite3
import sys
import zipfile
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pos
from pos.log_files import HIDDEN, log_files, redact

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(
    r"(?<![\w-])(?:\+?38 ?)?\(?0\)? ?\(?\d{2}\)?[ -]?\d{3}[ -]?\d{2}[ -]?\d{2}(?![\w-])"
)
"""A Ukrainian phone number however it is written: +380 67 123 45 67, (067) 123-45-67, 0671234567.
Deliberately narrow, so timestamps, sums and fiscal numbers are left alone."""

PRIVATE_SETTINGS = frozenset({"license_key", "manager_pin_hash"})
LAST_ERRORS = 200
ERROR_LEVELS = (" WARNING ", " ERROR ", " CRITICAL ")


def scrub(text: str) -> str:
    """Secrets, e-mail addresses and phone numbers blanked (fiscal codes and sums stay)."""
    return PHONE.sub("<phone>", EMAIL.sub("<e-mail>", redact(text)))


def versions() -> dict[str, str]:
    """The program's, Python's, Qt's and the printer library's versions, and the system."""
    found = {
        "pos": pos.__version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "frozen": str(bool(getattr(sys, "frozen", False))),
    }
    try:
        import PySide6
        from PySide6 import QtCore

        found["pyside6"] = PySide6.__version__
        found["qt"] = QtCore.qVersion()
    except ImportError as error:
        found["qt"] = f"unavailable: {error}"
    try:
        from importlib.metadata import version

        found["python-escpos"] = version("python-escpos")
    except Exception as error:  # frozen bundles may lack the metadata
        found["python-escpos"] = f"unknown ({type(error).__name__})"
    return found


def _count(connection: sqlite3.Connection, sql: str) -> list[list[Any]]:
    return [list(row) for row in connection.execute(sql).fetchall()]


def journal_facts(path: Path) -> dict[str, Any]:
    """Schema version, integrity, counts and the register's state of one journal file."""
    facts: dict[str, Any] = {"file": path.name, "bytes": path.stat().st_size}
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as error:
        facts["error"] = str(error)
        return facts
    try:
        facts["schema_version"] = connection.execute("PRAGMA user_version").fetchone()[0]
        facts["quick_check"] = [row[0] for row in connection.execute("PRAGMA quick_check")]
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY name"
            )
        ]
        facts["rows"] = {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in tables
        }
        state: dict[str, Any] = {}
        queries = {
            "receipts_by_state": "SELECT type, state, is_offline, count(*) FROM receipt "
            "GROUP BY type, state, is_offline",
            "shifts_by_state": "SELECT state, is_offline, count(*) FROM shift GROUP BY 1, 2",
            "last_shift": "SELECT serial, state, is_offline, datetime(opened_at / 1000000, "
            "'unixepoch'), datetime(closed_at / 1000000, 'unixepoch') FROM shift "
            "ORDER BY created_at DESC LIMIT 1",
            "offline_codes_by_state": "SELECT state, count(*) FROM offline_code GROUP BY 1",
            "offline_queue_by_state": "SELECT kind, state, count(*) FROM offline_queue "
            "GROUP BY 1, 2",
            "set_aside": "SELECT kind, attempts, error FROM offline_queue "
            "WHERE state = 'set_aside' ORDER BY seq LIMIT 50",
            "connectivity": "SELECT datetime(at / 1000000, 'unixepoch'), from_state, to_state, "
            "cause FROM connectivity_transition ORDER BY id DESC LIMIT 30",
            "failed_receipts": "SELECT type, fiscal_code, error FROM receipt "
            "WHERE state = 'failed' ORDER BY created_at DESC LIMIT 30",
            "setting_keys": "SELECT key FROM setting ORDER BY key",
        }
        for name, sql in queries.items():
            try:
                state[name] = _count(connection, sql)
            except sqlite3.Error as error:  # an older or newer schema: say so, go on
                state[name] = f"unavailable: {error}"
        facts["register"] = state
    except sqlite3.Error as error:
        facts["error"] = str(error)
    finally:
        connection.close()
    return facts


def settings_facts(config: Any) -> dict[str, Any]:
    """The settings without secrets: which printer, paper, mode; never keys or PIN digests."""
    if config is None:
        return {}
    names = getattr(config, "model_fields", None) or getattr(config, "__dataclass_fields__", {})
    facts: dict[str, Any] = {}
    for name in names:
        if name in PRIVATE_SETTINGS or "secret" in name or "key" in name or "pin" in name:
            facts[name] = "<set>" if getattr(config, name, None) else "<not set>"
            continue
        value = getattr(config, name, None)
        if hasattr(value, "__dataclass_fields__") or hasattr(value, "model_dump"):
            value = {k: getattr(value, k) for k in getattr(value, "__dataclass_fields__", {})}
        facts[name] = value if isinstance(value, (str, int, float, bool, dict)) else str(value)
    return facts


def last_errors(paths: Iterable[Path], limit: int = LAST_ERRORS) -> list[str]:
    """The newest warning and error lines of the logs (with their tracebacks' last line)."""
    lines: list[str] = []
    for path in reversed(list(paths)):  # oldest file first, so the tail is the newest
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        lines += [line for line in text.splitlines() if any(k in line for k in ERROR_LEVELS)]
    return [scrub(line) for line in lines[-limit:]]


def journals(data: Path) -> list[Path]:
    return sorted(data.glob("journal-*.sqlite")) if data.is_dir() else []


def collect(
    data: Path,
    *,
    config: Any = None,
    log_directory: Path | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """The zip's members (name → text), every one scrubbed."""
    logs = log_files(log_directory)
    summary: dict[str, Any] = {
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": versions(),
        "data_directory": str(data),
        "settings": settings_facts(config),
        "journals": [journal_facts(path) for path in journals(data)],
    }
    if extra:
        summary.update(extra)
    members = {
        "summary.json": json.dumps(summary, ensure_ascii=False, indent=2, default=str),
        "last-errors.txt": "\n".join(last_errors(logs)) + "\n",
    }
    for path in logs:
        try:
            members[f"logs/{path.name}"] = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            members[f"logs/{path.name}"] = f"unreadable: {error}\n"
    return {name: scrub(text) for name, text in members.items()}


def write_zip(target: Path, members: Mapping[str, str]) -> Path:
    """Write the members to ``target`` (a .zip), atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    partial.replace(target)
    return target


def default_name(now: datetime | None = None) -> str:
    moment = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return f"pos-diagnostics-{moment}.zip"


def export(
    target: Path,
    data: Path,
    *,
    config: Any = None,
    log_directory: Path | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Collect and write the diagnostics zip; blocking (run it off the GUI thread)."""
    members = collect(data, config=config, log_directory=log_directory, extra=extra)
    return write_zip(target, members)


__all__ = ["HIDDEN", "collect", "default_name", "export", "scrub", "write_zip"]
