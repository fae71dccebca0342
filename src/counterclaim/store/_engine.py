"""Engine creation: one place that knows SQLite's and PostgreSQL's quirks.

SQLite: WAL journal, foreign keys on, a busy timeout, and ``BEGIN IMMEDIATE`` for
write transactions (so two writers queue on the lock instead of failing on a lock
upgrade). PostgreSQL: psycopg 3 (``postgresql://`` URLs are routed to it).
JSON columns are written without ASCII escaping so place names stay searchable.
"""
from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.pool import StaticPool

from ..errors import StorageError

__all__ = ["make_engine", "write_options", "BUSY_TIMEOUT_MS"]

BUSY_TIMEOUT_MS = 60_000
#: pass to ``Connection.execution_options`` before ``begin()`` to take SQLite's write lock up front
write_options = {"counterclaim_write": True}


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _normalise(url: str) -> sa.URL:
    try:
        u = sa.make_url(url)
    except Exception as err:  # noqa: BLE001 - SQLAlchemy raises ArgumentError/ValueError
        raise StorageError(f"not a database URL: {url!r} ({err})") from None
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    if u.get_backend_name() not in ("sqlite", "postgresql"):
        raise StorageError(f"unsupported database {u.get_backend_name()!r}: use sqlite:/// or postgresql+psycopg://")
    return u


def _set_wal(cur) -> None:  # noqa: ANN001 - a DB-API cursor
    """Switch a new database to WAL. Several processes opening one new file at once can find it locked: SQLite
    does not always wait on the busy handler for a journal-mode change, so wait here (bounded)."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def make_engine(url: str) -> sa.Engine:
    """A configured engine for ``url`` (SQLite file or memory, or PostgreSQL)."""
    u = _normalise(url)
    if u.get_backend_name() == "sqlite":
        path = u.database
        memory = not path or path == ":memory:" or (u.query.get("mode") == "memory")
        if not memory:
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StorageError(f"cannot open {url}: directory {parent} does not exist")
        kw: dict = {"json_serializer": _dumps, "connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}
        if memory:
            kw.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        engine = sa.create_engine(u, **kw)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.isolation_level = None      # we emit BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if not memory:
                _set_wal(cur)
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # noqa: ANN001
            immediate = conn.get_execution_options().get("counterclaim_write")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return sa.create_engine(u, json_serializer=_dumps, pool_pre_ping=True)
