"""The Store on SQLite (always) and PostgreSQL (``-m postgres``): schema, idempotency,
syndication clusters, queries. Claims are built by hand; nothing here depends on the
real extractor."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from counterclaim import syndication
from counterclaim.errors import NotFound, StorageError
from counterclaim.pipeline import Processed
from counterclaim.records import Article, Claim, article_id
from counterclaim.store import SCHEMA_VERSION, Store
from counterclaim.store import _schema as S

FIX = Path(__file__).resolve().parent / "fixtures" / "syndication"


def run_threads(fn, n: int) -> list[BaseException]:
    """Run ``fn`` in ``n`` threads at once; the exceptions they raised (empty when all went well)."""
    errors: list[BaseException] = []

    def guarded() -> None:
        try:
            fn()
        except BaseException as err:  # noqa: BLE001 - collected for the test to assert on
            errors.append(err)

    threads = [threading.Thread(target=guarded) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_url")


def art(text: str, *, doc: str = "a.txt", published: str | None = "2020-10-01", title: str = "A title",
        outlet: str | None = "Example Times", **kw) -> Article:
    return Article(id=article_id(text), doc=doc, source=f"/in/{doc}", format="text", text=text,
                   raw="RAW " + text, title=title, outlet=outlet, published=published, **kw)


def claim(a: Article, sentence: str, *, metric: str = "killed", value: int | None = 5, side: str = "ARM",
          places: list[str] | None = None, date: str | None = None, geo: list[dict] | None = None) -> Claim:
    start = a.text.index(sentence)
    return Claim(doc=a.doc, claimant_side="AZE", claimant="AZE.MOD", subject_side=side, metric=metric,
                 category="personnel", value=value, value_max=None, approx="exact", stance="assert",
                 places=places or [], date=date, evidence=sentence, article_id=a.id, conflict="nk2020",
                 span=(start, start + len(sentence)), number_span=(start, start + 1), rule="test",
                 geo=geo or [])


def fixture_text(name: str) -> str:
    return (FIX / name).read_text(encoding="utf-8")


def test_open_creates_schema_and_records_version(url):
    with Store(url) as st:
        assert st.schema_version() == SCHEMA_VERSION
        insp = sa.inspect(st.engine)
        assert {"articles", "claims", "signatures", "lsh_bands", "meta", "alembic_version"} <= set(
            insp.get_table_names())
        with st.engine.connect() as conn:
            assert conn.execute(sa.text("select version_num from alembic_version")).scalar() == "0004"
    with Store(url) as st:                     # reopening is a no-op
        assert st.stats()["schema_version"] == SCHEMA_VERSION


def test_migrations_match_the_schema_module(url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with Store(url) as st, st.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), S.metadata)
    # ignore the full-text objects, which live outside the SQLAlchemy metadata
    diffs = [d for d in diffs if "fts" not in repr(d)]
    assert diffs == []


def test_newer_database_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    Store(url).close()
    eng = sa.create_engine(url)
    with eng.begin() as conn:
        conn.execute(sa.update(S.meta).where(S.meta.c.key == "schema_version").values(value="99"))
    eng.dispose()
    with pytest.raises(StorageError, match="newer"):
        Store(url)


def test_bad_urls_are_storage_errors(tmp_path):
    with pytest.raises(StorageError):
        Store(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    with pytest.raises(StorageError):
        Store("mysql://nobody@localhost/x")
    with pytest.raises(StorageError):
        Store("not a url at all")
    with pytest.raises(StorageError, match=r"cannot open postgresql\+psycopg://u:\*\*\*@127.0.0.1:1/x") as err:
        Store("postgresql://u:secret@127.0.0.1:1/x?connect_timeout=3")      # nothing listens on port 1
    assert "secret" not in str(err.value)


def test_upgrade_from_baseline_keeps_rows(tmp_path):
    from alembic import command

    from counterclaim.store._migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    eng = sa.create_engine(url)
    with eng.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(sa.text("INSERT INTO meta(key, value) VALUES ('schema_version', '1')"))
        conn.execute(sa.text(
            "INSERT INTO articles(id, doc, source, format, tags, media, raw, text, ingested_at, cluster) VALUES "
            "('abc', 'd', 's', 'text', '[]', '[]', '', 'old body about Shusha', '2020', 'abc')"))
    eng.dispose()
    with Store(url) as st:
        assert st.schema_version() == SCHEMA_VERSION
        assert [a["id"] for a in st.articles()] == ["abc"]
        assert [a["id"] for a in st.articles(q="shusha")] == ["abc"]     # FTS rebuilt over old rows


def test_add_is_atomic_idempotent_and_byte_stable(url):
    a = art("The ministry said five soldiers were killed near Fuzuli. More fighting was reported.")
    c1 = claim(a, "The ministry said five soldiers were killed near Fuzuli.")
    with Store(url) as st:
        res = st.add(Processed(a, [c1, c1], "nk2020", "test-1"))
        assert (res.status, res.claims, res.cluster) == ("new", 1, a.id)
        before = st.dump(exclude=())
        again = st.add(Processed(a, [c1], "nk2020", "test-1"))
        assert again.status == "unchanged"
        assert st.dump(exclude=()) == before           # including ingested_at
        row = st.article(a.id)
        assert row["raw"] == a.raw and row["text"] == a.text and row["conflict"] == "nk2020"
        assert row["extracted_with"] == "test-1" and row["claims"] == 1


def test_claim_dicts_round_trip(url):
    a = art("Officials said 12 tanks were destroyed at Hadrut on 10 October. Nothing else.")
    geo = [{"name": "Hadrut", "lat": 39.52, "lon": 46.95, "country": "AZ", "precision": "town",
            "feature": "PPL", "source": "test", "score": 1.0}]
    c = claim(a, "Officials said 12 tanks were destroyed at Hadrut on 10 October.", metric="destroyed", value=12,
              places=["Hadrut"], date="2020-10-10", geo=geo)
    c.scope, c.increment, c.confidence, c.actor_raw = "increment", None, 0.75, "Officials"
    with Store(url) as st:
        st.add(Processed(a, [c], "nk2020"))
        [d] = st.claims()
    expected = c.to_dict()
    assert {k: d[k] for k in expected} == expected
    assert d["cluster"] == a.id and d["article_published"] == a.published


def test_replace_claims_never_duplicates(url):
    a = art("First sentence says 3 were killed. Second sentence says 4 were wounded.")
    one = claim(a, "First sentence says 3 were killed.", value=3)
    two = claim(a, "Second sentence says 4 were wounded.", metric="wounded", value=4)
    with Store(url) as st:
        st.add(Processed(a, [one], "nk2020", "v1"))
        assert st.replace_claims(a.id, [one, two, two], "v2") == 2
        assert st.replace_claims(a.id, [one, two], "v2") == 2
        assert sorted(d["metric"] for d in st.article_claims(a.id)) == ["killed", "wounded"]
        assert st.article(a.id)["extracted_with"] == "v2"
        assert st.count_claims() == 2
        with pytest.raises(NotFound):
            st.replace_claims("f" * 24, [], "v2")


def test_syndicated_copies_share_a_cluster_and_near_misses_do_not(url):
    docs = {
        "tovuz_a.txt": "2020-07-13", "tovuz_a_copy.txt": "2020-07-14", "tovuz_a_trimmed.txt": "2020-07-15",
        "tovuz_b.txt": "2020-07-13", "ukr_tally_a.txt": "2023-03-01", "ukr_tally_b.txt": "2023-03-02",
    }
    arts = {n: art(fixture_text(n), doc=n, published=d) for n, d in docs.items()}
    with Store(url) as st:
        statuses = {n: st.add(Processed(arts[n], [])).status for n in docs}
        clusters = {n: st.article(arts[n].id)["cluster"] for n in docs}
    assert statuses["tovuz_a.txt"] == "new" and statuses["tovuz_a_copy.txt"] == "syndicated"
    assert statuses["tovuz_b.txt"] == "new" and statuses["ukr_tally_b.txt"] == "new"
    head = arts["tovuz_a.txt"].id
    assert clusters["tovuz_a.txt"] == clusters["tovuz_a_copy.txt"] == clusters["tovuz_a_trimmed.txt"] == head
    assert clusters["tovuz_b.txt"] == arts["tovuz_b.txt"].id
    assert clusters["ukr_tally_a.txt"] != clusters["ukr_tally_b.txt"]


def test_earlier_member_arriving_later_becomes_canonical_and_order_does_not_matter(tmp_path):
    names = ["shusha_a_copy.txt", "shusha_b.txt", "shusha_a.txt", "tovuz_a_copy.txt", "tovuz_a.txt"]
    dates = {"shusha_a.txt": "2020-11-08", "shusha_a_copy.txt": "2020-11-09", "shusha_b.txt": "2020-11-08",
             "tovuz_a.txt": "2020-07-13", "tovuz_a_copy.txt": "2020-07-13"}
    arts = {n: art(fixture_text(n), doc=n, published=dates[n]) for n in names}
    dumps = []
    for i, order in enumerate([names, list(reversed(names))]):
        with Store(f"sqlite:///{tmp_path / f'o{i}.db'}") as st:
            for n in order:
                st.add(Processed(arts[n], []))
            assert st.article(arts["shusha_a_copy.txt"].id)["cluster"] == arts["shusha_a.txt"].id
            tovuz_head = min(arts["tovuz_a.txt"].id, arts["tovuz_a_copy.txt"].id)    # same date: smaller id
            assert st.article(arts["tovuz_a.txt"].id)["cluster"] == tovuz_head
            assert st.recluster() == 0
            dumps.append(st.dump())
    assert dumps[0] == dumps[1]


def test_recluster_repairs_and_backfills(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    a = art(fixture_text("tovuz_a.txt"), doc="a", published="2020-07-13")
    b = art(fixture_text("tovuz_a_copy.txt"), doc="b", published="2020-07-14")
    with Store(url) as st:
        st.add(Processed(a, []))
        st.add(Processed(b, []))
        with st.engine.begin() as conn:        # a loader that wrote rows without buckets or clusters
            conn.execute(sa.delete(S.lsh_bands))
            conn.execute(sa.update(S.signatures).values(size=0))
            conn.execute(sa.update(S.articles).values(cluster=S.articles.c.id))
        assert st.recluster() == 1
        assert st.article(b.id)["cluster"] == a.id
        assert st.recluster() == 0


def test_articles_listing_filters_and_search(url):
    a = art("Heavy shelling hit Stepanakert overnight, the authorities said.", doc="s.txt",
            published="2020-10-04", outlet="Outlet One", title="Stepanakert shelled")
    b = art("Drone strikes reported near Ganja; the ministry gave no figures.", doc="g.txt",
            published="2020-10-11", outlet="Outlet Two", title="Ganja")
    c = art("An undated note about Lachin corridor traffic.", doc="n.txt", published=None, outlet=None, title=None)
    with Store(url) as st:
        for x in (a, b, c):
            st.add(Processed(x, []))
        assert [r["id"] for r in st.articles()] == [b.id, a.id, c.id]       # newest first, undated last
        assert "text" not in st.articles()[0] and "raw" not in st.articles()[0]
        assert [r["id"] for r in st.articles(outlet="Outlet One")] == [a.id]
        assert [r["id"] for r in st.articles(since="2020-10-05")] == [b.id]
        assert [r["id"] for r in st.articles(until="2020-10-05")] == [a.id]
        assert [r["id"] for r in st.articles(q="shelling")] == [a.id]
        assert [r["id"] for r in st.articles(q="shelled")] == [a.id]        # stemmed on both backends
        assert [r["id"] for r in st.articles(q="ganja drone")] == [b.id]
        assert [r["id"] for r in st.articles(q="stepanakert")] == [a.id]          # title or body
        assert st.articles(q='"; DROP TABLE articles; --') == []
        assert st.articles(q="zzzz-nothing") == []
        assert [r["id"] for r in st.articles(limit=1, offset=1)] == [a.id]
        assert st.count_articles() == 3


def _three_articles() -> tuple[Article, Article, Article]:
    a = art("Heavy shelling hit Stepanakert overnight, the authorities said.", doc="s.txt",
            published="2020-10-04", outlet="Outlet One", title="Stepanakert shelled")
    b = art("Drone strikes reported near Ganja; the ministry gave no figures.", doc="g.txt",
            published="2020-10-11", outlet="Outlet Two", title="Ganja")
    c = art("An undated note about Lachin corridor traffic and shelling.", doc="n.txt", published=None,
            outlet=None, title=None)
    return a, b, c


def test_article_search_terms_are_words_only():
    from counterclaim.store import _query as Q

    assert Q.search_words('"; DROP TABLE x; -- NEAR(a b) shel*') == ["DROP", "TABLE", "x", "NEAR", "a", "b", "shel"]
    assert len(Q.search_words("word " * 50)) == Q.MAX_SEARCH_WORDS
    assert Q.article_conditions("sqlite") == ()                        # no filter: every article
    assert Q.article_conditions("sqlite", q="  ", outlet="", since=None) == ()   # blank values are no filter


def test_article_query_is_shared_and_pages(url):
    """The one article query (``store._query``) behind ``Store.articles`` and the web listing."""
    from counterclaim.store import _query as Q
    from counterclaim.web import _queries as W

    a, b, c = _three_articles()
    with Store(url) as st:
        for x in (a, b, c):
            st.add(Processed(x, [claim(x, x.text.split(",")[0].split(";")[0])],
                             conflict="ua2022" if x is c else "nk2020"))
        with st.engine.connect() as conn:
            def ids(**kw) -> list[str]:
                where = Q.article_conditions(conn.dialect.name, **kw)
                rows = Q.article_rows(conn, (S.articles.c.id,), where)
                assert Q.count_articles(conn, where) == len(rows)
                return [r["id"] for r in rows]

            assert ids() == [b.id, a.id, c.id]                           # newest first, undated last
            assert ids(q="shelling") == [a.id, c.id]                     # title or body, stemmed
            assert ids(q="shelling", conflict="nk2020") == [a.id]
            assert ids(q="Shelled STEPANAKERT") == [a.id]                # every word, any case
            assert ids(q="shelling ganja") == []
            assert ids(q='"; -- *') == []                                # no word: nothing
            assert ids(q='"ganja') == [b.id] and ids(q="drone -strikes*") == [b.id]   # FTS syntax is text
            assert ids(q="stepanakert OR ganja") == []                   # no OR: every word must be there
            assert ids(cluster=b.id) == [b.id]
            assert ids(since="2020-10-05") == [b.id] and ids(until="2020-10-05") == [a.id]
            where = Q.article_conditions(conn.dialect.name)
            assert [r["id"] for r in Q.article_rows(conn, (S.articles.c.id,), where, offset=1, limit=1)] == [a.id]
            counted = Q.article_rows(conn, (S.articles.c.id, Q.claim_count("n")), where)
            assert [r["n"] for r in counted] == [1, 1, 1]
            for kw in ({}, {"q": "shelling"}, {"q": "drone"}, {"outlet": "Outlet One"}, {"q": "zzz-none"}):
                page = W.article_list(conn, **kw)
                assert [r["id"] for r in page["articles"]] == [r["id"] for r in st.articles(**kw)] == ids(**kw)
                assert page["total"] == len(ids(**kw))
            page = W.article_list(conn, limit=2)
            assert page["next_offset"] == 2 and W.article_list(conn, offset=2, limit=2)["next_offset"] is None


def test_article_prefix_lookup(url):
    a = art("One article body with enough words in it.")
    with Store(url) as st:
        st.add(Processed(a, []))
        assert st.article(a.id[:6])["id"] == a.id
        assert st.resolve(a.id[:4].upper()) == a.id
        for bad in ("ffffffffff", "not-hex", ""):
            with pytest.raises(NotFound):
                st.article(bad)


def test_claim_queries_filters_and_keyset_pages(url):
    text = " ".join(f"Report {i} says {i} were killed in Village{i % 3}." for i in range(30))
    a = art(text, published="2020-10-01")
    found = []
    for i in range(30):
        sentence = f"Report {i} says {i} were killed in Village{i % 3}."
        geo = [{"name": f"Village{i % 3}", "lat": 40.0 + i % 3, "lon": 46.0, "country": "AZ", "precision": "village",
                "feature": "PPL", "source": "test", "score": 1.0}]
        found.append(claim(a, sentence, value=i, side="ARM" if i % 2 else "AZE", places=[f"Village{i % 3}"],
                           date=f"2020-10-{1 + i % 28:02d}", geo=geo,
                           metric="killed" if i < 20 else "wounded"))
    with Store(url) as st:
        st.add(Processed(a, found, "nk2020"))
        assert st.count_claims() == 30
        for sort in ("date", "-date", "value", "-value", "article"):
            seen, cursor = [], None
            while True:
                page = st.claims(sort=sort, limit=7, cursor=cursor)
                seen.extend(page)
                cursor = page.next_cursor
                if cursor is None:
                    break
            assert len(seen) == 30 and len({d["id"] for d in seen}) == 30
            if sort == "value":
                assert [d["value"] for d in seen] == list(range(30))
            if sort == "-date":
                assert [d["date"] for d in seen] == sorted((d["date"] for d in seen), reverse=True)
        assert st.count_claims(subject_side="ARM") == 15
        assert st.count_claims(metric="wounded") == 10
        assert st.count_claims(place="village1") == 10
        assert st.count_claims(text="Report 1 says") == 1
        assert st.count_claims(since="2020-10-25") == 4
        assert st.count_claims(until="2020-10-02", metric="killed") == 2
        assert st.count_claims(conflict="other") == 0
        assert st.count_claims(cluster=a.id) == 30
        places = st.places()
        assert {p["name"]: p["claims"] for p in places} == {"Village0": 10, "Village1": 10, "Village2": 10}
        assert st.claim_dicts_for_ledger("nk2020")[0]["article_published"] == "2020-10-01"
        assert len(st.claim_dicts_for_ledger()) == 30
        with pytest.raises(StorageError):
            st.claims(cursor="garbage!")
        with pytest.raises(StorageError):
            st.claims(sort="evidence")


def test_stats(url):
    a = art(fixture_text("tovuz_a.txt"), doc="a", published="2020-07-13")
    b = art(fixture_text("tovuz_a_copy.txt"), doc="b", published="2020-07-14")
    c = art(fixture_text("tovuz_b.txt"), doc="c", published="2020-07-13", outlet="Other")
    with Store(url) as st:
        for x in (a, b, c):
            st.add(Processed(x, [claim(x, x.text.split("\n")[0])], "nk2020"))
        s = st.stats()
    assert (s["articles"], s["claims"], s["clusters"], s["syndicated"], s["outlets"]) == (3, 3, 1, 1, 2)
    assert s["conflicts"] == {"nk2020": 3}
    assert (s["published_min"], s["published_max"]) == ("2020-07-13", "2020-07-14")


def test_add_many_is_idempotent_and_honours_given_clusters(url):
    items = [Processed(art(f"Body number {i} of the batch, with its own words {i}.", doc=f"{i}"), [])
             for i in range(5)]
    forced = {items[1].article.id: items[0].article.id}
    with Store(url) as st:
        assert st.add_many(items, clusters=forced, batch_size=2) == {"new": 4, "syndicated": 1, "unchanged": 0}
        before = st.dump(exclude=())
        assert st.add_many(items, clusters=forced) == {"new": 0, "syndicated": 0, "unchanged": 5}
        assert st.dump(exclude=()) == before
        assert st.article(items[1].article.id)["cluster"] == items[0].article.id


def test_concurrent_writers_leave_no_duplicates(url):
    arts = [art(f"Story {i}: a separate report with distinct wording number {i} about day {i}.", doc=f"{i}")
            for i in range(20)]

    def worker():
        with Store(url) as st:
            for a in arts:
                st.add(Processed(a, [claim(a, a.text)]))

    assert run_threads(worker, 3) == []
    with Store(url) as st:
        assert st.count_articles() == 20 and st.count_claims() == 20
        dump = st.dump()
        assert len(dump["signatures"]) == 20
        assert len(dump["lsh_bands"]) == 20 * syndication.lsh_params()[0]


# ------------------------------------------------------------------ claims.day (schema version 3)

def _v2_database(url: str) -> None:
    """A database migrated to revision 0002 only (schema version 2), holding a few rows."""
    from alembic import command

    from counterclaim.store._migrate import alembic_config

    eng = sa.create_engine(url)
    with eng.begin() as conn:
        command.upgrade(alembic_config(conn), "0002")
        conn.execute(sa.text("INSERT INTO meta(key, value) VALUES ('schema_version', '2')"))
        for aid, published in (("a1", "2020-10-05"), ("a2", None)):
            conn.execute(sa.text(
                "INSERT INTO articles(id, doc, source, format, tags, media, raw, text, ingested_at, cluster, published)"
                " VALUES (:id, 'd', 's', 'text', '[]', '[]', '', 'body', '2026-11-20T08:00:00+00:00', :id, :p)"),
                {"id": aid, "p": published})
        for cid, aid, date in (("c1", "a1", "2020-10-03"), ("c2", "a1", None), ("c3", "a2", None),
                               ("c4", "a2", "2020-09-30")):
            conn.execute(sa.text(
                "INSERT INTO claims(id, article_id, conflict, doc, claimant_side, claimant, subject_side, metric,"
                " category, approx, stance, places, geo, date, evidence) VALUES (:id, :a, 'nk2020', 'd', 'AZE',"
                " 'AZE.MOD', 'ARM', 'killed', 'personnel', 'exact', 'assert', '[]', '[]', :date, 'e')"),
                {"id": cid, "a": aid, "date": date})
    eng.dispose()


def test_upgrade_from_version_2_backfills_day_and_adds_read_indexes(url):
    _v2_database(url)
    with Store(url) as st:
        assert st.schema_version() == SCHEMA_VERSION >= 3
        with st.engine.connect() as conn:
            days = dict(conn.execute(sa.text("SELECT id, day FROM claims")).all())
            names = {i["name"] for i in sa.inspect(conn).get_indexes("claims")}
        # claim date, else the article's published date, else its ingestion date
        assert days == {"c1": "2020-10-03", "c2": "2020-10-05", "c3": "2026-11-20", "c4": "2020-09-30"}
        assert {"ix_claims_side_metric_cover", "ix_claims_metric_day", "ix_claims_claimant_day",
                "ix_claims_day"} <= names
        assert "ix_claims_filter" not in names
        assert [c["id"] for c in st.claims(sort="-day", limit=10)] == ["c3", "c2", "c1", "c4"]
        assert st.count_claims(since="2020-10-01", until="2020-10-31") == 2


def test_upgrade_replaces_hand_made_read_indexes(tmp_path):
    url = f"sqlite:///{tmp_path / 'v2.db'}"
    _v2_database(url)
    eng = sa.create_engine(url)
    with eng.begin() as conn:     # what the 0.1 web app's bench/READ_INDEXES created by hand
        conn.exec_driver_sql("CREATE INDEX ix_claims_side_metric_cover ON claims "
                             "(subject_side, metric, date, article_id, id)")
    eng.dispose()
    with Store(url) as st, st.engine.connect() as conn:
        cols = {i["name"]: i["column_names"] for i in sa.inspect(conn).get_indexes("claims")}
    assert cols["ix_claims_side_metric_cover"] == ["subject_side", "metric", "day", "id"]


def test_day_is_filled_on_every_write_path(url):
    a = art("Monday: 3 soldiers were killed. Tuesday: 4 soldiers were killed.", published="2020-10-07")
    b = art("An undated report: 9 soldiers were killed.", published=None, doc="b.txt")
    with Store(url) as st:
        st.add(Processed(a, [claim(a, "Monday: 3 soldiers were killed.", date="2020-10-05"),
                             claim(a, "Tuesday: 4 soldiers were killed.")], "nk2020"))
        st.add_many([Processed(b, [claim(b, "An undated report: 9 soldiers were killed.")], "nk2020")])
        ingested = st.article(b.id)["ingested_at"][:10]
        days = {c["evidence"][:6]: c for c in st.claims(limit=10)}
        with st.engine.connect() as conn:
            stored = dict(conn.execute(sa.select(S.claims.c.evidence, S.claims.c.day)).all())
        assert sorted(stored.values()) == sorted(["2020-10-05", "2020-10-07", ingested])
        assert days["Monday"]["date"] == "2020-10-05"
        st.replace_claims(a.id, [claim(a, "Tuesday: 4 soldiers were killed.", date="2020-10-06")])
        with st.engine.connect() as conn:
            assert conn.execute(sa.select(S.claims.c.day).where(S.claims.c.article_id == a.id)).scalars().all() \
                == ["2020-10-06"]
            # a row written without a day (bulk loader, hand-written SQL) gets one from the trigger
            conn.execute(sa.insert(S.claims).values(
                id="zz", article_id=a.id, conflict="nk2020", doc="a.txt", claimant_side="AZE", claimant="AZE.MOD",
                subject_side="ARM", metric="killed", category="personnel", approx="exact", stance="assert",
                places=[], geo=[], evidence="x"))
            conn.commit()
            assert conn.execute(sa.select(S.claims.c.day).where(S.claims.c.id == "zz")).scalar() == "2020-10-07"


def test_newest_first_pages_are_read_in_index_order(tmp_path):
    """The default web query (two filters, newest first, keyset) sorts nothing per request."""
    from counterclaim.store import _query as Q

    url = f"sqlite:///{tmp_path / 'plan.db'}"
    with Store(url) as st, st.engine.connect() as conn:
        for filters in ({"subject_side": "ARM", "metric": "killed"}, {"metric": "killed"},
                        {"claimant_side": "AZE"}, {}):
            cond = Q.claim_conditions("sqlite", **filters)
            for after in (False, True):
                params = {**cond.params, "lim": 51, **({"c_key": "2020-10-01", "c_id": "x"} if after else {})}
                compiled = Q._ids_stmt("sqlite", cond.names, "-day", after).compile(conn)
                values = compiled.construct_params(params)
                args = tuple(values[name] for name in compiled.positiontup)
                plan = " | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), args))
                assert "TEMP B-TREE" not in plan and "COVERING INDEX" in plan, (filters, plan)


def test_keyset_pages_on_day_are_complete_with_ties(url):
    text = " ".join(f"Item {i}: {i} soldiers were killed." for i in range(25))
    a = art(text, published="2020-10-01")
    found = [claim(a, f"Item {i}: {i} soldiers were killed.", value=i, date=f"2020-10-0{1 + i % 3}")
             for i in range(25)]
    with Store(url) as st:
        st.add(Processed(a, found, "nk2020"))
        for sort in ("-day", "day"):
            seen, cursor = [], None
            while True:
                page = st.claims(sort=sort, limit=4, cursor=cursor)
                seen.extend(page)
                cursor = page.next_cursor
                if cursor is None:
                    break
            keys = [(c["date"], c["id"]) for c in seen]
            assert keys == sorted(keys, reverse=sort.startswith("-")) and len(set(keys)) == 25
        with pytest.raises(StorageError, match="cursor"):
            st.claims(sort="day", cursor=st.claims(sort="-day", limit=1).next_cursor)


def test_threads_opening_one_new_sqlite_file_at_once(tmp_path):
    """Opening a brand-new SQLite file from several threads at once must wait, not fail with "database is locked"
    (the switch to WAL does not always go through SQLite's busy handler)."""
    import threading

    for trial in range(15):
        url = f"sqlite:///{tmp_path}/new{trial}.db"
        start = threading.Barrier(8, timeout=60)

        def opener() -> None:
            start.wait()
            with Store(url):
                pass

        errors = run_threads(opener, 8)
        assert errors == [], errors
