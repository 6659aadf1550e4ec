"""``pos register login … --backoffice URL``: the URL is kept with the secrets (never in the
plain settings), and each later ``pos register`` command pushes what it committed."""

from __future__ import annotations

from pathlib import Path

import pytest
from headless.test_register_commands import import_demo, pos
from sqlalchemy import Engine, func, select

from pos.backoffice import schema
from pos.sandbox.server import RunningSandbox


@pytest.mark.slow  # five `pos register` processes: the slow tier
@pytest.mark.timeout(300)
def test_login_with_a_back_office_pushes_after_each_command(
    sandbox: RunningSandbox, tmp_path: Path, shop_database: Engine, shop_url: str
) -> None:
    sandbox.control("POST", "/sandbox/rate-limits", {"enabled": False})
    data = tmp_path / "kiosk"
    seeded = sandbox.registers[0]
    pos(data, "register", "login", "--api", sandbox.base_url, "--license-key",
        seeded.license_key, "--pin", seeded.cashier_pin, "--backoffice", shop_url)  # fmt: skip
    assert shop_url in (data / "secrets.json").read_text()
    assert shop_url not in (data / "settings.json").read_text()
    import_demo(data)
    opened = pos(data, "register", "open-shift", "--float", "100")
    assert opened["backoffice"]["connected"] is True
    sale = pos(data, "register", "sell", "--item", "1001", "--pay", "card")
    assert sale["backoffice"] == {"connected": True, "pushed": 1, "pending": 0}
    with shop_database.connect() as c:
        copied = c.execute(
            select(schema.receipt.c.fiscal_code).where(schema.receipt.c.id == sale["id"])
        ).scalar_one()
        shifts = c.execute(select(func.count()).select_from(schema.shift)).scalar_one()
    assert copied == sale["fiscal_code"]
    assert shifts == 1
    refused = pos(data, "register", "login", "--api", sandbox.base_url, "--license-key",
                  seeded.license_key, "--pin", seeded.cashier_pin, "--backoffice",
                  "mysql://a@b/c", expect=2)  # fmt: skip
    assert "postgresql" in refused["error"]
