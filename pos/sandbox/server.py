"""The sandbox served by uvicorn in a daemon thread on 127.0.0.1, for tests and the POS itself.

`serve_in_thread` returns once the server answers and stops it cleanly on exit; `control()`
drives the `/sandbox/…` routes synchronously.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from pos.sandbox.app import DEFAULT_SIGNING_DELAY, create_app

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class SeededRegister:
    """A register with its license key and its cashier's credentials."""

    license_key: str
    cash_register_id: str
    fiscal_number: str
    cashier_login: str
    cashier_password: str
    cashier_pin: str

    def __repr__(self) -> str:  # keys, passwords and PINs stay out of logs
        return (
            f"SeededRegister(cash_register_id={self.cash_register_id!r}, "
            f"fiscal_number={self.fiscal_number!r})"
        )


class RunningSandbox:
    """A sandbox server running in this process."""

    def __init__(
        self, base_url: str, app: FastAPI, server: uvicorn.Server, thread: threading.Thread
    ) -> None:
        self.base_url = base_url
        self._app = app
        self._server = server
        self._thread = thread
        self._http = httpx.Client(base_url=base_url, timeout=10.0)

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/v1"

    @property
    def registers(self) -> list[SeededRegister]:
        state = self.control("GET", "/sandbox/state")
        return [SeededRegister(**c) for c in state["credentials"]]

    def control(self, method: str, path: str, body: Any = None) -> Any:
        """Call a `/sandbox/…` route (path with or without the `/sandbox` prefix)."""
        if not path.startswith("/sandbox"):
            path = "/sandbox/" + path.lstrip("/")
        response = self._http.request(method, path, json=body)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._http.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve_in_thread(
    data_dir: Path, *, port: int = 0, signing_delay: float = DEFAULT_SIGNING_DELAY
) -> Iterator[RunningSandbox]:
    """Run the sandbox on 127.0.0.1 (a free port when 0) until the block ends."""
    app = create_app(Path(data_dir), signing_delay=signing_delay)
    port = port or _free_port()
    config = uvicorn.Config(app, host=LOOPBACK, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="pos-sandbox", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the sandbox did not start on {LOOPBACK}:{port}")
        time.sleep(0.01)
    running = RunningSandbox(f"http://{LOOPBACK}:{port}", app, server, thread)
    try:
        yield running
    finally:
        running.stop()
