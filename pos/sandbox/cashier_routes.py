"""Cashier routes: sign-in by login/password or by PIN with a license key, sign-out, me, shift."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel

from pos.sandbox.auth import (
    CashierDep,
    WorldDep,
    bearer_token,
    issue_token,
    register_by_key,
    revoke_token,
)
from pos.sandbox.control import limits_of
from pos.sandbox.errors import BAD_LOGIN, BAD_PIN, ApiError
from pos.sandbox.render import cashier_view, shift_view

router = APIRouter(tags=["cashier"])


class SignInBody(BaseModel):
    login: str
    password: str


class PinBody(BaseModel):
    pin_code: str


def _token_body(token: str) -> dict[str, Any]:
    return {"type": "bearer", "token_type": "bearer", "access_token": token}


@router.post("/cashier/signin")
async def signin(request: Request, body: SignInBody, world: WorldDep) -> dict[str, Any]:
    limits = limits_of(request)
    limits.signin_allowed(f"login:{body.login}", world.now())
    for cashier in world.all("cashier"):
        if secrets.compare_digest(cashier["login"], body.login) and secrets.compare_digest(
            cashier["password"], body.password
        ):
            return _token_body(issue_token(world, cashier, None))
    limits.signin_failed(f"login:{body.login}", world.now())
    raise ApiError(403, BAD_LOGIN)


@router.post("/cashier/signinPinCode")
async def signin_pin(
    request: Request,
    body: PinBody,
    world: WorldDep,
    x_license_key: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    register = register_by_key(world, x_license_key)
    limits = limits_of(request)
    limits.signin_allowed(register["id"], world.now())
    for cashier in world.all("cashier"):
        if secrets.compare_digest(cashier["pin"], body.pin_code):
            return _token_body(issue_token(world, cashier, register["id"]))
    limits.signin_failed(register["id"], world.now())
    raise ApiError(403, BAD_PIN)


@router.post("/cashier/signout")
async def signout(
    world: WorldDep,
    _cashier: CashierDep,
    authorization: Annotated[str | None, Header()] = None,
) -> None:
    revoke_token(world, bearer_token(authorization))


@router.get("/cashier/me")
async def me(cashier: CashierDep) -> dict[str, Any]:
    return cashier_view(cashier)


@router.get("/cashier/shift")
async def cashier_shift(world: WorldDep, cashier: CashierDep) -> dict[str, Any] | None:
    shift = world.get("shift", cashier["shift_id"]) if cashier["shift_id"] else None
    return None if shift is None else shift_view(world, shift)
