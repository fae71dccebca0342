"""Fast tests of the batch job's plain-Python parts (no Spark): row format, partition
processing, syndication helpers, ledger flattening and ``load`` from Parquet."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from counterclaim import pipeline
from counterclaim.batch import _partition as P
from counterclaim.errors import EmptyInput, InputError
from counterclaim.records import Article, Claim, RawDoc, article_id

STORY = ("Artillery units fired on the outskirts of the town overnight, the regional governor said on "
         "Wednesday, adding that repair crews had restored power to most districts by the morning. "
         "He said the shelling damaged a school, two shops and a warehouse near the railway station, "
         "and that emergency workers were still clearing rubble from the main road into the centre. "
         "Residents queued for water at three distribution points set up by volunteers in the park.")
OTHER = ("The defence ministry announced a new round of reservist call-ups on Friday and published "
         "a list of collection points in each province, while opposition deputies demanded a debate "
         "on the length of service and on pay for the families of those who were mobilised last year. "
         "A spokesman declined to say how many people would receive papers in the coming weeks.")


def make_claim(aid: str = "a" * 24, **kw) -> Claim:
    base = dict(doc="x.txt", claimant_side="AZE", claimant="AZE.MOD", subject_side="ARM", metric="destroyed",
                category="tank", value=12, value_max=None, approx="at_least", stance="assert",
                places=["Hadrut"], date="2020-10-05", evidence="The ministry said 12 tanks were destroyed.",
                article_id=aid, conflict="nk", span=(10, 52), number_span=(27, 29), rule="test",
                actor_raw="the ministry", scope=None, increment=None, confidence=0.9,
                geo=[{"name": "Hadrut", "lat": 39.52, "lon": 47.03, "country": "AZ", "precision": "exact",
                      "feature": "PPL", "source": "geonames", "score": 1.0}])
    base.update(kw)
    return Claim(**base)


def make_article(text: str = STORY, **kw) -> Article:
    base = dict(id=article_id(text), doc="story.txt", source="/in/story.txt", format="text", text=text,
                raw=text, title="A title", outlet="Wire", published="2020-10-05", tags=["war"], media=[])
    base.update(kw)
    return Article(**base)


# -- row format --------------------------------------------------------------------------
def test_claim_row_round_trip_keeps_every_field_and_the_id():
    c = make_claim(geo=[{"name": "Hadrut", "unresolved": True},
                        {"name": "Fuzuli", "lat": 39.6, "lon": 47.1, "country": "AZ", "precision": "exact",
                         "feature": "PPL", "source": "geonames", "score": 0.8}])
    row = P.claim_row(c, article_published="2020-10-06")
    assert [k for k, _ in P.CLAIM_FIELDS] == list(row)
    assert (row["span_start"], row["span_end"], row["number_start"], row["number_end"]) == (10, 52, 27, 29)
    assert (row["place"], row["lat"], row["lon"]) == ("Fuzuli", 39.6, 47.1)  # first RESOLVED place
    assert row["month"] == "2020-10"
    back = P.claim_from_row(json.loads(json.dumps(row)))
    assert back == c.to_dict()
    assert back["id"] == row["id"] == c.id


def test_claim_row_without_spans_date_or_geo():
    c = make_claim(span=None, number_span=None, date=None, geo=[], confidence=None)
    row = P.claim_row(c, article_published=None)
    assert row["span_start"] is None and row["place"] is None and row["month"] == "unknown"
    assert P.claim_from_row(row) == c.to_dict()


def test_article_row_round_trip():
    a = make_article()
    row = P.article_row(a, conflict="nk", extracted_with="v1", ingested_at="2026-01-01T00:00:00+00:00",
                        minhash=[1, 2], features=[5, 9], n_shingles=2)
    assert [k for k, _ in P.ARTICLE_FIELDS] == list(row)
    assert row["month"] == "2020-10" and row["conflict"] == "nk"
    back = P.article_from_row(row)
    assert Article.from_dict(back) == a
    assert back["extracted_with"] == "v1"


def test_result_ddl_names_every_column():
    for name, _ in P.ARTICLE_FIELDS + P.CLAIM_FIELDS:
        assert f"`{name}`" in P.RESULT_DDL
    assert P.RESULT_DDL.startswith("file string, input string, error_code string, error string")


@pytest.mark.parametrize("date,month", [("2020-10-05", "2020-10"), (None, "unknown"), ("", "unknown"),
                                        ("Oct 5", "unknown")])
def test_month_of(date, month):
    assert P.month_of(date) == month


def test_display_source_names_files_under_the_input_as_given():
    pre = [("/work/main/examples/corpus", "examples/corpus"), ("/data/one.txt", "one.txt")]
    assert P.display_source("file:/work/main/examples/corpus/sub/a.txt", pre) == "examples/corpus/sub/a.txt"
    assert P.display_source("file:/data/one.txt", pre) == "one.txt"
    assert P.display_source("file:/work/main/examples/corpus2/a.txt", pre) == "/work/main/examples/corpus2/a.txt"
    assert P.display_source("hdfs://nn/x/a.txt", pre) == "hdfs://nn/x/a.txt"


def test_local_path():
    assert P.local_path("file:/tmp/a.txt") == "/tmp/a.txt"
    assert P.local_path("file:///tmp/a.txt") == "/tmp/a.txt"
    assert P.local_path("hdfs://nn/a.txt") == "hdfs://nn/a.txt"


def test_warm_up_loads_the_dictionaries_and_gazetteer_once(monkeypatch):
    from counterclaim import conflicts, places
    calls = []
    monkeypatch.setattr(P, "_WARM", set())
    monkeypatch.setattr(conflicts, "load_conflict", lambda cid, **kw: calls.append(("conflict", cid)))
    monkeypatch.setattr(places, "open_default", lambda settings=None: calls.append(("gazetteer", None)))
    P.warm_up("nk")
    P.warm_up("nk")
    assert calls == [("conflict", "nk"), ("gazetteer", None)]


# -- syndication pieces ------------------------------------------------------------------
def test_shingle_features_are_stable_and_follow_the_shingles():
    from counterclaim.syndication import shingles
    f = P.shingle_features(STORY)
    assert f == sorted(set(f)) and f == P.shingle_features(STORY)
    assert 0 < len(f) <= len(shingles(STORY)) and all(0 <= i < P.NUM_FEATURES for i in f)
    # case and punctuation are folded by THE shingle function
    assert P.shingle_features(STORY.upper().replace(",", " ")) == f
    assert set(f).isdisjoint(P.shingle_features(OTHER)) or len(set(f) & set(P.shingle_features(OTHER))) < 3


def test_confirm_pair_matches_the_in_process_rule():
    copy = "Republished from Wire. " + STORY + " Support our work: donate today."
    vals = {}
    for name, text in {"story": STORY, "copy": copy, "other": OTHER}.items():
        vals[name] = P._signature_values(text)
    ms, ns = vals["story"]
    mc, nc = vals["copy"]
    mo, no = vals["other"]
    assert P.confirm_pair(ms, ns, mc, nc, threshold=0.5)
    assert not P.confirm_pair(ms, ns, mo, no, threshold=0.5)
    rows = [("a", "b", "2020-01-02", None, ms, ns, mc, nc), ("a", "c", None, None, ms, ns, mo, no)]
    assert list(P.confirm_partition(rows, threshold=0.5)) == [("a", "b", "2020-01-02", None)]


def test_clusters_from_pairs_is_transitive_and_picks_the_earliest_then_smallest_id():
    pairs = [("b", "c"), ("c", "d"), ("x", "y")]
    published = {"b": "2020-10-03", "c": "2020-10-01", "d": "2020-10-01", "x": None, "y": None}
    out = P.clusters_from_pairs(pairs, published)
    assert out == {"b": "c", "c": "c", "d": "c", "x": "x", "y": "x"}
    # undated members sort last
    assert P.clusters_from_pairs([("a", "z")], {"a": None, "z": "2021-01-01"}) == {"a": "z", "z": "z"}
    assert P.clusters_from_pairs([], {}) == {}


def test_clusters_agree_with_the_in_process_reference():
    from counterclaim.syndication import cluster
    copy = STORY + " This article was first published by Wire."
    docs = [("id1", "2020-10-02", STORY), ("id2", "2020-10-01", copy), ("id3", None, OTHER)]
    ref = cluster(docs)
    sig = {d: P._signature_values(t) for d, _, t in docs}
    pubs = {d: p for d, p, _ in docs}
    pairs = [(a, b) for a in sig for b in sig if a < b
             and P.confirm_pair(sig[a][0], sig[a][1], sig[b][0], sig[b][1], threshold=0.5)]
    mine = P.clusters_from_pairs(pairs, pubs)
    assert {k: mine.get(k, k) for k in ref} == ref
    assert ref["id1"] == "id2"


# -- ledger rows -------------------------------------------------------------------------
def test_ledger_table_rows_type_the_ledger_rows_for_parquet():
    fields = ("conflict", "value", "counted", "running_estimate", "places")
    rows = [{"conflict": "nk", "value": 12, "counted": True, "running_estimate": "", "places": "A;B"},
            {"conflict": None, "value": None, "counted": False, "running_estimate": 40, "places": ["x"]}]
    out = list(P.ledger_table_rows({}, fields, rows))
    assert out == [("nk", 12, True, None, "A;B"), (None, None, False, 40, '["x"]')]
    ddl = P.ledger_ddl(fields)
    assert "`value`: bigint" in ddl and "`counted`: boolean" in ddl and "`places`: string" in ddl


# -- partition processing (stages replaced by small test doubles) ------------------------
@pytest.fixture
def fake_stages(monkeypatch):
    """Replace the pipeline's stage functions and the file reader with tiny test doubles so
    partition processing is tested independently of the real extractor's output."""
    def reader(data, *, name, source, settings=None):
        if name.endswith(".jsonl"):
            for i, line in enumerate(data.decode().splitlines()):
                try:
                    rec = json.loads(line)
                except ValueError:
                    yield InputError("line is not JSON", source=f"{source}#{i + 1}")
                    continue
                yield RawDoc(source=source, doc=rec["url"], data=rec["text"].encode(), format="text")
        else:
            yield RawDoc(source=source, doc=name, data=data, format="text")

    def prepare(raw, settings):
        text = raw.data.decode()
        if not text.strip():
            raise EmptyInput("empty input")
        if "BUG" in text:
            raise RuntimeError("stage exploded")
        return Article(id=article_id(text), doc=raw.doc, source=raw.source, format="text", text=text,
                       raw=text, published="2020-10-05")

    def extract(article, conflict):
        return [make_claim(article.id, doc=article.doc, conflict=None, geo=[])]

    monkeypatch.setattr(P, "_reader", lambda: reader)
    monkeypatch.setattr(P, "warm_up", lambda conflict=None, settings=None: None)
    monkeypatch.setattr(pipeline, "_prepare", prepare)
    monkeypatch.setattr(pipeline, "_detect_conflict", lambda a: "nk")
    monkeypatch.setattr(pipeline, "_extract", extract)
    monkeypatch.setattr(pipeline, "_geolocate", lambda found, a, c: found)
    monkeypatch.setattr(pipeline, "_extractor_version", lambda: "test-1")


def test_process_partition_yields_articles_and_error_rows(fake_stages):
    jsonl = "\n".join([json.dumps({"url": "https://e.x/1", "text": OTHER}), "{broken"]).encode()
    rows = list(P.process_partition([("file:/in/a.txt", STORY.encode()), ("file:/in/empty.txt", b"  "),
                                     ("file:/in/b.jsonl", jsonl), ("file:/in/bug.txt", b"BUG here")],
                                    ingested_at="2026-01-01T00:00:00+00:00"))
    assert len(rows) == 5
    assert [r["record"] for r in rows] == [0, 0, 0, 1, 0]  # position in its file, errors included
    good = [r for r in rows if r["error"] is None]
    bad = [r for r in rows if r["error"] is not None]
    assert [r["article"]["doc"] for r in good] == ["a.txt", "https://e.x/1"]
    assert good[0]["input"] == "/in/a.txt" and good[0]["article"]["source"] == "/in/a.txt"
    assert good[1]["file"] == "file:/in/b.jsonl" and [r["file"] for r in rows].count("file:/in/b.jsonl") == 2
    art = good[0]["article"]
    assert art["conflict"] == "nk" and art["extracted_with"] == "test-1" and art["month"] == "2020-10"
    assert len(art["minhash"]) == 128 and art["n_shingles"] > 0 and art["features"]
    (claim,) = good[0]["claims"]
    assert claim["conflict"] == "nk" and claim["article_id"] == art["id"]   # filled like the store does
    assert claim["id"] == P.claim_from_row(claim)["id"]
    from counterclaim.errors import ProcessingError
    assert sorted(r["error_code"] for r in bad) == sorted([EmptyInput.code, InputError.code, ProcessingError.code])
    assert any("empty.txt" in r["error"] for r in bad)
    assert any("b.jsonl#2" in r["error"] for r in bad)
    bug = next(r for r in bad if "bug.txt" in r["input"])
    assert "RuntimeError" in bug["error"] and bug["article"] is None
    # every row is JSON-able (it crosses the Python/JVM boundary)
    json.dumps(rows)


def test_process_partition_uses_read_sources_when_no_bytes_reader(fake_stages, monkeypatch, tmp_path):
    import types
    seen = []

    def read_sources(paths, settings=None):
        for p in paths:
            seen.append(p)
            yield RawDoc(source=p, doc=os.path.basename(p), data=Path(p).read_bytes(), format="text")
            yield InputError("second part broken", source=p + "#2")

    fake_ingest = types.ModuleType("counterclaim.ingest")
    fake_ingest.read_sources = read_sources
    monkeypatch.setitem(__import__("sys").modules, "counterclaim.ingest", fake_ingest)
    monkeypatch.setattr(P, "_reader", lambda: None)
    out = list(P.raws_from_bytes("file:/data/in/report 1.txt", STORY.encode()))
    assert out[0].doc == "report 1.txt" and out[0].source == "/data/in/report 1.txt"
    assert out[0].data == STORY.encode()
    assert out[1].source == "/data/in/report 1.txt#2"
    assert not os.path.exists(seen[0])  # the temporary copy is gone


# -- load: Parquet (written here with pyarrow, as Spark lays it out) -> database ----------
def write_batch_dir(root: Path, rows: list[dict], sources: list[dict] | None = None) -> None:
    """Lay out result rows as the batch job does: articles (with nested claims) and
    clusters tables, hive-partitioned by conflict and month; ``sources`` rows (of
    ``P.SOURCE_FIELDS``) make the ``sources`` table (none written when ``None``)."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    types = {"string": pa.string(), "bigint": pa.int64(), "int": pa.int32(), "double": pa.float64(),
             "array<string>": pa.list_(pa.string()), "array<bigint>": pa.list_(pa.int64()),
             "array<int>": pa.list_(pa.int32())}
    claim_t = pa.struct([(n, types[t]) for n, t in P.CLAIM_FIELDS])
    schema = pa.schema([(n, types[t]) for n, t in P.ARTICLE_FIELDS if n not in ("features", "conflict", "month")]
                       + [("claims", pa.list_(claim_t)), ("cluster", pa.string())])
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        art = dict(r["article"])
        art.pop("features")
        art["claims"] = r["claims"]
        art["cluster"] = r.get("cluster") or art["id"]
        key = (art.pop("conflict") or "__HIVE_DEFAULT_PARTITION__", art.pop("month"))
        groups.setdefault(key, []).append(art)
    for (conflict, month), arts in groups.items():
        d = root / "articles" / f"conflict={conflict}" / f"month={month}"
        d.mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist(arts, schema=schema), d / "part-0.parquet")
    clusters = [{"cluster": r["cluster"], "article_id": r["article"]["id"], "is_canonical":
                 r["cluster"] == r["article"]["id"]} for r in rows if r.get("cluster")]
    (root / "clusters").mkdir()
    if clusters:
        pq.write_table(pa.Table.from_pylist(clusters), root / "clusters" / "part-0.parquet")
    (root / "claims").mkdir()
    if sources is not None:
        (root / "sources").mkdir()
        bools = {"string": pa.string(), "boolean": pa.bool_()}
        schema = pa.schema([(n, bools[t]) for n, t in P.SOURCE_FIELDS])
        pq.write_table(pa.Table.from_pylist(sources, schema=schema), root / "sources" / "part-0.parquet")


def source_rows(rows: list[dict]) -> list[dict]:
    """The ``sources`` rows of result rows already in the job's order (first copy first)."""
    out, seen = [], set()
    for r in rows:
        a = r["article"]
        out.append({**{n: a.get(n) for n, _ in P.SOURCE_FIELDS[1:-1]}, "article_id": a["id"],
                    "is_first": a["id"] not in seen})
        seen.add(a["id"])
    return out


def test_load_batch_is_idempotent_and_keeps_keys(fake_stages, tmp_path, db_url):
    from counterclaim.batch import load_batch
    from counterclaim.store import Store
    copy = STORY + " First published by Wire."
    rows = list(P.process_partition([("file:/in/a.txt", STORY.encode()), ("file:/in/b.txt", OTHER.encode()),
                                     ("file:/in/c.txt", copy.encode())]))
    rows[1]["article"]["conflict"], rows[1]["claims"] = None, []  # a null partition comes back as None
    ida, idc = rows[0]["article"]["id"], rows[2]["article"]["id"]
    rows[0]["cluster"] = rows[2]["cluster"] = min(ida, idc)
    write_batch_dir(tmp_path / "out", rows)

    first = load_batch(str(tmp_path / "out"), db=db_url)
    assert (first.articles_new + first.articles_syndicated, first.articles_unchanged) == (3, 0)
    assert first.articles_syndicated == 1 and first.claims == 2
    with Store(db_url) as store:
        arts = {a["id"]: a for a in store.articles(limit=10)}
        assert set(arts) == {r["article"]["id"] for r in rows}
        assert arts[ida]["cluster"] == arts[idc]["cluster"] == min(ida, idc)
        assert arts[rows[1]["article"]["id"]]["conflict"] is None and arts[ida]["conflict"] == "nk"
        stored = {c["id"] for c in store.iter_claims()}
        assert stored == {c["id"] for r in rows for c in r["claims"]}
        dump = store.dump()
    second = load_batch(str(tmp_path / "out"), db=db_url)
    assert (second.articles_new, second.articles_syndicated, second.articles_unchanged) == (0, 0, 3)
    with Store(db_url) as store:
        assert store.dump() == dump


def test_load_batch_rejects_a_directory_that_is_not_batch_output(tmp_path, db_url):
    from counterclaim.batch import load_batch
    from counterclaim.errors import BatchError
    with pytest.raises(BatchError, match="not a batch output directory"):
        load_batch(str(tmp_path), db=db_url)


def test_cli_load_reports_a_bad_directory_on_one_line(tmp_path):
    from click.testing import CliRunner
    from counterclaim.cli import cli
    res = CliRunner().invoke(cli, ["load", str(tmp_path), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert res.exit_code == 1
    assert "not a batch output directory" in res.output and "Traceback" not in res.output


def test_cli_batch_names_a_missing_input(tmp_path):
    pytest.importorskip("pyspark")
    from click.testing import CliRunner
    from counterclaim.cli import cli
    res = CliRunner().invoke(cli, ["batch", str(tmp_path / "missing"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 1 and "input not found" in res.output and "Traceback" not in res.output


def test_load_records_every_source_of_an_identical_body_as_ingest_does(fake_stages, tmp_path, db_url):
    """Two files with one body: ``articles`` holds the first copy, ``sources`` both; batch ->
    load leaves exactly the rows ``ingest`` of the same files does (``article_sources`` too)."""
    pytest.importorskip("pyarrow")
    from counterclaim.batch import load_batch
    from counterclaim.service import ingest_sources
    from counterclaim.store import Store
    src = tmp_path / "in"
    (src / "mirror").mkdir(parents=True)
    for name, text in (("a.txt", STORY), ("b.txt", OTHER), ("mirror/repost.txt", STORY)):
        (src / name).write_text(text, encoding="utf-8")
    files = [(f"file:{src / n}", (src / n).read_bytes()) for n in ("a.txt", "b.txt", "mirror/repost.txt")]
    rows = list(P.process_partition(files, prefixes=[(str(src), str(src))]))
    assert rows[0]["article"]["id"] == rows[2]["article"]["id"]
    write_batch_dir(tmp_path / "out", rows[:2], source_rows(rows))

    direct, loaded = f"sqlite:///{tmp_path / 'direct.db'}", db_url
    ingested = ingest_sources([str(src)], db=direct)
    assert ingested.new_sources == 1
    first = load_batch(str(tmp_path / "out"), db=loaded)
    assert (first.articles_new, first.articles_unchanged, first.sources_added) == (2, 0, 1)
    assert first.line().startswith("2 new, 0 syndicated, 0 unchanged articles (1 new source recorded); ")
    with Store(direct) as d, Store(loaded) as b:
        want, got = d.dump(), b.dump()
        assert got["article_sources"] == want["article_sources"] and len(got["article_sources"]) == 1
        assert got == want
        aid = rows[0]["article"]["id"]
        assert ([(s["source"], s["first"]) for s in b.sources(aid)]
                == [(s["source"], s["first"]) for s in d.sources(aid)]
                == [(str(src / "a.txt"), True), (str(src / "mirror/repost.txt"), False)])
        dump = b.dump(exclude=())
    again = load_batch(str(tmp_path / "out"), db=loaded)
    assert (again.articles_unchanged, again.sources_added) == (2, 0) and "recorded" not in again.line()
    with Store(loaded) as b:
        assert b.dump(exclude=()) == dump    # a second load writes nothing, first_seen included


def test_load_refuses_a_source_whose_article_is_not_in_the_output(fake_stages, tmp_path, db_url):
    pytest.importorskip("pyarrow")
    from counterclaim.batch import load_batch
    from counterclaim.errors import BatchError
    from counterclaim.store import Store
    rows = list(P.process_partition([("file:/in/a.txt", STORY.encode()), ("file:/in/b.txt", OTHER.encode())]))
    stray = {**source_rows(rows[1:])[0], "source": "/in/c.txt", "doc": "c.txt", "is_first": False}
    write_batch_dir(tmp_path / "out", rows[:1], source_rows(rows[:1]) + [stray])
    with pytest.raises(BatchError, match="not in its articles/ table"):
        load_batch(str(tmp_path / "out"), db=db_url)
    with Store(db_url) as st:   # never stored as a body-less article
        assert [a["id"] for a in st.articles(limit=10)] == [rows[0]["article"]["id"]]


@pytest.mark.postgres
def test_load_batch_into_postgresql_is_idempotent(fake_stages, tmp_path, pg_url):
    from counterclaim.batch import load_batch
    from counterclaim.store import Store
    rows = list(P.process_partition([("file:/in/a.txt", STORY.encode()), ("file:/in/b.txt", OTHER.encode())]))
    write_batch_dir(tmp_path / "out", rows)
    first = load_batch(str(tmp_path / "out"), db=pg_url)
    second = load_batch(str(tmp_path / "out"), db=pg_url)
    assert (first.articles_new, second.articles_unchanged, second.articles_new) == (2, 2, 0)
    with Store(pg_url) as store:
        assert {c["id"] for c in store.iter_claims()} == {c["id"] for r in rows for c in r["claims"]}
        assert store.count_articles() == 2
