"""Offline codes and the rules every offline transaction must satisfy.

Codes come from the tax service only while the register is online (at most 5000 unused at a time;
a new ask returns the same unused codes first, as the seed explains), each is usable once, and a
transaction's `fiscal_date` may not precede the ask that issued its code, nor the register's last
transaction, nor be more than 36 h after the start of the offline period.

The ask rule is checked against the register's latest `ask-offline-codes` call (the seed:
"тільки з датою fiscal_date БІЛЬШОЮ АБО РІВНОЮ даті/часу виконання запиту ask-offline-codes"), not
against each code's own creation, since a later ask returns the same unused codes again.

Where the seed gives no text (a code this register never received, no free code left, too many
code requests, a fiscal date in the future) the sandbox uses its own wording, written in
`errors.py`. A fiscal date later than the server's now by more than `FUTURE_TOLERANCE` (60 s of
clock difference between a till and the server) is refused: the seed is silent, and a transaction
from the future would block every later one of the register.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from pos.sandbox.clock import iso, parse_datetime
from pos.sandbox.errors import (
    CODES_REQUESTS_BLOCKED,
    MANUAL_OFFLINE_ONLY,
    OFFLINE_TOO_LONG,
    ApiError,
    bad_request,
    code_unknown,
    code_used,
    date_before,
    date_in_future,
)
from pos.sandbox.storage import Record
from pos.sandbox.world import World

MAX_CODES = 5000
OFFLINE_LIMIT = timedelta(hours=36)
FUTURE_TOLERANCE = timedelta(seconds=60)
CODES_REQUEST = "CODES_REQUEST"
NO_FREE_CODES = "Немає вільних офлайн кодів для цієї каси"


def ask_codes(world: World, register: Record, count: int) -> str | None:
    """Top the register's pool up to `count` unused codes; an error text if blocked."""
    recent = [*register["recent"][-9:], CODES_REQUEST]
    if recent.count(CODES_REQUEST) >= 6:
        return CODES_REQUESTS_BLOCKED
    register["recent"] = recent[-10:]
    free = len(world.free_codes(register["id"]))
    now = iso(world.now())
    register["codes_asked_at"] = now
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    world.store.begin()
    try:
        for _ in range(max(0, min(count, MAX_CODES) - free)):
            register["code_serial"] += 1
            code = "TEST-" + "".join(secrets.choice(alphabet) for _ in range(6))
            while code in world.records["code"]:
                code = "TEST-" + "".join(secrets.choice(alphabet) for _ in range(6))
            world.save(
                "code",
                {
                    "id": code,
                    "fiscal_code": code,
                    "serial_id": register["code_serial"],
                    "cash_register_id": register["id"],
                    "created_at": now,
                    "used_by": None,
                },
            )
        world.save("register", register)
    finally:
        world.store.commit()
    return None


def require_manual_offline(register: Record) -> None:
    if not (register["offline_mode"] and register["stay_offline"]):
        raise bad_request(MANUAL_OFFLINE_ONLY)


def pick_code(world: World, register: Record, code: str | None) -> str:
    """The client's code if it may be used, else the first free one of the pool."""
    if code is None:
        free = world.free_codes(register["id"])
        if not free:
            raise bad_request(NO_FREE_CODES)
        picked: str = free[0]["fiscal_code"]
        return picked
    rec = world.get("code", code)
    if rec is None or rec["cash_register_id"] != register["id"]:
        raise bad_request(code_unknown(code))
    if rec["used_by"] is not None:
        raise bad_request(code_used(code))
    return code


def check_offline_moment(
    world: World,
    register: Record,
    moment: datetime,
    code: str,
    *,
    period_start: datetime | None = None,
) -> None:
    """`moment` may not precede the latest code ask nor the last transaction, nor lie in the
    future; ≤ 36 h offline."""
    now = world.now()
    if moment - now > FUTURE_TOLERANCE:
        raise bad_request(date_in_future(iso(moment) or "", iso(now) or ""))
    issued = parse_datetime(world.records["code"][code]["created_at"])
    asked = register.get("codes_asked_at")
    if asked is not None:
        issued = max(issued, parse_datetime(asked))
    if moment < issued:
        raise bad_request(date_before(iso(moment) or "", iso(issued) or ""))
    last = register["last_fiscal_date"]
    if last is not None and moment < parse_datetime(last):
        raise bad_request(date_before(iso(moment) or "", last))
    start = period_start
    if start is None and register["offline_since"]:
        start = parse_datetime(register["offline_since"])
    if start is not None and moment - start > OFFLINE_LIMIT:
        raise bad_request(OFFLINE_TOO_LONG)


def check_not_too_long(world: World, register: Record) -> None:
    """A register offline (either mode) for more than 36 h is blocked until it goes online."""
    since = register["offline_since"]
    if register["offline_mode"] and since and world.now() - parse_datetime(since) > OFFLINE_LIMIT:
        raise bad_request(OFFLINE_TOO_LONG)


def offline_moment(text: str | None, world: World) -> datetime:
    if text is None:
        return world.now()
    try:
        return parse_datetime(text)
    except ValueError as exc:
        raise ApiError(422, f"Невірний формат дати: '{text}'") from exc
