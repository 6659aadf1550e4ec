"""Cases 7 and 10 (and the argv half of 11): what a kiosk script does wrong or twice.

An empty or ambiguous ``--receipt`` is refused instead of refunding against the newest sale; a
``sell --id UUID`` retried after a kill fiscalises once and prints the first result; ``pos register
receipt ID`` tells what became of it; the PIN and license key can come from the environment or
stdin instead of argv. Checked against the sandbox's own receipts.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from test_register_commands import import_demo, pos

from pos.sandbox.server import RunningSandbox


def _world_receipts(sandbox: RunningSandbox) -> dict[str, Any]:
    sandbox.control("GET", "/sandbox/state")
    receipts: dict[str, Any] = sandbox._app.state.world.records["receipt"]
    return receipts


def _login_without_argv_secrets(sandbox: RunningSandbox, data: Path) -> dict[str, Any]:
    seeded = sandbox.registers[0]
    env = {**os.environ, "POS_PIN": seeded.cashier_pin}
    done = subprocess.run(
        [sys.executable, "-m", "pos", "register", "login", "--data", str(data), "--json",
         "--api", sandbox.base_url, "--license-key", "-"],
        input=seeded.license_key + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )  # fmt: skip
    assert done.returncode == 0, (done.stdout, done.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_kiosk_retries_refusals_and_secrets_off_the_command_line(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    data = tmp_path / "kiosk"
    assert _login_without_argv_secrets(sandbox, data)["cashier"]
    import_demo(data)
    pos(data, "register", "open-shift")

    # Case 10: the same id twice fiscalises once and prints the first result.
    key = str(uuid.uuid4())
    first = pos(data, "register", "sell", "--id", key, "--item", "1001", "--pay", "card")
    again = pos(data, "register", "sell", "--id", key, "--item", "1002:3", "--pay", "cash")
    assert again == first
    assert first["id"] == key
    asked = pos(data, "register", "receipt", key[:8])
    assert (asked["id"], asked["state"], asked["fiscal_code"]) == (
        key,
        "done",
        first["fiscal_code"],
    )
    assert [r for r in _world_receipts(sandbox) if r == key] == [key]

    # Killed while selling, then retried with the same id: still one receipt on Checkbox.
    key2 = str(uuid.uuid4())
    cmd = [sys.executable, "-m", "pos", "register", "sell", "--data", str(data), "--json"]
    killed = subprocess.Popen(
        [*cmd, "--id", key2, "--item", "1001", "--pay", "card"], stdout=subprocess.DEVNULL
    )
    time.sleep(1.5)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    retried = pos(data, "register", "sell", "--id", key2, "--item", "1001", "--pay", "card")
    assert retried["id"] == key2
    assert retried["state"] == "done"
    assert list(_world_receipts(sandbox)).count(key2) == 1
    bad = pos(data, "register", "sell", "--id", "not-a-uuid", "--item", "1001", "--pay", "card",
              expect=2)  # fmt: skip
    assert "UUID" in bad["error"]

    # Case 7: an empty or ambiguous --receipt is refused, nothing is refunded.
    before = len(_world_receipts(sandbox))
    empty = pos(data, "register", "return", "--receipt", "", "--item", "1001", expect=2)
    assert "--receipt" in empty["error"]
    ids = [first["id"], retried["id"]]
    common = ""
    for a, b in zip(*ids, strict=False):
        if a != b:
            break
        common += a
    if len(common) >= 4:  # an ambiguous start (rare with random ids: then test the refusal)
        vague = pos(data, "register", "return", "--receipt", common, "--item", "1001", expect=2)
        assert "matches" in vague["error"]
    short = pos(data, "register", "receipt", "", expect=2)
    assert short["ok"] is False
    assert len(_world_receipts(sandbox)) == before
    # A full id still works.
    returned = pos(data, "register", "return", "--receipt", first["id"], "--item", "1001")
    assert returned["type"] == "RETURN"
