"""The window's look: ``resources/theme.qss`` with sizes fitted to the screen.

Why sizes are computed: a 1024×768 till and a 1920×1080 monitor must both show the cart, the
totals and touch-sized buttons without clipping; the style sheet names sizes as ``$tokens`` and
they are filled in from the primary screen's height once at start-up.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from string import Template

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parents[2] / "resources"  # as pos.app has it: light
THEME = RESOURCES / "theme.qss"
REFERENCE_HEIGHT = 900  # px of screen height the base sizes are designed for
SCALE_VARIABLE = "POS_UI_SCALE"
"""Environment variable overriding the computed scale (e.g. 1.2), for odd screens and
screenshots of a size other than the screen's."""


def scale_for(screen_height: int) -> float:
    """1.0 at 900 px; smaller screens shrink a little, large ones grow (bounded)."""
    return max(0.85, min(1.5, screen_height / REFERENCE_HEIGHT))


def sizes(scale: float) -> dict[str, str]:
    base = {
        "small": 13,
        "base": 15,
        "big": 20,
        "huge": 34,
        "button_h": 34,
        "input_h": 30,
        "action_h": 50,
        "pad_h": 52,
    }
    return {name: f"{round(value * scale)}px" for name, value in base.items()}


def style_sheet(scale: float = 1.0, path: Path = THEME) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        log.warning("theme %s missing; using Qt's default look", path)
        return ""
    return Template(text).safe_substitute(sizes(scale))


def apply(app: QApplication, scale: float | None = None) -> float:
    """Style the whole application; returns the scale used."""
    if scale is None and os.environ.get(SCALE_VARIABLE):
        try:
            scale = max(0.5, min(3.0, float(os.environ[SCALE_VARIABLE])))
        except ValueError:
            log.warning("%s=%r is not a number", SCALE_VARIABLE, os.environ[SCALE_VARIABLE])
    if scale is None:
        screen = QGuiApplication.primaryScreen()
        scale = scale_for(screen.availableGeometry().height()) if screen else 1.0
    app.setStyle("Fusion")
    app.setStyleSheet(style_sheet(scale))
    return scale
