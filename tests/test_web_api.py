"""The JSON API of the web app (FastAPI TestClient over a small hand-made database).

``build_db`` is also used by the page, browser and schemathesis tests: it writes a few
invented articles and claims (our own text; figures are made up) with the real schema.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from counterclaim._settings import get_settings
from counterclaim.records import article_id

TOKEN = "test-token-0123456789"

# --------------------------------------------------------------------------- the hand-made database

A1 = ("The defence ministry in Baku said on Friday that its forces had destroyed 14 tanks near Fuzuli. "
      "Officials in Stepanakert said 21 of their servicemen were killed in the fighting.\n\n"
      "The Armenian side denied losing any positions around Hadrut. "
      "Baku also said that 260 Armenian soldiers were killed on 1 October.")
A2 = ("REPOST: The defence ministry in Baku said on Friday that its forces had destroyed 14 tanks near Fuzuli. "
      "Officials in Stepanakert said 21 of their servicemen were killed in the fighting.")
A3 = ("Ukraine's General Staff said Russian losses had reached 26,350 personnel since the start of the "
      "invasion, including 1,187 tanks. Moscow said it had shot down 3 drones over Belgorod.")
XSS_TEXT = ("A strange report <script>alert('text')</script> says 5 tanks were destroyed. "
            "Another line <img src=x onerror=alert('img')> claims 7 soldiers were killed.")
XSS_TITLE = "<script>alert('title')</script> Breaking"
XSS_OUTLET = "<img src=x onerror=alert('outlet')>"
XSS_URL = "javascript:alert('url')"


def _sentence(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    start = max(text.rfind(". ", 0, i) + 2 if text.rfind(". ", 0, i) >= 0 else 0,
                text.rfind("\n", 0, i) + 1)
    end = text.find(".", i)
    return start, (end + 1 if end >= 0 else len(text))


def _claim(art_id: str, doc: str, text: str, number: str, *, conflict: str, cs: str, claimant: str, ss: str,
           metric: str, category: str, value: int | None, stance: str = "assert", approx: str = "exact",
           places: list[str] | None = None, date: str | None = None, geo: dict | None = None,
           scope: str | None = None) -> dict[str, Any]:
    s, e = _sentence(text, number)
    n0 = text.index(number)
    cid = f"{art_id[:8]}-{number[:6]}-{metric[:6]}-{category[:4]}".replace(" ", "_")
    return {"id": cid, "article_id": art_id, "conflict": conflict, "doc": doc, "claimant_side": cs,
            "claimant": claimant, "subject_side": ss, "metric": metric, "category": category, "value": value,
            "value_max": None, "approx": approx, "stance": stance, "places": places or [], "date": date,
            "evidence": text[s:e], "span_start": s, "span_end": e, "number_start": n0,
            "number_end": n0 + len(number), "rule": "test", "actor_raw": claimant, "scope": scope,
            "increment": None, "confidence": 0.9,
            "geo": [dict(geo, name=(places or [""])[0])] if geo else [{"name": p, "unresolved": True} for p in places or []],
            "lat": geo["lat"] if geo else None, "lon": geo["lon"] if geo else None,
            "place": (places or [None])[0] if geo else None}


def _article(text: str, *, doc: str, title: str, outlet: str, published: str, conflict: str,
             url: str | None = None, cluster: str | None = None) -> dict[str, Any]:
    aid = article_id(text)
    return {"id": aid, "doc": doc, "source": doc, "url": url, "format": "text", "title": title, "outlet": outlet,
            "author": None, "published": published, "language": "en", "tags": [], "media": [],
            "original_source": None, "original_published": None, "conflict": conflict,
            "cluster": cluster or aid, "raw": text, "text": text, "ingested_at": "2026-11-23T09:00:00+00:00",
            "extracted_with": "test"}


def sample_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The hand-made articles and claims (rows of the ``articles`` and ``claims`` tables)."""
    a1 = _article(A1, doc="a1.txt", title="Tanks destroyed near Fuzuli, ministry says", outlet="Example Wire",
                  published="2020-10-02", conflict="nk", url="https://example.org/news/1")
    a2 = _article(A2, doc="a2.txt", title="Repost: tanks destroyed", outlet="Copy Desk", published="2020-10-03",
                  conflict="nk", url="https://copy.example.net/2", cluster=a1["id"])
    a3 = _article(A3, doc="a3.txt", title="General Staff tally", outlet="Kyiv Example", published="2022-05-10",
                  conflict="ua", url="https://kyiv.example.com/3")
    ax = _article(XSS_TEXT, doc="x.txt", title=XSS_TITLE, outlet=XSS_OUTLET, published="2020-10-05",
                  conflict="nk", url=XSS_URL)
    fz = {"lat": 39.6, "lon": 47.15, "country": "AZ", "precision": "town", "feature": "P", "source": "test",
          "score": 1.0}
    bg = {"lat": 50.6, "lon": 36.59, "country": "RU", "precision": "city", "feature": "P", "source": "test",
          "score": 1.0}
    claims = [
        _claim(a1["id"], "a1.txt", A1, "14", conflict="nk", cs="AZE", claimant="AZE.MOD", ss="ARM",
               metric="destroyed", category="tank", value=14, places=["Fuzuli"], geo=fz),
        _claim(a1["id"], "a1.txt", A1, "21", conflict="nk", cs="ARM", claimant="NKR.GOV", ss="ARM",
               metric="killed", category="personnel", value=21),
        _claim(a1["id"], "a1.txt", A1, "denied", conflict="nk", cs="ARM", claimant="ARM.GOV", ss="ARM",
               metric="territory_captured", category="position", value=None, stance="deny", approx="none",
               places=["Hadrut"]),
        _claim(a1["id"], "a1.txt", A1, "260", conflict="nk", cs="AZE", claimant="AZE.MOD", ss="ARM",
               metric="killed", category="personnel", value=260, date="2020-10-01"),
        _claim(a2["id"], "a2.txt", A2, "14", conflict="nk", cs="AZE", claimant="AZE.MOD", ss="ARM",
               metric="destroyed", category="tank", value=14, places=["Fuzuli"], geo=fz),
        _claim(a2["id"], "a2.txt", A2, "21", conflict="nk", cs="ARM", claimant="NKR.GOV", ss="ARM",
               metric="killed", category="personnel", value=21),
        _claim(a3["id"], "a3.txt", A3, "26,350", conflict="ua", cs="UKR", claimant="UKR.GS", ss="RUS",
               metric="killed", category="personnel", value=26350, scope="cumulative"),
        _claim(a3["id"], "a3.txt", A3, "1,187", conflict="ua", cs="UKR", claimant="UKR.GS", ss="RUS",
               metric="destroyed", category="tank", value=1187, scope="cumulative"),
        _claim(a3["id"], "a3.txt", A3, "3 drones", conflict="ua", cs="RUS", claimant="RUS.MOD", ss="UKR",
               metric="destroyed", category="drone", value=3, places=["Belgorod"], geo=bg),
        _claim(ax["id"], "x.txt", XSS_TEXT, "5 tanks", conflict="nk", cs="OUTLET", claimant="OUTLET", ss="ARM",
               metric="destroyed", category="tank", value=5),
        _claim(ax["id"], "x.txt", XSS_TEXT, "7 soldiers", conflict="nk", cs="OUTLET", claimant="OUTLET", ss="ARM",
               metric="killed", category="personnel", value=7),
    ]
    return [a1, a2, a3, ax], claims


def build_db(path: Path, articles_rows: list[dict] | None = None, claim_rows: list[dict] | None = None) -> str:
    """A migrated counterclaim SQLite database at ``path`` holding the given (default: sample) rows."""
    from counterclaim.store import Store
    from counterclaim.store._schema import articles, claims

    url = f"sqlite:///{path}"
    if articles_rows is None:
        articles_rows, claim_rows = sample_rows()
    Store(url).close()  # creates the schema (migrations, FTS)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if articles_rows:
            conn.execute(sa.insert(articles), articles_rows)
        if claim_rows:
            conn.execute(sa.insert(claims), claim_rows)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_db(tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="module")
def client(web_db: str, tmp_path_factory: pytest.TempPathFactory):
    from fastapi.testclient import TestClient

    from counterclaim.web import create_app
    settings = get_settings(env={}, token=TOKEN, cache_dir=str(tmp_path_factory.mktemp("cache")),
                            max_request_bytes=50_000)
    with TestClient(create_app(settings, db=web_db)) as c:
        yield c


@pytest.fixture(scope="module")
def ro_client(web_db: str, tmp_path_factory: pytest.TempPathFactory):
    from fastapi.testclient import TestClient

    from counterclaim.web import create_app
    settings = get_settings(env={}, token=TOKEN, cache_dir=str(tmp_path_factory.mktemp("cache")))
    with TestClient(create_app(settings, db=web_db, read_only=True)) as c:
        yield c


# --------------------------------------------------------------------------- claims

def test_claims_two_filters(client) -> None:
    r = client.get("/api/claims", params={"subject_side": "ARM", "metric": "killed"})
    assert r.status_code == 200
    got = r.json()["claims"]
    assert {c["value"] for c in got} == {21, 260, 7}
    assert all(c["subject_side"] == "ARM" and c["metric"] == "killed" for c in got)
    c = got[0]
    for k in ("doc", "claimant_side", "claimant", "evidence", "span", "number_span", "geo", "id", "article_id",
              "article_published", "cluster"):
        assert k in c


@pytest.mark.parametrize("params,expected", [
    ({"conflict": "ua"}, {26350, 1187, 3}),
    ({"claimant_side": "ARM"}, {21, None}),
    ({"stance": "deny"}, {None}),
    ({"category": "tank", "conflict": "nk"}, {14, 5}),
    ({"approx": "none"}, {None}),
    ({"place": "fuzuli"}, {14}),
    ({"place": "Hadrut"}, {None}),
    ({"since": "2020-10-02", "until": "2020-10-02"}, {14, 21, None}),
    ({"until": "2020-10-01"}, {260}),
    ({"q": "General Staff"}, {26350, 1187}),
    ({"q": "100%_"}, set()),
])
def test_claim_filters(client, params, expected) -> None:
    r = client.get("/api/claims", params={**params, "count": "true"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert {c["value"] for c in body["claims"]} == expected
    assert body["total"] == len(body["claims"])


@pytest.mark.parametrize("sort", ["-day", "day", "value", "-value", "metric", "-place", "claimant_side"])
def test_cursor_pages_cover_everything_once(client, sort) -> None:
    everything = client.get("/api/claims", params={"sort": sort, "limit": 500}).json()["claims"]
    seen, cursor = [], None
    for _ in range(50):
        params = {"sort": sort, "limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/claims", params=params).json()
        seen += [c["id"] for c in body["claims"]]
        cursor = body["next"]
        if not cursor:
            break
    assert seen == [c["id"] for c in everything]
    assert len(set(seen)) == len(seen) == 11


def test_sort_orders(client) -> None:
    vals = [c["value"] for c in client.get("/api/claims", params={"sort": "-value"}).json()["claims"]]
    assert vals[:3] == [26350, 1187, 260]
    days = [c["day"] for c in client.get("/api/claims", params={"sort": "day"}).json()["claims"]]
    assert days == sorted(days)


@pytest.mark.parametrize("params,status", [
    ({"cursor": "not-a-cursor"}, 400),
    ({"since": "yesterday"}, 422),
    ({"sort": "evidence"}, 422),
    ({"limit": 0}, 422),
    ({"limit": 100000}, 422),
    ({"format": "xml"}, 422),
])
def test_bad_claim_queries_are_4xx(client, params, status) -> None:
    r = client.get("/api/claims", params=params)
    assert r.status_code == status
    assert "detail" in r.json()


def test_cursor_of_another_sort_is_rejected(client) -> None:
    nxt = client.get("/api/claims", params={"limit": 1}).json()["next"]
    r = client.get("/api/claims", params={"limit": 1, "cursor": nxt, "sort": "value"})
    assert r.status_code == 400 and "cursor" in r.json()["detail"]


def test_csv_download(client) -> None:
    r = client.get("/api/claims", params={"conflict": "ua", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert sorted(int(x["value"]) for x in rows) == [3, 1187, 26350]
    assert all(x["conflict"] == "ua" for x in rows)


def test_jsonl_download(client) -> None:
    r = client.get("/api/claims", params={"subject_side": "ARM", "metric": "killed", "format": "jsonl"})
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert sorted(x["value"] for x in lines) == [7, 21, 21, 260]


def test_csv_neutralises_formulas() -> None:
    from counterclaim.web._export import csv_lines
    out = "".join(csv_lines([{"id": "x", "evidence": "=HYPERLINK(\"http://evil\")", "value": -3}]))
    row = list(csv.DictReader(io.StringIO(out)))[0]
    assert row["evidence"].startswith("'=") and row["value"] == "-3"


def test_geojson_download(client) -> None:
    pytest.importorskip("counterclaim.places")
    from counterclaim import places
    if not hasattr(places, "claims_geojson"):
        pytest.skip("counterclaim.places.claims_geojson not there yet")
    r = client.get("/api/claims", params={"metric": "destroyed", "format": "geojson"})
    assert r.status_code == 200
    gj = r.json()
    assert gj["type"] == "FeatureCollection"
    assert any(f["geometry"] and f["geometry"]["type"] == "Point" for f in gj["features"])


# --------------------------------------------------------------------------- articles

def test_articles_list_and_filters(client) -> None:
    body = client.get("/api/articles").json()
    assert body["total"] == 4
    assert [a["published"] for a in body["articles"]] == sorted((a["published"] for a in body["articles"]),
                                                                  reverse=True)
    assert client.get("/api/articles", params={"outlet": "Kyiv Example"}).json()["total"] == 1
    assert client.get("/api/articles", params={"since": "2021-01-01"}).json()["total"] == 1
    assert client.get("/api/articles", params={"conflict": "nk", "until": "2020-10-02"}).json()["total"] == 1


def test_article_search_full_text(client) -> None:
    hits = client.get("/api/articles", params={"q": "Stepanakert servicemen"}).json()["articles"]
    assert {a["doc"] for a in hits} == {"a1.txt", "a2.txt"}
    assert client.get("/api/articles", params={"q": "\"unbalanced AND ("}).status_code == 200
    assert client.get("/api/articles", params={"q": "Belgorod"}).json()["total"] == 1


def test_article_detail(client) -> None:
    aid = article_id(A1)
    body = client.get(f"/api/articles/{aid}").json()
    assert body["text"] == A1 and "raw" not in body
    assert len(body["claims"]) == 4
    assert body["copies"][0]["id"] == article_id(A2)
    for c in body["claims"]:
        s, e = c["span"]
        assert A1[s:e] == c["evidence"]
    assert client.get("/api/articles/nope").status_code == 404


# --------------------------------------------------------------------------- aggregates

def test_places(client) -> None:
    body = client.get("/api/places").json()
    by = {p["place"]: p for p in body["places"]}
    assert by["Fuzuli"]["count"] == 2 and by["Fuzuli"]["metrics"] == {"destroyed": 2}
    assert by["Belgorod"]["lat"] == pytest.approx(50.6)
    assert [p["place"] for p in client.get("/api/places", params={"conflict": "ua"}).json()["places"]] == ["Belgorod"]
    gj = client.get("/api/places", params={"format": "geojson"}).json()
    assert {f["properties"]["place"] for f in gj["features"]} == {"Fuzuli", "Belgorod"}


def test_timeline(client) -> None:
    days = client.get("/api/timeline").json()["days"]
    d = {(x["day"], x["side"]): x["count"] for x in days}
    assert d[("2020-10-02", "AZE")] == 1 and d[("2020-10-01", "AZE")] == 1 and d[("2022-05-10", "UKR")] == 2
    assert sum(d.values()) == 11


def test_ledger(client) -> None:
    body = client.get("/api/ledger", params={"conflict": "nk", "side": "ARM", "metric": "killed"}).json()
    series = {(s["subject_side"], s["metric"], s["category"]): s for s in body["series"]}
    s = series[("ARM", "killed", "personnel")]
    groups = s["groups"]
    assert [c["claimant"] for c in groups["claimed"]["claimants"]] == ["AZE.MOD"]
    assert [c["claimant"] for c in groups["admitted"]["claimants"]] == ["NKR.GOV"]
    assert client.get("/api/ledger", params={"since": "bad"}).status_code == 422


def test_stats_and_facets(client) -> None:
    st = client.get("/api/stats").json()
    assert st["articles"] == 4 and st["claims"] == 11
    assert {c["conflict"] for c in st["conflicts"]} == {"nk", "ua"}
    fac = client.get("/api/facets").json()
    assert fac["metric"] == sorted({"destroyed", "killed", "territory_captured"})


# --------------------------------------------------------------------------- security and writing

def test_security_headers(client) -> None:
    for path in ("/", "/api/claims", "/static/app/app.css", "/map"):
        h = client.get(path).headers
        csp = h["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "img-src 'self' data:" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"


def test_post_needs_token(client) -> None:
    body = {"text": "Some text about 3 tanks."}
    r = client.post("/api/articles", json=body)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert client.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.post("/api/articles", json=body, headers={"Authorization": "Basic " + TOKEN}).status_code == 403


def test_post_without_configured_token_is_forbidden(web_db, tmp_path) -> None:
    from fastapi.testclient import TestClient

    from counterclaim.web import create_app
    app = create_app(get_settings(env={}, token="", cache_dir=str(tmp_path)), db=web_db)
    with TestClient(app) as c:
        r = c.post("/api/articles", json={"text": "x"}, headers={"Authorization": "Bearer "})
        assert r.status_code in (401, 403)
        assert c.post("/api/articles", json={"text": "x"}, headers={"Authorization": "Bearer x"}).status_code == 403


def test_read_only_has_no_writing(ro_client) -> None:
    r = ro_client.post("/api/articles", json={"text": "x"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code in (403, 405)
    assert ro_client.get("/ingest").status_code == 404
    assert ro_client.post("/ingest", data={"token": TOKEN, "text": "x"}).status_code in (403, 404, 405)
    assert "POST" not in json.dumps(ro_client.get("/openapi.json").json()["paths"].get("/api/articles", {})).upper()


def test_request_too_large(client) -> None:
    big = {"text": "x" * 60_000}
    r = client.post("/api/articles", json=big, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413

    def chunks():  # no Content-Length: counted while streaming
        for _ in range(20):
            yield b"y" * 5000

    r = client.post("/api/articles", content=chunks(), headers={"Authorization": f"Bearer {TOKEN}",
                                                                "Content-Type": "application/json"})
    assert r.status_code == 413


def test_post_validation(client) -> None:
    h = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post("/api/articles", json={}, headers=h).status_code == 422
    assert client.post("/api/articles", json={"text": "a", "url": "https://example.org/"}, headers=h).status_code == 422
    assert client.post("/api/articles", json={"text": "a", "published": "soon"}, headers=h).status_code == 422


def test_url_ingest_uses_ssrf_guard(client) -> None:
    pytest.importorskip("counterclaim.ingest")
    h = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/articles", json={"url": "http://127.0.0.1:9/private"}, headers=h)
    assert r.status_code in (400, 422) and r.status_code != 201
    assert "detail" in r.json()


def test_openapi_and_offline_docs(client) -> None:
    spec = client.get("/openapi.json").json()
    for p in ("/api/claims", "/api/articles", "/api/articles/{article_id}", "/api/ledger", "/api/places"):
        assert p in spec["paths"]
    html = client.get("/docs").text
    assert "/static-offline-docs/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
    assert "<script>" not in html  # no inline script: the CSP forbids it


@pytest.mark.slow
def test_ingest_end_to_end(tmp_path) -> None:
    """Ingest an invented article through the real pipeline, then read it back through the API."""
    for mod in ("counterclaim.pipeline", "counterclaim.claims", "counterclaim.places", "counterclaim.ingest"):
        pytest.importorskip(mod)
    from fastapi.testclient import TestClient

    from counterclaim.web import create_app
    url = build_db(tmp_path / "e2e.db", [], [])
    app = create_app(get_settings(env={}, token=TOKEN, cache_dir=str(tmp_path / "c")), db=url)
    text = ("The Azerbaijani Defence Ministry said on Tuesday that its troops had destroyed 12 Armenian tanks "
            "and killed 85 Armenian soldiers near Fuzuli.\n\nArmenia's defence ministry denied the report.")
    with TestClient(app) as c:
        r = c.post("/api/articles", json={"text": text, "title": "An invented test report", "outlet": "Test",
                                          "published": "2020-10-06", "conflict": "nk"},
                   headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 201, r.text
        aid = r.json()["article_id"]
        art = c.get(f"/api/articles/{aid}").json()
        assert art["title"] == "An invented test report"
        values = {cl["value"] for cl in art["claims"]}
        assert {12, 85} <= values
        page = c.get(f"/articles/{aid}").text
        assert "<mark class=\"claim" in page
        again = c.post("/api/articles", json={"text": text}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert again.json()["status"] == "unchanged"


# --------------------------------------------------------------------------- schema upgrade

def _version_2_db(path: Path) -> str:
    """A database at schema version 2 (migration 0002) with the sample rows, without ``claims.day``."""
    from alembic import command

    from counterclaim.store._migrate import alembic_config
    from counterclaim.store._schema import articles, claims

    url = f"sqlite:///{path}"
    arts, rows = sample_rows()
    eng = sa.create_engine(url)
    with eng.begin() as conn:
        command.upgrade(alembic_config(conn), "0002")
        conn.execute(sa.text("INSERT INTO meta(key, value) VALUES ('schema_version', '2')"))
        conn.execute(sa.insert(articles), arts)
        v2_claims = sa.Table("claims", sa.MetaData(), *(sa.Column(c.name, c.type) for c in claims.c
                                                       if c.name != "day"))
        conn.execute(sa.insert(v2_claims), [{k: v for k, v in r.items() if k != "day"} for r in rows])
    eng.dispose()
    return url


def test_read_only_server_refuses_an_old_schema_and_a_writable_one_upgrades_it(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from counterclaim.errors import StorageError
    from counterclaim.web import create_app
    url = _version_2_db(tmp_path / "old.db")
    settings = get_settings(env={}, cache_dir=str(tmp_path))
    with pytest.raises(StorageError, match="schema version 2"):
        create_app(settings, db=url, read_only=True)
    with TestClient(create_app(settings, db=url)) as c:
        got = c.get("/api/claims", params={"subject_side": "ARM", "metric": "killed"}).json()["claims"]
    assert {x["value"] for x in got} == {21, 260, 7}
    assert all(x["day"] == (x["date"] or x["article_published"]) for x in got)
    with TestClient(create_app(settings, db=url, read_only=True)) as c:   # upgraded: read-only works now
        assert c.get("/api/claims").status_code == 200


def test_newest_first_is_by_day_then_id(client) -> None:
    got = client.get("/api/claims", params={"limit": 500}).json()["claims"]
    keys = [(c["day"] or "", c["id"]) for c in got]
    assert keys == sorted(keys, reverse=True)
