"""What every scenario needs: a simulated clock both sides agree on, a till (journal + client +
register service) wired to the sandbox through transports that can pull the cable, lose an answer
or record the conversation, a reproducible stream of realistic sales, and readers of the sandbox's
own records.

Why a harness and not fixtures alone: the scenarios restart tills, cut and restore the network and
jump hours ahead in the middle of a test; a small object with verbs keeps each test a readable
story of what the shop lives through, while the assertions stay in the tests.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from pos.checkbox import CheckboxClient, RetryPolicy
from pos.checkbox.network_switch import NetworkSwitch
from pos.domain.discounts import DiscountMode, DiscountType
from pos.domain.receipt import PaymentType, cash_due
from pos.domain.rounding import RoundingMode
from pos.journal import Journal
from pos.journal.records import CatalogueItem, QueueEntry, Receipt
from pos.register.cart import Cart, Tender, discount
from pos.register.connectivity import ConnectivityState
from pos.register.limits import Level, Limit, Thresholds
from pos.register.service import RegisterService
from pos.register.worker import Intervals
from pos.sandbox.server import RunningSandbox, SeededRegister
from pos.sandbox.world import World

KYIV_ZONE = ZoneInfo("Europe/Kyiv")

API = "/api/v1"

# --- time ---------------------------------------------------------------------------------------


@dataclass
class SimClock:
    """Real UTC now shifted by ``offset`` (true time, shared with the sandbox) and by ``skew``
    (an error of the shop PC's clock only). Moving true time pushes it to the sandbox, so
    "three hours later" means the same on both sides without anybody sleeping."""

    box: RunningSandbox
    offset: float = 0.0
    skew: float = 0.0

    def now(self) -> datetime:
        """The POS machine's wall clock (what RegisterService gets as ``now``)."""
        return datetime.now(UTC) + timedelta(seconds=self.offset + self.skew)

    def true_now(self) -> datetime:
        """The sandbox's clock (true time in the simulated world)."""
        return datetime.now(UTC) + timedelta(seconds=self.offset)

    def advance(self, seconds: float, *, push: bool = True) -> None:
        """True time moves on, for both the shop and Checkbox. ``push=False`` defers telling
        the sandbox (one control call fewer per step) while nothing can reach it anyway; the
        next ``push`` or pushed ``advance`` brings it level."""
        self.offset += seconds
        if push:
            self.push()

    def push(self) -> None:
        self.box.control("POST", "/sandbox/clock", {"offset_seconds": self.offset})

    def set_offset(self, seconds: float) -> None:
        self.offset = seconds
        self.push()

    def jump_local(self, seconds: float) -> None:
        """Only the shop PC's clock jumps (NTP, a dead CMOS battery, a cashier "fixing" it)."""
        self.skew += seconds


# --- transports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exchange:
    """One request as it left the client, and what came back (a status, or a transport error)."""

    method: str
    path: str  # without the /api/v1 prefix
    body: Any
    status: int | None
    error: str | None
    answer: Any


class Recorder(httpx.AsyncBaseTransport):
    """The outermost transport: writes down every attempt, including the ones that never
    connected, so a test can check order (ordered upload), counts (never resent blindly) and
    the server's answers (no "was used before")."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.log: list[Exchange] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix(API)
        body = _json_or_text(request.content)
        try:
            response = await self.inner.handle_async_request(request)
        except httpx.TransportError as error:
            self.log.append(Exchange(request.method, path, body, None, type(error).__name__, None))
            raise
        content = await response.aread()
        await response.aclose()
        self.log.append(
            Exchange(request.method, path, body, response.status_code, None, _json_or_text(content))
        )
        return httpx.Response(
            response.status_code, headers=response.headers, content=content, request=request
        )

    async def aclose(self) -> None:
        await self.inner.aclose()

    def calls(self, method: str, path: str) -> list[Exchange]:
        return [e for e in self.log if e.method == method and e.path == path]

    def answered(self) -> list[Exchange]:
        return [e for e in self.log if e.status is not None]


class LoseAnswer(httpx.AsyncBaseTransport):
    """The first matching request reaches the server and is processed, then its answer is lost
    (``error`` raised instead). With ``then_cut`` the cable is also pulled at that instant, so
    the client cannot even ask what became of it: the ambiguous receipt."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        method: str = "POST",
        path: str = "/receipts/sell",
        error: type[httpx.TransportError] = httpx.ReadTimeout,
        then_cut: NetworkSwitch | None = None,
    ) -> None:
        self.inner = inner
        self.method = method
        self.path = API + path
        self.error = error
        self.then_cut = then_cut
        self.armed = True
        self.lost: list[Any] = []  # bodies whose answers were lost (after the server took them)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if self.armed and request.method == self.method and request.url.path == self.path:
            self.armed = False
            await response.aread()
            await response.aclose()
            self.lost.append(_json_or_text(request.content))
            if self.then_cut is not None:
                self.then_cut.cut = True
            raise self.error("answer lost after the server processed the request", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _json_or_text(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return content.decode(errors="replace")


# --- the till -----------------------------------------------------------------------------------

CATALOGUE: tuple[CatalogueItem, ...] = (
    CatalogueItem("1", "Хліб", 3490, (8,)),
    CatalogueItem("2", "Сир твердий", 18990, (5,), unit="кг", is_weighed=True),
    CatalogueItem("3", "Пиво світле", 4250, (1,), is_excise=True),
    CatalogueItem("4", "Цигарки", 9500, (2,), is_excise=True),
    CatalogueItem("5", "Молоко 2,5%", 4199, (5,)),
    CatalogueItem("6", "Яблука", 3250, (8,), unit="кг", is_weighed=True),
    CatalogueItem("7", "Кава мелена", 27999, (5,)),
)
BREAD = CATALOGUE[0]

FAST_RETRY = RetryPolicy(base=0.02, cap=0.1)
FAST_INTERVALS = Intervals(poll=10.0, probe=0.05, ping=30.0)
"""``sync(wait=True)`` sleeps ``min(probe, 1)`` between worker rounds; a short probe keeps the
scenarios quick without changing what a round does."""


@dataclass
class Till:
    """One shop register: its journal file, its client (behind the transports) and service."""

    box: RunningSandbox
    clock: SimClock
    register: SeededRegister
    journal_path: Path
    switch: NetworkSwitch
    recorder: Recorder
    client: CheckboxClient
    journal: Journal
    service: RegisterService
    lose: LoseAnswer | None = None
    closed: bool = False

    @property
    def state(self) -> ConnectivityState:
        return self.service.state

    async def sign_in(self) -> None:
        await self.service.sign_in(pin=self.register.cashier_pin)

    def cut(self) -> None:
        self.switch.cut = True

    def reconnect(self) -> None:
        self.switch.cut = False

    async def sell(self, cart: Cart, tenders: Sequence[Tender]) -> Receipt:
        return await self.service.sell(cart, tenders)

    async def sell_bread(self, kind: PaymentType = PaymentType.CASHLESS) -> Receipt:
        """The simplest sale (one loaf, by card unless asked otherwise)."""
        cart = Cart()
        cart.add(BREAD)
        return await self.sell(cart, [exact_tender(cart.total, kind)])

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        await self.service.stop()
        await self.client.aclose()
        self.journal.close()

    # --- journal readers ---------------------------------------------------------------------

    def queue_entries(self) -> list[QueueEntry]:
        """Every offline queue entry ever issued, in queue (= issue) order."""
        entries: list[QueueEntry] = []
        seq, misses = 1, 0
        while misses < 50:
            entry = self.journal.queue.get(seq)
            if entry is None:
                misses += 1
            else:
                misses = 0
                entries.append(entry)
            seq += 1
        return entries

    def receipts(self) -> list[Receipt]:
        return self.journal.receipts.list()

    def warnings(self) -> dict[Limit, tuple[Level, int]]:
        return {w.limit: (w.level, w.left) for w in self.service.status().warnings}


async def open_till(
    box: RunningSandbox,
    directory: Path,
    clock: SimClock,
    *,
    register_index: int = 0,
    thresholds: Thresholds | None = None,
    rate_limits: bool = True,
    lose_answer: Callable[[NetworkSwitch], LoseAnswer] | None = None,
    switch: NetworkSwitch | None = None,
    journal_name: str = "journal.sqlite",
) -> Till:
    """A till with a fresh (or, for a restart, the same) journal file, started without the
    background worker so nothing races the test: rounds run only through ``service.sync``."""
    register = box.registers[register_index]
    switch = switch if switch is not None else NetworkSwitch()
    lose = lose_answer(switch) if lose_answer is not None else None
    recorder = Recorder(lose if lose is not None else switch)
    client = CheckboxClient(
        box.base_url, transport=recorder, retry=FAST_RETRY, timeout=5.0, rate_limits=rate_limits
    )
    path = directory / journal_name
    journal = Journal.open(path)
    journal.catalogue.upsert(CATALOGUE, clock.now())
    service = RegisterService(
        journal,
        client,
        license_key=register.license_key,
        now=clock.now,
        thresholds=thresholds,
        intervals=FAST_INTERVALS,
    )
    await service.start(worker=False)
    return Till(box, clock, register, path, switch, recorder, client, journal, service, lose)


def no_rate_limits(box: RunningSandbox) -> None:
    """For scenarios that must send hundreds of receipts (2 per second would take minutes): the
    sandbox stops enforcing, and the test builds its till with ``rate_limits=False``."""
    box.control("POST", "/sandbox/rate-limits", {"enabled": False})


# --- sales --------------------------------------------------------------------------------------


def exact_tender(total: int, kind: PaymentType = PaymentType.CASHLESS) -> Tender:
    if kind is PaymentType.CASH:
        return Tender(
            PaymentType.CASH, cash_due(total, 0, rounding=True, mode=RoundingMode.ROUND_50)
        )
    return Tender(PaymentType.CASHLESS, total)


def random_sale(rng: random.Random) -> tuple[Cart, list[Tender]]:
    """A realistic basket: 1–4 lines, weighed goods by the gram, excise goods, line and receipt
    discounts (value and percent, fractional percents too), paid in cash (rounded by the NBU
    rule, sometimes with change), by card, or both."""
    cart = Cart()
    for _ in range(rng.randint(1, 4)):
        item = rng.choice(CATALOGUE)
        quantity = rng.randint(35, 2750) if item.is_weighed else 1000 * rng.randint(1, 3)
        index = cart.add(item, quantity)
        roll = rng.random()
        line_total = cart.priced().lines[index].sum
        if roll < 0.15:
            percent = rng.choice([Decimal(5), Decimal(10), Decimal("7.5"), Decimal("12.5")])
            cart.set_line_discount(
                index, discount(DiscountType.DISCOUNT, DiscountMode.PERCENT, percent)
            )
        elif roll < 0.22 and line_total > 300:
            value = rng.randint(1, min(line_total - 1, 1500))
            cart.set_line_discount(
                index, discount(DiscountType.DISCOUNT, DiscountMode.VALUE, value)
            )
        elif roll < 0.25:
            cart.set_line_discount(
                index, discount(DiscountType.EXTRA_CHARGE, DiscountMode.PERCENT, Decimal(3))
            )
    if rng.random() < 0.12:
        cart.set_receipt_discount(
            discount(
                DiscountType.DISCOUNT, DiscountMode.PERCENT, rng.choice([Decimal(2), Decimal(5)])
            )
        )
    total = cart.total
    roll = rng.random()
    if roll < 0.45:
        due = cash_due(total, 0, rounding=True, mode=RoundingMode.ROUND_50)
        given = due if rng.random() < 0.5 else (due // 5000 + 1) * 5000
        return cart, [Tender(PaymentType.CASH, given)]
    if roll < 0.85 or total < 200:
        return cart, [Tender(PaymentType.CASHLESS, total)]
    card = total // 2
    cash = cash_due(total, card, rounding=True, mode=RoundingMode.ROUND_50)
    return cart, [Tender(PaymentType.CASHLESS, card), Tender(PaymentType.CASH, cash)]


# --- the sandbox's own records ------------------------------------------------------------------


def world_of(box: RunningSandbox) -> World:
    """The sandbox's in-process state. Read it only between requests (the tests await every
    call, so the server thread is idle), and after ``settle`` (``sandbox_state`` does that)."""
    world = box._app.state.world
    assert isinstance(world, World)
    return world


def sandbox_state(box: RunningSandbox) -> dict[str, Any]:
    state: dict[str, Any] = box.control("GET", "/sandbox/state")
    return state


def register_state(box: RunningSandbox, register: SeededRegister) -> dict[str, Any]:
    for reg in sandbox_state(box)["registers"]:
        if reg["id"] == register.cash_register_id:
            return dict(reg)
    raise AssertionError(f"register {register.cash_register_id} is not on the sandbox")


def sandbox_receipts(box: RunningSandbox, register: SeededRegister) -> list[dict[str, Any]]:
    sandbox_state(box)  # settles due transactions first
    found = [
        r for r in world_of(box).all("receipt") if r["register_id"] == register.cash_register_id
    ]
    return sorted(found, key=lambda r: int(r["serial"]))


def sandbox_transactions(box: RunningSandbox, register: SeededRegister) -> list[dict[str, Any]]:
    sandbox_state(box)
    found = [
        t for t in world_of(box).all("transaction") if t["register_id"] == register.cash_register_id
    ]
    return sorted(found, key=lambda t: int(t["serial"]))


def sandbox_codes(box: RunningSandbox, register: SeededRegister) -> list[dict[str, Any]]:
    return [
        c for c in world_of(box).all("code") if c["cash_register_id"] == register.cash_register_id
    ]


def sandbox_report(box: RunningSandbox, report_id: str) -> dict[str, Any]:
    record = world_of(box).get("report", report_id)
    assert record is not None, f"report {report_id} is not on the sandbox"
    body: dict[str, Any] = record["body"]
    return body


def sandbox_shift(box: RunningSandbox, shift_id: str) -> dict[str, Any]:
    sandbox_state(box)
    shift = world_of(box).get("shift", shift_id)
    assert shift is not None, f"shift {shift_id} is not on the sandbox"
    return dict(shift)


def parse_instant(text: str) -> datetime:
    from pos.sandbox.clock import parse_datetime

    return parse_datetime(text)


# --- assertions shared by the scenarios ---------------------------------------------------------

SCALAR_REPORT_FIELDS = (
    "sell_receipts_count",
    "return_receipts_count",
    "cash_withdrawal_receipts_count",
    "initial",
    "balance",
    "sales_round_up",
    "sales_round_down",
    "returns_round_up",
    "returns_round_down",
    "discounts_sum",
    "extra_charge_sum",
)
PAYMENT_FIELDS = (
    "sell_sum",
    "return_sum",
    "service_in",
    "service_out",
    "cash_withdrawal",
    "cash_withdrawal_commission",
)
TAX_FIELDS = ("sell_sum", "return_sum", "sales_turnover", "returns_turnover")


def _by(
    rows: Iterable[dict[str, Any]], key: str, fields: Sequence[str]
) -> dict[Any, dict[str, int]]:
    """Rows keyed by type/code; a row missing on one side counts as all zeros there."""
    table: dict[Any, dict[str, int]] = {}
    for row in rows:
        entry = table.setdefault(row[key], dict.fromkeys(fields, 0))
        for name in fields:
            entry[name] += int(row.get(name) or 0)
    return table


def assert_reports_equal(local: dict[str, Any], server: dict[str, Any]) -> None:
    """Invariant 7: the journal's X/Z equals the server's to the kopeck, field by field —
    counts, initial and balance, rounding sums, discounts, payments per type, taxes per code
    (and every other scalar field the two have in common)."""
    for name in SCALAR_REPORT_FIELDS:
        assert name in local, f"the local report has no {name}"
        assert name in server, f"the server's report has no {name}"
    mismatched = {
        name: (local[name], server[name])
        for name in local
        if name in server and name not in ("payments", "taxes") and local[name] != server[name]
    }
    assert not mismatched, f"local vs server report fields differ: {mismatched}"
    zero_payments = dict.fromkeys(PAYMENT_FIELDS, 0)
    local_pay = _by(local["payments"], "type", PAYMENT_FIELDS)
    server_pay = _by(server["payments"], "type", PAYMENT_FIELDS)
    for kind in set(local_pay) | set(server_pay):
        assert local_pay.get(kind, zero_payments) == server_pay.get(kind, zero_payments), kind
    zero_taxes = dict.fromkeys(TAX_FIELDS, 0)
    local_tax = _by(local["taxes"], "code", TAX_FIELDS)
    server_tax = _by(server["taxes"], "code", TAX_FIELDS)
    for code in set(local_tax) | set(server_tax):
        assert local_tax.get(code, zero_taxes) == server_tax.get(code, zero_taxes), f"tax {code}"


S = ConnectivityState


def assert_transitions(
    till: Till,
    path: Sequence[tuple[ConnectivityState, ConnectivityState]],
    *,
    since: datetime,
    until: datetime | None = None,
    monotonic: bool = True,
) -> None:
    """Every connectivity change of the run is journaled, in this order, each with an aware
    time (from the injected clock, inside the run) and a cause."""
    transitions = till.journal.transitions.list()
    assert [(t.from_state, t.to_state) for t in transitions] == [
        (a.value, b.value) for a, b in path
    ], [(t.from_state, t.to_state, t.cause) for t in transitions]
    until = until or till.clock.now()
    slack = timedelta(seconds=5)
    for t in transitions:
        assert t.at.tzinfo is not None
        assert t.at.utcoffset() == timedelta(0)
        assert t.cause.strip(), f"transition {t.from_state} → {t.to_state} has no cause"
        if monotonic:
            assert since - slack <= t.at <= until + slack, (t, since, until)
    if monotonic:
        ats = [t.at for t in transitions]
        assert ats == sorted(ats), "transitions are journaled out of time order"


def strictly_increasing(values: Sequence[datetime]) -> bool:
    return all(a < b for a, b in itertools.pairwise(values))


def seconds_to_kyiv_morning(now: datetime, hour: int = 8) -> float:
    """Seconds from ``now`` to the next ``hour``:00 in Kyiv."""
    local = now.astimezone(KYIV_ZONE)
    morning = datetime.combine(local.date(), time(hour), KYIV_ZONE)
    if morning <= local:
        morning += timedelta(days=1)
    return (morning - now).total_seconds()


def morning_clock(box: RunningSandbox) -> SimClock:
    """A SimClock for till and sandbox set to the next 08:00 in Kyiv: a shift must close before
    Kyiv's midnight, so a story of hours must not depend on the hour the suite happens to run."""
    sim = SimClock(box)
    sim.set_offset(seconds_to_kyiv_morning(datetime.now(UTC)))
    return sim
