"""Every page in headless Chromium (Debian's ``chromium`` driven by Playwright), offline.

The app runs with uvicorn in a thread on 127.0.0.1 and a free port. Every request that
would leave 127.0.0.1 is blocked and recorded; console errors, page errors, failed
requests and dialogs are collected; each page must have none. Screenshots of every
page go to ``docs/screenshots/``.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from counterclaim._settings import get_settings
from counterclaim.records import article_id
from test_web_api import A1, TOKEN, XSS_TEXT, build_db

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    from counterclaim.web import create_app
    from counterclaim.web._serve import serve_in_thread
    url = build_db(tmp_path_factory.mktemp("browser") / "b.db")
    settings = get_settings(env={}, token=TOKEN, cache_dir=str(tmp_path_factory.mktemp("cache")))
    with serve_in_thread(create_app(settings, db=url)) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make system-deps)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


class Watch:
    """A page with every outside request blocked and every problem recorded."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.host = urlsplit(base).netloc
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.ctx.new_page()
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} {r.failure}")
                     if urlsplit(r.url).netloc == self.host else None)
        self.page.on("dialog", self._dialog)

    def _route(self, route) -> None:  # noqa: ANN001
        u = urlsplit(route.request.url)
        if u.scheme in ("data", "blob") or u.netloc == self.host:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _dialog(self, d) -> None:  # noqa: ANN001
        self.dialogs.append(d.message)
        d.dismiss()

    def goto(self, path: str):
        resp = self.page.goto(self.base + path, wait_until="networkidle")
        assert resp is not None and resp.status == 200, (path, resp and resp.status)
        return self.page

    def check(self) -> None:
        assert not self.outside, f"requests left the machine: {self.outside}"
        assert not self.errors, self.errors
        assert not self.dialogs, f"a dialog fired: {self.dialogs}"

    def close(self) -> None:
        self.ctx.close()


@pytest.fixture
def watch(browser, base_url):
    w = Watch(browser, base_url)
    yield w
    w.close()


PAGES = [("dashboard", "/"), ("articles", "/articles"), ("article", f"/articles/{article_id(A1)}"),
         ("claims", "/claims"), ("ledger", "/ledger"), ("map", "/map"), ("timeline", "/timeline"),
         ("ingest", "/ingest"), ("about", "/about"), ("api-docs", "/docs")]


@pytest.mark.parametrize("name,path", PAGES)
def test_page_loads_offline_without_errors(watch, name, path) -> None:
    page = watch.goto(path)
    if name == "map":
        page.wait_for_selector("#map[data-markers]", timeout=15000)
        page.wait_for_selector("#map[data-boundaries-loaded]", timeout=15000)
    if name == "api-docs":
        page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=name not in ("map", "api-docs"))
    watch.check()


def test_filters_change_the_table(watch) -> None:
    page = watch.goto("/claims")
    before = page.locator("tr.claim-row").count()
    page.select_option("select[name=conflict]", "ua")
    page.click("#claim-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    after = page.locator("tr.claim-row").count()
    assert before == 11 and after == 3
    assert "conflict=ua" in page.url and "metric=" not in page.url  # empty fields dropped
    page.select_option("select[name=metric]", "killed")
    page.click("#claim-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("tr.claim-row").count() == 1
    page.click("a.sort:has-text('value')")
    page.wait_for_load_state("networkidle")
    assert "sort=value" in page.url
    watch.check()


def test_article_highlights_at_the_right_spans(watch) -> None:
    page = watch.goto(f"/articles/{article_id(A1)}")
    found = page.evaluate("""() => Array.from(document.querySelectorAll('#article-claims tr[id^="c-"]')).map(row => {
        const s = row.dataset.spanStart, ns = row.dataset.numberStart, ne = row.dataset.numberEnd;
        const mark = document.getElementById('span-' + s);
        const nums = mark ? Array.from(mark.querySelectorAll('.num')).filter(n => n.dataset.start === ns && n.dataset.end === ne) : [];
        return {evidence: row.querySelector('td:last-child').textContent.trim(), mark: mark ? mark.textContent : null,
                num: nums.length ? nums[0].textContent : null, ns: +ns, ne: +ne, focusable: mark ? mark.tabIndex : -1};
    })""")
    assert len(found) == 4
    for f in found:
        assert f["mark"] is not None and f["mark"].startswith(f["evidence"].rstrip(".…")[:60])
        assert f["num"] == A1[f["ns"]:f["ne"]]
        assert f["focusable"] == 0
    # the whole text is intact in the DOM
    assert page.inner_text("#article-text").replace("\n", "") == A1.replace("\n", "")
    # keyboard: Tab reaches a highlight and its tooltip text is there
    page.focus("mark.claim")
    tip = page.evaluate("document.activeElement.dataset.tip")
    assert "claims ARM" in tip or "denies ARM" in tip
    watch.check()


def test_hostile_article_is_inert(watch) -> None:
    page = watch.goto(f"/articles/{article_id(XSS_TEXT)}")
    page.wait_for_timeout(300)
    assert page.locator("#article-text img, #article-text script, dl.meta img, h1 script").count() == 0
    assert "<script>alert('text')</script>" in page.inner_text("#article-text")
    assert page.locator("a[href^='javascript' i]").count() == 0
    assert page.evaluate("document.scripts.length") == len([s for s in page.evaluate(
        "Array.from(document.scripts).map(s => s.src)") if s.startswith(watch.base)])
    page.goto(watch.base + "/articles")
    page.wait_for_load_state("networkidle")
    assert page.locator("a[href^='javascript' i]").count() == 0
    watch.check()


def test_map_shows_markers_and_popup_links(watch) -> None:
    page = watch.goto("/map")
    page.wait_for_selector("#map[data-markers]", timeout=15000)
    assert page.get_attribute("#map", "data-markers") == "2"
    assert page.locator("path.place-marker").count() == 2
    assert int(page.get_attribute("#map", "data-boundaries-loaded")) > 200
    assert "internationally recognised borders" in page.inner_text(".leaflet-control-attribution")
    page.locator("path.place-marker").first.click(force=True)
    link = page.locator(".leaflet-popup-content a")
    link.wait_for(timeout=5000)
    assert "/claims?" in link.get_attribute("href") and "place=" in link.get_attribute("href")
    watch.check()


def test_timeline_day_opens_filtered_claims(watch) -> None:
    page = watch.goto("/timeline")
    page.locator("svg.timeline a.day[data-day='2022-05-10']").click()
    page.wait_for_load_state("networkidle")
    assert "since=2022-05-10" in page.url and "until=2022-05-10" in page.url
    assert page.locator("tr.claim-row").count() == 3
    watch.check()
