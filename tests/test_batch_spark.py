"""The Spark batch job end to end (marked ``spark``; one local[2] session for the module).

Equivalence with the in-process pipeline on the sample corpus: the batch job's claims
equal ``counterclaim extract``'s (same keys, values, spans), its clusters equal
``counterclaim ingest``'s, ``batch -> load -> ledger`` equals ``ingest -> ledger``, and
every source of a byte-identical copy reaches ``article_sources`` as ingest records it.
"""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.spark

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")


def _stages_present() -> bool:
    try:
        import counterclaim.claims as c
        import counterclaim.ingest as i
        import counterclaim.places as p
        return all(hasattr(m, n) for m, n in ((i, "read_sources"), (c, "extract"), (p, "geolocate")))
    except ImportError:
        return False


needs_stages = pytest.mark.skipif(not _stages_present(), reason="ingest/claims/places stages not present")


@pytest.fixture(scope="session")
def spark():
    from counterclaim.batch import make_session
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = make_session("local[2]", "pytest-counterclaim", partitions=2)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(corpus_dir: Path, tmp_path_factory) -> Path:
    """A snapshot of the sample corpus (every run below reads the very same bytes)."""
    import shutil
    files = [p for p in corpus_dir.rglob("*") if p.is_file() and not p.name.startswith((".", "_"))]
    if not files:
        pytest.skip("examples/corpus is empty")
    snap = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(corpus_dir, snap)
    return snap


@pytest.fixture(scope="module")
def batch_out(spark, corpus, tmp_path_factory):
    from counterclaim.batch import run_batch
    out = tmp_path_factory.mktemp("batch") / "out"
    summary = run_batch([str(corpus)], str(out), spark=spark, partitions=2)
    return out, summary


def _key(d: dict) -> tuple:
    span = d.get("span")
    return (d["doc"], d["claimant_side"], d["claimant"], d["subject_side"], d["metric"], d["category"],
            d["value"], d["value_max"], d["approx"], d["stance"], tuple(d.get("places") or []), d["date"],
            d["evidence"], tuple(span) if span else None)


@needs_stages
def test_batch_claims_equal_extract_claims(batch_out, corpus):
    from click.testing import CliRunner

    from counterclaim.batch import read_table
    from counterclaim.batch._partition import claim_from_row
    from counterclaim.cli import cli
    out, summary = batch_out
    res = CliRunner().invoke(cli, ["extract", str(corpus)])
    assert res.exit_code in (0, 1), res.output
    # an input whose cleaned body is identical to an earlier one is the same article (same id,
    # same claim ids): batch keeps it once, as ingest does, so compare with extract's first copy
    first: dict[str, dict] = {}
    for line in res.stdout.splitlines():
        if line.startswith("{"):
            d = json.loads(line)
            first.setdefault(d["id"], d)
    expected = Counter(_key(d) for d in first.values())
    got = Counter(_key(claim_from_row(r)) for r in read_table(str(out), "claims"))
    assert expected, "extract found no claims in the corpus"
    assert got - expected == Counter() and expected - got == Counter(), (got - expected, expected - got)
    assert summary.claims == sum(got.values())
    # the tables are where the docs say, readable by DuckDB
    duckdb = pytest.importorskip("duckdb")
    n = duckdb.sql(f"select count(*) from read_parquet('{out}/claims/**/*.parquet', hive_partitioning=true)")
    assert n.fetchall()[0][0] == sum(got.values())


@needs_stages
def test_batch_clusters_and_ledger_equal_ingest(batch_out, corpus, tmp_path):
    from counterclaim.batch import load_batch
    from counterclaim.ledger import build_ledger
    from counterclaim.service import ingest_sources
    from counterclaim.store import Store
    out, summary = batch_out
    direct, loaded = f"sqlite:///{tmp_path / 'direct.db'}", f"sqlite:///{tmp_path / 'loaded.db'}"
    ingest_sources([str(corpus)], db=direct)
    first = load_batch(str(out), db=loaded)
    again = load_batch(str(out), db=loaded)
    assert first.articles_new + first.articles_syndicated == summary.articles
    assert again.articles_unchanged == summary.articles and again.articles_new == 0
    assert first.sources_added == summary.duplicates and again.sources_added == 0

    def view(url: str) -> tuple[dict, dict, list]:
        with Store(url) as store:
            arts = store.articles(limit=10_000)
            clusters = {a["id"]: a["cluster"] for a in arts}
            claims = sorted(c["id"] for c in store.iter_claims())
            ledger = build_ledger(store.claim_dicts_for_ledger())
        return clusters, ledger, claims

    d_clusters, d_ledger, d_claims = view(direct)
    l_clusters, l_ledger, l_claims = view(loaded)
    assert l_clusters == d_clusters
    assert l_claims == d_claims
    assert l_ledger == d_ledger
    if any(a != c for a, c in d_clusters.items()):
        assert summary.syndicated == sum(1 for a, c in d_clusters.items() if a != c)
    # the same first copy of each article, the same further sources
    with Store(direct) as d, Store(loaded) as b:
        want, got = d.dump(), b.dump()
    first_input = {t: sorted(r[:3] for r in want[t]) for t in ("articles", "article_sources")}
    assert {t: sorted(r[:3] for r in got[t]) for t in first_input} == first_input
    assert got["article_sources"] == want["article_sources"]
    assert len(got["article_sources"]) == summary.duplicates


@needs_stages
def test_bad_inputs_become_error_rows_not_a_failed_job(spark, tmp_path):
    from counterclaim.batch import read_table, run_batch
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_text("   \n")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 40)
    summary = run_batch([str(src)], str(tmp_path / "out"), spark=spark)
    errors = list(read_table(str(tmp_path / "out"), "errors"))
    assert summary.errors == len(errors) == 2 and summary.articles == 0
    assert {Path(e["input"]).name for e in errors} == {"empty.txt", "binary.txt"}
    assert all(e["error_code"].startswith("E1") and e["error"] for e in errors)


@needs_stages
def test_identical_copies_in_a_batch_are_all_sources_after_load_as_after_ingest(spark, corpus, tmp_path):
    """Two files with one body, and a JSONL file with one body under two URLs (the second
    URL sorting first): the batch keeps each article once, every copy in ``sources``, and
    ``load`` leaves the rows ``ingest`` of the same files leaves (``article_sources`` too)."""
    from counterclaim.batch import load_batch, read_table, run_batch
    from counterclaim.service import ingest_sources
    from counterclaim.store import Store
    src = tmp_path / "in"
    (src / "mirror").mkdir(parents=True)
    story = (corpus / "nk20_wire_sep27.txt").read_bytes()
    (src / "a_wire.txt").write_bytes(story)
    (src / "mirror" / "repost.txt").write_bytes(story)
    tally = (corpus / "ua_genstaff_2024-12-14.txt").read_text(encoding="utf-8")
    (src / "dump.jsonl").write_text("".join(json.dumps({"url": u, "text": tally}) + "\n" for u in
                                            ("https://z.example/first", "https://a.example/second")))
    summary = run_batch([str(src)], str(tmp_path / "out"), spark=spark, partitions=2)
    assert (summary.records, summary.articles, summary.duplicates, summary.errors) == (4, 2, 2, 0)
    sources = sorted((r["source"], r["doc"], r["is_first"]) for r in read_table(str(tmp_path / "out"), "sources"))
    assert sources == sorted([(f"{src}/a_wire.txt", "a_wire.txt", True),
                              (f"{src}/mirror/repost.txt", "repost.txt", False),
                              (f"{src}/dump.jsonl", "https://z.example/first", True),
                              (f"{src}/dump.jsonl", "https://a.example/second", False)])
    assert sorted(r["doc"] for r in read_table(str(tmp_path / "out"), "articles")) == [
        "a_wire.txt", "https://z.example/first"]     # ingest's first copies: file order, record order

    direct, loaded = f"sqlite:///{tmp_path / 'direct.db'}", f"sqlite:///{tmp_path / 'loaded.db'}"
    assert ingest_sources([str(src)], db=direct).new_sources == 2
    first = load_batch(str(tmp_path / "out"), db=loaded)
    assert (first.articles_new, first.sources_added) == (2, 2)
    with Store(direct) as d, Store(loaded) as b:
        want, got = d.dump(), b.dump()
        assert len(got["article_sources"]) == 2 and got["article_sources"] == want["article_sources"]
        assert got == want
        dump = b.dump(exclude=())
    assert load_batch(str(tmp_path / "out"), db=loaded).sources_added == 0
    with Store(loaded) as b:
        assert b.dump(exclude=()) == dump
