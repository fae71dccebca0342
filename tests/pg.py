"""A throwaway PostgreSQL server for the ``postgres``-marked tests.

Uses ``DATABASE_URL`` when set (CI's ``.ci/pg.sh``); otherwise starts its own cluster:
initdb into a temp dir (as user ``postgres`` via ``runuser`` when root), ``pg_ctl`` on
a free port, unix socket in the temp dir + 127.0.0.1, and stops it in ``finally``.
Each test gets a fresh database (``fresh_database``). Skips only when no PostgreSQL
binaries exist. Recipe: shared/recipes/postgres-ci.md.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from typing import Iterator

import sqlalchemy as sa


def pg_bin() -> str | None:
    """The newest PostgreSQL bin directory, or None."""
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[4].split(".")])
    for d in reversed(dirs):
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    found = shutil.which("initdb")
    return os.path.dirname(found) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server() -> Iterator[str]:
    """Yield an admin URL of a PostgreSQL server (DATABASE_URL's, or a throwaway one)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    bindir = pg_bin()
    if bindir is None:
        raise FileNotFoundError("no PostgreSQL binaries (initdb) found")
    tmp = tempfile.mkdtemp(prefix="cc-pg-")
    as_pg: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = os.path.join(tmp, "data")
    started = False
    try:
        subprocess.run([*as_pg, f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                        "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True, cwd=tmp)
        opts = (f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        subprocess.run([*as_pg, f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(tmp, "server.log"), "-w",
                        "-t", "60", "-o", opts, "start"], check=True, capture_output=True, cwd=tmp)
        started = True
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run([*as_pg, f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"],
                           capture_output=True, cwd=tmp)
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """Create an empty database on the server, yield its URL, drop it afterwards."""
    name = "cc_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
