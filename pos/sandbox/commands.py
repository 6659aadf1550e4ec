"""`pos sandbox`: serve the Checkbox emulator with uvicorn (port 8765 unless told otherwise).

On start it prints one JSON object per seeded register and cashier, then the base URL, so a
person or a script can sign in at once. Only loopback unless `--allow-remote` is given.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("pos")) / "sandbox"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sandbox",
        help="serve the Checkbox sandbox (an emulator with a simulated tax service)",
        description=__doc__,
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to bind (loopback only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8765)")
    parser.add_argument("--data", type=Path, default=None, help="directory of the state file")
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow a non-loopback --host (not advised)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    host: str = args.host
    if not is_loopback(host):
        if not args.allow_remote:
            print(
                f"refusing to bind {host}: the sandbox serves loopback only "
                "(pass --allow-remote to override)",
                file=sys.stderr,
            )
            return 2
        print(
            f"WARNING: the sandbox on {host} is reachable from other machines; it has no real "
            "security and its credentials are public",
            file=sys.stderr,
        )
    import uvicorn

    from pos.sandbox.app import create_app
    from pos.sandbox.seeding import seeded

    data_dir: Path = args.data or default_data_dir()
    app = create_app(data_dir)
    for cred in seeded(app.state.world):
        print(json.dumps(cred.as_json(), ensure_ascii=False), flush=True)
    print(f"http://{host}:{args.port}", flush=True)
    uvicorn.run(app, host=host, port=args.port, log_level="warning")
    return 0
