"""The shop's local journal: everything fiscal, committed durably before it is printed or sent.

SQLite (WAL, ``synchronous=FULL``) through sqlmodel, one file per register. The register service is
its only writer; the GUI and reports read it through the plain frozen records of
:mod:`pos.journal.records`, never through ORM objects.

``Journal`` and ``default_journal_path`` are imported when first asked for: importing the
records (the settings need the limits' types) must not pull in SQLAlchemy, or the window's
first paint would wait for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pos.journal.errors import (
    JournalError,
    JournalTooNewError,
    NoFreeOfflineCodeError,
    ReceiptStateError,
)

if TYPE_CHECKING:
    from pos.journal.journal import Journal, default_journal_path


def __getattr__(name: str) -> Any:
    if name in ("Journal", "default_journal_path"):
        from pos.journal import journal

        return getattr(journal, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Journal",
    "JournalError",
    "JournalTooNewError",
    "NoFreeOfflineCodeError",
    "ReceiptStateError",
    "default_journal_path",
]
