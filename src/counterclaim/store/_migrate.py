"""Create or upgrade a database to the current schema with Alembic, under a lock.

The schema version lives in ``meta`` (key ``schema_version``); opening a database at
the current version costs one query. Otherwise the upgrade runs inside one
transaction that holds a lock (SQLite ``BEGIN IMMEDIATE``, PostgreSQL advisory
lock), so two processes opening a fresh database at once do not race.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from ..errors import StorageError
from ._engine import write_options
from ._schema import SCHEMA_VERSION, meta

__all__ = ["ensure_schema", "schema_version", "alembic_config"]

_PACKAGE = Path(__file__).resolve().parents[1]
_LOCK_KEY = 0x636C6D  # PostgreSQL advisory lock id for migrations ("clm")


def alembic_config(connection: sa.Connection | None = None):
    """The Alembic config of the bundled migrations (optionally bound to a connection)."""
    from alembic.config import Config

    cfg = Config(str(_PACKAGE / "alembic.ini"))
    cfg.set_main_option("script_location", str(_PACKAGE / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def schema_version(conn: sa.Connection) -> int | None:
    """The schema version recorded in ``meta``, or None for an empty database."""
    insp = sa.inspect(conn)
    if not insp.has_table("meta"):
        if insp.has_table("articles"):
            raise StorageError("the database has counterclaim tables but no recorded schema version; "
                               "it was not created by counterclaim's migrations")
        return None
    value = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(value) if value is not None else None


def ensure_schema(engine: sa.Engine) -> int:
    """Bring the database to :data:`SCHEMA_VERSION`; return the version found before."""
    with engine.connect() as conn:
        found = schema_version(conn)
        conn.rollback()
    if found == SCHEMA_VERSION:
        return found
    if found is not None and found > SCHEMA_VERSION:
        raise StorageError(f"the database has schema version {found}, newer than this counterclaim "
                           f"({SCHEMA_VERSION}); upgrade counterclaim")
    from alembic import command

    with engine.connect() as conn:
        conn.execution_options(**write_options)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
            found = schema_version(conn)
            if found != SCHEMA_VERSION:
                command.upgrade(alembic_config(conn), "head")
                conn.execute(sa.delete(meta).where(meta.c.key == "schema_version"))
                conn.execute(sa.insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
    return found if found is not None else 0
