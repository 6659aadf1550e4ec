"""POS: an offline-capable point of sale for Ukrainian shops, fiscalised through Checkbox PRRO."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pos")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

APP_NAME = "POS"
CLIENT_NAME = "POS-Desktop"
