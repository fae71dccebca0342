"""The ingest-side commands: ingest, articles, show, reextract, export."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.cli import cli

FIX = Path(__file__).resolve().parent / "fixtures" / "syndication"
ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).with_name("counterclaim")


@pytest.fixture
def stages(monkeypatch):
    from test_service import _ns
    _ns["install"](monkeypatch)


@pytest.fixture
def corpus(tmp_path) -> Path:
    from test_service import write_corpus
    return write_corpus(tmp_path / "in", 3)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cli.db'}"
    return request.getfixturevalue("pg_url")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_ingest_then_list_show_export(stages, corpus, any_db, tmp_path):
    db_url = any_db
    r = run("ingest", str(corpus), "--db", db_url)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "5 new, 0 unchanged, 1 syndicated, 0 failed"
    r = run("ingest", str(corpus), "--db", db_url, "--quiet")
    assert r.stdout.strip() == "0 new, 6 unchanged, 0 syndicated, 0 failed"

    r = run("articles", "--db", db_url, "--json")
    rows = json.loads(r.stdout)
    assert len(rows) == 6
    assert {"id", "source", "title", "outlet", "published", "cluster", "claims", "ingested_at"} <= set(rows[0])
    copy = next(a for a in rows if a["source"].endswith("tovuz_a_copy.txt"))
    orig = next(a for a in rows if a["source"].endswith("tovuz_a.txt"))
    assert copy["cluster"] == orig["cluster"]
    r = run("articles", "--db", db_url, "--json", "--cluster", orig["cluster"])
    assert len(json.loads(r.stdout)) == 2
    r = run("articles", "--db", db_url)
    assert len(r.stdout.strip().splitlines()) == 6 and "6 articles" in r.stderr

    with_claims = next(a for a in rows if a["claims"])
    r = run("show", with_claims["id"][:8], "--db", db_url)
    assert r.exit_code == 0 and with_claims["id"] in r.stdout and "claims:" in r.stdout
    r = run("show", with_claims["id"][:8], "--db", db_url, "--json")
    shown = json.loads(r.stdout)
    assert shown["id"] == with_claims["id"] and len(shown["claims"]) == with_claims["claims"]
    r = run("show", with_claims["id"], "--db", db_url, "--text")
    assert r.stdout.rstrip("\n") == shown["text"]
    r = run("show", with_claims["id"], "--db", db_url, "--raw")
    assert r.stdout.rstrip("\n") == shown["raw"].rstrip("\n")
    r = run("show", "ffffffffff", "--db", db_url)
    assert r.exit_code == 1 and r.stderr.startswith("counterclaim: no article")

    out = tmp_path / "claims.jsonl"
    r = run("export", "--db", db_url, "--format", "jsonl", "--out", str(out))
    assert r.exit_code == 0
    exported = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(exported) == sum(a["claims"] for a in rows)
    r = run("export", "--db", db_url, "--format", "csv")
    assert r.stdout.splitlines()[0].startswith("id,article_id,conflict,doc,")
    r = run("export", "--db", db_url, "--format", "csv", "--out", str(tmp_path / "nope" / "x.csv"))
    assert r.exit_code != 0 and "Traceback" not in r.output

    r = run("reextract", "--db", db_url)
    assert r.exit_code == 0 and r.stdout.startswith("6 articles re-extracted")


def test_bad_inputs_one_line_each_exit_1_good_ones_stored(stages, corpus, db_url, tmp_path):
    (tmp_path / "some.bin").write_bytes(bytes(range(256)) * 8)
    good = corpus / "report_000.txt"
    r = run("ingest", "/dev/null", str(tmp_path / "some.bin"), str(tmp_path / "missing.txt"),
            "http://127.0.0.1:9/x", str(good), "--db", db_url)
    assert r.exit_code == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 4, r.stderr
    for name, line in zip(["/dev/null", "some.bin", "missing.txt", "http://127.0.0.1:9/x"], lines):
        assert line.startswith("counterclaim: ") and name in line
    assert r.stdout.strip() == "1 new, 0 unchanged, 0 syndicated, 4 failed"


@pytest.mark.slow
def test_must_show_bad_inputs_as_a_real_process(tmp_path):
    """`counterclaim ingest /dev/null some.bin missing.txt http://127.0.0.1:9/x`: exit 1, no traceback."""
    (tmp_path / "some.bin").write_bytes(bytes(range(256)) * 8)
    env = {k: v for k, v in os.environ.items() if k != "COUNTERCLAIM_DEBUG"}
    p = subprocess.run([str(EXE), "ingest", "/dev/null", "some.bin", "missing.txt", "http://127.0.0.1:9/x",
                        "--db", f"sqlite:///{tmp_path / 'x.db'}"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 4
    assert p.stdout.strip() == "0 new, 0 unchanged, 0 syndicated, 4 failed"


def test_bad_db_and_options_are_one_line(stages, corpus, tmp_path):
    r = run("ingest", str(corpus), "--db", f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1 and "directory" in r.stderr
    r = run("ingest", str(corpus), "--format", "pdf")
    assert r.exit_code == 2
    r = run("export", "--db", f"sqlite:///{tmp_path / 'e.db'}", "--format", "jsonl")
    assert r.exit_code == 0 and r.stdout == ""


def test_recluster_command_repairs_a_broken_cluster(tmp_path):
    import sqlalchemy as sa
    from click.testing import CliRunner

    from counterclaim.cli import cli
    from counterclaim.store import Store
    from counterclaim.store._schema import articles

    story = ("The regional council said on Monday that repair crews had restored power to four districts "
             "after the storm, and that the last two villages would be reconnected by Thursday evening.")
    (tmp_path / "a.txt").write_text("Power back in four districts\n\n" + story + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Storm repairs: update\n\n" + story + " Residents were asked to stay patient.\n",
                                    encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'r.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--db", db, "-q"]).exit_code == 0
    with Store(db) as store:
        before = {r["id"]: r["cluster"] for r in store.articles()}
        assert len(set(before.values())) == 1
        with store.engine.begin() as conn:      # break it, as two blind writers could
            conn.execute(sa.update(articles).values(cluster=articles.c.id))
    out = runner.invoke(cli, ["recluster", "--db", db])
    assert out.exit_code == 0, out.output
    with Store(db) as store:
        assert {r["id"]: r["cluster"] for r in store.articles()} == before
