"""Server-rendered pages: content, JSON twins, escaping, highlighting, filters, boundaries."""
from __future__ import annotations

import json
import re
import zipfile
from html.parser import HTMLParser

import pytest

from counterclaim._settings import get_settings
from counterclaim.records import article_id
from counterclaim.web._render import claim_summary, highlight, safe_href
from test_web_api import A1, A2, TOKEN, XSS_TEXT, build_db

PAGES = ["/", "/articles", f"/articles/{article_id(A1)}", "/claims", "/ledger", "/map", "/timeline", "/about",
         "/ingest"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from counterclaim.web import create_app
    url = build_db(tmp_path_factory.mktemp("pages") / "p.db")
    settings = get_settings(env={}, token=TOKEN, cache_dir=str(tmp_path_factory.mktemp("cache")))
    with TestClient(create_app(settings, db=url)) as c:
        yield c


class _Elements(HTMLParser):
    """Collects start tags with attributes (to inspect the DOM the server sends)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = _Elements()
    p.feed(html)
    return p.tags


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_offline(client, path) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    for tag, attrs in _tags(r.text):
        for attr in ("src", "href"):
            v = attrs.get(attr) or ""
            if tag in ("script", "link", "img") and v:
                assert v.startswith("/") and not v.startswith("//"), (tag, v)
        if tag == "script":
            assert attrs.get("src"), "inline script"
        assert "style" not in attrs, (tag, attrs)
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)


@pytest.mark.parametrize("path", [p for p in PAGES if p not in ("/about", "/ingest")])
def test_every_page_has_a_json_twin(client, path) -> None:
    r = client.get(path, params={"format": "json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert isinstance(r.json(), dict)


def test_dashboard_figures(client) -> None:
    data = client.get("/", params={"format": "json"}).json()
    assert data["articles"] == 4 and data["claims"] == 11
    html = client.get("/").text
    assert 'id="n-claims">11<' in html
    div = data["divergences"]
    assert any(d["subject_side"] == "ARM" and d["metric"] == "killed" and d["ratio"] == round(260 / 21, 3)
               for d in div)


def test_article_page_escapes_everything(client) -> None:
    aid = article_id(XSS_TEXT)
    html = client.get(f"/articles/{aid}").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;img src=x onerror=alert(" in html
    assert 'href="javascript:' not in html.lower()
    tags = _tags(html)
    assert not [t for t, a in tags if t == "img"]
    assert all(a.get("src") for t, a in tags if t == "script")
    assert not any((a.get("href") or "").lower().startswith("javascript") for t, a in tags)
    # the listing too
    listing = client.get("/articles").text
    assert "<script>alert" not in listing and 'href="javascript:' not in listing
    claims = client.get("/claims").text
    assert "<script>alert" not in claims


def test_article_highlights_sit_at_spans(client) -> None:
    aid = article_id(A1)
    art = client.get(f"/api/articles/{aid}").json()
    html = client.get(f"/articles/{aid}").text
    marks = re.findall(r'<mark class="claim[^"]*"[^>]*data-start="(\d+)" data-end="(\d+)"', html)
    assert marks
    spans = {tuple(c["span"]) for c in art["claims"]}
    assert {(int(s), int(e)) for s, e in marks} == spans
    nums = re.findall(r'<span class="num" data-start="(\d+)" data-end="(\d+)"[^>]*>([^<]*)</span>', html)
    assert {A1[int(s):int(e)] for s, e, _ in nums} == {"14", "21", "260", "denied"}
    assert all(text == A1[int(s):int(e)] for s, e, text in nums)
    # syndicated copy listed
    assert f'href="/articles/{article_id(A2)}"' in html and "Repost: tanks destroyed" in html


def test_highlight_unit() -> None:
    text = "Alpha said 12 tanks <b>burned</b>. Beta said none. Tail"
    c1 = {"id": "a", "claimant_side": "AZE", "claimant": "AZE.MOD", "subject_side": "ARM", "metric": "destroyed",
          "category": "tank", "value": 12, "approx": "exact", "stance": "assert", "span": [0, 34],
          "number_span": [11, 13]}
    c2 = dict(c1, id="b", claimant_side="ARM", span=[35, 50], number_span=[45, 49], value=0)
    c3 = dict(c1, id="c", span=[5, 20], number_span=None)         # overlaps c1: merged into one mark
    bad = dict(c1, id="d", span=[40, 900], number_span=[-5, 2])     # clamped / ignored safely
    out = str(highlight(text, [c1, c2, c3, bad]))
    assert "<b>" not in out and "&lt;b&gt;burned&lt;/b&gt;" in out
    plain = re.sub(r"<[^>]+>", "", out)
    import html as _h
    assert _h.unescape(plain) == text
    assert out.count("<mark") == 2
    assert 'class="claim side-1 mixed"' in out or 'class="claim side-1' in out
    assert '>12</span>' in out and '>none</span>' in out
    assert 'tabindex="0"' in out


def test_claim_summary_is_plain_text() -> None:
    s = claim_summary({"claimant_side": "AZE", "claimant": "AZE.MOD", "stance": "assert", "subject_side": "ARM",
                       "metric": "killed", "category": "personnel", "value": 1000, "value_max": 1200,
                       "approx": "about", "places": ["<x>"], "date": "2020-10-01"})
    assert "~1,000–1,200" in s and "AZE.MOD" in s and "2020-10-01" in s


@pytest.mark.parametrize("url,ok", [
    ("https://example.org/a?b=1", True), ("http://example.org", True), ("javascript:alert(1)", False),
    (" JavaScript:alert(1)", False), ("data:text/html,x", False), ("//evil.example/x", False),
    ("https://exa mple.org", False), ("https://example.org/\"onmouseover=x", False), (None, False),
    ("vbscript:x", False), ("ftp://example.org/", False),
])
def test_safe_href(url, ok) -> None:
    assert (safe_href(url) is not None) is ok


def test_claims_page_filters_change_table(client) -> None:
    def rows(params):
        html = client.get("/claims", params=params).text
        return re.findall(r'<tr class="claim-row" data-id="([^"]+)"', html)
    everything = rows({})
    ua = rows({"conflict": "ua"})
    assert len(everything) == 11 and len(ua) == 3 and set(ua) < set(everything)
    assert len(rows({"subject_side": "ARM", "metric": "killed"})) == 4
    page1 = client.get("/claims", params={"limit": 5}).text
    nxt = re.search(r'href="([^"]+)" rel="next"', page1)
    assert nxt
    page2 = client.get(nxt.group(1).replace("&amp;", "&")).text
    ids2 = re.findall(r'<tr class="claim-row" data-id="([^"]+)"', page2)
    assert len(ids2) == 5 and not set(ids2) & set(re.findall(r'<tr class="claim-row" data-id="([^"]+)"', page1))
    assert "format=csv" in page1 and "format=jsonl" in page1 and "format=geojson" in page1


class _FilterControls(HTMLParser):
    """The controls of the page's filter form: ``(name, type, value)`` in order (a menu's value is its
    selected option), its submit button's label and its reset link."""

    def __init__(self) -> None:
        super().__init__()
        self.form: dict[str, str | None] | None = None
        self.controls: list[tuple[str | None, str | None, str | None]] = []
        self.button = self.reset = None
        self._in: str | None = None
        self._done = False

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        a = dict(attrs)
        if tag == "form" and "filters" in (a.get("class") or "") and not self._done:
            self.form = a
        if self.form is None or self._done:
            return
        if tag == "input":
            self.controls.append((a.get("name"), a.get("type"), a.get("value")))
        elif tag == "select":
            self.controls.append((a.get("name"), "select", ""))
        elif tag == "option" and "selected" in a:
            self.controls[-1] = (*self.controls[-1][:2], a.get("value"))
        elif tag in ("button", "a"):
            self._in = tag
            if tag == "a":
                self.reset = a.get("href")

    def handle_data(self, data):  # noqa: ANN001
        if self._in == "button" and self.button is None:
            self.button = data

    def handle_endtag(self, tag):  # noqa: ANN001
        self._in = None
        if tag == "form" and self.form is not None:
            self._done = True


HOSTILE = '"><script>alert(1)</script>'
_DATES = [("since", "date", "2020-10-01"), ("until", "date", "")]


@pytest.mark.parametrize("path, params, form, controls, button", [
    ("/claims", {"conflict": "nk", "approx": HOSTILE, "place": HOSTILE, "q": HOSTILE, "since": "2020-10-01",
                 "claimant": "AZE.MOD", "article_id": "abc", "sort": "value", "limit": 20},
     {"action": "/claims", "id": "claim-filters"},
     [("conflict", "select", "nk"), ("claimant_side", "select", ""), ("subject_side", "select", ""),
      ("metric", "select", ""), ("category", "select", ""), ("stance", "select", ""), ("approx", "select", HOSTILE),
      ("place", "text", HOSTILE), *_DATES, ("q", "search", HOSTILE), ("article_id", "hidden", "abc"),
      ("claimant", "hidden", "AZE.MOD"), ("sort", "hidden", "value")], "Filter"),
    ("/claims", {}, {"action": "/claims", "id": "claim-filters"},
     [(n, "select", "") for n in ("conflict", "claimant_side", "subject_side", "metric", "category", "stance",
                                  "approx")] + [("place", "text", ""), ("since", "date", ""), ("until", "date", ""),
                                                ("q", "search", "")], "Filter"),
    ("/map", {"metric": HOSTILE, "since": "2020-10-01"}, {"action": "/map"},
     [("conflict", "select", ""), ("claimant_side", "select", ""), ("subject_side", "select", ""),
      ("metric", "select", HOSTILE), *_DATES], "Show"),
    ("/ledger", {"side": "ARM", "category": HOSTILE, "since": "2020-10-01"}, {"action": "/ledger"},
     [("conflict", "select", ""), ("side", "select", "ARM"), ("metric", "select", ""),
      ("category", "select", HOSTILE), *_DATES], "Show"),
    ("/timeline", {"conflict": HOSTILE, "since": "2020-10-01"}, {"action": "/timeline"},
     [("conflict", "select", HOSTILE), ("subject_side", "select", ""), ("metric", "select", ""), *_DATES], "Show"),
    ("/articles", {"q": HOSTILE, "outlet": "Kyiv Example", "since": "2020-10-01"},
     {"action": "/articles", "role": "search"},
     [("q", "search", HOSTILE), ("outlet", "select", "Kyiv Example"), ("conflict", "select", ""), *_DATES],
     "Search"),
])
def test_filter_forms_keep_fields_values_and_escaping(client, path, params, form, controls, button) -> None:
    """Every listing page's filter form (one macro, ``_filters.html``): its fields in order, the
    current values shown (a menu's unknown value kept as its selected option), escaped."""
    html = client.get(path, params=params).text
    p = _FilterControls()
    p.feed(html)
    assert p.form is not None and {k: v for k, v in p.form.items() if k in ("action", "id", "role")} == form
    assert p.form["method"] == "get"
    assert p.controls == controls
    assert (p.button, p.reset) == (button, form["action"])
    assert "<script>alert(1)" not in html


def test_claims_page_bad_filter_is_one_clear_error(client) -> None:
    r = client.get("/claims", params={"cursor": "garbage"})
    assert r.status_code == 400 and "cursor" in r.text and "Traceback" not in r.text


def test_unknown_article_is_404_page(client) -> None:
    r = client.get("/articles/doesnotexist")
    assert r.status_code == 404 and "no article" in r.text


def test_timeline_links_days_to_claims(client) -> None:
    html = client.get("/timeline").text
    assert "/claims?since=2022-05-10&amp;until=2022-05-10" in html
    assert "<svg" in html and "<title>2022-05-10: 3 claims (RUS 1, UKR 2)" in html


def test_ledger_page_has_svg_with_tooltips(client) -> None:
    html = client.get("/ledger", params={"conflict": "nk"}).text
    assert "<svg" in html and "<circle" in html
    assert re.search(r"<title>AZE\.MOD \(claimed\) running estimate on 2020-10-01: 260", html)


def test_map_page(client) -> None:
    html = client.get("/map").text
    assert "/static/leaflet/leaflet.js" in html and "Natural Earth, internationally recognised borders" in html
    assert client.get("/static/leaflet/leaflet.js").status_code == 200
    assert "Fuzuli" in html


def test_ingest_form_needs_token(client) -> None:
    r = client.post("/ingest", data={"token": "nope", "text": "hello"})
    assert r.status_code == 403 and "Wrong token" in r.text
    r = client.post("/ingest", data={"text": "hello"})
    assert r.status_code == 401


def test_read_only_hides_ingest(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from counterclaim.web import create_app
    url = build_db(tmp_path / "ro.db")
    with TestClient(create_app(get_settings(env={}, cache_dir=str(tmp_path)), db=url, read_only=True)) as c:
        assert 'href="/ingest"' not in c.get("/").text
        assert c.get("/ingest").status_code == 404


def test_missing_database_is_one_clear_error(tmp_path) -> None:
    from counterclaim.errors import StorageError
    from counterclaim.web import create_app
    with pytest.raises(StorageError, match="no database"):
        create_app(get_settings(env={}), db=f"sqlite:///{tmp_path / 'nope.db'}")


def test_serve_command_bad_db_one_line(tmp_path) -> None:
    from click.testing import CliRunner

    from counterclaim.cli import cli
    res = CliRunner().invoke(cli, ["serve", "--db", f"sqlite:///{tmp_path / 'missing.db'}"])
    assert res.exit_code == 1 and "no database" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(cli, ["serve", "--db", build_db(tmp_path / "t.db"), "--tiles", "javascript:x"])
    assert res.exit_code == 1 and "--tiles" in res.output


def test_boundaries_zip_holds_the_conflict_countries() -> None:
    from counterclaim.web._boundaries import boundaries_zip
    z = boundaries_zip()
    assert z.is_file()
    assert "ne_10m_admin_0_countries_deu.shp" in zipfile.ZipFile(z).namelist()


@pytest.mark.slow
def test_boundaries_geojson(client) -> None:
    r = client.get("/static-data/boundaries.geojson")
    assert r.status_code == 200
    gj = json.loads(r.content)
    iso = {f["properties"]["iso3"] for f in gj["features"]}
    assert {"ARM", "AZE", "UKR", "RUS"} <= iso
    from shapely.geometry import Point, shape
    by = {f["properties"]["iso3"]: shape(f["geometry"]) for f in gj["features"]}
    assert by["UKR"].contains(Point(34.1, 44.95))   # Crimea: internationally recognised borders
    assert by["AZE"].contains(Point(46.75, 39.82))  # Nagorno-Karabakh (Stepanakert/Khankendi)
