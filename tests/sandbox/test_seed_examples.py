"""The seed's curl examples, sent as they are, with only what cannot be shared substituted:
the host, the license key, the token, the cashier's credentials, ids of objects the sandbox
created, and the offline code and date (which must come from this register's own pool and now).

Every field the seed's example response shows must be in the sandbox's response.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from pos.sandbox.server import RunningSandbox
from tests.sandbox.conftest import paced

EXAMPLES = json.loads((Path(__file__).parent / "seed_examples.json").read_text("utf-8"))["examples"]
HOST = "https://api.checkbox.ua"


class Curl:
    def __init__(self, text: str) -> None:
        method = re.search(r"-X '(\w+)'", text)
        url = re.search(r"\\ '(https://[^']+)'", text)
        assert method, text
        assert url, text
        self.method = method.group(1)
        self.url = url.group(1).removeprefix(HOST)
        self.headers = dict(re.findall(r"-H '([^:]+): ([^']*)'", text))
        data = re.search(r"-d '(.*)'\s*$", text)
        self.data = data.group(1) if data else None

    @property
    def path(self) -> str:
        return self.url.split("?")[0]


def missing_fields(seed: Any, ours: Any, where: str = "") -> list[str]:
    """Keys of the seed's example (recursively) that our response lacks."""
    gaps: list[str] = []
    if isinstance(seed, dict):
        if not isinstance(ours, dict):
            return [where or "<root>"] if ours is not None else []
        for key, value in seed.items():
            if key not in ours:
                gaps.append(f"{where}.{key}")
            else:
                gaps += missing_fields(value, ours[key], f"{where}.{key}")
    elif isinstance(seed, list) and seed and isinstance(ours, list) and ours:
        gaps += missing_fields(seed[0], ours[0], f"{where}[0]")
    return gaps


def find(path_part: str, method: str = "") -> tuple[Curl, Any]:
    for example in EXAMPLES:
        curl = Curl(example["curl"])
        if curl.path.endswith(path_part) and (not method or curl.method == method):
            return curl, example["response"]
    raise AssertionError(f"no seed example for {path_part}")


def test_seed_examples_are_accepted_with_every_field(sandbox: RunningSandbox) -> None:
    sandbox.control("POST", "/sandbox/config", {"sms_enabled": True})  # the example sends a phone
    reg = sandbox.registers[0]
    http = paced(sandbox, pace=1.0, base_url=sandbox.api_url.removesuffix("/api/v1"), timeout=10)
    token = ""
    ids: dict[str, str] = {}
    checked: list[str] = []

    def send(curl: Curl, *, path: str | None = None, body: Any = None) -> httpx.Response:
        headers = dict(curl.headers)
        if "X-License-Key" in headers:
            headers["X-License-Key"] = reg.license_key
        if headers.get("Authorization") == "Bearer token":
            headers["Authorization"] = f"Bearer {token}"
        url = curl.url if path is None else curl.url.replace(curl.path, path)
        content = curl.data.encode() if body is None and curl.data is not None else None
        if body is not None:
            content = json.dumps(body, ensure_ascii=False).encode()
        return http.request(curl.method, url, headers=headers, content=content)

    def run(part: str, method: str = "", *, path: str | None = None, body: Any = None) -> Any:
        curl, example = find(part, method)
        response = send(curl, path=path, body=body)
        assert 200 <= response.status_code < 300, f"{curl.method} {curl.url}: {response.text}"
        checked.append(f"{curl.method} {curl.path}")
        if example == "<not json>":
            return response
        ours = response.json()
        assert missing_fields(example, ours) == [], f"{curl.path}: fields missing"
        return ours

    def seed_body(part: str, method: str = "POST") -> dict[str, Any]:
        data = find(part, method)[0].data
        assert data
        body: dict[str, Any] = json.loads(data)
        return body

    def now() -> datetime:
        return datetime.fromisoformat(sandbox.control("GET", "/sandbox/state")["now"])

    pin = seed_body("/cashier/signinPinCode") | {"pin_code": reg.cashier_pin}
    token = run("/cashier/signinPinCode", body=pin)["access_token"]
    login = {"login": reg.cashier_login, "password": reg.cashier_password}
    run("/cashier/signin", body=login)
    run(
        "/cash-registers/c13876dd-e51e-433f-a61c-f2c426311111",
        path=f"/api/v1/cash-registers/{reg.cash_register_id}",
    )
    run("/cash-registers/ping-tax-service")
    run("/cash-registers/ask-offline-codes")
    run("/cash-registers/get-offline-codes")
    shift = run("/api/v1/shifts", "POST")
    run(f"/shifts/{shift['id']}")
    run("/receipts/service")
    sold = run("/receipts/sell")
    ids["sell"] = sold["id"]
    receipt_path = f"/api/v1/receipts/{ids['sell']}"
    # (the paced client moves the sandbox clock 1 s before each request: past the 50 ms window)
    run("/receipts/36ba6627-379d-4fe9-bcce-7e06ad11111", path=receipt_path)
    run("/receipts/e51c07c6-8e8a-44bf-b594-750f7e911111/html", path=receipt_path + "/html")
    run("/receipts/e51c07c6-8e8a-44bf-b594-750f7e911111/png", path=receipt_path + "/png")
    cash_in = seed_body("/receipts/service") | {"id": "0b7c2f1e-2d6a-4c1e-9f7b-3a5d6e7f8a90"}
    cash_in["payment"] = {"type": "CASH", "value": 20000}
    run("/receipts/service", body=cash_in)
    run("/receipts/cash-withdrawal")
    x = run("/api/v1/reports", "POST")
    report_path = f"/api/v1/reports/{x['id']}"
    run("/reports/1ec62f49-c35f-4ff9-ab46-8d2e83111111/text", path=report_path + "/text")
    run("/png", "GET", path=report_path + "/png") if False else None
    _, _ = find("/reports/1ec62f49-c35f-4ff9-ab46-8d2e83111111/png")
    response = send(
        find("/reports/1ec62f49-c35f-4ff9-ab46-8d2e83111111/png")[0], path=report_path + "/png"
    )
    assert response.content.startswith(b"\x89PNG")
    run("/reports/periodical")

    codes = [
        c["fiscal_code"]
        for c in httpx.get(
            sandbox.api_url + "/cash-registers/get-offline-codes",
            headers={
                "X-Client-Name": "t",
                "X-License-Key": reg.license_key,
                "Authorization": f"Bearer {token}",
            },
        ).json()
    ]
    go_offline = seed_body("/cash-registers/go-offline") | {
        "go_offline_date": (now() + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S%z"),
        "fiscal_code": codes[0],
    }
    run("/cash-registers/go-offline", body=go_offline)
    moment = (now() + timedelta(seconds=3)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000000")
    offline = seed_body("/receipts/sell-offline") | {"fiscal_code": codes[1], "fiscal_date": moment}
    made = run("/receipts/sell-offline", body=offline)
    assert made["fiscal_date"].startswith(moment[:19])
    assert made["fiscal_date"].endswith("+00:00")
    run("/cash-registers/go-online")
    closing = run("/shifts/close")
    assert closing["status"] in ("CLOSING", "CLOSED")
    out = run("/cashier/signout")
    assert out is None
    assert len(checked) == len(EXAMPLES)
