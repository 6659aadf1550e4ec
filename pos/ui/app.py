"""Starting and stopping the cashier's window: QApplication, the qasync loop, the register, the
main window.

Why this order: the language and the look are installed before any widget exists (so nothing
shows up in the wrong language); the sign-in screen (``pos.ui.first_screen``) is painted next,
before the heavy imports, the journal's opening and (training mode) the sandbox's start, which
all happen behind it; the asyncio loop is qasync's, so the register's coroutines and
Qt's events share one thread and the window never waits on the network; ``open_register`` starts
the register (and, in training mode, the embedded sandbox) and stops it when the window closes,
after operations still running (a sale being fiscalised) have had time to finish: the journal
already holds them, so nothing is lost even when they are cut short.
"""

from __future__ import annotations

import gc
import importlib
import linecache
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from pos.ui import theme
from pos.ui.first_screen import FirstScreen
from pos.ui.i18n import Translations
from pos.ui.qt_compat import GuiThreadCollector, guard_singleton_refcounts

if TYPE_CHECKING:  # imported behind the first screen
    from pos.config import AppConfig
    from pos.ui.main_window import MainWindow

log = logging.getLogger(__name__)

READY_LINE = "cashier window shown"  # logged once the window is up and closes on SIGINT/SIGTERM
SHUTDOWN_GRACE = 15.0  # seconds a running sale may take to finish after the window closes
WINDOW_SWITCH_INTERVAL_S = 0.001
"""How long another Python thread (the register's, the look-ups', a receipt's QR encoding) may
keep the GIL while the window's thread waits for it. CPython's default of 5 ms, taken in turn
by two busy threads, costs the window a frame or two at a time; 1 ms keeps the wait within a
frame (``tests/benchmarks/bench_ui.py``, the stall rows) for a little more switching."""


def setup_logging() -> None:
    """Log to the platform's log directory (rotated) and to stderr; never secrets."""
    from pos.log_files import setup

    setup()


def _excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """A bug must not kill the till: log it and tell the cashier."""
    log.critical("unhandled error", exc_info=(kind, error, trace))
    if isinstance(error, KeyboardInterrupt):
        QCoreApplication.quit()
        return
    from pos.ui.messages import show_error

    show_error(QApplication.activeWindow(), error)


def _close_on_signals(window: MainWindow) -> None:
    """Ctrl+C or a shutdown request closes the window the same way the cashier would."""
    import asyncio

    if sys.platform == "win32":
        return
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(number, window.quit_without_asking)
        except (NotImplementedError, RuntimeError, ValueError):
            log.debug("no handler for signal %s", number)


async def run_window(
    app: QApplication,
    config: AppConfig,
    translations: Translations,
    *,
    save: bool,
    ready: Callable[[MainWindow], None] | None = None,
    first: FirstScreen | None = None,
) -> int:
    """Open the register, show the window, wait until it closes, stop everything cleanly."""
    import asyncio
    import contextlib

    import pos.config
    from pos.ui.asyncio_qt import drain

    for heavy in ("sqlalchemy", "sqlmodel", "httpx", "pydantic", "pos.app"):
        importlib.import_module(heavy)
        linecache.clearcache()  # see below: freed between the heavy imports, reused by the next
    from pos.ui.main_window import MainWindow
    from pos.ui.register_thread import open_threaded_register

    # PySide6's import hook (its __feature__ check) reads the source of every module imported
    # after it into linecache: ~28 MiB of text nobody reads again; a traceback reloads a file.
    linecache.clearcache()

    from pos.journal import thread_guard

    debug_threads = os.environ.get("POS_DEBUG_THREADS") == "1"
    if debug_threads:  # every journal session checks its thread
        thread_guard.forbid(threading.current_thread())
    closed = asyncio.Event()
    async with contextlib.AsyncExitStack() as stack:
        running = await stack.enter_async_context(open_threaded_register(config))
        if debug_threads:  # from here on the window never waits for the register's thread
            thread_guard.forbid_waits(threading.current_thread())
        window = MainWindow(
            running, translations=translations, save_config=pos.config.save if save else None
        )
        window.closed.connect(closed.set)
        _close_on_signals(window)
        if first is not None:
            first.hand_over(window)
        else:
            window.show()
        log.info(READY_LINE)
        gc.freeze()  # what start-up made lives on: later collections on this thread skip it
        if ready is not None:
            ready(window)
        await closed.wait()
        await drain(SHUTDOWN_GRACE)
        await stack.aclose()
    return 0


def main(
    argv: Sequence[str] | None = None,
    *,
    config: AppConfig | None = None,
    ready: Callable[[MainWindow], None] | None = None,
    painted: Callable[[QWidget], None] | None = None,
) -> int:
    """``pos`` with no command. With no settings the register runs in training mode on the
    embedded sandbox with the demo catalogue. ``config`` (tests, screenshots) is not saved."""
    setup_logging()
    guard_singleton_refcounts()  # before the first of the many Qt calls of a shift
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([*(argv or ["pos"])])
    app.setApplicationName("POS")
    app.setApplicationDisplayName("POS")
    app.setQuitOnLastWindowClosed(False)  # the loop ends when run_window returns
    import pos.config

    save = config is None
    translations = Translations(app)
    language = pos.config.saved_language() if config is None else config.language
    translations.install(language)
    theme.apply(app)
    first = FirstScreen()
    first.show()
    first.repaint()  # painted now, before the register's imports and its journal
    if painted is not None:
        painted(first)
    if config is None:  # the settings checked (pydantic) and the keyring asked behind the paint
        config = pos.config.load()
        for problem in config.problems:  # named in the log; the default is in use
            log.warning("settings: %s", problem)
        if config.language != language:
            translations.install(config.language)
    import asyncio  # behind the first screen, like everything the register needs

    import qasync

    collector = GuiThreadCollector(parent=app)  # never destroy Qt objects off the GUI thread
    previous_interval = sys.getswitchinterval()
    sys.setswitchinterval(WINDOW_SWITCH_INTERVAL_S)  # before the register's threads start
    previous_hook = sys.excepthook
    sys.excepthook = _excepthook
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    # Let Python see Ctrl+C now and then (Qt's loop would otherwise hold signals back).
    wake = QTimer()
    wake.start(500)
    wake.timeout.connect(lambda: None)
    try:
        result: int = loop.run_until_complete(
            run_window(app, config, translations, save=save, ready=ready, first=first)
        )
        return result
    finally:
        collector.stop()
        wake.stop()
        sys.excepthook = previous_hook
        sys.setswitchinterval(previous_interval)
        asyncio.set_event_loop(None)
        loop.close()
