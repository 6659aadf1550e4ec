"""Shared test setup: Qt runs offscreen, and nothing reaches outside 127.0.0.1."""

from __future__ import annotations

import os

# Must happen before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
# This PC's journal marks (pos.journal.chain_marker) go to a throw-away folder, not ~/.local/state.
# No desktop keyring on a CI box: keyring's own configuration selects keyrings.alt's file
# backend (its file under XDG_DATA_HOME, a throw-away folder), for the tests and their children.
# Each pytest-xdist worker gets folders of its own (it inherits the controller's environment).
if "POS_STATE_DIR" not in os.environ or "PYTEST_XDIST_WORKER" in os.environ:
    import tempfile

    os.environ["POS_STATE_DIR"] = tempfile.mkdtemp(prefix="pos-state-")
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="pos-keyring-")


import gc
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pos.sandbox.server import RunningSandbox, serve_in_thread


# --- the suite's clock ---
# No test depends on the hour it runs at: a shift must close before Kyiv's midnight, an offline
# month ends on the 1st, so the whole suite (this process, its threads, and through
# tests/clock_travel/sitecustomize.py every Python process it starts) runs at the next 08:00 in
# Kyiv on a day between the 3rd and the 26th of its month, ticking at the real rate
# (time-machine moves time.time and datetime.now; monotonic clocks stay true). Qt's, SQLite's and
# PostgreSQL's own clocks are not moved: the product never mixes them with Python's.
def _fictional_morning(real: datetime) -> datetime:
    kyiv = ZoneInfo("Europe/Kyiv")
    day = real.astimezone(kyiv).date() + timedelta(days=1)
    while not 3 <= day.day <= 26:
        day += timedelta(days=1)
    return datetime.combine(day, time(8), kyiv)


if "POS_TEST_CLOCK_OFFSET" not in os.environ:
    _start = _fictional_morning(datetime.now(UTC))
    _real = datetime.now(UTC)
    os.environ["POS_TEST_CLOCK_OFFSET"] = repr((_start - _real).total_seconds())
    _travel_dir = str(Path(__file__).resolve().parent / "clock_travel")
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (_travel_dir, os.environ.get("PYTHONPATH")) if p
    )
    time_machine.travel(_start, tick=True).start()
    datetime.now(UTC)  # the clock ticks from its first reading (time-machine): start it now


# --- sandbox fixtures ---
# One sandbox server (uvicorn on 127.0.0.1, state in a tmp dir) for the whole session; every test
# that asks for `sandbox` gets it reset to the seeded state: rate limits on, tax service up, clock
# offset 0, signing delay 0 (receipts are DONE on the next request after the POST).
@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with serve_in_thread(tmp_path_factory.mktemp("sandbox"), signing_delay=0.0) as running:
        yield running


@pytest.fixture
def sandbox(sandbox_server: RunningSandbox) -> RunningSandbox:
    sandbox_server.control("POST", "/sandbox/reset")
    sandbox_server.control("POST", "/sandbox/rate-limits", {"enabled": True})
    sandbox_server.control("POST", "/sandbox/tax-service", {"state": "up", "latency_ms": 0})
    sandbox_server.control("POST", "/sandbox/clock", {"offset_seconds": 0})
    return sandbox_server


@pytest.fixture(autouse=True)
def _garbage_on_the_main_thread() -> Iterator[None]:
    """No automatic cyclic collection during any test, one on the main (Qt's GUI) thread after.

    Why for every test, not only the GUI ones: the sandbox, push and API servers run in Python
    threads, and Python's collector runs in whichever thread happens to allocate. A Qt object an
    earlier window test left in a reference cycle (a report window's reader, a dialog's wrapper),
    collected on such a thread during a later, Qt-free test, is destroyed on the wrong thread and
    crashes the next ``processEvents`` (seen twice in tests/sandbox after the reports window
    tests). The app itself collects on the GUI thread only (pos/ui/qt_compat.py)."""
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()
