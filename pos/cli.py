"""Command-line entry point: `pos` and its sub-commands.

Each area of the program that offers commands has a `commands` module with
`register(subparsers)`; this file only wires them together, so that adding a command
never touches another area's code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

import pos

# Modules exposing `register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser])`.
COMMAND_MODULES: tuple[str, ...] = (
    "pos.journal.commands",
    "pos.sandbox.commands",
    "pos.headless.commands",
    "pos.reports.commands",
    "pos.diagnostics.commands",
    "pos.orders.commands",
    "pos.backoffice.commands",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pos",
        description="Point of sale for Ukrainian shops, fiscalised through Checkbox PRRO. "
        "Without a command, starts the cashier's window.",
    )
    parser.add_argument("--version", action="version", version=f"pos {pos.__version__}")
    parser.add_argument(
        "--self-test",
        nargs="?",
        const="",
        metavar="DIR",
        help="start offscreen in training mode, sell, print to a file (kept in DIR), exit 0 if "
        "all worked (installers run it)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from pos.log_files import setup as setup_logging

    setup_logging()  # before any command, so the headless ones log too
    arguments = sys.argv[1:] if argv is None else list(argv)
    if not arguments:
        # The cashier's window: its first paint must not wait for every command's imports
        # (SQLAlchemy, the register, the sandbox) that building the parser brings in.
        from pos.ui.app import main as run_window

        return run_window(sys.argv[:1])
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.self_test is not None:
        from pathlib import Path

        from pos.self_test import run as self_test

        return self_test(Path(args.self_test) if args.self_test else None)
    handler = getattr(args, "handler", None)
    if handler is None:
        # No command: the cashier's window (training mode on the embedded sandbox when there
        # are no settings yet). Imported here so the other commands never load Qt.
        from pos.ui.app import main as run_window

        return run_window(sys.argv[:1])
    result: int = handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
