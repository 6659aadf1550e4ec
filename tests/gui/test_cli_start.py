"""`pos` with no command starts the cashier's window (training mode when there are no
settings) and stops cleanly on SIGTERM; `pos --help` still prints the help."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pos.ui.app import READY_LINE

ROOT = Path(__file__).resolve().parents[2]


def isolated_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


def test_help_still_works(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pos", "--help"],
        env=isolated_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0
    assert "usage: pos" in done.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
def test_pos_starts_the_window_in_training_mode(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "pos"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Readiness: the window logs READY_LINE once it is shown and handles SIGTERM.
    log_file = tmp_path / "state" / "pos" / "log" / "pos.log"
    deadline = time.monotonic() + 120
    while not (log_file.exists() and READY_LINE in log_file.read_text(errors="replace")):
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, "the window never said it was shown"
        time.sleep(0.1)
    assert process.poll() is None
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Traceback" not in output
