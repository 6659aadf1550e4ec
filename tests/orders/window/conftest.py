"""The order screen's tests reuse the GUI fixtures: a training register on the shared sandbox,
the qasync loop inside pytest-qt, and garbage collected on the GUI thread only."""

from __future__ import annotations

from gui.conftest import (
    _garbage_on_the_gui_thread,
    aw,
    gui_config,
    qloop,
    running,
    running_shift,
    running_unsigned,
)

__all__ = [
    "_garbage_on_the_gui_thread",
    "aw",
    "gui_config",
    "qloop",
    "running",
    "running_shift",
    "running_unsigned",
]
