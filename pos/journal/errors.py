"""Errors the journal raises on purpose, so callers can tell a rule from a broken disk."""

from __future__ import annotations


class JournalError(Exception):
    """Base class of the journal's own errors."""


class JournalTooNewError(JournalError):
    """The file was written by a newer program: opening it could damage data we cannot read."""


class NoFreeOfflineCodeError(JournalError):
    """The local pool has no free offline fiscal code left; nothing can be issued offline."""


class ReceiptStateError(JournalError):
    """A receipt (or shift, or queue entry) was asked to move to a state it cannot reach."""


class NotFoundError(JournalError):
    """The receipt, shift or queue entry named by the caller is not in the journal."""


class OfflineCodeStateError(JournalError):
    """An offline code was asked to go back (e.g. to free after being used or burned)."""
