"""Debug guard: the journal must never be used on the window's (Qt's) thread.

Why: a commit with ``synchronous=FULL`` waits for the disk, and a read of a big journal takes
milliseconds; either one on the GUI thread freezes the till and loses the scanner's keys. The
window runs the register (and so the journal) on a thread of its own; ``forbid(thread)`` turns
on a check in every journal session (``Store.read``/``write``) that raises
``JournalOnForbiddenThread`` when it runs on that thread. Off unless someone turns it on (tests,
``POS_DEBUG_THREADS=1`` in the window), and then it costs one comparison per session.

``forbid_waits(thread)`` is its companion for the register's front (``pos.ui.register_thread``):
a plain call through the front waits for the register's thread, which may be busy for seconds
(an upload, a Z-report); on the window's thread that is the same frozen till, so with it on
such a call raises ``WaitOnForbiddenThread`` (and is listed in ``waits``) instead of waiting.
"""

from __future__ import annotations

import threading


class JournalOnForbiddenThread(AssertionError):
    """A journal session was opened on the thread that must never wait on SQLite."""


class WaitOnForbiddenThread(AssertionError):
    """The thread that must never wait asked the register's thread and would have waited."""


class _Guard:
    """One thread that must never do a thing, and every time it was caught doing it (a test
    asserts the list is empty: the raise alone could be swallowed by a caller that logs and goes
    on)."""

    def __init__(self, error: type[AssertionError], what: str) -> None:
        self.error = error
        self.what = what
        self.thread: int | None = None
        self.seen: list[str] = []

    def forbid(self, thread: threading.Thread | None) -> None:
        self.thread = None if thread is None else thread.ident
        self.seen.clear()

    def check(self) -> None:
        if self.thread is not None and threading.get_ident() == self.thread:
            where = _where()
            self.seen.append(where)
            raise self.error(f"{self.what}:\n{where}")


_journal = _Guard(JournalOnForbiddenThread, "journal used on the GUI thread")
_waiting = _Guard(WaitOnForbiddenThread, "the GUI thread waited for the register's")
violations: list[str] = _journal.seen
"""Every journal session refused since ``forbid``."""
waits: list[str] = _waiting.seen
"""Every wait refused since ``forbid_waits``."""


def forbid(thread: threading.Thread | None) -> None:
    """Refuse journal sessions on ``thread`` from now on (None: allow everywhere again)."""
    _journal.forbid(thread)


def check() -> None:
    _journal.check()


def forbid_waits(thread: threading.Thread | None) -> None:
    """Refuse waiting for the register's thread on ``thread`` from now on (None: allow)."""
    _waiting.forbid(thread)


def check_wait() -> None:
    _waiting.check()


def _where() -> str:
    import traceback

    return "".join(traceback.format_stack(limit=10)[:-2])
