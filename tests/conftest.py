"""Shared test setup: Qt runs offscreen, and nothing reaches outside 127.0.0.1."""

from __future__ import annotations

import os

# Must happen before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
# This PC's journal marks (pos.journal.chain_marker) go to a throw-away folder, not ~/.local/state.
# No desktop keyring on a CI box: keyring's own configuration selects keyrings.alt's file
# backend (its file under XDG_DATA_HOME, a throw-away folder), for the tests and their children.
if "POS_STATE_DIR" not in os.environ:
    import tempfile

    os.environ["POS_STATE_DIR"] = tempfile.mkdtemp(prefix="pos-state-")
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="pos-keyring-")


# --- sandbox fixtures ---
# One sandbox server (uvicorn on 127.0.0.1, state in a tmp dir) for the whole session; every test
# that asks for `sandbox` gets it reset to the seeded state: rate limits on, tax service up, clock
# offset 0, signing delay 0 (receipts are DONE on the next request after the POST).
import gc
from collections.abc import Iterator

import pytest

from pos.sandbox.server import RunningSandbox, serve_in_thread


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
