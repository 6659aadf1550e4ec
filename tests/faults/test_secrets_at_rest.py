"""Case 11: after a full headless session, no file the program wrote (data, settings, journal,
its WAL, backups, this PC's journal marks) and none of its output holds the license key, the
PIN, the password or the token in plain text; they are in the OS keyring only (here keyrings.alt's
file backend, selected through PYTHON_KEYRING_BACKEND by tests/conftest.py, whose file lives
outside every folder the program writes). The secrets reach the program through the environment
and stdin, never argv, and every file it writes is owner-only.
"""

from __future__ import annotations

import base64
import configparser
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

from pos.sandbox.server import RunningSandbox

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo_catalogue.csv"


def _keyring_secrets() -> list[str]:
    """Every value the test keyring holds (keyrings.alt stores them base64-encoded)."""
    root = Path(os.environ["XDG_DATA_HOME"])
    values: list[str] = []
    for file in root.rglob("*.cfg"):
        parser = configparser.RawConfigParser()
        parser.read(file, encoding="utf-8")
        for section in parser.sections():
            for _, value in parser.items(section):
                values.append(base64.b64decode(value).decode())
    return values


def test_no_secret_in_any_file_or_output_after_a_full_session(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    seeded = sandbox.registers[0]
    data = tmp_path / "kiosk"
    marks = tmp_path / "marks"
    env = {**os.environ, "POS_PIN": seeded.cashier_pin, "POS_STATE_DIR": str(marks)}
    outputs: list[str] = []

    def pos(*args: str, stdin: str | None = None) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "pos", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        outputs.extend((done.stdout, done.stderr))
        assert done.returncode == 0, (args, done.stdout, done.stderr)

    reg = ("register",)
    pos(*reg, "login", "--data", str(data), "--api", sandbox.base_url, "--license-key", "-",
        stdin=seeded.license_key + "\n")  # fmt: skip
    pos("catalogue", "import", str(DEMO), "--data", str(data))
    pos(*reg, "open-shift", "--data", str(data), "--float", "100")
    pos(*reg, "sell", "--data", str(data), "--item", "1001", "--pay", "cash", "--json")
    pos(*reg, "x-report", "--data", str(data))
    pos(*reg, "sync", "--data", str(data))
    pos(*reg, "close-shift", "--data", str(data))
    pos(*reg, "status", "--data", str(data), "--json")
    assert "secrets: OS keyring" in outputs[0]

    held = _keyring_secrets()
    assert seeded.license_key in held
    assert seeded.cashier_pin in held
    tokens = [v for v in held if len(v) > 40 and v != seeded.license_key]
    assert tokens, "the token is kept in the keyring"
    plain = [seeded.license_key, seeded.cashier_password, *tokens]
    pin = re.compile(rf"(?<![0-9A-Za-z]){re.escape(seeded.cashier_pin)}(?![0-9A-Za-z])")
    written = [p for p in [*data.rglob("*"), *marks.rglob("*")] if p.is_file()]
    assert any(p.name.endswith(".sqlite") for p in written)
    assert any("backups" in p.parts for p in written)
    for path in written:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for secret in plain:
            assert secret not in text, (path, "holds a secret")
        assert not pin.search(text), (path, "holds the PIN")
        private = path.suffix in (".sqlite", ".json", ".lock", ".owner") or "backups" in path.parts
        if private and path.name != "settings.json":  # plain settings may stay 0644
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    for text in outputs:
        for secret in plain:
            assert secret not in text
        assert not pin.search(text)
