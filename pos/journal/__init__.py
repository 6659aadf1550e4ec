"""The shop's local journal: everything fiscal, committed durably before it is printed or sent.

SQLite (WAL, ``synchronous=FULL``) through sqlmodel, one file per register. The register service is
its only writer; the GUI and reports read it through the plain frozen records of
:mod:`pos.journal.records`, never through ORM objects.
"""

from __future__ import annotations

from pos.journal.errors import (
    JournalError,
    JournalTooNewError,
    NoFreeOfflineCodeError,
    ReceiptStateError,
)
from pos.journal.journal import Journal, default_journal_path

__all__ = [
    "Journal",
    "JournalError",
    "JournalTooNewError",
    "NoFreeOfflineCodeError",
    "ReceiptStateError",
    "default_journal_path",
]
