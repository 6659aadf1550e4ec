"""Settings of one installation: where data lives, which Checkbox and register, the thresholds.

Plain settings go to ``settings.json`` in the platformdirs config directory; secrets (license key,
the cashier token, the manager PIN's hash) go to ``secrets.json`` beside it, readable by the
owner only, and are never logged or shown (``SecretStr``). No settings at all means training mode.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field, fields
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from pos.register.pin_digest import make_digest, matches
from pos.secret_store import SecretStore

if TYPE_CHECKING:  # imported where used: this module is read before the window's first paint
    from pydantic import SecretStr

    from pos.register.limits import Thresholds

APP = "pos"
DEFAULT_MANAGER_PIN = "0000"  # training mode; the manager must change it before going live


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP, appauthor=False))


@dataclass
class ThresholdSettings:
    """The limits' warning thresholds in hours/minutes/codes as the manager edits them."""

    offline_warning_hours: float = 4.0
    month_warning_hours: float = 12.0
    shift_warning_minutes: float = 60.0
    codes_warning: int = 20
    codes_low_water: int = 100

    def to_thresholds(self) -> Thresholds:
        from pos.register.limits import Thresholds

        return Thresholds(
            offline_warning=timedelta(hours=self.offline_warning_hours),
            month_warning=timedelta(hours=self.month_warning_hours),
            shift_warning=timedelta(minutes=self.shift_warning_minutes),
            codes_warning=self.codes_warning,
            codes_low_water=self.codes_low_water,
        )


@dataclass
class AppConfig:
    training: bool = True
    api_url: str = ""
    license_key: SecretStr | None = field(default=None, repr=False)
    language: str = "uk"
    printer: str = ""  # system printer name; "" = ask / PDF
    paper_width_mm: int = 80  # receipt printer roll: 80 or 58 mm
    sign_in_method: str = "pin"  # "pin" or "login" (login and password)
    shop_name: str = ""
    shop_address: str = ""
    # The ESC/POS receipt printer (pos.printing.escpos_output); "" = none, use `printer` above.
    receipt_printer: str = ""  # "usb", "serial", "network" or "file"
    receipt_printer_address: str = ""  # "04b8:0202", "COM3", "192.168.1.50:9100", "/dev/usb/lp0"
    printer_profile: str = "default"  # python-escpos printer profile (its code pages, cutter)
    printer_code_page: str = "auto"  # "auto", "CP1125", "CP1251" or "CP866"
    auto_print: bool = True  # print each sale's receipt at once, without the receipt dialog
    cash_drawer: bool = True  # kick the drawer (on the printer's port) on cash payments
    # The shop's back-office database (postgresql://…; may hold its password: kept as a secret).
    backoffice_url: SecretStr | None = field(default=None, repr=False)
    thresholds: ThresholdSettings = field(default_factory=ThresholdSettings)
    manager_pin_hash: str = field(default="", repr=False)
    data: Path = field(default_factory=data_dir)
    problems: list[str] = field(default_factory=list, repr=False)  # bad values found at load

    def check_manager_pin(self, pin: str) -> bool:
        if not self.manager_pin_hash:  # "0000" opens training mode only, never real work
            return self.training and pin == DEFAULT_MANAGER_PIN
        return matches(self.manager_pin_hash, pin)

    def set_manager_pin(self, pin: str) -> None:
        self.manager_pin_hash = make_digest(pin)


_PLAIN = (
    "training",
    "api_url",
    "language",
    "printer",
    "paper_width_mm",
    "sign_in_method",
    "shop_name",
    "shop_address",
    "receipt_printer",
    "receipt_printer_address",
    "printer_profile",
    "printer_code_page",
    "auto_print",
    "cash_drawer",
)


def saved_language(directory: Path | None = None) -> str:
    """The language of the settings, read alone (no pydantic, no keyring): the window's first
    paint needs only it; ``load`` reads and checks the rest behind that paint."""
    language = _read((directory or config_dir()) / "settings.json").get("language")
    return language if language in ("uk", "en") else "uk"


def load(directory: Path | None = None) -> AppConfig:
    """Read the settings (missing or broken files give training-mode defaults). Bad values are
    named in ``config.problems`` and replaced by their defaults."""
    from pydantic import SecretStr

    from pos.settings_file import PlainSettings, ThresholdFile, validated

    base = directory or config_dir()
    plain = _read(base / "settings.json")
    secret = _read(base / "secrets.json")
    config = AppConfig()
    where = str(base / "settings.json")
    typed = validated(PlainSettings, plain, where, config.problems)
    for name in _PLAIN:
        if name in PlainSettings.model_fields:
            setattr(config, name, getattr(typed, name))
        elif name in plain:  # a field added elsewhere without a type here yet
            with contextlib.suppress(TypeError, ValueError):
                setattr(config, name, type(getattr(config, name))(plain[name]))
    if isinstance(plain.get("thresholds"), dict):
        limits = validated(ThresholdFile, plain["thresholds"], where, config.problems)
        known = {f.name for f in fields(ThresholdSettings)}
        config.thresholds = ThresholdSettings(
            **{k: v for k, v in limits.model_dump().items() if k in known}
        )
    elif "thresholds" in plain:
        config.problems.append(f"{where}: thresholds is not an object; using the defaults")
    if typed.data:
        config.data = Path(typed.data)
    store = SecretStore(base)
    key = store.get("license_key")
    if not key and secret.get("license_key"):  # an older version kept it in secrets.json
        key = str(secret["license_key"])
        store.set("license_key", key)
        secret.pop("license_key")
        _write(base / "secrets.json", secret, private=True)
    if key:
        config.license_key = SecretStr(key)
    if secret.get("backoffice_url"):
        config.backoffice_url = SecretStr(str(secret["backoffice_url"]))
    config.manager_pin_hash = str(secret.get("manager_pin_hash", ""))
    return config


def save(config: AppConfig, directory: Path | None = None) -> None:
    base = directory or config_dir()
    base.mkdir(parents=True, exist_ok=True)
    plain: dict[str, Any] = {name: getattr(config, name) for name in _PLAIN}
    plain["thresholds"] = asdict(config.thresholds)
    plain["data"] = str(config.data)
    _write(base / "settings.json", plain, private=False)
    if config.license_key is not None:
        SecretStore(base).set("license_key", config.license_key.get_secret_value())
    secret = {  # the manager PIN as a slow salted digest; the license key is in the keyring
        "manager_pin_hash": config.manager_pin_hash,
        "backoffice_url": config.backoffice_url.get_secret_value() if config.backoffice_url else "",
    }
    _write(base / "secrets.json", secret, private=True)


def _read(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _write(path: Path, value: dict[str, Any], *, private: bool) -> None:
    tmp = path.with_suffix(".tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fd = os.open(tmp, flags, 0o600 if private else 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(value, handle, ensure_ascii=False, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    if private:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)


def read_private(path: Path) -> dict[str, Any]:
    """A secrets file (credentials of a headless register); {} when missing or broken."""
    return _read(path)


def write_private(path: Path, value: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, value, private=True)


class FileTokenStore:
    """The cashier's token in a private file, so headless commands need not sign in each time."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def __repr__(self) -> str:
        return "FileTokenStore(…)"

    def load(self, key: str) -> str | None:
        value = _read(self._path).get(key)
        return str(value) if value else None

    def save(self, key: str, token: str) -> None:
        tokens = _read(self._path)
        tokens[key] = token
        self._path.parent.mkdir(parents=True, exist_ok=True)
        _write(self._path, tokens, private=True)

    def forget(self, key: str) -> None:
        tokens = _read(self._path)
        if tokens.pop(key, None) is not None:
            _write(self._path, tokens, private=True)
