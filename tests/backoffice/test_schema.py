"""The shop database's schema is made and upgraded by Alembic, from its first revision."""

from __future__ import annotations

from sqlalchemy import inspect

from pos.backoffice.database import current_revision, head_revision, open_database, upgrade
from pos.backoffice.schema import SCHEMA, metadata


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
