"""Cash-register routes: list, info, one register, ping, offline codes, go-offline/online."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from pos.sandbox.auth import CashierDep, RegisterDep, WorldDep
from pos.sandbox.clock import iso
from pos.sandbox.control import limits_of
from pos.sandbox.errors import (
    ALREADY_OFFLINE,
    CODES_ONLY_ONLINE,
    TAX_SERVICE_TIMEOUT,
    ApiError,
    bad_request,
)
from pos.sandbox.offline import (
    MAX_CODES,
    ask_codes,
    check_offline_moment,
    offline_moment,
    pick_code,
)
from pos.sandbox.render import register_view

router = APIRouter(tags=["cash registers"])
MAX_PING_WAIT = 5.0


class GoOfflineBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    go_offline_date: str | None = Field(default=None, max_length=64)
    fiscal_code: str | None = Field(default=None, max_length=256)


@router.get("/cash-registers")
async def list_registers(
    world: WorldDep,
    _cashier: CashierDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 25,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    registers = world.all("register")[offset : offset + limit]
    return [register_view(world, r) for r in registers]


@router.get("/cash-registers/info")
async def register_info(world: WorldDep, register: RegisterDep) -> dict[str, Any]:
    return register_view(world, register)


@router.post("/cash-registers/ping-tax-service")
async def ping(world: WorldDep, register: RegisterDep, _cashier: CashierDep) -> dict[str, Any]:
    if world.tax.latency_ms:
        await asyncio.sleep(min(world.tax.latency_ms / 1000, MAX_PING_WAIT))
    if not world.tax.up:
        raise bad_request(TAX_SERVICE_TIMEOUT)
    if register["offline_mode"] and not register["stay_offline"]:
        when = world.faults.go_online_at(register["id"], world.now())
        if when is not None and when <= world.now():
            world.go_online(register)
        elif when is not None and not register["go_online_requested_at"]:
            register["go_online_requested_at"] = iso(when)
            world.save("register", register)
    return {"status": "DONE", "error": None}


@router.get("/cash-registers/ask-offline-codes")
async def ask_offline_codes(
    world: WorldDep,
    register: RegisterDep,
    _cashier: CashierDep,
    count: Annotated[int, Query(ge=1, le=MAX_CODES)] = 2000,
    sync: bool = False,
) -> dict[str, Any]:
    if register["offline_mode"]:
        raise bad_request(CODES_ONLY_ONLINE)
    if not world.tax.up:
        return {"status": "TIMEOUT" if sync else "OK", "error": None}
    blocked = ask_codes(world, register, count)
    if blocked:
        return {"status": "ERROR", "error": blocked}
    return {"status": "DONE" if sync else "OK", "error": None}


@router.get("/cash-registers/get-offline-codes")
async def get_offline_codes(
    world: WorldDep,
    register: RegisterDep,
    _cashier: CashierDep,
    count: Annotated[int, Query(ge=1, le=MAX_CODES)] = 100,
) -> list[dict[str, Any]]:
    return [
        {k: c[k] for k in ("fiscal_code", "serial_id", "cash_register_id", "created_at")}
        for c in world.free_codes(register["id"])[:count]
    ]


@router.post("/cash-registers/go-online")
async def go_online(
    request: Request, world: WorldDep, register: RegisterDep, _cashier: CashierDep
) -> dict[str, Any]:
    limits_of(request).go_online(register["id"], world.now())
    if register["offline_mode"]:
        when = world.faults.go_online_at(register["id"], world.now())
        if when is not None:  # else: this call was not enough, the register stays offline
            register["go_online_requested_at"] = iso(when)
            world.save("register", register)
        world.settle()
    return {"status": "ok"}


@router.post("/cash-registers/go-offline")
async def go_offline(
    world: WorldDep,
    register: RegisterDep,
    _cashier: CashierDep,
    body: Annotated[GoOfflineBody | None, Body()] = None,
) -> dict[str, Any]:
    body = body or GoOfflineBody()
    if register["offline_mode"]:  # either mode: the seed's error table
        raise bad_request(ALREADY_OFFLINE)
    moment = offline_moment(body.go_offline_date, world)
    code = pick_code(world, register, body.fiscal_code)
    check_offline_moment(world, register, moment, code, period_start=moment)
    tx = world.enter_offline(register, moment, manual=True, code=code)
    if tx is None:  # pragma: no cover - a code was picked above
        raise ApiError(500, "offline transition failed")
    return {"status": "ok", "id": tx["id"]}


@router.get("/cash-registers/{register_id}")
async def get_register(world: WorldDep, _cashier: CashierDep, register_id: str) -> dict[str, Any]:
    register = world.get("register", register_id)
    if register is None:
        raise ApiError(404, "Касу не знайдено")
    return register_view(world, register)
