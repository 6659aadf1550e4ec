"""Guards against two ways Qt and Python can crash a long-running till.

1. Python's cyclic garbage collector runs in whichever thread happens to allocate. Training
   mode serves the Checkbox emulator from a Python thread in this process (and ``to_thread``
   work runs in others); a QObject left in a reference cycle and collected there is destroyed
   on the wrong thread, its timers stay registered with the GUI thread, and the next one to
   fire crashes Qt. ``GuiThreadCollector`` turns automatic collection off and collects on the
   GUI thread from a timer instead (reference counting still frees everything else at once).

2. A reference-count bug of the installed PySide6 on Python 3.11 (below).

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
import gc
import logging
import sys

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

PROBE_CALLS = 200
HEADROOM = 1 << 40

_guarded = False


def leaks_none() -> bool:
    """Whether a void PySide6 call takes a reference away from ``None`` here."""
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


class GuiThreadCollector(QObject):
    """Python's cyclic collection, run only on the GUI thread (see the module's docstring).

    Checks the collector's generation counts every ``interval_ms`` and collects the
    generations whose thresholds were passed, the way the automatic collector would."""

    def __init__(self, interval_ms: int = 1000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        first, second, third = gc.get_count()
        if first > self._threshold[0]:
            generation = 0
            if second > self._threshold[1]:
                generation = 1
                if third > self._threshold[2]:
                    generation = 2
            gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
