"""Who is calling: the integration's headers, the register's license key, the cashier's token.

The headers are checked where the seed requires them: `X-Client-Name` on every API call (405
when empty, as the error table says), `X-License-Key` on register-level calls (401 when wrong),
`Authorization: Bearer` on cashier calls (403 "Not authenticated" when absent, 401 when the token
is unknown or signed out). Tokens are opaque; only their SHA-256 is stored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Annotated

from fastapi import Depends, Header, Request

from pos.sandbox.clock import iso
from pos.sandbox.errors import (
    BAD_LICENSE,
    BAD_TOKEN,
    NO_CLIENT_NAME,
    NOT_AUTHENTICATED,
    ApiError,
)
from pos.sandbox.storage import Record
from pos.sandbox.world import World

MAX_TOKENS = 10


def world_of(request: Request) -> World:
    world = request.app.state.world
    assert isinstance(world, World)
    return world


async def settled_world(
    request: Request,
    x_client_name: Annotated[str | None, Header()] = None,
    x_license_key: Annotated[str | None, Header()] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> World:
    """Every API call: the client name is present, the register's request budget (any kind,
    2 a second) is kept, and due transactions have moved on.

    An async dependency on purpose: FastAPI runs plain `def` dependencies in a thread pool, and
    the world (dicts plus one SQLite connection) must only ever be touched by the event loop's
    thread, one request at a time between awaits."""
    if not x_client_name or not x_client_name.strip():
        raise ApiError(405, NO_CLIENT_NAME)
    world = world_of(request)
    register_id = caller_register(world, x_license_key, authorization)
    if register_id is not None:
        creates_receipt = request.method == "POST" and "/receipts/" in request.url.path
        request.app.state.rate_limits.request(register_id, world.now(), receipt=creates_receipt)
    world.settle()
    return world


def caller_register(world: World, license_key: str | None, authorization: str | None) -> str | None:
    """Whose request this is: the license key's register, else the token's (sign-in register or
    the cashier's shift register). Unknown callers are left to the routes to refuse."""
    if license_key:
        for register in world.all("register"):
            if secrets.compare_digest(register["license_key"], license_key):
                return str(register["id"])
        return None
    if authorization:
        _scheme, _, token = authorization.partition(" ")
        rec = world.get("token", _digest(token.strip())) if token.strip() else None
        if rec is not None:
            if rec.get("register_id"):
                return str(rec["register_id"])
            cashier = world.get("cashier", rec["cashier_id"])
            shift = (
                world.get("shift", cashier["shift_id"]) if cashier and cashier["shift_id"] else None
            )
            if shift is not None:
                return str(shift["register_id"])
    return None


WorldDep = Annotated[World, Depends(settled_world)]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(world: World, cashier: Record, register_id: str | None) -> str:
    """A JWT-shaped opaque token; a cashier keeps at most ten, the oldest go first."""
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=").decode()
    body = json.dumps({"sub": cashier["id"], "jti": secrets.token_hex(16)}).encode()
    payload = base64.urlsafe_b64encode(body).rstrip(b"=").decode()
    token = f"{header}.{payload}.{secrets.token_urlsafe(32)}"
    mine = [t for t in world.all("token") if t["cashier_id"] == cashier["id"]]
    for old in mine[: max(0, len(mine) - MAX_TOKENS + 1)]:
        world.records["token"].pop(old["id"], None)
        world.store.delete("token", old["id"])
    world.save(
        "token",
        {
            "id": _digest(token),
            "cashier_id": cashier["id"],
            "register_id": register_id,
            "created_at": iso(world.now()),
        },
    )
    return token


def revoke_token(world: World, token: str) -> None:
    key = _digest(token)
    world.records["token"].pop(key, None)
    world.store.delete("token", key)


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise ApiError(403, NOT_AUTHENTICATED)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(403, NOT_AUTHENTICATED)
    return token.strip()


async def current_cashier(
    world: WorldDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Record:
    token = bearer_token(authorization)
    rec = world.get("token", _digest(token))
    if rec is None:
        raise ApiError(401, BAD_TOKEN)
    cashier = world.get("cashier", rec["cashier_id"])
    if cashier is None:
        raise ApiError(401, BAD_TOKEN)
    return cashier


CashierDep = Annotated[Record, Depends(current_cashier)]


def register_by_key(world: World, license_key: str | None) -> Record:
    if not license_key:
        raise ApiError(401, BAD_LICENSE)
    for register in world.all("register"):
        if secrets.compare_digest(register["license_key"], license_key):
            return register
    raise ApiError(401, BAD_LICENSE)


async def license_register(
    world: WorldDep,
    x_license_key: Annotated[str | None, Header()] = None,
) -> Record:
    return register_by_key(world, x_license_key)


RegisterDep = Annotated[Record, Depends(license_register)]
