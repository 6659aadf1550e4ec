"""The error mapping over real HTTP: what the sandbox answers arrives as the right exception."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from pos.checkbox import CheckboxClient, PasswordSignIn, PinSignIn, Session
from pos.checkbox import errors as e
from pos.checkbox.models import GoOffline, SellOfflineReceipt

from .conftest import open_shift, receipt_count, sale


async def test_wrong_pin_login_and_license(box: Any) -> None:
    register = box.registers[0]
    wrong_pin = Session(
        PinSignIn(license_key=SecretStr(register.license_key), pin_code=SecretStr("0000000"))
    )
    async with CheckboxClient(box.base_url, wrong_pin) as client:
        with pytest.raises(e.InvalidPin):
            await client.sign_in()
    wrong_password = Session(PasswordSignIn(login=register.cashier_login, password=SecretStr("x")))
    async with CheckboxClient(box.base_url, wrong_password) as client:
        with pytest.raises(e.InvalidCredentials):
            await client.sign_in()
    wrong_license = Session(
        PinSignIn(license_key=SecretStr("no-such-key"), pin_code=SecretStr(register.cashier_pin))
    )
    async with CheckboxClient(box.base_url, wrong_license) as client:
        with pytest.raises(e.InvalidLicenseKey):
            await client.sign_in()


async def test_not_signed_in(box: Any) -> None:
    async with CheckboxClient(box.base_url, Session()) as client:
        with pytest.raises(e.AuthError):
            await client.me()


async def test_shift_rules(client: CheckboxClient, box: Any) -> None:
    with pytest.raises(e.ShiftNotOpen):
        await client.sell(sale())
    await open_shift(client)
    with pytest.raises(e.CashierAlreadyWorking):
        await client.call("POST", "/shifts", json={"id": str(uuid.uuid4())})


async def test_receipt_rules(client: CheckboxClient, box: Any) -> None:
    await open_shift(client)
    with pytest.raises(e.PaymentsLessThanTotal) as less:
        await client.sell(sale(price=10000, paid=5000))
    assert less.value.message == "Сума платежів не може бути меншою ніж сума чеку"
    with pytest.raises(e.ChangeOnCashless):
        await client.sell(sale(price=10000, paid=15000, kind="CASHLESS"))
    with pytest.raises(e.ReceiptNotFound):
        await client.receipt(str(uuid.uuid4()))
    with pytest.raises(e.ValidationFailed) as invalid:
        await client.call("POST", "/receipts/sell", json={"id": str(uuid.uuid4())})
    assert invalid.value.details
    assert receipt_count(box) == 0


async def test_offline_rules(client: CheckboxClient, box: Any) -> None:
    await open_shift(client)
    body = sale()
    offline = SellOfflineReceipt(
        **body.model_dump(exclude_none=True), fiscal_code="X", fiscal_date=datetime.now(UTC)
    )
    with pytest.raises(e.NotManualOffline):
        await client.sell_offline(offline)
    await client.ask_offline_codes(10)
    codes = await client.get_offline_codes(5)
    start = datetime.now(UTC)
    await client.go_offline(GoOffline(go_offline_date=start, fiscal_code=codes[0].fiscal_code))
    with pytest.raises(e.AlreadyOffline):
        await client.go_offline(GoOffline())
    with pytest.raises(e.CodesOnlyOnline):
        await client.ask_offline_codes(10)
    with pytest.raises(e.OfflineCodeUsed) as used:
        await client.sell_offline(
            offline.model_copy(
                update={
                    "fiscal_code": codes[0].fiscal_code,
                    "fiscal_date": start + timedelta(seconds=1),
                }
            )
        )
    assert used.value.code == codes[0].fiscal_code
    with pytest.raises(e.FiscalDateTooEarly):
        await client.sell_offline(
            offline.model_copy(
                update={
                    "fiscal_code": codes[1].fiscal_code,
                    "fiscal_date": start - timedelta(hours=1),
                }
            )
        )
