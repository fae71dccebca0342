"""PostgreSQL-only checks (the store/service/CLI suites also run on PostgreSQL via ``-m postgres``):
two ``counterclaim ingest`` processes at once leave no duplicate, plain ``postgresql://`` URLs work."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from counterclaim.store import Store

pytestmark = pytest.mark.postgres
HERE = Path(__file__).resolve().parent


def _pg():
    spec = importlib.util.spec_from_file_location("counterclaim_tests_pg", HERE / "pg.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_plain_postgresql_url_uses_psycopg(pg_url):
    plain = sa.make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with Store(plain) as st:
        assert st.engine.dialect.driver == "psycopg"
        assert st.stats()["articles"] == 0


@pytest.mark.slow
def test_two_ingest_processes_at_once_leave_no_duplicate(pg_url, pg_admin_url, tmp_path):
    from test_service import runner_script, write_corpus

    src = write_corpus(tmp_path / "in", 60)
    script = runner_script(tmp_path)
    cmd = [sys.executable, str(script), "ingest", str(src), "--db", pg_url, "-q"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    stored = 0
    for out, _ in outs:
        new, unchanged, syndicated, failed = (int(x.split()[0]) for x in out.strip().splitlines()[-1].split(", "))
        assert failed == 0 and new + unchanged + syndicated == 63
        stored += new + syndicated
    assert stored == 63                                   # each article stored by exactly one process

    with _pg().fresh_database(pg_admin_url) as single_url:
        one = subprocess.run([sys.executable, str(script), "ingest", str(src), "--db", single_url, "-q"],
                             capture_output=True, text=True, timeout=300)
        assert one.returncode == 0, one.stderr
        with Store(pg_url) as both, Store(single_url) as single:
            both.recluster()                              # concurrent writers cannot see each other's copies
            a, b = both.dump(), single.dump()
            for table in ("articles", "claims", "signatures", "lsh_bands"):
                assert len(a[table]) == len(set(a[table])), table       # no duplicate rows
            assert a == b
