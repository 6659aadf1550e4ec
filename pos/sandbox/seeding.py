"""What a fresh sandbox contains: one organisation, registers with license keys, cashiers.

Credentials are deterministic (the n-th register and cashier always have the same key, login,
password and PIN), so documentation, demo mode and tests can name them; `POST /sandbox/seed`
adds more pairs. Test cashiers' passwords equal their logins, as in the seed.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any

from pos.sandbox.clock import iso
from pos.sandbox.storage import Record
from pos.sandbox.world import World, new_hash

_NAMESPACE = uuid.UUID("5b1d2c3e-0c8f-4d5e-9a61-2f9c0b7a1e11")
DEFAULT_PAIRS = 2

PERMISSIONS = {
    "orders": True,
    "add_discounts": True,
    "editing_goods_sum": True,
    "deferred_receipt": True,
    "editing_good_price": True,
    "can_add_manual_good": True,
    "service_in": True,
    "service_out": True,
    "returns": True,
    "sales": True,
    "card_payment": True,
    "cash_payment": True,
    "other_payment": True,
    "mixed_payment": True,
    "branch_params": False,
    "reports_history": True,
    "additional_service_receipt": False,
    "free_return": False,
}


@dataclass(frozen=True)
class Credentials:
    """One seeded register and its cashier, as `pos sandbox` prints them."""

    license_key: str
    cash_register_id: str
    fiscal_number: str
    cashier_login: str
    cashier_password: str
    cashier_pin: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def __repr__(self) -> str:  # the key, password and PIN stay out of logs
        return f"Credentials(cash_register_id={self.cash_register_id!r})"


def credentials(n: int) -> Credentials:
    """The n-th (1-based) register/cashier pair."""
    return Credentials(
        license_key=f"sandbox{n:04d}license{n:04d}key",
        cash_register_id=str(uuid.uuid5(_NAMESPACE, f"register-{n}")),
        fiscal_number=f"TEST{4000000000 + n}",
        cashier_login=f"cashier{n}",
        cashier_password=f"cashier{n}",
        cashier_pin=f"{n}{n}{n}{n}"[:4] if n < 10 else f"{n:04d}",
    )


def add_pair(world: World, n: int) -> Credentials:
    cred = credentials(n)
    now = iso(world.now())
    register: Record = {
        "id": cred.cash_register_id,
        "fiscal_number": cred.fiscal_number,
        "number": str(n),
        "license_key": cred.license_key,
        "active": True,
        "created_at": now,
        "updated_at": now,
        "address": f"УКРАЇНА, М.КИЇВ, вул. Тестова, {n}",
        "offline_mode": False,
        "stay_offline": False,
        "offline_since": None,
        "offline_periods": [],
        "go_online_requested_at": None,
        "last_go_online_at": None,
        "tx_serial": 0,
        "receipt_serial": 0,
        "shift_serial": 0,
        "report_serial": 0,
        "code_serial": 0,
        "last_hash": new_hash(),
        "last_fiscal_date": None,
        "last_receipt_id": None,
        "recent": [],
        "queue": [],
        "shift_id": None,
        "had_shift": False,
        "n": n,
    }
    cashier: Record = {
        "id": str(uuid.uuid5(_NAMESPACE, f"cashier-{n}")),
        "full_name": f"Тестовий касир {n}",
        "nin": f"{n:09d}",
        "key_id": f"test_sandbox_key_{n:04d}",
        "signature_type": "TEST",
        "permissions": dict(PERMISSIONS),
        "created_at": now,
        "updated_at": now,
        "certificate_end": None,
        "blocked": None,
        "login": cred.cashier_login,
        "password": cred.cashier_password,
        "pin": cred.cashier_pin,
        "shift_id": None,
        "n": n,
    }
    world.save("register", register)
    world.save("cashier", cashier)
    return cred


def seed(world: World, count: int = DEFAULT_PAIRS) -> list[Credentials]:
    """Add `count` more pairs after the ones already there."""
    start = len(world.records["register"]) + 1
    return [add_pair(world, n) for n in range(start, start + count)]


def seeded(world: World) -> list[Credentials]:
    return [credentials(int(r["n"])) for r in world.all("register")]
