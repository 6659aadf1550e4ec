"""The sandbox as a program: state survives a restart, `pos sandbox` prints its credentials,
and the app runs in-process (ASGI) with an injected clock."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from pos.sandbox.app import create_app
from pos.sandbox.commands import is_loopback
from pos.sandbox.server import RunningSandbox, serve_in_thread

from .conftest import HEADERS, Cashier, card, good, paced, sale


def test_state_survives_a_restart(tmp_path: Path) -> None:
    with serve_in_thread(tmp_path, signing_delay=0) as first:
        cashier = Cashier(first, first.registers[0])
        shift = cashier.open_shift()
        cashier.ok("GET", "/cash-registers/ask-offline-codes?count=7&sync=true")
        body = sale([good()], [card(19500)])
        cashier.ok("POST", "/receipts/sell", body, status=201)
        fiscal = cashier.receipt(body["id"])["fiscal_code"]
        token = cashier.token
        cashier.http.close()
    with serve_in_thread(tmp_path, signing_delay=0) as second:
        http = httpx.Client(
            base_url=second.api_url,
            headers={**HEADERS, "Authorization": f"Bearer {token}"},
        )
        assert http.get("/cashier/shift").json()["id"] == shift["id"]
        receipt = http.get(f"/receipts/{body['id']}").json()
        assert (receipt["status"], receipt["fiscal_code"]) == ("DONE", fiscal)
        state = second.control("GET", "/sandbox/state")
        assert state["registers"][0]["codes_free"] == 7
        assert state["receipts"] == 1
        http.close()


def test_cashier_cannot_work_on_two_registers(sandbox: RunningSandbox, cashier: Cashier) -> None:
    cashier.open_shift()
    other = sandbox.registers[1]
    http = paced(
        sandbox,
        headers={
            **HEADERS,
            "X-License-Key": other.license_key,
            "Authorization": cashier.http.headers["Authorization"],
        },
    )
    response = http.post("/shifts")
    assert (response.status_code, response.json()) == (
        400,
        {"message": "Касир вже працює з іншою касою"},
    )


def test_seed_adds_registers(sandbox: RunningSandbox) -> None:
    added = sandbox.control("POST", "/sandbox/seed", {"count": 2})
    assert [a["fiscal_number"] for a in added] == ["TEST4000000003", "TEST4000000004"]
    assert len(sandbox.registers) == 4
    cashier = Cashier(sandbox, sandbox.registers[3])
    assert cashier.open_shift()["cash_register"]["fiscal_number"] == "TEST4000000004"


def test_slow_tax_service_delays_delivery(sandbox: RunningSandbox, cashier: Cashier) -> None:
    sandbox.control("POST", "/sandbox/tax-service", {"state": "up", "latency_ms": 3000})
    shift = cashier.ok("POST", "/shifts", status=202)
    assert cashier.ok("GET", f"/shifts/{shift['id']}")["status"] == "CREATED"
    cashier.advance(3.1)
    assert cashier.ok("GET", f"/shifts/{shift['id']}")["status"] == "OPENED"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_pos_sandbox_command_prints_credentials(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pos", "sandbox", "--port", str(port), "--data", str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline().strip() for _ in range(3)]
        creds = [json.loads(line) for line in lines[:2]]
        assert set(creds[0]) == {
            "license_key",
            "cash_register_id",
            "fiscal_number",
            "cashier_login",
            "cashier_password",
            "cashier_pin",
        }
        assert lines[2] == f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                state = httpx.get(lines[2] + "/sandbox/state", timeout=1).json()
                break
            except httpx.TransportError:
                time.sleep(0.05)  # the server is still binding its port
        assert len(state["registers"]) == 2
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    refused = subprocess.run(
        [sys.executable, "-m", "pos", "sandbox", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2
    assert "refusing" in refused.stderr
    assert is_loopback("::1")
    assert not is_loopback("192.168.1.5")


class FakeClock:
    def __init__(self) -> None:
        self.moment = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment


async def test_in_process_asgi_with_an_injected_clock(tmp_path: Path) -> None:
    clock = FakeClock()
    app = create_app(tmp_path, clock=clock, signing_delay=0.5)
    app.state.rate_limits.enabled = False  # a frozen clock: every request is "in one second"
    reg = app.state.world.records["register"]
    license_key = next(iter(reg.values()))["license_key"]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox/api/v1", headers=HEADERS
    ) as http:
        token = (
            await http.post(
                "/cashier/signinPinCode",
                json={"pin_code": "1111"},
                headers={"X-License-Key": license_key},
            )
        ).json()["access_token"]
        http.headers.update({"Authorization": f"Bearer {token}", "X-License-Key": license_key})
        shift = (await http.post("/shifts")).json()
        assert (await http.get(f"/shifts/{shift['id']}")).json()["status"] == "CREATED"
        clock.moment += timedelta(seconds=1)
        opened = (await http.get(f"/shifts/{shift['id']}")).json()
        assert opened["status"] == "OPENED"
        assert opened["opened_at"] == "2025-11-03T09:00:00+00:00"
        body = sale([good()], [card(19500)])
        assert (await http.post("/receipts/sell", json=body)).status_code == 201
        clock.moment += timedelta(seconds=1)
        done = (await http.get(f"/receipts/{body['id']}")).json()
        assert done["status"] == "DONE"
        assert "date=20251103&time=11%3A00%3A01" in done["tax_url"]
