"""The shop database's schema is made and upgraded by Alembic, from its first revision."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from pos.backoffice.database import current_revision, head_revision, open_database, upgrade
from pos.backoffice.schema import SCHEMA, metadata
from pos.cli import main


def test_upgrade_from_the_first_revision_step_by_step(shop_url: str) -> None:
    engine = open_database(shop_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine, "0001")
        assert current_revision(engine) == "0001"
        assert "api_key" not in inspect(engine).get_table_names(schema=SCHEMA)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        upgrade(engine)  # again: nothing to do
        tables = set(inspect(engine).get_table_names(schema=SCHEMA))
        declared = {t.name for t in metadata.sorted_tables}
        assert declared <= tables
        for table in metadata.sorted_tables:  # the code's columns exist, with those names
            columns = {c["name"] for c in inspect(engine).get_columns(table.name, schema=SCHEMA)}
            assert {c.name for c in table.columns} == columns, table.name
    finally:
        engine.dispose()


def test_pos_backoffice_init_creates_the_schema_and_never_shows_the_password(
    shop_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backoffice", "init", "--database", shop_url]) == 0
    assert main(["backoffice", "init", "--database", shop_url]) == 0  # again: nothing to do
    assert head_revision() in capsys.readouterr().out
    unreachable = "postgresql://shop:s3cret-word@127.0.0.1:1/shop"
    assert main(["backoffice", "init", "--database", unreachable]) == 2
    printed = capsys.readouterr()
    assert "cannot use the database" in printed.err
    assert "s3cret-word" not in printed.err + printed.out
    assert main(["backoffice", "init"]) == 2  # no URL at all: says how to give one
    assert "--database" in capsys.readouterr().err
