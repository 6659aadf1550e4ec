"""Opening the shop database, creating and upgrading its schema with Alembic, and finding shops
and registers in it.

The URL may carry the database password: it is never logged nor put in an error message
(:func:`safe_url` is what may be shown).
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, make_url, select, text
from sqlalchemy.dialects.postgresql import insert

from pos.backoffice.schema import SCHEMA, register, shop

DEFAULT_SHOP = "shop"


class BackofficeUrlError(ValueError):
    """The back-office URL is not a PostgreSQL URL this program can use."""


def check_url(url: str) -> str:
    """The URL in the form SQLAlchemy opens with psycopg 3 (``postgresql+psycopg://``)."""
    try:
        parsed = make_url(url)
    except Exception:
        raise BackofficeUrlError("the back-office URL is not a database URL") from None
    if parsed.get_backend_name() != "postgresql":
        raise BackofficeUrlError("the back-office URL must be a postgresql:// URL")
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def safe_url(url: str) -> str:
    """The URL with its password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<back-office database>"


def open_database(url: str, *, pool_size: int = 5) -> Engine:
    return create_engine(
        check_url(url),
        pool_size=pool_size,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5, "application_name": "pos"},
    )


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    location = resources.files("pos.backoffice") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create the schema or bring it to ``revision`` (Alembic; safe to run again)."""
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
        command.upgrade(_alembic_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table_schema": SCHEMA})
        return context.get_current_revision()


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(resources.files("pos.backoffice") / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def ensure_shop(connection: Connection, name: str) -> int:
    connection.execute(insert(shop).values(name=name).on_conflict_do_nothing())
    return int(connection.execute(select(shop.c.id).where(shop.c.name == name)).scalar_one())


def ensure_register(
    connection: Connection,
    shop_name: str,
    fiscal_number: str,
    cash_register_id: str,
    *,
    cashier_name: str | None = None,
) -> int:
    """The shop database's id of a register, adding it (and its shop) the first time; its
    cashier (a prepayment's owner) is updated when given."""
    shop_id = ensure_shop(connection, shop_name)
    values: dict[str, str] = {"cash_register_id": cash_register_id}
    if cashier_name is not None:
        values["cashier_name"] = cashier_name
    statement = insert(register).values(shop_id=shop_id, fiscal_number=fiscal_number, **values)
    statement = statement.on_conflict_do_update(
        index_elements=[register.c.fiscal_number], set_=values
    )
    connection.execute(statement)
    row = connection.execute(
        select(register.c.id, register.c.shop_id).where(register.c.fiscal_number == fiscal_number)
    ).one()
    if row.shop_id != shop_id:
        raise BackofficeUrlError(
            f"register {fiscal_number} already belongs to another shop in this database"
        )
    return int(row.id)
