"""Shift routes: open (online or offline), list, one shift, close with the Z-report.

Opening answers 202 with the shift `CREATED`; it becomes `OPENED` when its transaction is
delivered (or at once when opened in manual offline mode with the client's code and date).
Closing answers 202 with `CLOSING` and the Z-report; `CLOSED` follows delivery. An offline close
takes the client's `report` as the Z-report, as the real service does without checking it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, ConfigDict, Field

from pos.sandbox.auth import CashierDep, RegisterDep, WorldDep
from pos.sandbox.clock import KYIV, iso, parse_datetime
from pos.sandbox.errors import (
    CASHIER_ALREADY_HERE,
    CASHIER_ELSEWHERE,
    FIRST_SHIFT_ONLINE,
    REGISTER_BUSY,
    SHIFT_NOT_OPENED,
    SHIFT_OPENING,
    UNFINISHED_TRANSACTIONS,
    ApiError,
    bad_request,
)
from pos.sandbox.offline import (
    check_offline_moment,
    offline_moment,
    pick_code,
    require_manual_offline,
)
from pos.sandbox.render import report_body, shift_totals, shift_view
from pos.sandbox.storage import Record
from pos.sandbox.world import World, new_id

router = APIRouter(tags=["shifts"])


class OpenShiftBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, max_length=64)
    fiscal_code: str | None = Field(default=None, max_length=256)
    fiscal_date: str | None = Field(default=None, max_length=64)


class CloseShiftBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    skip_client_name_check: bool = False
    report: dict[str, Any] | None = None
    fiscal_code: str | None = None
    fiscal_date: str | None = None


SHIFT_LIMIT = timedelta(hours=24)


def shift_expired(shift: Record, moment: datetime) -> bool:
    """The seed: a shift "має бути закрита в той день, коли вона відкрита і не може тривати
    більше 24х годин" — past either, only its Z-report is accepted. The day is Kyiv's."""
    opened = parse_datetime(shift["opened_at"])
    if moment - opened > SHIFT_LIMIT:
        return True
    return moment.astimezone(KYIV).date() != opened.astimezone(KYIV).date()


def open_shift_of(world: World, cashier: Record) -> Record:
    """The cashier's shift, which must be OPENED (the seed's texts otherwise)."""
    shift = world.get("shift", cashier["shift_id"]) if cashier["shift_id"] else None
    if shift is None or shift["status"] in ("CLOSING", "CLOSED"):
        raise bad_request(SHIFT_NOT_OPENED)
    if shift["status"] != "OPENED":
        raise bad_request(SHIFT_OPENING)
    return shift


def _offline_details(
    world: World, register: Record, code: str | None, date: str | None
) -> tuple[datetime, str | None]:
    """Moment and code of a transaction: the client's in manual offline mode, else now/None."""
    if code is not None or date is not None:
        require_manual_offline(register)
    if register["offline_mode"] and register["stay_offline"]:
        moment = offline_moment(date, world)
        picked = pick_code(world, register, code)
        check_offline_moment(world, register, moment, picked)
        return moment, picked
    return world.now(), None


@router.post("/shifts", status_code=202)
async def open_shift(
    world: WorldDep,
    register: RegisterDep,
    cashier: CashierDep,
    body: Annotated[OpenShiftBody | None, Body()] = None,
) -> dict[str, Any]:
    body = body or OpenShiftBody()
    mine = world.get("shift", cashier["shift_id"]) if cashier["shift_id"] else None
    if mine is not None:
        same = mine["register_id"] == register["id"]
        raise bad_request(CASHIER_ALREADY_HERE if same else CASHIER_ELSEWHERE)
    if register["shift_id"]:
        raise bad_request(REGISTER_BUSY)
    if register["offline_mode"] and not register["had_shift"]:
        raise bad_request(FIRST_SHIFT_ONLINE)
    shift_id = body.id or new_id()
    if world.get("shift", shift_id) is not None:
        raise bad_request("Зміна з вказаним id вже існує")
    moment, code = _offline_details(world, register, body.fiscal_code, body.fiscal_date)
    previous = [
        s
        for s in world.all("shift")
        if s["register_id"] == register["id"] and s["final_balance"] is not None
    ]  # a shift whose open failed never had a balance: the carried one is the last Z's
    initial = previous[-1]["final_balance"] if previous else 0
    register["shift_serial"] += 1
    now = iso(world.now())
    shift: Record = {
        "id": shift_id,
        "serial": register["shift_serial"],
        "status": "CREATED",
        "register_id": register["id"],
        "cashier_id": cashier["id"],
        "opened_at": None,
        "closed_at": None,
        "created_at": iso(moment),
        "updated_at": None,
        "initial_transaction_id": None,
        "closing_transaction_id": None,
        "z_report_id": None,
        "initial_balance": initial,
        "final_balance": None,
        "receipt_ids": [],
        "balance_updated_at": None,
        "received_at": now,
    }
    world.save("shift", shift)
    tx = world.new_transaction(
        register, "SHIFT_OPEN", moment, owner=("shift_open", shift_id), offline_code=code
    )
    shift["initial_transaction_id"] = tx["id"]
    if code is not None:
        shift.update(status="OPENED", opened_at=iso(moment), updated_at=now)
    register.update(shift_id=shift_id, had_shift=True)
    cashier["shift_id"] = shift_id
    world.save("shift", shift)
    world.save("register", register)
    world.save("cashier", cashier)
    return shift_view(world, shift)


@router.get("/shifts")
async def list_shifts(
    world: WorldDep,
    cashier: CashierDep,
    statuses: Annotated[list[str] | None, Query()] = None,
    desc: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 25,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    shifts = [s for s in world.all("shift") if s["cashier_id"] == cashier["id"]]
    if statuses:
        shifts = [s for s in shifts if s["status"] in statuses]
    if desc:
        shifts.reverse()
    return [shift_view(world, s) for s in shifts[offset : offset + limit]]


@router.post("/shifts/close", status_code=202)
async def close_shift(
    world: WorldDep,
    cashier: CashierDep,
    body: Annotated[CloseShiftBody | None, Body()] = None,
) -> dict[str, Any]:
    body = body or CloseShiftBody()
    shift = open_shift_of(world, cashier)
    register = world.records["register"][shift["register_id"]]
    receipts = world.records["receipt"]
    if any(receipts[rid]["status"] == "CREATED" for rid in shift["receipt_ids"]):
        raise bad_request(UNFINISHED_TRANSACTIONS)
    moment, code = _offline_details(world, register, body.fiscal_code, body.fiscal_date)
    report_id = (body.report or {}).get("id") or new_id()
    z = report_body(
        world, shift, report_id=report_id, serial=shift["serial"], is_z=True, created_at=iso(moment)
    )
    if body.report is not None and code is not None:
        z.update({k: v for k, v in body.report.items() if k in z})
    world.save(
        "report",
        {"id": report_id, "body": z, "shift_id": shift["id"], "register_id": register["id"]},
    )
    now = iso(world.now())
    shift.update(
        status="CLOSING",
        z_report_id=report_id,
        updated_at=now,
        final_balance=shift_totals(world, shift).balance,
    )
    tx = world.new_transaction(
        register, "Z_REPORT", moment, owner=("shift_close", shift["id"]), offline_code=code
    )
    shift["closing_transaction_id"] = tx["id"]
    if code is not None:
        shift.update(status="CLOSED", closed_at=iso(moment))
    register["shift_id"] = None
    cashier["shift_id"] = None
    world.save("shift", shift)
    world.save("register", register)
    world.save("cashier", cashier)
    return shift_view(world, shift)


@router.get("/shifts/{shift_id}")
async def get_shift(world: WorldDep, _cashier: CashierDep, shift_id: str) -> dict[str, Any]:
    shift = world.get("shift", shift_id)
    if shift is None:
        raise ApiError(404, "Зміну не знайдено")
    return shift_view(world, shift)
