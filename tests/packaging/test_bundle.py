"""Slow tier: build the Linux bundle and its .deb with the one script, run the bundle's
--self-test (the script does), unpack the .deb and run the installed copy's self-test too.
Prints the figures: bundle size, installed size, start time to the sign-in screen."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "linux" / "build-deb.sh"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="the .deb is built on Linux"),
    pytest.mark.skipif(
        shutil.which("dpkg-deb") is None or shutil.which("objdump") is None,
        reason="needs dpkg-deb and binutils (objdump, for PyInstaller)",
    ),
]


def _real_clock_env(**extra: str) -> dict[str, str]:
    """The build and the frozen bundle run on the real clock: the suite's time travel
    (tests/clock_travel) is for Python processes of the suite, not for what it packages."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "POS_TEST_CLOCK_OFFSET")}
    return {**env, **extra}


@pytest.mark.timeout(2400)
def test_linux_bundle_and_deb_build_and_pass_the_self_test(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    env = _real_clock_env(PYTHON=sys.executable)
    built = subprocess.run(
        ["bash", str(SCRIPT), str(out)], env=env, capture_output=True, text=True, timeout=2300
    )
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    figures = json.loads((out / "build-figures.json").read_text(encoding="utf-8"))
    assert figures["self_test"]["ok"] is True
    assert figures["self_test"]["qr"] is True
    deb = Path(figures["deb"])
    assert deb.exists()

    control = subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Package", "Version", "Depends", "Installed-Size"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Package: pos" in control
    for package in ("libxcb-cursor0", "libusb-1.0-0", "fonts-dejavu-core"):
        assert package in control
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    for path in (
        "./usr/share/applications/pos.desktop",
        "./usr/share/icons/hicolor/256x256/apps/pos.png",
        "./opt/pos/pos",
        "./usr/bin/pos",
        "translations/pos_uk.qm",
        "resources/demo_catalogue.csv",
        "escpos/capabilities.json",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/printsupport",
    ):
        assert path in listing, path

    # The installed layout (unpacked, as dpkg would) starts and sells too.
    root = tmp_path / "installed"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    started = time.monotonic()
    installed = subprocess.run(
        [str(root / "opt" / "pos" / "pos"), "--self-test", str(tmp_path / "installed-test")],
        capture_output=True,
        text=True,
        timeout=300,
        env=_real_clock_env(QT_QPA_PLATFORM="offscreen"),
    )
    wall = time.monotonic() - started
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    result = json.loads(installed.stdout.strip().splitlines()[-1])
    assert result["ok"] is True
    mib = 1024
    print(
        f"\nbundle {figures['bundle_kib'] / mib:.0f} MiB, "
        f"installed {figures['installed_kib'] / mib:.0f} MiB, "
        f".deb {figures['deb_bytes'] / mib / mib:.0f} MiB; "
        f"start to the sign-in screen {result['sign_in_screen_s']} s "
        f"(the build's run: {figures['self_test']['sign_in_screen_s']} s), "
        f"whole self-test {wall:.1f} s; Depends: {figures['depends']}"
    )
