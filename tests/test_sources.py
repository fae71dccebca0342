"""Further sources of an article: a byte-identical copy read from another file, URL or
record is kept in ``article_sources`` (schema version 4) instead of being dropped.

Storage (SQLite always, PostgreSQL with ``-m postgres``): both sources kept, re-ingest
idempotent, concurrent writers, the batch loader, a killed-and-re-run ingest, the upgrade
from version 3; then where users see them: the ingest summary, ``show``, the API and the
article page (escaped); and the ledger, which must count the story once.
"""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from counterclaim import service
from counterclaim.cli import cli
from counterclaim.errors import NotFound
from counterclaim.pipeline import Processed
from counterclaim.store import SCHEMA_VERSION, Store
from test_batch import fake_stages  # noqa: F401 - fixture (plain-text reader, stand-in stages)
from test_store import art, claim

BODY = ("The ministry said five soldiers were killed near Fuzuli on Tuesday. "
        "Officials in Baku said the fighting had eased by the evening.")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sources.db'}"
    return request.getfixturevalue("pg_url")


def processed(source: str, *, doc: str | None = None, url: str | None = None, outlet: str | None = "Wire One",
              title: str = "Five killed near Fuzuli", published: str | None = "2020-10-06", text: str = BODY
              ) -> Processed:
    """The same body as read from another input (its own metadata), with one claim."""
    a = replace(art(text, doc=doc or os.path.basename(source), published=published, title=title, outlet=outlet),
                source=source, url=url)
    return Processed(a, [claim(a, re.match(r"[^.]+\.", a.text).group())], "nk2020", "test-1")


def ledger_of(st: Store) -> dict:
    from counterclaim.ledger import build_ledger
    return build_ledger(st.claim_dicts_for_ledger(), parties=["ARM", "AZE"])


# ------------------------------------------------------------------------------ storage

def test_a_byte_identical_copy_keeps_its_source_and_leaves_the_article_alone(url):
    first = processed("/in/wire.txt")
    copy = processed("/mirror/repost.html", outlet="Mirror Daily", title="Repost: five killed",
                     url="https://mirror.example/repost", published="2020-10-07")
    with Store(url) as st:
        assert st.add(first).status == "new"
        before = st.dump(exclude=())
        res = st.add(copy)
        assert (res.status, res.source_added, res.claims) == ("unchanged", True, 0)
        after = st.dump(exclude=())
        assert before.pop("article_sources") == [] and len(after.pop("article_sources")) == 1
        assert after == before                                  # the article's rows are untouched
        assert st.count_articles() == 1 and st.count_claims() == 1
        srcs = st.sources(first.article.id[:8])
        assert [(s["source"], s["outlet"], s["url"], s["published"], s["first"]) for s in srcs] == [
            ("/in/wire.txt", "Wire One", None, "2020-10-06", True),
            ("/mirror/repost.html", "Mirror Daily", "https://mirror.example/repost", "2020-10-07", False)]
        assert srcs[1]["title"] == "Repost: five killed" and srcs[1]["doc"] == "repost.html"
        assert srcs[0]["first_seen"] == st.article(first.article.id)["ingested_at"]
        with pytest.raises(NotFound):
            st.sources("ffffffffffffffffffffffff")


def test_re_ingesting_any_source_changes_nothing(url):
    first, copy = processed("/in/wire.txt"), processed("https://mirror.example/a", outlet="Mirror")
    with Store(url) as st:
        st.add(first)
        assert st.add(copy).source_added
        before = st.dump(exclude=())                       # first_seen included
        for p in (first, copy, copy, first):
            res = st.add(p)
            assert (res.status, res.source_added) == ("unchanged", False)
        assert st.dump(exclude=()) == before
        assert len(st.sources(first.article.id)) == 2      # the same URL twice is one row


def test_records_of_one_file_are_separate_sources(url):
    """A JSONL/WARC/feed file holds many records under one ``source``: ``doc`` tells them apart."""
    recs = [processed("/in/dump.jsonl", doc=f"https://site{i}.example/story", url=f"https://site{i}.example/story",
                      outlet=f"Site {i}") for i in range(3)]
    with Store(url) as st:
        assert [st.add(p).status for p in recs] == ["new", "unchanged", "unchanged"]
        assert [s["outlet"] for s in st.sources(recs[0].article.id)] == ["Site 0", "Site 1", "Site 2"]


def test_add_many_keeps_copies_within_a_batch_and_across_batches(url):
    other = processed("/in/other.txt", text="A different story: 7 drones were shot down over Ganja overnight.")
    items = [processed("/in/a.txt"), processed("/in/b.txt", outlet="B"), other, processed("/in/c.txt", outlet="C")]
    with Store(url) as st:
        assert st.add_many(items, batch_size=2) == {"new": 2, "syndicated": 0, "unchanged": 2}
        assert [s["source"] for s in st.sources(items[0].article.id)] == ["/in/a.txt", "/in/b.txt", "/in/c.txt"]
        assert [s["source"] for s in st.sources(other.article.id)] == ["/in/other.txt"]
        before = st.dump(exclude=())
        assert st.add_many(items) == {"new": 0, "syndicated": 0, "unchanged": 4}
        assert st.dump(exclude=()) == before


def test_concurrent_writers_of_one_body_from_different_inputs(url):
    """Each thread reads the same story from its own input, all at once: one article, every input kept."""
    copies = [processed(f"/in/site{i}.txt", outlet=f"Site {i}") for i in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(copies), timeout=120)

    def worker(p: Processed) -> None:
        try:
            with Store(url) as st:
                start.wait()
                for _ in range(3):
                    st.add(p)
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(p,)) for p in copies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(url) as st:
        assert st.count_articles() == 1 and st.count_claims() == 1
        srcs = st.sources(copies[0].article.id)
        assert sorted(s["source"] for s in srcs) == [f"/in/site{i}.txt" for i in range(4)]
        assert sum(s["first"] for s in srcs) == 1
        assert len(st.dump()["article_sources"]) == 3


def test_sources_go_with_their_article(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    first = processed("/in/a.txt")
    with Store(url) as st:
        st.add(first)
        st.add(processed("/in/b.txt"))
        with st.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM articles"))
        assert st.dump()["article_sources"] == []          # ON DELETE CASCADE


def test_the_ledger_counts_a_cross_posted_story_once(url, tmp_path):
    """The copy is the same article: its claims are not stored again, so no figure doubles."""
    first, copy = processed("/in/wire.txt"), processed("https://mirror.example/a", outlet="Mirror")
    single = f"sqlite:///{tmp_path / 'single.db'}"
    with Store(single) as st:
        st.add(first)
        once = ledger_of(st)
    with Store(url) as st:
        st.add(first)
        st.add(copy)
        assert ledger_of(st) == once
        (series,) = once["series"]
        points = [p for g in series["groups"].values() for cl in g["claimants"] for p in cl["points"]]
        assert [p["value"] for p in points] == [5]


# -------------------------------------------------------------------- batch load (no Spark)

def test_batch_load_of_two_identical_files_keeps_both_sources(fake_stages, tmp_path, db_url):  # noqa: F811
    """``counterclaim load`` goes through ``Store.add_many``: a second row of one article
    id (the same body in another file) is recorded as a further source, once."""
    pytest.importorskip("pyarrow")
    from test_batch import STORY, write_batch_dir

    from counterclaim.batch import _partition as P
    from counterclaim.batch import load_batch

    rows = list(P.process_partition([("file:/in/a.txt", STORY.encode()), ("file:/mirror/b.txt", STORY.encode())]))
    assert rows[0]["article"]["id"] == rows[1]["article"]["id"]
    write_batch_dir(tmp_path / "out", rows)
    first = load_batch(str(tmp_path / "out"), db=db_url)
    assert (first.articles_new, first.articles_unchanged) == (1, 1)
    with Store(db_url) as st:
        aid = rows[0]["article"]["id"]
        assert sorted(s["source"] for s in st.sources(aid)) == ["/in/a.txt", "/mirror/b.txt"]
        dump = st.dump(exclude=())
    again = load_batch(str(tmp_path / "out"), db=db_url)
    assert (again.articles_new, again.articles_unchanged) == (0, 2)
    with Store(db_url) as st:
        assert st.dump(exclude=()) == dump


# ------------------------------------------------------------------ schema version 4 upgrade

def test_upgrade_from_version_3_adds_the_table_and_keeps_rows(url):
    from alembic import command

    from counterclaim.store._migrate import alembic_config

    eng = sa.create_engine(url)
    with eng.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
        conn.execute(sa.text("INSERT INTO meta(key, value) VALUES ('schema_version', '3')"))
        conn.execute(sa.text(
            "INSERT INTO articles(id, doc, source, format, tags, media, raw, text, ingested_at, cluster) VALUES "
            "(:id, 'a.txt', '/in/a.txt', 'text', '[]', '[]', '', :t, '2026-11-20T08:00:00+00:00', :id)"),
            {"id": processed("/in/a.txt").article.id, "t": BODY})
        assert "article_sources" not in sa.inspect(conn).get_table_names()
    eng.dispose()
    with Store(url) as st:
        assert st.schema_version() == SCHEMA_VERSION >= 4
        with st.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0004"
            cols = [c["name"] for c in sa.inspect(conn).get_columns("article_sources")]
        assert cols == ["article_id", "source", "doc", "url", "outlet", "title", "published", "first_seen"]
        aid = processed("/in/a.txt").article.id
        assert [s["source"] for s in st.sources(aid)] == ["/in/a.txt"]
        res = st.add(processed("/in/b.txt"))                 # the old article gains a source
        assert (res.status, res.source_added) == ("unchanged", True)
        assert [s["source"] for s in st.sources(aid)] == ["/in/a.txt", "/in/b.txt"]


# -------------------------------------------------------------------- ingest and the CLI

@pytest.fixture
def stages(monkeypatch):
    from test_service import _ns
    _ns["install"](monkeypatch)


def _identical_copies(d: Path) -> Path:
    """Two stories, the first also saved byte for byte at a second place (another name, another folder)."""
    (d / "mirror").mkdir(parents=True)
    story = "Frontline update\n\nThe ministry said 12 soldiers were killed near Xville on Monday.\n"
    (d / "a_wire.txt").write_text(story, encoding="utf-8")
    (d / "mirror" / "repost.txt").write_text(story, encoding="utf-8")
    (d / "b_other.txt").write_text("Another update\n\nOfficials said 3 drones were downed near Ganja.\n",
                                   encoding="utf-8")
    return d


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_ingest_summary_says_a_new_source_was_recorded(stages, url, tmp_path):
    src = _identical_copies(tmp_path / "in")
    r = run("ingest", str(src), "--db", url, "-q")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == "2 new, 1 unchanged (1 new source recorded), 0 syndicated, 0 failed"
    r = run("ingest", str(src), "--db", url, "-q")
    assert r.stdout.strip() == "0 new, 3 unchanged, 0 syndicated, 0 failed"
    s = service.ingest_sources([str(src / "mirror")], db=url)     # the copy alone: known already
    assert (s.unchanged, s.new_sources) == (1, 0)
    (tmp_path / "third").mkdir()
    (tmp_path / "third" / "again.txt").write_bytes((src / "a_wire.txt").read_bytes())
    s = service.ingest_sources([str(tmp_path / "third"), str(tmp_path / "third" / "again.txt")], db=url)
    assert (s.unchanged, s.new_sources) == (2, 1)
    assert s.line() == "0 new, 2 unchanged (1 new source recorded), 0 syndicated, 0 failed"
    s.new_sources = 2
    assert "(2 new sources recorded)" in s.line()


def test_show_lists_where_else_the_text_was_published(stages, tmp_path):
    src = _identical_copies(tmp_path / "in")
    db = f"sqlite:///{tmp_path / 'show.db'}"
    run("ingest", str(src), "--db", db, "-q")
    rows = json.loads(run("articles", "--db", db, "--json").stdout)
    wire = next(a for a in rows if a["source"].endswith("a_wire.txt"))
    other = next(a for a in rows if a["source"].endswith("b_other.txt"))
    out = run("show", wire["id"][:10], "--db", db).stdout
    lines = out.splitlines()
    i = lines.index("also published at:  1 more")
    assert lines[i + 1].strip().endswith(str(src / "mirror" / "repost.txt"))
    assert lines[i + 2].startswith("claims:")
    assert f"source:             {src / 'a_wire.txt'}" in lines                  # the first source stays
    assert "also published at" not in run("show", other["id"], "--db", db).stdout
    data = json.loads(run("show", wire["id"], "--db", db, "--json").stdout)
    assert [(s["source"], s["first"]) for s in data["sources"]] == [
        (str(src / "a_wire.txt"), True), (str(src / "mirror" / "repost.txt"), False)]


def test_show_names_the_url_and_the_record_of_a_copy_in_a_dump(tmp_path):
    from counterclaim.cli._ingest import _source_line
    base = {"published": None, "outlet": None, "url": None, "title": None, "first_seen": "x", "first": False}
    assert _source_line({**base, "source": "/in/a.txt", "doc": "a.txt"}) == "----------  -  /in/a.txt"
    assert _source_line({**base, "source": "/in/d.jsonl", "doc": "d.jsonl#3"}) == "----------  -  /in/d.jsonl  [d.jsonl#3]"
    assert _source_line({**base, "source": "/in/d.jsonl", "doc": "https://x.example/s", "url": "https://x.example/s",
                         "outlet": "X", "published": "2020-10-01"}) == "2020-10-01  X  https://x.example/s  [/in/d.jsonl]"


@pytest.mark.slow
def test_sigkill_half_way_with_identical_copies_then_rerun_equals_clean_run(tmp_path):
    """Kill -9 an ingest of inputs holding byte-identical copies half-way, re-run: the rows,
    ``article_sources`` included, equal a clean run's (``first_seen``/``ingested_at`` aside)."""
    from test_service import _count, runner_script, write_corpus

    src = write_corpus(tmp_path / "in", 90)
    for i in range(0, 90, 3):       # every third report also saved under another name (read right after it)
        (src / f"report_{i:03d}_mirror.txt").write_bytes((src / f"report_{i:03d}.txt").read_bytes())
    total, mirrors = 93, 30
    cmd = [sys.executable, str(runner_script(tmp_path))]
    env = {**os.environ, "CC_TEST_STAGE_DELAY": "0.02"}
    clean_db, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    done = subprocess.run([*cmd, "ingest", str(src), "--db", f"sqlite:///{clean_db}", "-q"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f"{total - 1} new, {mirrors} unchanged ({mirrors} new sources recorded), "
                                   "1 syndicated, 0 failed")

    proc = subprocess.Popen([*cmd, "ingest", str(src), "--db", f"sqlite:///{killed_db}", "-q"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while _count(killed_db) < 40 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = _count(killed_db)
    assert 40 <= stored < total, stored
    with sqlite3.connect(killed_db) as conn:
        recorded = conn.execute("SELECT count(*) FROM article_sources").fetchone()[0]
    assert 0 < recorded < mirrors, recorded                  # killed among the copies
    again = subprocess.run([*cmd, "ingest", str(src), "--db", f"sqlite:///{killed_db}", "-q"],
                           env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    counts = [int(n) for n in re.findall(r"\d+", again.stdout.strip().splitlines()[-1])]
    new, unchanged, added, syndicated, failed = counts
    assert (new + syndicated, unchanged, added, failed) == (total - stored, stored + mirrors, mirrors - recorded, 0)
    with Store(f"sqlite:///{clean_db}") as a, Store(f"sqlite:///{killed_db}") as b:
        clean = a.dump()
        assert len(clean["article_sources"]) == mirrors
        assert b.dump() == clean


# ---------------------------------------------------------------------------------- web

TOKEN = "test-token-0123456789"
XSS_OUTLET = "<img src=x onerror=alert('outlet')>"
XSS_SOURCE = "/in/<script>alert('source')</script>.html"


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    from fastapi.testclient import TestClient

    from counterclaim._settings import get_settings
    from counterclaim.web import create_app
    d = tmp_path_factory.mktemp("web")
    db = f"sqlite:///{d / 'web.db'}"
    first = processed("/in/wire.txt")
    alone = processed("/in/alone.txt", text="A separate report: 4 shells hit a depot near Tartar at dawn.")
    with Store(db) as st:
        st.add(first)
        st.add(alone)
        st.add(processed("https://mirror.example/a?x=1&y=2", url="https://mirror.example/a?x=1&y=2",
                         outlet="Mirror Daily", published="2020-10-07"))
        st.add(processed(XSS_SOURCE, url="javascript:alert('url')", outlet=XSS_OUTLET))
    settings = get_settings(env={}, token=TOKEN, cache_dir=str(d / "cache"))
    with TestClient(create_app(settings, db=db)) as c:
        yield c, first.article.id, alone.article.id


def test_api_article_lists_its_sources(web):
    c, aid, alone = web
    data = c.get(f"/api/articles/{aid}").json()
    own, *more = data["sources"]
    assert (own["source"], own["outlet"], own["first"]) == ("/in/wire.txt", "Wire One", True)
    assert sorted((s["source"], s["outlet"], s["first"]) for s in more) == [
        (XSS_SOURCE, XSS_OUTLET, False), ("https://mirror.example/a?x=1&y=2", "Mirror Daily", False)]
    assert [s["first_seen"] for s in more] == sorted(s["first_seen"] for s in more)
    assert set(data["sources"][0]) == {"source", "doc", "url", "outlet", "title", "published", "first_seen", "first"}
    assert [s["first"] for s in c.get(f"/api/articles/{alone}").json()["sources"]] == [True]
    assert c.get(f"/articles/{aid}?format=json").json()["sources"] == data["sources"]


def test_article_page_lists_the_other_sources_escaped(web):
    c, aid, alone = web
    html = c.get(f"/articles/{aid}").text
    assert "also published at" in html and 'id="sources"' in html
    block = html[html.index('id="sources"'):html.index("</ul>", html.index('id="sources"'))]
    assert 'href="https://mirror.example/a?x=1&amp;y=2"' in block and "Mirror Daily" in block
    assert "&lt;img src=x onerror=alert(&#39;outlet&#39;)&gt;" in block
    assert "&lt;script&gt;alert(&#39;source&#39;)&lt;/script&gt;" in block
    assert "<script>" not in block and "<img" not in block
    assert 'href="javascript' not in html and "javascript:alert(&#39;url&#39;)" in block   # shown, not linked
    assert "/in/wire.txt" not in block                                       # the article's own source is above
    assert 'id="sources"' not in c.get(f"/articles/{alone}").text
