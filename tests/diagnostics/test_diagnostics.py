"""Logs without secrets, and a diagnostics zip with what support needs and nothing private,
after a real session (a register on the sandbox: license key, PINs, a customer's e-mail)."""

from __future__ import annotations

import json
import logging
import logging.handlers
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import SecretStr

from pos import cli, log_files
from pos.app import open_register
from pos.config import AppConfig
from pos.diagnostics import export, scrub
from pos.domain.receipt import PaymentType
from pos.register.cart import Cart, Tender
from pos.sandbox.server import RunningSandbox

EMAIL = "olena.customer@example.com"
PHONE = "+380 67 123 45 67"


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    log_files.shutdown()
    directory = tmp_path / "logs"
    assert log_files.setup(directory) == directory / "pos.log"
    try:
        yield directory
    finally:
        log_files.shutdown()


def test_logs_rotate_in_the_log_folder_without_secrets(log_dir: Path) -> None:
    key = "test3a544a54373a9cb3f2799999"
    log_files.hide(key)
    log = logging.getLogger("pos.test")
    log.info("signing in with license %s", key)
    log.warning("request failed: Authorization: Bearer eyJhbGciOi.secret.token")
    log.warning('answer {"access_token": "tok-123456", "password": "hunter22"} pin=4321')
    log.error("back office postgresql://shop:pg-Secret-77@db.local/shop unreachable")
    try:
        raise RuntimeError(f"X-License-Key {key} refused")
    except RuntimeError:
        log.exception("failed")
    text = (log_dir / "pos.log").read_text(encoding="utf-8")
    for secret in (key, "eyJhbGciOi", "tok-123456", "hunter22", "4321", "pg-Secret-77"):
        assert secret not in text
    assert "signing in with license ***" in text
    assert "postgresql://shop:***@db.local/shop" in text
    assert "Traceback" in text
    assert logging.getLogger("httpx").level == logging.WARNING
    assert logging.getLogger("httpcore").level == logging.WARNING
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler)
    )
    assert handler.maxBytes == log_files.MAX_BYTES


def test_a_library_basic_config_handler_is_tamed(tmp_path: Path) -> None:
    log_files.shutdown()
    root = logging.getLogger()
    plain = logging.StreamHandler()
    root.addHandler(plain)  # what python-escpos's logging.basicConfig() leaves
    try:
        log_files.setup(tmp_path / "logs")
        assert plain.level == logging.WARNING
        assert any(isinstance(f, log_files.SecretFilter) for f in plain.filters)
    finally:
        root.removeHandler(plain)
        log_files.shutdown()


def test_scrub_keeps_times_sums_and_fiscal_codes() -> None:
    line = "2026-12-01 19:18:50,123 INFO pos: receipt TEST-e11111 4000012345 sum 1234567.89"
    assert scrub(line) == line
    assert scrub(f"to {EMAIL} and {PHONE}, (067) 123-45-67") == "to <e-mail> and <phone>, <phone>"


async def test_diagnostics_zip_after_a_session(
    sandbox: RunningSandbox, tmp_path: Path, log_dir: Path
) -> None:
    seeded = sandbox.registers[0]
    config = replace(
        AppConfig(),
        training=False,
        api_url=sandbox.base_url,
        license_key=SecretStr(seeded.license_key),
        data=tmp_path / "data",
        receipt_printer="network",
        receipt_printer_address="192.168.1.50:9100",
    )
    config.set_manager_pin("2468")
    async with open_register(config, worker=False, token_dir=tmp_path / "tokens") as running:
        await running.service.sign_in(pin=seeded.cashier_pin)
        await running.service.open_shift()
        from datetime import UTC, datetime

        from pos.journal.records import CatalogueItem

        running.journal.catalogue.upsert(
            [CatalogueItem("1", "Хліб", 3490, (8,))], datetime.now(UTC)
        )
        item = running.service.item("1")
        assert item is not None
        cart = Cart()
        cart.add(item)
        receipt = await running.service.sell(cart, [Tender(PaymentType.CASH, 5000)], email=EMAIL)
        assert receipt.fiscal_code
        # What a careless log line might carry: the program must still not export it.
        logging.getLogger("pos.test").error(
            "customer %s (%s) complained, key %s", EMAIL, PHONE, seeded.license_key
        )
        session_token = running.client.session.token  # kept in the keyring, not a file
        assert session_token is not None
        token = session_token.get_secret_value()
    target = export(
        tmp_path / "out" / "diag.zip", config.data, config=config, log_directory=log_dir
    )

    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        assert {"summary.json", "last-errors.txt", "logs/pos.log"} <= names
        texts = {name: archive.read(name).decode("utf-8") for name in names}
    everything = "\n".join(texts.values())
    summary = json.loads(texts["summary.json"])
    assert summary["versions"]["pos"]
    assert summary["versions"]["qt"]
    assert summary["versions"]["python"]
    (journal,) = summary["journals"]
    assert journal["schema_version"] >= 1
    assert journal["quick_check"] == ["ok"]
    assert journal["rows"]["receipt"] == 1
    assert ["SELL", "done", 0, 1] in journal["register"]["receipts_by_state"]
    assert journal["register"]["last_shift"][0][1] == "opened"
    assert summary["settings"]["receipt_printer"] == "network"
    assert summary["settings"]["license_key"] in {"<set>", "***"}
    assert "complained" in texts["last-errors.txt"]
    secrets = [seeded.license_key, seeded.cashier_pin, "2468", config.manager_pin_hash]
    secrets.append(token)
    for private in [*secrets, EMAIL, PHONE, "123 45 67"]:
        assert private not in everything, private


def test_pos_diagnostics_command_writes_the_zip(
    tmp_path: Path, log_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logging.getLogger("pos.test").warning("something odd")
    target = tmp_path / "d.zip"
    assert cli.main(["diagnostics", "--output", str(target), "--data", str(tmp_path)]) == 0
    assert str(target) in capsys.readouterr().out
    with zipfile.ZipFile(target) as archive:
        assert "summary.json" in archive.namelist()
