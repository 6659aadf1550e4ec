"""Debug guard: the journal must never be used on the window's (Qt's) thread.

Why: a commit with ``synchronous=FULL`` waits for the disk, and a read of a big journal takes
milliseconds; either one on the GUI thread freezes the till and loses the scanner's keys. The
window runs the register (and so the journal) on a thread of its own; ``forbid(thread)`` turns
on a check in every journal session (``Store.read``/``write``) that raises
``JournalOnForbiddenThread`` when it runs on that thread. Off unless someone turns it on (tests,
``POS_DEBUG_THREADS=1`` in the window), and then it costs one comparison per session.
"""

from __future__ import annotations

import threading


class JournalOnForbiddenThread(AssertionError):
    """A journal session was opened on the thread that must never wait on SQLite."""


_forbidden: int | None = None
violations: list[str] = []
"""Every violation seen since ``forbid`` (a test asserts it is empty: the raise alone could be
swallowed by a caller that logs and goes on)."""


def forbid(thread: threading.Thread | None) -> None:
    """Refuse journal sessions on ``thread`` from now on (None: allow everywhere again)."""
    global _forbidden
    _forbidden = None if thread is None else thread.ident
    violations.clear()


def check() -> None:
    if _forbidden is not None and threading.get_ident() == _forbidden:
        import traceback

        where = "".join(traceback.format_stack(limit=8)[:-1])
        violations.append(where)
        raise JournalOnForbiddenThread("journal used on the GUI thread:\n" + where)
