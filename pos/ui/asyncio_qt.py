"""Running the register's coroutines from Qt slots on the qasync loop.

Why a helper and not bare ``asyncio.ensure_future``: a task nobody holds can be garbage-collected
mid-flight, an exception in it would vanish, and a double click on "Pay" must not sell twice.
``spawn`` keeps every task referenced until it ends and reports its failure; ``async_slot`` turns
a coroutine method of a widget into a slot that shows a ``RegisterError`` to the cashier with
``pos.ui.messages.show_error`` (other exceptions go to ``sys.excepthook``: a bug, logged, and a
failed test under pytest-qt), and by default ignores a second call while the first still runs.

Never call ``QDialog.exec()`` inside a coroutine (qasync cannot re-enter its loop); open dialogs
with ``.open()`` and react to their signals.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import shiboken6
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

T = TypeVar("T")
W = TypeVar("W", bound=QWidget)

_tasks: set[asyncio.Task[Any]] = set()


def report_exception(error: BaseException) -> None:
    """An unexpected failure in a task: to ``sys.excepthook`` (logged; fails a pytest-qt test)."""
    sys.excepthook(type(error), error, error.__traceback__)


def spawn(
    coro: Coroutine[Any, Any, T],
    *,
    on_error: Callable[[BaseException], None] | None = None,
    name: str | None = None,
) -> asyncio.Task[T]:
    """Run ``coro`` as a task held until it ends; its exception goes to ``on_error``."""
    task: asyncio.Task[T] = asyncio.ensure_future(coro)
    if name:
        task.set_name(name)
    _tasks.add(task)

    def finished(done: asyncio.Task[T]) -> None:
        _tasks.discard(done)
        if done.cancelled():
            return
        error = done.exception()
        if error is None:
            return
        (on_error or report_exception)(error)

    task.add_done_callback(finished)
    return task


def pending_tasks() -> list[asyncio.Task[Any]]:
    """Tasks started with ``spawn`` that have not finished."""
    return [task for task in _tasks if not task.done()]


async def drain(grace: float = 10.0) -> None:
    """Let running operations (a sale being fiscalised) finish before shutdown; cancel after
    ``grace`` seconds. A receipt is journaled before it is sent, so a cancel loses nothing."""
    tasks = [task for task in pending_tasks() if task is not asyncio.current_task()]
    if not tasks:
        return
    _done, still = await asyncio.wait(tasks, timeout=grace)
    for task in still:
        task.cancel()
    if still:
        await asyncio.wait(still, timeout=2.0)


def _widget_error_handler(widget: QWidget) -> Callable[[BaseException], None]:
    def handle(error: BaseException) -> None:
        from pos.register.errors import RegisterError
        from pos.ui.messages import show_error

        if isinstance(error, RuntimeError) and not shiboken6.isValid(widget):
            # Cancelled at shutdown, its ``finally`` touched a widget Qt already deleted: the
            # window is gone and nothing is left to show or undo (the journal has the operation).
            log.info("an operation ended after its window was closed: %s", error)
        elif isinstance(error, RegisterError):
            show_error(widget, error)
        else:
            report_exception(error)

    return handle


def async_slot(
    *, exclusive: bool = True
) -> Callable[[Callable[..., Coroutine[Any, Any, Any]]], Callable[..., asyncio.Task[Any] | None]]:
    """Decorate ``async def method(self, ...)`` of a QWidget to use it as a slot.

    Extra arguments a signal sends (``clicked(bool)``) are dropped when the method does not take
    them. With ``exclusive`` a call while the previous one runs is ignored and returns None.
    """

    def decorate(
        method: Callable[..., Coroutine[Any, Any, Any]],
    ) -> Callable[..., asyncio.Task[Any] | None]:
        parameters = list(inspect.signature(method).parameters.values())
        variadic = any(p.kind is p.VAR_POSITIONAL for p in parameters)
        positional = sum(
            1 for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        )
        busy_attribute = f"_async_slot_busy_{method.__name__}"

        @functools.wraps(method)
        def slot(self: QWidget, *args: Any, **kwargs: Any) -> asyncio.Task[Any] | None:
            if exclusive:
                running: asyncio.Task[Any] | None = getattr(self, busy_attribute, None)
                if running is not None and not running.done():
                    log.debug("%s ignored: still running", method.__name__)
                    return None
            if not variadic:
                args = args[: max(positional - 1, 0)]
            task = spawn(
                method(self, *args, **kwargs),
                on_error=_widget_error_handler(self),
                name=method.__name__,
            )
            if exclusive:
                setattr(self, busy_attribute, task)
            return task

        return slot

    return decorate
