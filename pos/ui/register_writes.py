"""A register call that writes, made without the window waiting for it.

Why: the window's register runs on a thread of its own that may be busy for seconds (an upload
of the offline queue, a Z-report). A plain (not async) call through its front waits for that
thread, and so would the window: the till freezes. :func:`written` makes such a call from a
worker thread instead and the window's loop awaits it; the journal is still written on the
register's thread, in order behind what it is doing. A register that is not on a thread (the
headless tools' ``open_register``) is called at once. :func:`asked` is the same for a read whose
answer only the register has (the drawer's expected cash, a receipt's latest state).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from pos.ui.register_thread import ServiceFront

T = TypeVar("T")


async def written(service: Any, call: Callable[[], T]) -> T:
    """``call()`` (a write through the register's front), awaited without blocking the loop."""
    if isinstance(service, ServiceFront):
        return await asyncio.to_thread(call)
    return call()


async def asked(service: Any, call: Callable[[], T]) -> T:
    """``call()`` (a read through the register's front), awaited as :func:`written` is."""
    return await written(service, call)
