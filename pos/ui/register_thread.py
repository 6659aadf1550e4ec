"""The register on a thread of its own, so that the window's thread never waits on SQLite.

Why: a journal commit waits for the disk (``synchronous=FULL``), a read of a year-old journal
takes milliseconds, the PIN's PBKDF2 digest takes tens; any of these on Qt's thread is a frozen
till and lost scanner keys. So the whole register (the service, its background worker, the
journal, the Checkbox client) runs on one dedicated thread with its own asyncio loop, as
well-built Qt programs do with their database: one thread is one serial executor, so the
journal's writes keep their order, and nothing else ever touches the journal's connections.

The window talks to it through :class:`ThreadFront`, a stand-in with the same methods: a
coroutine method runs on the register's loop and its result comes back to the window's
(qasync) loop through an asyncio future, so the window awaits it without blocking; a plain
method (a receipt, a setting) runs on the register's thread too, the caller waiting for it
(short reads). The hot reads never wait: catalogue look-ups (scan, search, categories, the goods
editor's) go to a look-up thread of their own (``ServiceFront.lookups``, see
``pos.ui.lookups``), and the status line reads the snapshot the register pushes after every
change (``ServiceFront.latest_status``). Status listeners run on the window's loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import enum
import inspect
import logging
import threading
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, TypeVar, cast

from pos.app import RunningRegister, open_register
from pos.config import AppConfig
from pos.journal import thread_guard
from pos.journal.held_carts import HeldCart
from pos.register import held_carts
from pos.register.cart import Cart
from pos.register.status import RegisterStatus
from pos.ui.lookups import InlineLookups, Lookups, ThreadLookups

log = logging.getLogger(__name__)

T = TypeVar("T")

STATUS_PUSH_S = 0.05
"""The shortest time between two status calls to the window (its status bar, banners, page)."""

_FRONTED = ("pos.journal.", "pos.register.", "pos.checkbox.", "pos.orders.")
"""Objects of these packages that the window reaches through the register are fronted too
(``service.orders``, ``journal.catalogue``, the client); records and enums are passed as is."""


class RegisterThread:
    """One thread running one asyncio loop until ``stop``."""

    def __init__(self, name: str = "register") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()

    def start(self) -> None:
        self._thread.start()

    @property
    def thread(self) -> threading.Thread:
        return self._thread

    def on_it(self) -> bool:
        return threading.current_thread() is self._thread

    async def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the register's loop; await its result from another loop."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return await asyncio.wrap_future(future)

    def submit(
        self, function: Callable[..., T], *args: Any, **kwargs: Any
    ) -> concurrent.futures.Future[T]:
        """Run a plain function on the register's thread, between its loop's other work."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def call() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(function(*args, **kwargs))
            except BaseException as error:  # handed to the waiting caller
                future.set_exception(error)

        self.loop.call_soon_threadsafe(call)
        return future

    def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a plain function on the register's thread and wait for its result (on the
        thread itself: directly)."""
        if self.on_it():
            return function(*args, **kwargs)
        thread_guard.check_wait()  # the debug guard: not on the window's thread
        return self.submit(function, *args, **kwargs).result()

    def stop(self) -> None:
        if self._thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=10)


def _log_failure(future: concurrent.futures.Future[Any]) -> None:
    """A status refresh nobody waits for must not fail unseen."""
    if not future.cancelled() and future.exception() is not None:
        log.error("status refresh failed", exc_info=future.exception())


def _fronted(value: Any) -> bool:
    kind = type(value)
    if kind.__name__ == "RegisterContext":  # a dataclass, but the register's live state
        return True
    if dataclasses.is_dataclass(value) or isinstance(value, enum.Enum | type):
        return False
    return kind.__module__.startswith(_FRONTED)


class ThreadFront:
    """Stands in for an object living on the register's thread (see the module's docstring)."""

    def __init__(self, target: Any, thread: RegisterThread) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_thread", thread)

    def __getattr__(self, name: str) -> Any:
        target, thread = self._target, self._thread
        static = inspect.getattr_static(target, name, None)
        if isinstance(static, property):  # may read the journal: read it on its thread
            return self._wrap(thread.call(getattr, target, name))
        value = getattr(target, name)
        if inspect.iscoroutinefunction(value):
            return self._coroutine(value)
        if inspect.ismethod(value) or inspect.isfunction(value):
            return self._plain(value)
        return self._wrap(value)

    def __setattr__(self, name: str, value: Any) -> None:
        self._thread.call(setattr, self._target, name, value)

    def _wrap(self, value: Any) -> Any:
        return ThreadFront(value, self._thread) if _fronted(value) else value

    def _coroutine(self, method: Callable[..., Coroutine[Any, Any, Any]]) -> Any:
        thread = self._thread

        async def on_register_thread(*args: Any, **kwargs: Any) -> Any:
            return self._wrap(await thread.run(method(*args, **kwargs)))

        return on_register_thread

    def _plain(self, method: Callable[..., Any]) -> Any:
        def on_register_thread(*args: Any, **kwargs: Any) -> Any:
            return self._wrap(self._thread.call(method, *args, **kwargs))

        return on_register_thread

    def __repr__(self) -> str:
        return f"ThreadFront({self._target!r})"


class ServiceFront(ThreadFront):
    """The register service's front: listeners called on the window's loop, the status line's
    snapshot pushed to the window after every change (never waited for)."""

    lookups: Lookups
    """The catalogue look-ups (a thread of their own; see ``pos.ui.lookups``)."""

    def __init__(
        self,
        target: Any,
        thread: RegisterThread,
        gui: asyncio.AbstractEventLoop,
        lookups: Lookups | None = None,
    ) -> None:
        super().__init__(target, thread)
        object.__setattr__(self, "_gui", gui)
        if lookups is None:
            lookups = ThreadLookups(thread.call(lambda: target.journal.path))
        object.__setattr__(self, "lookups", lookups)
        object.__setattr__(self, "_listeners", {})
        object.__setattr__(self, "_latest", None)
        object.__setattr__(self, "_key", None)
        thread.call(self._push_status)
        thread.call(target.subscribe, self._push_status)
        # Read once, here, as the register opens behind the sign-in screen: the window is built
        # later and must not wait for the journal to learn what carts it left.
        object.__setattr__(self, "_held", thread.call(held_carts.restore, target.journal))

    def _push_status(self, notify: bool = False) -> None:
        """On the register's thread: a new snapshot for the window. With ``notify`` (a refresh
        the window asked for) the window's listeners hear of it when something other than the
        time moved: a shift opened, a write, a sign-in."""
        status: RegisterStatus = self._target.status()
        key = (self._target.journal.generation, status.state, status.signed_in, status.recovering)
        changed = key != self._key
        object.__setattr__(self, "_latest", status)
        object.__setattr__(self, "_key", key)
        if notify and changed:
            for relay in list(self._listeners.values()):
                relay()

    def latest_status(self) -> RegisterStatus:
        """The status as of the register's last change, without waiting for the register."""
        return cast(RegisterStatus, self._latest)

    def held_at_open(self) -> tuple[Cart, list[held_carts.ParkedCartRecord]]:
        """The open and parked carts the journal held when the register opened."""
        return cast(tuple[Cart, list[held_carts.ParkedCartRecord]], self._held)

    def refresh_status_soon(self) -> None:
        """Ask the register's thread for a fresh snapshot (time-based figures move on)."""
        self._thread.submit(self._push_status, True).add_done_callback(_log_failure)

    def subscribe(self, callback: Callable[[], None]) -> None:
        """``callback`` on the window's loop when the status may have changed: at most one
        call waiting at a time, and at most one per ``STATUS_PUSH_S`` (an upload changes the
        status per receipt sent; the window needs the latest, not each of them)."""
        gui = self._gui
        waiting = [False]  # a call is on its way to the window's loop
        last = [0.0]  # when the window's loop last called back (its clock)

        def deliver() -> None:  # on the window's loop; not once the window unsubscribed
            waiting[0] = False
            last[0] = gui.time()
            if callback in self._listeners:
                callback()

        def due() -> None:  # on the window's loop: now, or once the last call is old enough
            gui.call_at(last[0] + STATUS_PUSH_S, deliver)

        def relay() -> None:  # on the register's thread
            if waiting[0]:
                return
            waiting[0] = True
            with contextlib.suppress(RuntimeError):  # the window's loop is closed: shutting down
                gui.call_soon_threadsafe(due)

        self._listeners[callback] = relay
        # Queued, not waited for: the window subscribes while the register may be busy.
        self._thread.submit(self._target.subscribe, relay).add_done_callback(_log_failure)

    def unsubscribe(self, callback: Callable[[], None]) -> None:
        relay = self._listeners.pop(callback, None)
        if relay is not None:  # deliver() already skips a callback no longer listed
            with contextlib.suppress(RuntimeError):  # the register's loop is closed
                self._thread.submit(self._target.unsubscribe, relay)

    def look_now(self) -> None:
        self._thread.submit(self._target.look_now)

    def soon(self, name: str, *args: Any) -> concurrent.futures.Future[Any]:
        """The service's plain method ``name`` run on the register's thread, not waited for:
        the caller takes the answer from the future (its callback runs on that thread)."""
        thread: RegisterThread = self._thread
        return thread.submit(getattr(self._target, name), *args)

    def save_carts_soon(self, carts: list[HeldCart]) -> None:
        """The carts' save, queued on the register's thread in order (before a sale that
        follows it), never waited for by the window."""
        self._thread.submit(self._target.save_carts_soon, carts).add_done_callback(_log_failure)


def latest_status(service: Any) -> RegisterStatus:
    """The register's status without waiting: a threaded register's last pushed snapshot (it
    pushes one after every change, so it already holds what the window's last awaited call
    changed: a sign-in's cashier, a sale's queue), else the service's own answer."""
    if isinstance(service, ServiceFront):
        return service.latest_status()
    return cast(RegisterStatus, service.status())


def held_at_open(service: Any) -> tuple[Cart, list[held_carts.ParkedCartRecord]]:
    """The carts the window opens with: read as a threaded register opened (no wait now), else
    from the service's journal at once."""
    if isinstance(service, ServiceFront):
        return service.held_at_open()
    return held_carts.restore(service.journal)


def lookups_for(service: Any) -> Lookups:
    """The window's catalogue look-ups: the look-up thread of a threaded register, else the
    service itself answering at once."""
    if isinstance(service, ServiceFront):
        return service.lookups
    return InlineLookups(service)


@contextlib.asynccontextmanager
async def open_threaded_register(
    config: AppConfig, *, worker: bool = True, sandbox: Any = None
) -> AsyncIterator[RunningRegister]:
    """``open_register`` on a register thread; what the window gets is fronted."""
    thread = RegisterThread()
    thread.start()
    stack = contextlib.AsyncExitStack()
    try:
        running = await thread.run(
            stack.enter_async_context(open_register(config, worker=worker, sandbox=sandbox))
        )
        front = dataclasses.replace(
            running,
            service=cast(Any, ServiceFront(running.service, thread, asyncio.get_running_loop())),
            journal=cast(Any, ThreadFront(running.journal, thread)),
            client=cast(Any, ThreadFront(running.client, thread)),
        )
        try:
            yield front
        finally:
            lookups = cast(ServiceFront, front.service).lookups
            if isinstance(lookups, ThreadLookups):
                await asyncio.to_thread(lookups.close)
            await thread.run(stack.aclose())
    finally:
        thread.stop()
