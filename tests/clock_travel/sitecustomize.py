"""Test-only: every Python process the test suite starts runs at the suite's fictional time.

tests/conftest.py moves its own process to a Kyiv morning (time-machine, ticking) and puts this
folder first on PYTHONPATH with the offset in ``POS_TEST_CLOCK_OFFSET``; Python imports
``sitecustomize`` at start-up, so a headless ``python -m pos …`` child, a sandbox server or a
crash-test victim agrees with the test to the microsecond, and no test depends on the hour the
suite happens to run. Monotonic clocks are not moved (time-machine never touches them).
"""

from __future__ import annotations

import os

_OFFSET = os.environ.get("POS_TEST_CLOCK_OFFSET")
if _OFFSET:
    from datetime import UTC, datetime, timedelta

    import time_machine

    time_machine.travel(datetime.now(UTC) + timedelta(seconds=float(_OFFSET)), tick=True).start()
    # time-machine's clock starts ticking at the first reading, not at start(): read it now, or
    # this process would lag the test by however long its imports take.
    datetime.now(UTC)
