"""`pos diagnostics [--output FILE]`: the diagnostics zip for support, without the window.

Exit status: 0 written (its path printed), 2 the file could not be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

SubParsers = Any  # argparse._SubParsersAction[argparse.ArgumentParser] is private


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "diagnostics",
        help="zip the logs, versions, journal facts and the register's state for support",
        description="Write a diagnostics zip: logs, app/Qt/Python versions, the journal's schema "
        "version, counts and integrity, the register's state and the last errors. Never secrets, "
        "never customers' e-mails or phone numbers.",
    )
    parser.add_argument("--output", type=Path, metavar="FILE", help="the zip to write")
    parser.add_argument("--data", type=Path, metavar="DIR", help="data directory")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import pos.config
    from pos.diagnostics import default_name, export

    config = pos.config.load()
    data: Path = args.data or config.data
    target: Path = args.output or Path.cwd() / default_name()
    try:
        written = export(target, data, config=config)
    except OSError as error:
        print(f"pos diagnostics: cannot write {target}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(written)
    return 0
