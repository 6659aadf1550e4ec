"""A push process that stops at a chosen point of a round and waits to be killed (SIGKILL).

``python push_and_hang.py JOURNAL URL in-transaction``: the documents are written in an open
PostgreSQL transaction; ``after-commit``: committed, but the journal's outbox not yet told. It
prints ``ready`` when it got there, so the test kills it at exactly that point.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from pos.backoffice.database import ensure_register, open_database
from pos.backoffice.outbox import JournalOutbox
from pos.backoffice.push import copy_batch


def main(journal: str, url: str, point: str) -> None:
    outbox = JournalOutbox(Path(journal))
    engine = open_database(url, pool_size=1)
    fiscal_number, register_id = outbox.register()
    batch = outbox.read(10_000)
    assert batch is not None, "nothing to push"
    connection = engine.connect()
    transaction = connection.begin()
    copy_batch(connection, ensure_register(connection, "shop", fiscal_number, register_id), batch)
    if point == "after-commit":
        transaction.commit()
    print("ready", flush=True)
    threading.Event().wait()  # until killed


if __name__ == "__main__":
    main(*sys.argv[1:4])
