"""Alembic environment for counterclaim.

``Store`` passes its open connection in ``config.attributes["connection"]`` (inside a
transaction that holds the migration lock); by hand, pass ``-x db=URL``.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from counterclaim.store._schema import metadata

config = context.config


def _run(connection: sa.Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against the Store's connection, or open one from ``-x db=URL``."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("pass the database with -x db=URL")
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) mode is not supported; run against a database")
run_migrations_online()
