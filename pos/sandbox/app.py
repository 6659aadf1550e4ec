"""The sandbox ASGI application: the Checkbox API under `/api/v1` plus `/sandbox/` controls.

`create_app(data_dir)` opens (or creates) the state file `sandbox.sqlite3` in `data_dir`; a fresh
file is seeded with two registers and two cashiers. Tests may pass their own clock and a zero
signing delay.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from pos.sandbox import (
    cashier_routes,
    control,
    faults,
    prepayment_routes,
    receipt_routes,
    register_routes,
    report_routes,
    shift_routes,
)
from pos.sandbox.clock import Clock, SandboxClock
from pos.sandbox.errors import install_handlers
from pos.sandbox.ratelimits import RateLimits
from pos.sandbox.seeding import DEFAULT_PAIRS, seed
from pos.sandbox.storage import RecordStore
from pos.sandbox.world import SandboxConfig, World

DB_NAME = "sandbox.sqlite3"
DEFAULT_SIGNING_DELAY = 0.2
DEFAULT_CREATING_WINDOW = 0.05


def create_app(
    data_dir: Path,
    *,
    clock: Clock | None = None,
    signing_delay: float = DEFAULT_SIGNING_DELAY,
    creating_window: float = DEFAULT_CREATING_WINDOW,
) -> FastAPI:
    store = RecordStore(Path(data_dir) / DB_NAME)
    world = World(
        store=store,
        clock=clock or SandboxClock(),
        config=SandboxConfig(signing_delay=signing_delay, creating_window=creating_window),
    )
    world.load()
    if not world.records["register"]:
        seed(world, DEFAULT_PAIRS)
        world.save_settings()
    limits = RateLimits()
    limits.enabled = world.config.rate_limits

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="Checkbox sandbox",
        description="An emulator of the Checkbox PRRO API with a simulated tax service.",
        lifespan=lifespan,
    )
    app.state.world = world
    app.state.rate_limits = limits
    app.state.defaults = {"signing_delay": signing_delay, "creating_window": creating_window}
    app.state.sms_enabled = False
    install_handlers(app)
    faults.install(app)
    for module in (cashier_routes, register_routes, shift_routes, receipt_routes, report_routes):
        app.include_router(module.router, prefix="/api/v1")
    app.include_router(prepayment_routes.router, prefix="/api/v1")
    app.include_router(control.router)
    return app
