"""A push process that runs small rounds forever, for the kill test of the outbox's pruning.

``python push_rounds.py JOURNAL URL``: prints ``ready`` after its first round, then pushes seven
outbox rows a round (each round: read, copy in one PostgreSQL transaction, prune the journal's
rows) until it is killed with SIGKILL, at any instant of a round.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pos.backoffice.database import open_database
from pos.backoffice.push import Pusher


def main(journal: str, url: str) -> None:
    engine = open_database(url, pool_size=1)
    pusher = Pusher(Path(journal), engine, "shop")
    pusher.push_once(7)
    print("ready", flush=True)
    while True:
        pusher.push_once(7)


if __name__ == "__main__":
    main(*sys.argv[1:3])
