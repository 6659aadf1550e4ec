"""Every client method against the sandbox over real HTTP on 127.0.0.1."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr

from pos.checkbox import CheckboxClient, PasswordSignIn, Session
from pos.checkbox.models import (
    CashWithdrawalReceipt,
    GoOffline,
    Payment,
    SellOfflineReceipt,
    ServiceReceipt,
)

from .conftest import make_client, open_shift, receipt_count, sale


async def test_cashier_and_register_reads(client: CheckboxClient, box: Any) -> None:
    register = box.registers[0]
    assert (await client.me()).id
    info = await client.cash_register_info()
    assert info.id == register.cash_register_id
    assert info.offline_mode is False
    assert register.cash_register_id in [r.id for r in await client.cash_registers()]
    assert (await client.cash_register(register.cash_register_id)).fiscal_number
    assert await client.cashier_shift() is None
    assert (await client.ping_tax_service()).status


async def test_full_shift_day(client: CheckboxClient, box: Any) -> None:
    shift_id = await open_shift(client)
    assert (await client.shift(shift_id)).status == "OPENED"
    current = await client.cashier_shift()
    assert current is not None
    assert current.id == shift_id
    assert shift_id in [s.id for s in await client.shifts()]

    cash_in = await client.service(
        ServiceReceipt(id=str(uuid.uuid4()), payment=Payment(type="CASH", value=50000))
    )
    assert (await client.wait_receipt(cash_in.id, give_up_after=10)).status == "DONE"

    body = sale()
    created = await client.sell(body)
    assert created.id == body.id
    done = await client.wait_receipt(body.id, give_up_after=10)
    assert done.status == "DONE"
    assert done.fiscal_code
    assert (await client.receipt(body.id)).total_sum == 10000

    assert "Хліб" in await client.receipt_text(body.id)
    assert "<" in await client.receipt_html(body.id)
    assert (await client.receipt_png(body.id)).startswith(b"\x89PNG")
    assert (await client.receipt_qrcode(body.id)).startswith(b"\x89PNG")

    withdrawal = await client.cash_withdrawal(
        CashWithdrawalReceipt(
            id=str(uuid.uuid4()),
            payment=Payment(
                type="CASHLESS",
                value=20000,
                label="Картка",
                card_mask="XXXX1234",
                auth_code="078111",
                rrn="305817547111",
                terminal="S1LF0EUR",
            ),
        )
    )
    await client.wait_receipt(withdrawal.id, give_up_after=10)

    report = await client.x_report()
    assert report.is_z_report is False
    assert report.sell_receipts_count == 1
    assert await client.report_text(report.id) != ""
    assert (await client.report_png(report.id)).startswith(b"\x89PNG")

    closing = await client.close_shift(shift_id)
    assert closing.status in ("CLOSING", "CLOSED")
    closed = await client.wait_shift(shift_id, frozenset({"CLOSED"}), give_up_after=10)
    assert closed.z_report is not None
    now = datetime.now(UTC)
    text = await client.periodical_report(now - timedelta(days=1), now + timedelta(days=1))
    assert isinstance(text, str)
    assert receipt_count(box) == 3


async def test_offline_codes_and_manual_offline_sale(client: CheckboxClient, box: Any) -> None:
    await open_shift(client)
    asked = await client.ask_offline_codes(10, sync=True)
    assert asked.status in ("DONE", "OK")
    codes = await client.get_offline_codes(5)
    assert len(codes) == 5
    start = datetime.now(UTC)
    went = await client.go_offline(
        GoOffline(go_offline_date=start, fiscal_code=codes[0].fiscal_code)
    )
    assert went.status.lower() == "ok"
    register = await client.cash_register_info()
    assert register.offline_mode is True
    body = sale()
    offline = SellOfflineReceipt(
        **body.model_dump(exclude_none=True),
        fiscal_code=codes[1].fiscal_code,
        fiscal_date=start + timedelta(seconds=5),
    )
    receipt = await client.sell_offline(offline)
    assert receipt.id == body.id
    assert (await client.go_online()).status.lower() == "ok"


async def test_sign_in_by_login_and_sign_out(box: Any) -> None:
    register = box.registers[0]
    session = Session(
        PasswordSignIn(
            login=register.cashier_login,
            password=SecretStr(register.cashier_password),
            license_key=SecretStr(register.license_key),
        )
    )
    async with CheckboxClient(box.base_url, session) as client:
        token = await client.sign_in()
        assert token.access_token.get_secret_value() not in repr(token)
        await client.me()
        await client.sign_out()
        assert client.session.token is None


async def test_revoked_token_is_replaced_transparently(client: CheckboxClient, box: Any) -> None:
    old = client.session.token
    assert old is not None
    # Sign the token out behind the client's back: the server now rejects it.
    async with make_client(box) as other:
        other.session.set_token(old)
        await other.sign_out()
    assert (await client.me()).id
    assert client.session.token != old


def test_sandbox_is_only_on_loopback(box: Any) -> None:
    assert box.base_url.startswith("http://127.0.0.1:")
