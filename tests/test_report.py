"""The situation report: files, inline charts with data, footnotes, escaping, and a headless-browser check."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from counterclaim.cli import cli
from counterclaim.ledger import load_claims_jsonl
from counterclaim.records import Claim
from counterclaim.report import md_escape, render_report, write_report

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ledger"
ROOT = Path(__file__).resolve().parents[1]
CHARTS = ("cumulative", "claimed-vs-admitted", "activity", "places")


@pytest.fixture(scope="module")
def claims() -> list[dict[str, Any]]:
    return load_claims_jsonl(FIXTURES / "claims.jsonl")


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    return load_claims_jsonl(FIXTURES / "articles.jsonl")


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory, claims, articles) -> Path:
    out = tmp_path_factory.mktemp("report")
    index = write_report(claims, articles, out, conflict="nk")
    assert index == out / "index.html"
    return out


def test_files_exist(report_dir: Path):
    assert (report_dir / "index.html").stat().st_size > 1000
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    for name in CHARTS:
        svg = report_dir / "charts" / f"{name}.svg"
        assert svg.is_file() and svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
        assert f"](charts/{name}.svg)" in md


def test_charts_are_inline_svg_with_data(report_dir: Path):
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page
    for name in CHARTS:
        figure = re.search(rf'<figure id="chart-{name}">(.*?)</figure>', page, re.S)
        assert figure, name
        body = figure.group(1)
        assert body.lstrip().startswith("<svg")
        marks = re.findall(rf'<g id="data-{name}-[^"]*">\s*<path[^>]* d="([^"]+)"', body)
        assert marks, f"{name}: no data marks"
        assert any(len(re.findall(r"[ML]", d)) >= 2 for d in marks)
    # the running-estimate line of the claimed group rises: 550, then 740 after the increment
    line = re.search(r'<g id="data-cumulative-0">\s*<path[^>]* d="([^"]+)"', page).group(1)
    ys = [float(y) for y in re.findall(r"[ML] [\d.]+ ([\d.]+)", line)]
    assert len(set(ys)) >= 2


def test_every_figure_is_footnoted(report_dir: Path, claims):
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    notes = re.findall(r'<li id="fn-(\d+)"><q>(.*?)</q>\s*<span class="note-meta">(.*?)</span></li>', page, re.S)
    assert notes
    refs = set(re.findall(r'href="#fn-(\d+)"', page))
    assert refs == {n for n, _, _ in notes}
    evidences = {c["evidence"] for c in claims}
    for _n, ev, meta in notes:
        assert ev.replace("&#39;", "'") in evidences
        assert re.search(r"\d{4}-\d{2}-\d{2}", meta) and "outlet unknown" not in meta
    # each stated figure line carries at least one footnote
    for li in re.findall(r'<li><span class="kind (?:claimed|admitted|third_party)">.*?</li>', page, re.S):
        assert 'href="#fn-' in li
    assert "740" in page and "Caspian Wire" in page and "ratio 7.115" in page
    assert re.search(r"^\[\^1\]: \"", md, re.M) and "[^1]" in md.split("## Sources")[0]


def test_report_is_offline(report_dir: Path):
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|srcset)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert not re.search(r"""<link[^>]+rel=["']?stylesheet""", page, re.I)
    assert "@import" not in page and "url(http" not in page and "@font-face" not in page


def _hostile() -> list[dict[str, Any]]:
    base = dict(doc="evil<b>.html", claimant_side="AZE", claimant="AZE.MOD$x$", subject_side="ARM", metric="killed",
                category="personnel", value=5, value_max=None, approx="exact", stance="assert",
                places=["<img src=x onerror=alert(1)>", "Sh$u$sha"], date="2020-10-01",
                evidence='<script>alert("x")</script> said [link](javascript:alert(1)) *five* killed',
                article_id="evil", conflict="nk", scope="cumulative")
    c = Claim(**base).to_dict()
    c["article_published"] = "2020-10-01"
    c["article_outlet"] = "</q><script>alert(2)</script>"
    c["article_url"] = "javascript:alert(3)"
    return [c]


def test_untrusted_text_is_escaped(tmp_path: Path):
    write_report(_hostile(), [], tmp_path)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(" in page
    assert 'href="javascript:' not in page.lower()
    assert "<script" not in md.lower() and "<img" not in md.lower()
    assert "&lt;script&gt;" in md
    assert "\\[link\\]" in md and "\\*five\\*" in md and "javascript:alert(3)" not in md
    for svg in (tmp_path / "charts").glob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert "<img" not in text and "<script" not in text


def test_md_escape():
    assert md_escape("a *b* [c](d)\n<e> | f") == r"a \*b\* \[c\](d) &lt;e&gt; \| f"


def test_empty_report(tmp_path: Path):
    write_report([], [], tmp_path)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "No claims." in page and "<svg" not in page
    assert (tmp_path / "report.md").is_file()


def test_render_report_matches_written(claims, articles, report_dir: Path):
    out = render_report(claims, articles, conflict="nk")
    assert set(out["charts"]) == {f"{n}.svg" for n in CHARTS}
    assert out["markdown"] == (report_dir / "report.md").read_text(encoding="utf-8")


def test_cli_report_from_db(tmp_path: Path, db_url: str):
    from test_ledger import make_db  # the ledger tests' schema-built SQLite database
    cl = load_claims_jsonl(FIXTURES / "claims.jsonl")
    for c in cl:
        c.pop("cluster"), c.pop("article_published")
    make_db(db_url, cl, load_claims_jsonl(FIXTURES / "articles.jsonl"))
    res = CliRunner().invoke(cli, ["report", "--db", db_url, "--conflict", "nk", "--out", str(tmp_path / "r")])
    assert res.exit_code == 0, res.output
    assert res.output.strip().endswith("index.html")
    page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "Caspian Wire" in page and "ratio 7.115" in page


def test_cli_report_errors(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for args in (["--out", str(tmp_path / "r"), "--db", f"sqlite:///{tmp_path / 'missing.db'}"],
                 ["--out", str(blocker / "sub"), "--from-jsonl", str(FIXTURES / "claims.jsonl")]):
        res = CliRunner().invoke(cli, ["report", *args])
        assert res.exit_code == 1, res.output
        assert res.output.startswith("counterclaim: ") and "Traceback" not in res.output


@pytest.mark.browser
def test_report_renders_offline_in_chromium(tmp_path: Path, claims, articles):
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Debian's chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    index = write_report(claims, articles, tmp_path, conflict="nk")
    blocked: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: failed.append(r.url))

            def guard(route):
                if route.request.url.startswith("file://"):
                    route.continue_()
                else:
                    blocked.append(route.request.url)
                    route.abort()

            page.route("**/*", guard)
            page.goto(index.as_uri(), wait_until="load")
            sizes = page.eval_on_selector_all("figure svg", "els => els.map(e => e.getBoundingClientRect().height)")
            notes = page.locator("ol.notes li").count()
            title = page.title()
            page.screenshot(path=str(ROOT / "docs" / "report-screenshot.png"), full_page=True)
        finally:
            browser.close()
    assert blocked == [] and failed == [] and errors == []
    assert len(sizes) == len(CHARTS) and all(h > 100 for h in sizes)
    assert notes >= 8 and title.startswith("Situation report")
