"""Every JSON response example of the seed parses into the models and serialises back whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel, TypeAdapter

from pos.checkbox import models as m

SEED = Path(__file__).parent.parent / "fixtures" / "seed"

CASES: dict[str, type[BaseModel]] = {
    "cashier_signin_pin_code": m.AccessToken,
    "cashier_signin": m.AccessToken,
    "cash_register": m.CashRegister,
    "ping_tax_service": m.TaxServicePing,
    "ping_tax_service_bad_hash": m.TaxServicePing,
    "ask_offline_codes": m.OfflineCodesAsked,
    "go_online": m.StatusAnswer,
    "go_offline": m.StatusAnswer,
    "shift_open": m.Shift,
    "shift_get": m.Shift,
    "shift_close": m.Shift,
    "receipt_service": m.Receipt,
    "receipt_sell": m.Receipt,
    "receipt_sell_offline": m.Receipt,
    "receipt_cash_withdrawal": m.Receipt,
    "receipt_get": m.Receipt,
    "report_x": m.Report,
}


def test_every_fixture_has_a_model() -> None:
    names = {path.stem for path in SEED.glob("*.json")}
    assert names == {*CASES, "get_offline_codes", "cashier_signout"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_seed_example_round_trips(name: str) -> None:
    raw = json.loads((SEED / f"{name}.json").read_text(encoding="utf-8"))
    parsed = CASES[name].model_validate(raw)
    assert parsed.model_dump(mode="json", exclude_unset=True) == raw


def test_offline_codes_list_round_trips() -> None:
    raw = json.loads((SEED / "get_offline_codes.json").read_text(encoding="utf-8"))
    adapter = TypeAdapter(list[m.OfflineCode])
    codes = adapter.validate_python(raw)
    assert [code.fiscal_code for code in codes] == ["TEST-iA5fmb", "TEST-aQ-V-c", "TEST-WzSbIz"]
    assert adapter.dump_python(codes, mode="json", exclude_unset=True) == raw


def test_signout_answer_is_null() -> None:
    assert json.loads((SEED / "cashier_signout.json").read_text(encoding="utf-8")) is None


def test_unknown_fields_are_kept_and_missing_optional_ones_are_fine() -> None:
    receipt = m.Receipt.model_validate({"id": "r1", "status": "DONE", "brand_new": {"x": 1}})
    assert receipt.model_dump(mode="json", exclude_unset=True)["brand_new"] == {"x": 1}
    assert receipt.fiscal_code is None


def test_datetimes_with_and_without_fraction_are_aware() -> None:
    shift = m.Shift.model_validate(
        {
            "id": "s",
            "status": "OPENED",
            "opened_at": "2023-11-06T14:41:30",
            "created_at": "2023-11-06T14:41:30.5+02:00",
        }
    )
    assert shift.opened_at is not None
    assert shift.opened_at.tzinfo is not None
    assert shift.created_at is not None
    assert shift.created_at.utcoffset() is not None


def test_token_never_in_repr() -> None:
    raw = json.loads((SEED / "cashier_signin.json").read_text(encoding="utf-8"))
    token = m.AccessToken.model_validate(raw)
    assert raw["access_token"] not in repr(token)
    assert raw["access_token"] not in str(token)
    body = m.SignInPinCode(pin_code="2802811111")  # type: ignore[arg-type]
    assert "2802811111" not in repr(body)
    assert body.to_api() == {"pin_code": "2802811111"}
