"""``pos backoffice init | serve | key add | push``: the shop database from the command line.

The database URL (``postgresql://user:password@host/db``) is taken from ``--database`` or the
``POS_BACKOFFICE_DATABASE`` environment variable (which keeps the password out of the process
list); messages show it with the password masked.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from pos.backoffice.database import (
    DEFAULT_SHOP,
    BackofficeUrlError,
    head_revision,
    open_database,
    safe_url,
    upgrade,
)

SubParsers = Any
ENVIRONMENT = "POS_BACKOFFICE_DATABASE"
DEFAULT_PORT = 8780


def _database(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        metavar="URL",
        default=os.environ.get(ENVIRONMENT),
        help=f"postgresql://user:password@host/db (default: ${ENVIRONMENT})",
    )


def register(subparsers: SubParsers) -> None:
    backoffice = subparsers.add_parser("backoffice", help="the shop's PostgreSQL back office")
    actions = backoffice.add_subparsers(dest="backoffice_command", metavar="ACTION")
    init = actions.add_parser("init", help="create or upgrade the shop database's schema")
    _database(init)
    init.set_defaults(handler=run_init)
    serve = actions.add_parser("serve", help="the read-only back-office API (FastAPI)")
    _database(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.set_defaults(handler=run_serve)
    key = actions.add_parser("key", help="API keys")
    key_actions = key.add_subparsers(dest="key_command", metavar="ACTION")
    add = key_actions.add_parser("add", help="make a key; it is printed once")
    add.add_argument("name", help="who the key is for (e.g. the accountant's tool)")
    add.add_argument("--shop", default=DEFAULT_SHOP, help="the shop the key may read")
    _database(add)
    add.set_defaults(handler=run_key_add)
    key.set_defaults(handler=lambda args: (key.print_help(), 0)[1])
    push = actions.add_parser("push", help="copy a journal's pending documents now")
    push.add_argument("--journal", type=Path, required=True, metavar="PATH")
    push.add_argument("--shop", default=DEFAULT_SHOP)
    _database(push)
    push.set_defaults(handler=run_push)
    backoffice.set_defaults(handler=lambda args: (backoffice.print_help(), 0)[1])


def _fail(message: str) -> int:
    print(f"pos backoffice: {message}", file=sys.stderr)
    return 2


def _with_database(args: argparse.Namespace, body: Any) -> int:
    if not args.database:
        return _fail(f"no database: give --database URL or set {ENVIRONMENT}")
    try:
        engine = open_database(args.database)
    except BackofficeUrlError as error:
        return _fail(str(error))
    try:
        result: int = body(engine)
        return result
    except SQLAlchemyError as error:
        name = type(getattr(error, "orig", None) or error).__name__
        return _fail(f"cannot use the database at {safe_url(args.database)} ({name})")
    finally:
        engine.dispose()


def run_init(args: argparse.Namespace) -> int:
    def body(engine: Any) -> int:
        upgrade(engine)
        print(f"shop database at {safe_url(args.database)}: schema {head_revision()}")
        return 0

    return _with_database(args, body)


def run_key_add(args: argparse.Namespace) -> int:
    from pos.backoffice.keys import add_key

    def body(engine: Any) -> int:
        with engine.begin() as connection:
            key = add_key(connection, args.name, args.shop)
        print(key)
        print(
            f"API key {args.name!r} for shop {args.shop!r}: shown only now; send it as "
            "X-OFD-Key or Authorization: Bearer",
            file=sys.stderr,
        )
        return 0

    return _with_database(args, body)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from pos.backoffice.api import create_app

    def body(engine: Any) -> int:
        uvicorn.run(create_app(engine), host=args.host, port=args.port, log_level="warning")
        return 0

    return _with_database(args, body)


def run_push(args: argparse.Namespace) -> int:
    from pos.backoffice.push import Pusher

    def body(engine: Any) -> int:
        pusher = Pusher(args.journal, engine, args.shop)
        try:
            pushed = pusher.push_all()
        finally:
            pusher.close()
        print(f"{pushed} documents copied to {safe_url(args.database)}")
        return 0

    return _with_database(args, body)
