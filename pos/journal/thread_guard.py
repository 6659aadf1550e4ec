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
        where = _where()
        violations.append(where)
        raise JournalOnForbiddenThread("journal used on the GUI thread:\n" + where)


_no_waits: int | None = None
waits: list[str] = []
"""Every wait refused since ``forbid_waits`` (as ``violations``)."""


def forbid_waits(thread: threading.Thread | None) -> None:
    """Refuse waiting for the register's thread on ``thread`` from now on (None: allow)."""
    global _no_waits
    _no_waits = None if thread is None else thread.ident
    waits.clear()


def check_wait() -> None:
    if _no_waits is not None and threading.get_ident() == _no_waits:
        where = _where()
        waits.append(where)
        raise WaitOnForbiddenThread("the GUI thread waited for the register's:\n" + where)


def _where() -> str:
    import traceback

    return "".join(traceback.format_stack(limit=10)[:-2])
