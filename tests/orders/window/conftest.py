"""The order screen's tests reuse the GUI fixtures: a training register on the shared sandbox,
the qasync loop inside pytest-qt (garbage is collected on the GUI thread by tests/conftest.py)."""

from __future__ import annotations

from gui.conftest import (
    aw,
    gui_config,
    qloop,
    running,
    running_shift,
    running_unsigned,
)

__all__ = [
    "aw",
    "gui_config",
    "qloop",
    "running",
    "running_shift",
    "running_unsigned",
]
