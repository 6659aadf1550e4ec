"""The back-office API answers the OFD seed's example query with the seed's field names, for a
key made by ``pos backoffice key add``; without a key, with a wrong one, or for another shop's
data it refuses."""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
import uvicorn
from reports.generated import generate
from sqlalchemy import Engine, select

from pos.backoffice.api import create_app
from pos.backoffice.database import open_database, upgrade
from pos.backoffice.push import Pusher
from pos.backoffice.schema import api_key, shop
from pos.cli import main

from .pgserver import PostgresServer

SEED_FIELDS = {
    "creditSum", "shift", "real_date", "provisionSum", "prepaidSum", "totalSum", "number",
    "operation", "ecashTotalSum", "fn", "doc_number", "cashTotalSum", "code_name", "rn",
    "fiscalSign",
}  # fmt: skip


def _push(tmp_path: Path, engine: Engine, shop_name: str, fiscal_number: str, seed: int) -> None:
    path = tmp_path / f"{fiscal_number}.sqlite3"
    generate(path, first_day=date(2026, 2, 1), days=2, per_day=30, seed=seed)
    with sqlite3.connect(path) as c:
        c.execute("UPDATE setting SET value = ? WHERE key = 'fiscal_number'", (fiscal_number,))
    pusher = Pusher(path, engine, shop_name)
    try:
        pusher.push_all()
    finally:
        pusher.close()


@pytest.fixture(scope="module")
def shop_url(postgres: PostgresServer) -> str:
    return postgres.create_database("api")


@pytest.fixture(scope="module")
def shop_database(shop_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Two shops: registers 1 and 2 in the first, register 3 in the second."""
    engine = open_database(shop_url)
    upgrade(engine)
    tmp_path = tmp_path_factory.mktemp("api")
    _push(tmp_path, engine, "Крамниця 1", "4000000001", 1)
    _push(tmp_path, engine, "Крамниця 1", "4000000002", 2)
    _push(tmp_path, engine, "Крамниця 2", "4000000003", 3)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def client(shop_database: Engine) -> Iterator[httpx.Client]:
    """The API served by uvicorn on 127.0.0.1 (a free port), as ``pos backoffice serve`` does."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(shop_database), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    while not server.started and thread.is_alive():
        started.wait(0.01)  # uvicorn's readiness flag
    assert server.started
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            yield http
    finally:
        server.should_exit = True
        thread.join(10)


def _key(shop_url: str, capsys: pytest.CaptureFixture[str], shop_name: str) -> str:
    assert main(["backoffice", "key", "add", "бухгалтер", "--shop", shop_name,
                 "--database", shop_url]) == 0  # fmt: skip
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("pos_")
    return printed


def _seed_query(shop_id: str) -> dict[str, object]:
    return {
        "date_from": "2026-02-01",
        "date_to": "2026-02-02",
        "company_ids": [shop_id],
        "limit": 20,
        "offset": 0,
        "orders": ["-doc_number"],
    }


def test_the_seed_example_query_is_answered_in_the_seed_shape(
    client: httpx.Client, shop_url: str, shop_database: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    key = _key(shop_url, capsys, "Крамниця 1")
    with shop_database.connect() as c:
        shop_id = c.execute(select(shop.c.id).where(shop.c.name == "Крамниця 1")).scalar_one()
        stored = c.execute(select(api_key.c.digest)).scalars().all()
    assert key not in stored  # only its digest is kept
    url = "/v1/docs/aggregations/receipts"
    answer = client.post(url, json=_seed_query(str(shop_id)), headers={"X-OFD-Key": key})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"data", "total"}
    assert len(body["data"]) == 20
    assert body["total"] > 20
    for row in body["data"]:
        assert set(row) >= SEED_FIELDS
        assert isinstance(row["totalSum"], float)
        assert row["rn"] in ("4000000001", "4000000002")  # never the other shop's register
    numbers = [row["doc_number"] for row in body["data"]]
    assert numbers == sorted(numbers, reverse=True)
    second = client.post(
        url,
        json={**_seed_query(str(shop_id)), "offset": 20},
        headers={"Authorization": f"Bearer {key}"},
    ).json()
    everything = client.post(
        url, json={**_seed_query(str(shop_id)), "limit": 40}, headers={"X-OFD-Key": key}
    ).json()
    assert body["data"] + second["data"] == everything["data"]
    assert everything["total"] == body["total"]


def test_requests_without_a_known_key_or_for_another_shop_are_refused(
    client: httpx.Client, shop_url: str, shop_database: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "/v1/docs/aggregations/receipts"
    query = {"date_from": "2026-02-01", "date_to": "2026-02-02"}
    assert client.post(url, json=query).status_code == 401
    assert client.post(url, json=query, headers={"X-OFD-Key": "pos_guess"}).status_code == 401
    key = _key(shop_url, capsys, "Крамниця 2")
    mine = client.post(url, json=query, headers={"X-OFD-Key": key}).json()
    assert mine["total"] > 0
    assert {row["rn"] for row in mine["data"]} == {"4000000003"}
    with shop_database.connect() as c:
        other = c.execute(select(shop.c.id).where(shop.c.name == "Крамниця 1")).scalar_one()
    widened = client.post(
        url,
        json={**query, "company_ids": [str(other)], "cashbox_ids": ["4000000001"]},
        headers={"X-OFD-Key": key},
    )
    assert widened.status_code == 403
    only_other_register = client.post(
        url, json={**query, "cashbox_ids": ["4000000001"]}, headers={"X-OFD-Key": key}
    ).json()
    assert only_other_register == {"data": [], "total": 0}


def test_bad_queries_get_400_naming_the_field(
    client: httpx.Client, shop_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    key = _key(shop_url, capsys, "Крамниця 1")
    url = "/v1/docs/aggregations/receipts"
    headers = {"X-OFD-Key": key}
    for body, named in (
        ({"date_to": "2026-02-02"}, "date_from"),
        ({"date_from": "2026-02-01", "date_to": "2026-02-02", "orders": ["price"]}, "price"),
        ({"date_from": "2026-02-01", "date_to": "2026-02-02", "limit": "many"}, "limit"),
        ({"date_from": "2026-02-01", "date_to": "2026-02-02", "taxation_types": ["osn"]},
         "taxation_types"),
    ):  # fmt: skip
        answer = client.post(url, json=body, headers=headers)
        assert answer.status_code == 400, body
        assert named in answer.json()["error"]
    assert client.post(url, content=b"[1, 2", headers=headers).status_code == 400


def test_pos_report_reads_the_shop_database_by_shop(
    shop_database: Engine, shop_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    argv = ["report", "receipts", "--database", shop_url, "--from", "2026-02-01",
            "--to", "2026-02-02", "--json"]  # fmt: skip
    assert main([*argv, "--shop", "Крамниця 2"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert {row["rn"] for row in second["data"]} == {"4000000003"}
    assert {row["shop"] for row in second["data"]} == {"Крамниця 2"}
    assert main(argv) == 0
    everything = json.loads(capsys.readouterr().out)
    assert {row["rn"] for row in everything["data"]} == {"4000000001", "4000000002", "4000000003"}
    assert main([*argv[:2], "--database", "mysql://x@y/z", *argv[4:]]) == 2
    assert "postgresql" in capsys.readouterr().err
