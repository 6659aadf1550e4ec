"""Failures of the real service, scheduled per register through `POST /sandbox/faults`.

Each fault is one row of the seed's error table (its status and its own text) or one outcome the
seed says a transaction can have, so the register can be tried against every way Checkbox fails:

* request faults, answered before the route runs, for every API request of the register
  (`maintenance`, `unavailable` → 503; `cashier_blocked`, `key_expired`, `register_blocked`,
  `unpaid` → 403; `other_integration` → 409), for fiscal creates only (`signature_inactive` → 400
  on POST receipts/shifts/go-offline) or for the shift close only (`unfinished_transactions` → 400);
* `timeout_524`: the request IS processed, then its answer is replaced by 524 (the seed: the
  server did not answer in time and the connection was closed — what happened is unknown);
* outcome faults, applied when a transaction is signed: `receipt_error` (the receipt and its
  transaction end `ERROR`, the text in `response_error_message`), `shift_open_closed` (the open's
  transaction ends `ERROR` with the reason in `initial_transaction.response_error_message`, and
  the shift ends `CLOSED` without having been opened);
* `slow_go_online`: leaving offline mode needs `calls` go-online (or ping) requests and `minutes`
  since the first before `offline_mode` turns false (the seed: "одного запиту може бути
  недостатньо").

`times` is how many requests/transactions a fault hits (absent: until cleared). The seed gives no
text for a refused transaction's `response_error_message`; the sandbox's default is the tax
service's kind of answer, overridable by `reason`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pos.sandbox import errors as texts
from pos.sandbox.errors import ApiError

REQUEST_FAULTS: dict[str, tuple[int, str]] = {
    "maintenance": (503, texts.MAINTENANCE),
    "unavailable": (503, texts.UNAVAILABLE),
    "timeout_524": (524, texts.TIMEOUT_524),
    "cashier_blocked": (403, texts.CASHIER_BLOCKED),
    "key_expired": (403, texts.KEY_EXPIRED),
    "register_blocked": (403, texts.REGISTER_BLOCKED),
    "unpaid": (403, texts.UNPAID),
    "other_integration": (409, texts.OTHER_INTEGRATION),
    "signature_inactive": (400, texts.SIGNATURE_INACTIVE),
    "unfinished_transactions": (400, texts.UNFINISHED_TRANSACTIONS),
}
OUTCOME_FAULTS = ("receipt_error", "shift_open_closed")
FAULTS = (*REQUEST_FAULTS, *OUTCOME_FAULTS, "slow_go_online")

DEFAULT_REASONS = {
    "cashier_blocked": "сертифікат ключа відкликано",
    "receipt_error": "Помилка ДПС: документ не прийнято (перевірте дані чека)",
    "shift_open_closed": "Помилка ДПС: відкриття зміни не прийнято",
}
_FISCAL_CREATES = ("/receipts/", "/shifts", "/cash-registers/go-offline")


@dataclass
class Fault:
    kind: str
    register_id: str
    times: int | None = None
    reason: str | None = None
    calls: int = 3
    minutes: float = 2.0
    seen_calls: int = 0
    first_call: datetime | None = None
    ready_at: datetime | None = None
    fired: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "fault": self.kind,
            "register_id": self.register_id,
            "times": self.times,
            "reason": self.reason,
            "calls": self.calls,
            "minutes": self.minutes,
            "fired": self.fired,
        }

    def spend(self) -> None:
        self.fired += 1
        if self.times is not None:
            self.times -= 1


@dataclass
class Faults:
    """The scheduled faults of every register (in memory: a restarted sandbox forgets them)."""

    active: list[Fault] = field(default_factory=list)

    def add(self, fault: Fault) -> None:
        self.active = [
            f for f in self.active if (f.kind, f.register_id) != (fault.kind, fault.register_id)
        ]
        self.active.append(fault)

    def clear(self, register_id: str | None = None) -> None:
        self.active = [f for f in self.active if register_id and f.register_id != register_id]

    def pending(self, register_id: str, kind: str) -> bool:
        return self._find(register_id, (kind,)) is not None

    def clear_spent(self) -> None:
        self.active = [f for f in self.active if f.times is None or f.times > 0]

    def _find(self, register_id: str, kinds: tuple[str, ...]) -> Fault | None:
        self.clear_spent()
        for fault in self.active:
            if fault.register_id == register_id and fault.kind in kinds:
                return fault
        return None

    def before(self, register_id: str, method: str, path: str, now: datetime) -> ApiError | None:
        """A refusal to answer instead of running the route, if one is due."""
        kinds = [k for k in REQUEST_FAULTS if k != "timeout_524"]
        if not (method == "POST" and any(p in path for p in _FISCAL_CREATES)):
            kinds.remove("signature_inactive")
        if not (method == "POST" and path.endswith("/shifts/close")):
            kinds.remove("unfinished_transactions")
        fault = self._find(register_id, tuple(kinds))
        if fault is None:
            return None
        fault.spend()
        status, text = REQUEST_FAULTS[fault.kind]
        reason = fault.reason or DEFAULT_REASONS.get(fault.kind, "")
        moment = (now + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S")
        return ApiError(status, text.format(reason=reason, moment=moment))

    def lose_answer(self, register_id: str) -> ApiError | None:
        """524 for a request that has just been processed."""
        fault = self._find(register_id, ("timeout_524",))
        if fault is None:
            return None
        fault.spend()
        return ApiError(524, texts.TIMEOUT_524)

    def outcome(
        self, register_id: str, tx_type: str, owner_kind: str | None
    ) -> tuple[str, str] | None:
        """(fault kind, error text) when the transaction being signed must fail."""
        if tx_type == "RECEIPT":
            kinds: tuple[str, ...] = ("receipt_error",)
        elif owner_kind == "shift_open":
            kinds = ("shift_open_closed",)
        else:
            return None
        fault = self._find(register_id, kinds)
        if fault is None:
            return None
        fault.spend()
        return fault.kind, fault.reason or DEFAULT_REASONS[fault.kind]

    def go_online_at(self, register_id: str, now: datetime) -> datetime | None:
        """When a go-online (or ping) asked now may take effect; None: not yet, ask again."""
        fault = self._find(register_id, ("slow_go_online",))
        if fault is None:
            return now
        if fault.ready_at is not None:
            if now >= fault.ready_at:
                fault.times = 0  # served: the next offline period goes online normally
                return now
            return fault.ready_at
        fault.seen_calls += 1
        fault.first_call = fault.first_call or now
        if fault.seen_calls < fault.calls:
            return None
        fault.fired += 1
        fault.ready_at = max(now, fault.first_call + timedelta(minutes=fault.minutes))
        return fault.ready_at


def install(app: Any) -> None:
    """The HTTP side: request faults answer before the route, `timeout_524` after it. A plain
    ASGI middleware (not Starlette's BaseHTTPMiddleware, which slowed every request and did not
    survive clients killed mid-request), and a pass-through while no fault is scheduled."""
    app.add_middleware(FaultsMiddleware)


class FaultsMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        from fastapi.responses import JSONResponse

        from pos.sandbox.auth import caller_register

        path = str(scope.get("path", ""))
        world = scope["app"].state.world if scope["type"] == "http" else None
        if world is None or not path.startswith("/api/") or not world.faults.active:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        register_id = caller_register(
            world, headers.get("x-license-key"), headers.get("authorization")
        )
        if register_id is None:
            await self.app(scope, receive, send)
            return
        refusal = world.faults.before(register_id, scope["method"], path, world.now())
        if refusal is not None:
            answer = JSONResponse({"message": refusal.message}, refusal.status_code)
            await answer(scope, receive, send)
            return
        if world.faults.pending(register_id, "timeout_524"):

            async def swallow(_message: Any) -> None:
                return None

            await self.app(scope, receive, swallow)  # processed; its answer is lost
            lost = world.faults.lose_answer(register_id)
            if lost is not None:
                await JSONResponse({"message": lost.message}, lost.status_code)(
                    scope, receive, send
                )
                return
        await self.app(scope, receive, send)
