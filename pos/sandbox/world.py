"""Everything the sandbox knows, in memory, written through to its SQLite file.

Records are plain JSON-able dicts (the shapes the API renders), grouped by kind. The one
non-obvious part is time: signing and delivery to the simulated tax service are not done by
background tasks but lazily — each request first calls `settle()`, which moves every transaction
whose signing delay has passed to its next state. A client polling `GET /receipts/{id}` therefore
sees `CREATED`, then `DONE`, and nothing blocks the event loop.

Delivery rules (the seed's automatic offline mode): a due online transaction is delivered with a
fresh fiscal code when the tax service is up and the register online; otherwise the register goes
into automatic offline mode (`offline_mode` true, `stay_offline` false, an offline-begin
transaction that burns a code from the pool) and the transaction takes the next free code from the
register's pool. Offline transactions wait in the register's queue until `go-online` (or a ping)
finds the tax service up; then the queue is delivered in order and the register is online again.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pos.sandbox.clock import Clock, iso, parse_datetime
from pos.sandbox.faults import Faults
from pos.sandbox.storage import Record, RecordStore

KINDS = (
    "register",
    "cashier",
    "token",
    "shift",
    "receipt",
    "transaction",
    "code",
    "report",
    "settings",
)


@dataclass
class SandboxConfig:
    """Knobs a test or the `pos sandbox` command sets when it builds the app."""

    signing_delay: float = 0.2
    creating_window: float = 0.05
    rate_limits: bool = True
    auto_offline_end: str = "last"
    """How the end of an automatic offline period is dated (the guide does not say): "last",
    just after its last transaction (the default, what the register's upload relies on), or
    "now", when the tax service is found back (to try the register against that reading)."""


@dataclass
class TaxService:
    """The simulated ДПС: up or down, and how slow it answers."""

    up: bool = True
    latency_ms: int = 0


@dataclass
class World:
    """The sandbox's state: records by kind, plus the queue of transactions being signed."""

    store: RecordStore
    clock: Clock
    config: SandboxConfig
    tax: TaxService = field(default_factory=TaxService)
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    totals_cache: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    faults: Faults = field(default_factory=Faults)

    # ---- loading and saving -------------------------------------------------------------

    def load(self) -> None:
        self.records = {kind: {} for kind in KINDS}
        for kind in KINDS:
            for rec in self.store.load(kind):
                self.records[kind][rec["id"]] = rec
        settings = self.records["settings"].get("sandbox")
        if settings:
            self.tax = TaxService(settings["tax_up"], settings["latency_ms"])
            self.config.rate_limits = settings["rate_limits"]
            offset = settings.get("clock_offset")
            if offset is not None and hasattr(self.clock, "offset_seconds"):
                self.clock.offset_seconds = offset
        self.pending = [
            tx["id"]
            for tx in self.records["transaction"].values()
            if tx.get("deliver_at") and tx["status"] == "PENDING" and not tx["offline_id"]
        ]

    def save(self, kind: str, rec: Record) -> None:
        self.records[kind][rec["id"]] = rec
        self.store.put(kind, rec["id"], rec)

    def save_settings(self) -> None:
        self.save(
            "settings",
            {
                "id": "sandbox",
                "tax_up": self.tax.up,
                "latency_ms": self.tax.latency_ms,
                "rate_limits": self.config.rate_limits,
                "clock_offset": getattr(self.clock, "offset_seconds", None),
            },
        )

    def wipe(self) -> None:
        self.store.clear()
        self.records = {kind: {} for kind in KINDS}
        self.pending = []
        self.faults = Faults()
        self.counters = {}
        self.totals_cache = {}

    def now(self) -> datetime:
        return self.clock.now()

    def get(self, kind: str, key: str) -> Record | None:
        return self.records[kind].get(key)

    def all(self, kind: str) -> list[Record]:
        return list(self.records[kind].values())

    # ---- transactions ---------------------------------------------------------------------

    def new_transaction(
        self,
        register: Record,
        tx_type: str,
        moment: datetime,
        *,
        owner: tuple[str, str] | None = None,
        offline_code: str | None = None,
        server_dated: bool | None = None,
    ) -> Record:
        """A transaction in the register's hash chain; online ones start signing now.

        A transaction the server dates itself (online ones, and its own offline transitions) is
        dated after the register's last one, so no two transactions share a timestamp."""
        now = self.now()
        if server_dated is None:
            server_dated = offline_code is None
        last_date = register["last_fiscal_date"]
        if server_dated and last_date is not None:
            moment = max(moment, parse_datetime(last_date) + TICK)
        register["tx_serial"] += 1
        tx_id = str(uuid.uuid4())
        tx: Record = {
            "id": tx_id,
            "type": tx_type,
            "serial": register["tx_serial"],
            "status": "PENDING",
            "request_signed_at": None,
            "request_received_at": None,
            "response_status": None,
            "response_error_message": None,
            "response_id": None,
            "offline_id": offline_code,
            "created_at": iso(now),
            "updated_at": iso(now),
            "original_datetime": iso(moment),
            "previous_hash": register["last_hash"],
            "register_id": register["id"],
            "owner": list(owner) if owner else None,
            "deliver_at": None,
        }
        register["last_hash"] = hashlib.sha256((register["last_hash"] + tx_id).encode()).hexdigest()
        last = register["last_fiscal_date"]
        if last is None or moment > parse_datetime(last):
            register["last_fiscal_date"] = iso(moment)
        register["recent"] = (register["recent"] + [tx_type])[-10:]
        if offline_code is None:
            delay = self.config.signing_delay + self.tax.latency_ms / 1000
            tx["deliver_at"] = iso(now + timedelta(seconds=delay))
            self.pending.append(tx_id)
        else:
            self.use_code(offline_code, tx_id)
            register["queue"].append(tx_id)
        self.save("transaction", tx)
        self.save("register", register)
        return tx

    def use_code(self, code: str, tx_id: str) -> None:
        rec = self.records["code"][code]
        rec["used_by"] = tx_id
        self.save("code", rec)

    def free_codes(self, register_id: str) -> list[Record]:
        codes = [
            c
            for c in self.records["code"].values()
            if c["cash_register_id"] == register_id and c["used_by"] is None
        ]
        return sorted(codes, key=lambda c: int(c["serial_id"]))

    # ---- the signing/delivery engine ----------------------------------------------------------

    def settle(self) -> None:
        """Advance every transaction whose signing delay has passed (see the module docstring)."""
        now = self.now()
        if self.pending:
            self.store.begin()
            try:
                still: list[str] = []
                blocked: set[str] = set()
                for tx_id in self.pending:
                    tx = self.records["transaction"][tx_id]
                    reg_id = tx["register_id"]
                    due = parse_datetime(tx["deliver_at"]) <= now
                    if reg_id in blocked or not due or not self._advance(tx, now):
                        blocked.add(reg_id)
                        still.append(tx_id)
                self.pending = still
            finally:
                self.store.commit()
        for register in self.records["register"].values():
            if register["offline_mode"] and register["go_online_requested_at"] and self.tax.up:
                asked = parse_datetime(register["go_online_requested_at"])
                if now >= asked + timedelta(seconds=self.config.signing_delay):
                    self.go_online(register)

    def _advance(self, tx: Record, now: datetime) -> bool:
        register = self.records["register"][tx["register_id"]]
        owner_kind = tx["owner"][0] if tx["owner"] else None
        failure = self.faults.outcome(register["id"], tx["type"], owner_kind)
        if failure is not None:
            self._fail(tx, failure[1], now)
            return True
        if self.tax.up and not register["offline_mode"]:
            code = self.fiscal_code()
            tx.update(
                status="DONE",
                request_signed_at=iso(now),
                request_received_at=iso(now),
                response_status="OK",
                response_id=code,
                updated_at=iso(now),
            )
            self.save("transaction", tx)
            self._finish_owner(tx, code, delivered=now)
            return True
        if not register["offline_mode"]:
            # Dated just after the transaction that found the tax service down (never the same
            # instant): transactions stay in date order by serial, as the hash chain has them.
            self.enter_offline(register, parse_datetime(tx["original_datetime"]), manual=False)
        free = self.free_codes(register["id"])
        if not free:
            return False
        code = free[0]["fiscal_code"]
        self.use_code(code, tx["id"])
        tx.update(offline_id=code, updated_at=iso(now))
        register["queue"].append(tx["id"])
        self.save("register", register)
        self.save("transaction", tx)
        self._finish_owner(tx, code, delivered=None)
        return True

    def _fail(self, tx: Record, text: str, now: datetime) -> None:
        """A scheduled failure: the transaction ends ERROR and its receipt or shift with it."""
        tx.update(
            status="ERROR",
            response_status="ERROR",
            response_error_message=text,
            request_signed_at=iso(now),
            updated_at=iso(now),
        )
        self.save("transaction", tx)
        if not tx["owner"]:
            return
        kind, key = tx["owner"]
        if kind == "receipt":
            receipt = self.records["receipt"][key]
            receipt.update(status="ERROR", updated_at=iso(now))
            self.save("receipt", receipt)
        elif kind == "shift_open":
            shift = self.records["shift"][key]
            shift.update(status="CLOSED", updated_at=iso(now))
            self.save("shift", shift)
            register = self.records["register"][shift["register_id"]]
            if register["shift_id"] == key:
                register["shift_id"] = None
                self.save("register", register)
            cashier = self.records["cashier"].get(shift["cashier_id"])
            if cashier is not None and cashier["shift_id"] == key:
                cashier["shift_id"] = None
                self.save("cashier", cashier)

    def _finish_owner(self, tx: Record, code: str, delivered: datetime | None) -> None:
        if not tx["owner"]:
            return
        kind, key = tx["owner"]
        now = self.now()
        if kind == "receipt":
            from pos.sandbox.receipts_store import finish_receipt

            finish_receipt(self, self.records["receipt"][key], tx, code, delivered)
        elif kind == "shift_open":
            shift = self.records["shift"][key]
            shift.update(status="OPENED", opened_at=tx["original_datetime"], updated_at=iso(now))
            self.save("shift", shift)
        elif kind == "shift_close":
            shift = self.records["shift"][key]
            shift.update(status="CLOSED", closed_at=tx["original_datetime"], updated_at=iso(now))
            self.save("shift", shift)

    def enter_offline(
        self,
        register: Record,
        moment: datetime,
        *,
        manual: bool,
        code: str | None = None,
        since: datetime | None = None,
    ) -> Record | None:
        """Switch the register offline; the transition burns a code (the given one or a free one).

        `since` is the start of the offline period when the register was already offline.
        """
        register.update(
            offline_mode=True,
            stay_offline=manual,
            offline_since=iso(since or moment),
            go_online_requested_at=None,
            updated_at=iso(self.now()),
        )
        if code is None:
            free = self.free_codes(register["id"])
            code = free[0]["fiscal_code"] if free else None
        tx = None
        if code is not None:
            tx = self.new_transaction(
                register, "OFFLINE_BEGIN", moment, offline_code=code, server_dated=not manual
            )
        self.save("register", register)
        return tx

    def go_online(self, register: Record) -> None:
        """Deliver the register's offline queue in order, then put it back online."""
        now = self.now()
        self.store.begin()
        try:
            for tx_id in register["queue"]:
                tx = self.records["transaction"][tx_id]
                tx.update(
                    status="DONE",
                    request_signed_at=tx["request_signed_at"] or iso(now),
                    request_received_at=iso(now),
                    response_status="OK",
                    response_id=tx["offline_id"],
                    updated_at=iso(now),
                )
                self.save("transaction", tx)
                if tx["owner"] and tx["owner"][0] == "receipt":
                    receipt = self.records["receipt"][tx["owner"][1]]
                    receipt.update(is_sent_dps=True, sent_dps_at=iso(now), delivered_at=iso(now))
                    self.save("receipt", receipt)
            register["queue"] = []
            last = (
                parse_datetime(register["last_fiscal_date"])
                if register["last_fiscal_date"]
                else now
            )
            automatic = not register["stay_offline"]
            register.update(offline_mode=False, stay_offline=False, go_online_requested_at=None)
            # The end of an automatic period is dated just after its last transaction (the
            # server was offline until then); a manual one ends when go-online is taken.
            end = last if automatic and self.config.auto_offline_end == "last" else max(now, last)
            periods = register["offline_periods"]
            if register["offline_since"]:
                periods.append([register["offline_since"], iso(end)])
            register["offline_since"] = None
            tx = self.new_transaction(register, "OFFLINE_END", end, server_dated=True)
            self.pending.remove(tx["id"])
            tx.update(status="DONE", response_status="OK", response_id=self.fiscal_code())
            tx["request_received_at"] = iso(now)
            self.save("transaction", tx)
            self.save("register", register)
        finally:
            self.store.commit()

    def fiscal_code(self) -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"
        return "TEST-" + "".join(secrets.choice(alphabet) for _ in range(6))

    def bump(self, counter: str) -> None:
        self.counters[counter] = self.counters.get(counter, 0) + 1


TICK = timedelta(microseconds=1)


def new_hash() -> str:
    return secrets.token_hex(32)


def new_id() -> str:
    return str(uuid.uuid4())


def as_record(value: Any) -> Record:
    assert isinstance(value, dict)
    return value
