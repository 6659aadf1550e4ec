"""GUI test fixtures: a qasync loop inside pytest-qt, and a training register on the shared
sandbox.

The tests are plain (sync) functions: Qt's event loop is spun by ``qtbot.waitUntil`` /
``qtbot.keyClick``, and the asyncio loop is a ``qasync.QEventLoop(qapp, already_running=True)``,
so tasks the window starts progress whenever Qt processes events. pytest-asyncio (auto mode)
leaves sync tests alone; the fixture unsets its running loop on teardown so later async tests
get their own.

Fixtures for other GUI tests (UI-B's dialogs use them too):
- ``qloop``: the qasync loop, set as the current asyncio loop.
- ``aw``: ``aw(coro, timeout=10)`` runs a coroutine to completion by spinning Qt (for set-up and
  assertions through the service, never for what the test drives through the UI).
- ``gui_config``: an ``AppConfig`` in training mode with its data in ``tmp_path``.
- ``running_unsigned``: ``RunningRegister`` (training, embedded sandbox's first register, worker
  on), nobody signed in.
- ``running``: the same with the seeded cashier signed in (PIN from ``training_account``).
- ``running_shift``: signed in with a shift open and a 500.00 opening float.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from pytestqt.qtbot import QtBot

from pos.app import RunningRegister
from pos.config import AppConfig
from pos.journal import thread_guard
from pos.sandbox.server import RunningSandbox
from pos.ui.asyncio_qt import pending_tasks
from pos.ui.qt_compat import guard_singleton_refcounts
from pos.ui.register_thread import open_threaded_register

# PySide6 6.12 on Python 3.11 loses a reference to None per void call; a test session makes
# enough calls to abort the interpreter (see pos/ui/qt_compat.py).
guard_singleton_refcounts()

T = TypeVar("T")
Await = Callable[..., Any]


@pytest.fixture
def guarded() -> Iterator[list[str]]:
    """The test's own thread (the window's) may not touch the journal; the list of what did."""
    thread_guard.forbid(threading.current_thread())
    try:
        yield thread_guard.violations
    finally:
        thread_guard.forbid(None)


@pytest.fixture
def qloop(qapp: Any) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        leftovers = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in leftovers:
            task.cancel()
        deadline = loop.time() + 5.0
        while any(not t.done() for t in leftovers) and loop.time() < deadline:
            qapp.processEvents()
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)
        # Not loop.stop(): it calls QApplication.exit(), which leaves Qt's "quit now" flag set
        # and breaks the next test's event processing. Mark it stopped, then close it.
        loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
        loop._after_run_forever()
        with contextlib.suppress(RuntimeError, TypeError):
            qapp.aboutToQuit.disconnect(loop._after_run_forever)
        with contextlib.suppress(RuntimeError):
            loop.close()


@pytest.fixture
def aw(qloop: qasync.QEventLoop, qtbot: QtBot) -> Await:
    """Run a coroutine to its end by spinning the Qt loop; returns its result."""

    def run(coro: Coroutine[Any, Any, T], timeout: float = 15.0) -> T:
        task = asyncio.ensure_future(coro)
        try:
            qtbot.waitUntil(task.done, timeout=int(timeout * 1000))
        except Exception:
            raise AssertionError("still running:\n" + _task_stacks(qloop)) from None
        return task.result()

    return run


def _task_stacks(loop: asyncio.AbstractEventLoop) -> str:
    """Where every unfinished task waits (for a timeout's message)."""
    out = io.StringIO()
    for task in asyncio.all_tasks(loop):
        if not task.done():
            task.print_stack(limit=8, file=out)
    return out.getvalue()


@pytest.fixture
def gui_config(tmp_path: Path) -> AppConfig:
    return AppConfig(training=True, data=tmp_path / "data", language="uk")


@pytest.fixture
def running_unsigned(
    aw: Await,
    qloop: qasync.QEventLoop,
    qtbot: QtBot,
    gui_config: AppConfig,
    sandbox: RunningSandbox,
) -> Iterator[RunningRegister]:
    stack = contextlib.AsyncExitStack()
    # As the window runs it: the register (and its journal) on a thread of its own.
    run: RunningRegister = aw(
        stack.enter_async_context(open_threaded_register(gui_config, sandbox=sandbox))
    )
    try:
        yield run
    finally:
        for task in pending_tasks():
            task.cancel()

        closing = asyncio.ensure_future(stack.aclose())
        qtbot.waitUntil(closing.done, timeout=20_000)
        closing.result()


@pytest.fixture
def running(aw: Await, running_unsigned: RunningRegister) -> RunningRegister:
    account = running_unsigned.training_account
    assert account is not None
    aw(running_unsigned.service.sign_in(pin=account.pin))
    return running_unsigned


@pytest.fixture
def running_shift(aw: Await, running: RunningRegister) -> RunningRegister:
    aw(running.service.open_shift(50000), timeout=40)
    return running
