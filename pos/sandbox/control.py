"""Routes only the sandbox has (under `/sandbox/`, never under `/api/`): the test harness's levers.

Reset to the seeded state, switch the simulated tax service, move the clock, switch rate limits,
tune signing delay and the "receipt is being created" window, add registers, read the state.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from pos.sandbox.auth import world_of
from pos.sandbox.errors import ApiError
from pos.sandbox.faults import FAULTS, Fault
from pos.sandbox.ratelimits import RateLimits
from pos.sandbox.seeding import DEFAULT_PAIRS, seed, seeded
from pos.sandbox.world import TaxService, World

router = APIRouter(prefix="/sandbox", tags=["sandbox control"])


class TaxServiceBody(BaseModel):
    state: Literal["up", "down"] = "up"
    latency_ms: int = Field(default=0, ge=0, le=60_000)


MAX_OFFSET = 10 * 366 * 24 * 3600.0  # ten years either way


class ClockBody(BaseModel):
    offset_seconds: float = Field(ge=-MAX_OFFSET, le=MAX_OFFSET, allow_inf_nan=False)


class FaultBody(BaseModel):
    """One scheduled failure (see `pos.sandbox.faults`)."""

    register_id: str = Field(max_length=64)
    fault: Literal[FAULTS]  # type: ignore[valid-type]
    times: int | None = Field(default=None, ge=1, le=1_000_000)
    reason: str | None = Field(default=None, max_length=1000)
    calls: int = Field(default=3, ge=1, le=100)
    minutes: float = Field(default=2.0, ge=0, le=24 * 60, allow_inf_nan=False)


class ClearFaultsBody(BaseModel):
    register_id: str | None = Field(default=None, max_length=64)


class RateLimitsBody(BaseModel):
    enabled: bool


class ConfigBody(BaseModel):
    signing_delay: float | None = Field(default=None, ge=0, le=60, allow_inf_nan=False)
    creating_window_ms: int | None = Field(default=None, ge=0, le=60_000)
    sms_enabled: bool | None = None
    auto_offline_end: Literal["last", "now"] | None = None


class SeedBody(BaseModel):
    count: int = Field(default=1, ge=1, le=100)


def limits_of(request: Request) -> RateLimits:
    limits = request.app.state.rate_limits
    assert isinstance(limits, RateLimits)
    return limits


def reset_world(world: World, limits: RateLimits, defaults: dict[str, Any]) -> None:
    world.wipe()
    world.tax = TaxService()
    world.config.signing_delay = defaults["signing_delay"]
    world.config.creating_window = defaults["creating_window"]
    world.config.rate_limits = True
    world.config.auto_offline_end = "last"
    limits.enabled = True
    limits.reset()
    if hasattr(world.clock, "offset_seconds"):
        world.clock.offset_seconds = 0.0
    seed(world, DEFAULT_PAIRS)
    world.save_settings()


@router.post("/reset")
async def reset(request: Request) -> dict[str, Any]:
    world = world_of(request)
    reset_world(world, limits_of(request), request.app.state.defaults)
    request.app.state.sms_enabled = False
    return {"status": "ok", "registers": [c.as_json() for c in seeded(world)]}


@router.post("/tax-service")
async def tax_service(body: TaxServiceBody, request: Request) -> dict[str, Any]:
    world = world_of(request)
    world.settle()
    world.tax = TaxService(up=body.state == "up", latency_ms=body.latency_ms)
    world.save_settings()
    world.settle()
    return {"state": body.state, "latency_ms": body.latency_ms}


@router.post("/clock")
async def clock(body: ClockBody, request: Request) -> dict[str, Any]:
    world = world_of(request)
    if not hasattr(world.clock, "offset_seconds"):
        return {"offset_seconds": None, "now": world.now().isoformat()}
    world.clock.offset_seconds = body.offset_seconds
    world.save_settings()
    return {"offset_seconds": body.offset_seconds, "now": world.now().isoformat()}


@router.post("/rate-limits")
async def rate_limits(body: RateLimitsBody, request: Request) -> dict[str, Any]:
    world = world_of(request)
    world.config.rate_limits = body.enabled
    limits = limits_of(request)
    limits.enabled = body.enabled
    limits.reset()
    world.save_settings()
    return {"enabled": body.enabled}


@router.post("/config")
async def config(body: ConfigBody, request: Request) -> dict[str, Any]:
    world = world_of(request)
    if body.signing_delay is not None:
        world.config.signing_delay = body.signing_delay
    if body.creating_window_ms is not None:
        world.config.creating_window = body.creating_window_ms / 1000
    if body.sms_enabled is not None:
        request.app.state.sms_enabled = body.sms_enabled
    if body.auto_offline_end is not None:
        world.config.auto_offline_end = body.auto_offline_end
    return {
        "auto_offline_end": world.config.auto_offline_end,
        "sms_enabled": request.app.state.sms_enabled,
        "signing_delay": world.config.signing_delay,
        "creating_window_ms": round(world.config.creating_window * 1000),
    }


@router.post("/faults")
async def schedule_fault(body: FaultBody, request: Request) -> dict[str, Any]:
    world = world_of(request)
    if world.get("register", body.register_id) is None:
        raise ApiError(404, "Касу не знайдено")
    world.faults.add(
        Fault(
            kind=body.fault,
            register_id=body.register_id,
            times=body.times,
            reason=body.reason,
            calls=body.calls,
            minutes=body.minutes,
        )
    )
    return {"faults": [f.as_json() for f in world.faults.active]}


@router.get("/faults")
async def list_faults(request: Request) -> dict[str, Any]:
    world = world_of(request)
    world.faults.clear_spent()
    return {"faults": [f.as_json() for f in world.faults.active], "kinds": list(FAULTS)}


@router.post("/faults/clear")
async def clear_faults(body: ClearFaultsBody, request: Request) -> dict[str, Any]:
    world = world_of(request)
    world.faults.clear(body.register_id)
    return {"faults": [f.as_json() for f in world.faults.active]}


@router.post("/seed")
async def add_registers(body: SeedBody, request: Request) -> list[dict[str, Any]]:
    world = world_of(request)
    return [c.as_json() for c in seed(world, body.count)]


@router.get("/state")
async def state(request: Request) -> dict[str, Any]:
    world = world_of(request)
    world.settle()
    registers = []
    for reg in world.all("register"):
        codes = [c for c in world.all("code") if c["cash_register_id"] == reg["id"]]
        registers.append(
            {
                "id": reg["id"],
                "fiscal_number": reg["fiscal_number"],
                "offline_mode": reg["offline_mode"],
                "stay_offline": reg["stay_offline"],
                "mode": "online"
                if not reg["offline_mode"]
                else ("manual_offline" if reg["stay_offline"] else "auto_offline"),
                "offline_since": reg["offline_since"],
                "codes_free": sum(1 for c in codes if c["used_by"] is None),
                "codes_used": sum(1 for c in codes if c["used_by"] is not None),
                "queue": len(reg["queue"]),
                "shift_id": reg["shift_id"],
                "transactions": reg["tx_serial"],
                "receipts": reg["receipt_serial"],
            }
        )
    txs = world.all("transaction")
    return {
        "now": world.now().isoformat(),
        "clock_offset_seconds": getattr(world.clock, "offset_seconds", None),
        "tax_service": {
            "state": "up" if world.tax.up else "down",
            "latency_ms": world.tax.latency_ms,
        },
        "rate_limits": world.config.rate_limits,
        "signing_delay": world.config.signing_delay,
        "registers": registers,
        "receipts": len(world.records["receipt"]),
        "transactions": len(txs),
        "transactions_pending": sum(1 for t in txs if t["status"] == "PENDING"),
        "shifts": len(world.records["shift"]),
        "rate_limited": limits_of(request).rejected + world.counters.get("429", 0),
        "credentials": [c.as_json() for c in seeded(world)],
    }
