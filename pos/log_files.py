"""Where the program writes what it did: rotating files in the platform's log folder.

Why here and not in the window: the headless commands (``pos register …``, ``pos diagnostics``)
log too, so ``pos.cli.main`` sets logging up before any command runs; the window only adds
nothing. httpx and httpcore log every request at INFO (URLs, headers' names): they are kept at
WARNING. Secrets never reach a file: every record passes ``SecretFilter``, which blanks the
values the program registered with ``hide`` (license key, tokens, PINs as typed) and anything
shaped like a credential (``Authorization: Bearer …``, ``"access_token": "…"``, ``password=…``).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

LOG_FILE = "pos.log"
MAX_BYTES = 2_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HIDDEN = "***"
QUIET_LOGGERS = ("httpx", "httpcore", "uvicorn.access", "escpos", "PIL", "asyncio")

_CREDENTIAL = re.compile(
    r"(?i)(?P<key>authorization[\"']?\s*[:=]\s*[\"']?(?:bearer|basic)?\s*"
    r"|(?:access_token|token|password|passwd|pin|license_key|x-license-key|secret)"
    r"[\"']?\s*[:=]\s*[\"']?)(?P<value>[^\s\"',;}&]+)"
)

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_handler: logging.Handler | None = None


def hide(secret: str | None) -> None:
    """Never write ``secret`` to a log (it is blanked wherever it appears)."""
    if secret and len(secret) >= 4:
        with _secrets_lock:
            _secrets.add(secret)


def redact(text: str) -> str:
    """``text`` with the registered secrets and credential-shaped values blanked."""
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, HIDDEN)
    return _CREDENTIAL.sub(lambda m: m.group("key") + HIDDEN, text)


class SecretFilter(logging.Filter):
    """Rewrites each record's message (and its traceback text) without secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info:
            formatter = logging.Formatter()
            trace = formatter.formatException(record.exc_info)
            record.exc_text = redact(trace)
            record.exc_info = None
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


def log_file(directory: Path | None = None) -> Path:
    from pos.config import log_dir

    return (directory or log_dir()) / LOG_FILE


def setup(directory: Path | None = None, *, console: int = logging.WARNING) -> Path | None:
    """Rotating file (INFO and up) plus stderr (``console`` and up); idempotent.
    Returns the log file, or None when the folder cannot be written (stderr still works)."""
    global _handler
    root = logging.getLogger()
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    if _handler is not None:
        return Path(getattr(_handler, "baseFilename", "")) or None
    root.setLevel(logging.INFO)
    formatter = logging.Formatter(FORMAT)
    secret_filter = SecretFilter()
    for existing in root.handlers:
        # A library's logging.basicConfig() (python-escpos calls it on import) left a plain
        # stderr handler: it gets our level, format and the secret filter too.
        if type(existing) is logging.StreamHandler:
            existing.setLevel(console)
            existing.setFormatter(formatter)
            existing.addFilter(secret_filter)
    if not any(isinstance(h, logging.StreamHandler) for h in root.handlers):
        stream = logging.StreamHandler()
        stream.setLevel(console)
        stream.setFormatter(formatter)
        stream.addFilter(secret_filter)
        root.addHandler(stream)
    path = log_file(directory)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(formatter)
    handler.addFilter(secret_filter)
    root.addHandler(handler)
    _handler = handler
    return path


def shutdown() -> None:
    """Detach the file handler (tests, and before a diagnostics zip reads the files)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None


def log_files(directory: Path | None = None) -> list[Path]:
    """The current log and its rotated predecessors, newest first."""
    current = log_file(directory)
    found = [current] if current.exists() else []
    found += sorted(
        (p for p in current.parent.glob(f"{LOG_FILE}.*") if p.suffix.lstrip(".").isdigit()),
        key=lambda p: int(p.suffix.lstrip(".")),
    )
    return found
