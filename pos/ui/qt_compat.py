"""A guard against a reference-count bug of the installed PySide6 on Python 3.11.

Why: PySide6 6.12 on CPython 3.11 returns ``None`` from its void calls (``setText``,
``setProperty``, ``processEvents``…) without taking a new reference, so every such call takes one
reference away from ``None``. A till refreshes its status bar every second; after some thousands
of calls (tens of minutes) the count reaches zero and the interpreter aborts with "none_dealloc"
in the middle of a shift. On Python 3.12+ ``None`` is immortal and nothing happens.

``guard_singleton_refcounts`` measures the leak once at start-up with a throw-away object and,
only when it is there, gives ``None``, ``True`` and ``False`` a reference count so large that no
run can exhaust it (2**40 calls). It is a workaround, not a fix: the fix is a PySide6 without the
bug, or Python 3.12.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

PROBE_CALLS = 200
HEADROOM = 1 << 40

_guarded = False


def leaks_none() -> bool:
    """Whether a void PySide6 call takes a reference away from ``None`` here."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    return lost >= PROBE_CALLS // 2


def guard_singleton_refcounts() -> bool:
    """Apply the workaround when the leak is present; True when it was applied (once)."""
    global _guarded
    if _guarded:
        return True
    if sys.version_info >= (3, 12) or not leaks_none():
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += HEADROOM
    _guarded = True
    log.warning("PySide6 leaks references to None on this Python: refcounts pinned")
    return True
