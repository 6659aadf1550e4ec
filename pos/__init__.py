"""POS: an offline-capable point of sale for Ukrainian shops, fiscalised through Checkbox PRRO."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

APP_NAME = "POS"
CLIENT_NAME = "POS-Desktop"

if TYPE_CHECKING:
    __version__: str


@functools.cache
def _version() -> str:
    # importlib.metadata reads every installed package's metadata: a tenth of a second that the
    # window's first paint must not wait for, so the version is looked up when first asked for.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pos")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'pos' has no attribute {name!r}")
