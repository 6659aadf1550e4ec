"""The receipts report test suite of ``tests/reports`` run on both engines: the register's own
SQLite journal, and the shop's PostgreSQL database the journal was pushed into.

The tests are the same functions (imported); only their ``sources`` fixture is parametrised
(``tests/backoffice/conftest.py``). Totals and Z-reports are compared as the original tests do,
so on PostgreSQL they check that the copy lost or doubled nothing, to the kopeck.
"""

from __future__ import annotations

from reports.test_receipts_report import *  # noqa: F403 (the tests to run again)

del test_several_journals_merge_into_one_report  # noqa: F821 (journal files only: run there)
