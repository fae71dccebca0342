"""The sample corpus (examples/corpus) and its gold claims (examples/gold.jsonl).

These tests keep the corpus honest: enough articles in every input format, gold lines
valid per shared/spec/claims.md, every gold claim's document and evidence really in the
corpus, every metric/category/approx/stance covered, the syndication list pointing at
real documents, the container files reproducible from examples/tools, and no sentence
of the shared dev set copied into the project.

The corpus is read here with the standard library plus warcio and feedparser only, on
purpose: the test must not depend on the ingest code it is used to check.
"""
from __future__ import annotations

import gzip
import html
import json
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = EXAMPLES / "corpus"
GOLD = EXAMPLES / "gold.jsonl"
SYNDICATION = EXAMPLES / "syndication.yaml"

# The spec's enumerations (shared/spec/claims.md).
METRICS = {"killed", "wounded", "killed_or_wounded", "captured", "missing",
           "destroyed", "damaged", "seized", "territory_captured"}
PEOPLE_METRICS = {"killed", "wounded", "killed_or_wounded", "captured", "missing"}
EQUIPMENT_METRICS = {"destroyed", "damaged", "seized"}
PEOPLE_CATEGORIES = {"personnel", "civilians", "people"}
EQUIPMENT_CATEGORIES = {"tank", "armored_vehicle", "artillery", "rocket_launcher", "air_defense", "drone",
                        "helicopter", "aircraft", "vehicle", "depot", "command_post", "fortification",
                        "equipment"}
TERRITORY_CATEGORIES = {"village", "town", "height", "position", "area"}
CATEGORIES = PEOPLE_CATEGORIES | EQUIPMENT_CATEGORIES | TERRITORY_CATEGORIES
APPROX = {"exact", "at_least", "at_most", "about", "vague", "none"}
STANCES = {"assert", "deny"}
VAGUE_VALUES = {2, 3, 12, 24, 40, 20, 200, 2000}
SIDE_RE = re.compile(r"^(OUTLET|[A-Z]{2,5})$")
SPEC_FIELDS = ("doc", "claimant_side", "claimant", "subject_side", "metric", "category", "value",
               "value_max", "approx", "stance", "places", "date", "evidence")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
          "article", "section", "header", "footer", "nav", "aside", "blockquote", "main", "time",
          "figure", "figcaption", "title"}


class _Text(HTMLParser):
    """Tag stripper: visible text with a newline at block boundaries (no script/style)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # noqa: D401
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def strip_html(markup: str) -> str:
    """Visible text of an HTML document or fragment, block boundaries kept as newlines."""
    p = _Text()
    p.feed(markup)
    p.close()
    return html.unescape("".join(p.parts))


def fold(text: str) -> str:
    """Whitespace-folded text (the form evidence is compared in)."""
    return " ".join(text.split())


def _jsonl_docs(path: Path) -> dict[str, str]:
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        doc = rec.get("url") or f"{path.name}#{n}"
        out[doc] = rec["text"] if rec.get("text") else strip_html(rec["html"])
    return out


def _warc_docs(path: Path) -> dict[str, str]:
    from warcio.archiveiterator import ArchiveIterator

    out = {}
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response":
                continue
            ctype = rec.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype:
                continue
            body = rec.content_stream().read().decode("utf-8")
            out[rec.rec_headers.get_header("WARC-Target-URI")] = strip_html(body)
    return out


def _feed_docs(path: Path) -> dict[str, str]:
    import feedparser

    out = {}
    for entry in feedparser.parse(path.read_bytes()).entries:
        body = entry.content[0].value if entry.get("content") else entry.get("summary", "")
        out[entry.link] = strip_html(body)
    return out


def load_corpus(corpus: Path = CORPUS) -> dict[str, str]:
    """Every article of the corpus as ``{doc: visible text}``.

    ``doc`` follows the spec: a file's base name, or a record's URL inside a JSONL, WARC
    or RSS container.
    """
    docs: dict[str, str] = {}
    for path in sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith(".")):
        name = path.name
        if name.endswith((".txt", ".md")):
            got = {name: path.read_text(encoding="utf-8")}
        elif name.endswith((".html", ".htm")):
            got = {name: strip_html(path.read_text(encoding="utf-8"))}
        elif name.endswith(".jsonl"):
            got = _jsonl_docs(path)
        elif name.endswith((".warc.gz", ".warc")):
            got = _warc_docs(path)
        elif name.endswith((".xml", ".rss")):
            got = _feed_docs(path)
        else:
            continue
        for doc in got:
            assert doc not in docs, f"two corpus documents share the doc id {doc}"
        docs.update(got)
    return docs


def load_gold(path: Path = GOLD) -> list[dict]:
    """The gold claims, one dict per JSONL line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _format_of(name: str) -> str:
    for suffix, fmt in ((".warc.gz", "warc"), (".jsonl", "jsonl"), (".xml", "feed"), (".rss", "feed"),
                        (".html", "html"), (".md", "markdown"), (".txt", "text")):
        if name.endswith(suffix):
            return fmt
    return "other"


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    return load_corpus()


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return load_gold()


# ---------------------------------------------------------------------------- corpus

def test_corpus_size_and_formats(corpus):
    assert len(corpus) >= 40
    files = [p.name for p in CORPUS.rglob("*") if p.is_file()]
    formats = Counter(_format_of(n) for n in files)
    for fmt in ("text", "markdown", "html", "jsonl", "warc", "feed"):
        assert formats[fmt] >= 1, f"no {fmt} file in the corpus"
    assert formats["html"] >= 3 and formats["text"] >= 10


def test_containers_hold_several_articles():
    for pattern, reader, least in (("*.jsonl", _jsonl_docs, 5), ("*.warc.gz", _warc_docs, 4),
                                   ("*.xml", _feed_docs, 3)):
        found = sorted(CORPUS.rglob(pattern))
        assert found, pattern
        assert sum(len(reader(p)) for p in found) >= least, pattern


def test_article_lengths(corpus):
    for doc, text in corpus.items():
        words = len(text.split())
        assert 120 <= words <= 1100, f"{doc}: {words} words"


def test_russia_ukraine_share(corpus):
    ru_ua = [d for d, t in corpus.items() if re.search(r"\b(Ukrain\w*|Kyiv|Kiev)\b", t)]
    assert len(ru_ua) >= 8


def test_html_pages_carry_metadata():
    pages = sorted(CORPUS.glob("*.html"))
    assert pages
    for page in pages:
        markup = page.read_text(encoding="utf-8")
        assert 'property="og:site_name"' in markup, page.name
        assert "article:published_time" in markup, page.name
        assert "<time datetime=" in markup, page.name


def test_general_staff_lists_present(corpus):
    lists = [d for d, t in corpus.items() if re.search(r"^\s*tanks\s+[-\u2013\u2014]\s+[\d,]+\s+\(\+\d+\)", t, re.M)]
    assert len(lists) >= 2


# ---------------------------------------------------------------------------- gold

def test_gold_lines_follow_the_spec(gold):
    assert len(gold) >= 150
    for n, g in enumerate(gold, 1):
        where = f"gold line {n}"
        assert tuple(g)[: len(SPEC_FIELDS)] == SPEC_FIELDS, where
        assert SIDE_RE.match(g["claimant_side"]) and SIDE_RE.match(g["subject_side"]), where
        assert g["subject_side"] != "OUTLET", where
        if g["claimant_side"] == "OUTLET":
            assert g["claimant"] == "OUTLET", where
        else:
            assert g["claimant"].split(".")[0] in (g["claimant_side"], "NKR"), where
        assert g["metric"] in METRICS and g["category"] in CATEGORIES, where
        if g["metric"] in PEOPLE_METRICS:
            assert g["category"] in PEOPLE_CATEGORIES, where
        elif g["metric"] in EQUIPMENT_METRICS:
            assert g["category"] in EQUIPMENT_CATEGORIES, where
        else:
            assert g["category"] in TERRITORY_CATEGORIES, where
        assert g["approx"] in APPROX and g["stance"] in STANCES, where
        for f in ("value", "value_max"):
            assert g[f] is None or (isinstance(g[f], int) and not isinstance(g[f], bool) and g[f] >= 0), where
        if g["value_max"] is not None:
            assert g["value"] is not None and g["value_max"] > g["value"], where
        if g["approx"] == "none":
            assert g["value"] is None, where
        else:
            assert g["value"] is not None, where
        if g["approx"] == "vague":
            assert g["value"] in VAGUE_VALUES, where
        if g["stance"] == "deny":
            assert g["value"] is None and g["approx"] == "none", where
        assert isinstance(g["places"], list) and all(isinstance(p, str) and p for p in g["places"]), where
        assert g["date"] is None or DATE_RE.match(g["date"]), where
        assert isinstance(g["evidence"], str) and g["evidence"].strip(), where
        if "scope" in g:
            assert g["scope"] in ("cumulative", "increment", None), where
        if g.get("increment") is not None:
            assert isinstance(g["increment"], int) and g.get("scope") == "cumulative", where


def test_gold_docs_and_evidence_are_in_the_corpus(gold, corpus):
    folded = {doc: fold(text) for doc, text in corpus.items()}
    for n, g in enumerate(gold, 1):
        assert g["doc"] in folded, f"gold line {n}: unknown doc {g['doc']}"
        assert fold(g["evidence"]) in folded[g["doc"]], f"gold line {n}: evidence not in {g['doc']}"
        for place in g["places"]:
            assert place.casefold() in g["evidence"].casefold(), f"gold line {n}: place {place} not in evidence"


def test_gold_dates_are_in_the_wars(gold):
    for g in gold:
        if g["date"]:
            assert "2016-01-01" <= g["date"] <= "2026-01-01"


def test_gold_has_no_duplicate_claims(gold):
    """One claim per thing per article: the same key from the same evidence is a duplicate."""
    seen = Counter((g["doc"], g["claimant_side"], g["subject_side"], g["metric"], g["category"],
                    g["value"], g["stance"], fold(g["evidence"])) for g in gold)
    dup = [k for k, n in seen.items() if n > 1]
    assert not dup, dup


def test_gold_covers_the_spec(gold):
    assert {g["metric"] for g in gold} == METRICS
    assert {g["category"] for g in gold} == CATEGORIES
    assert {g["approx"] for g in gold} == APPROX
    assert {g["stance"] for g in gold} == STANCES
    assert any(g["value_max"] is not None for g in gold), "no range"
    assert any(g["value"] == 0 for g in gold), "no zero claim"
    assert any(g["claimant_side"] == g["subject_side"] for g in gold), "no admission"
    assert any(g["claimant_side"] == "OUTLET" for g in gold), "no unattributed claim"
    assert any(g.get("increment") is not None for g in gold), "no General Staff increment"
    third = {g["claimant_side"] for g in gold} - {"ARM", "AZE", "UKR", "RUS", "OUTLET"}
    assert len(third) >= 3, third


def test_every_gold_doc_has_claims_and_most_docs_are_annotated(gold, corpus):
    annotated = {g["doc"] for g in gold}
    assert len(annotated) >= 0.8 * len(corpus)


# ---------------------------------------------------------------------------- syndication

def test_syndication_file_names_real_documents(corpus):
    data = yaml.safe_load(SYNDICATION.read_text(encoding="utf-8"))
    assert len(data["pairs"]) >= 5 and len(data["near_misses"]) >= 3
    for group in ("pairs", "near_misses"):
        for item in data[group]:
            a, b = item["a"], item["b"]
            assert a in corpus and b in corpus and a != b, (group, a, b)


def _shingles(text: str, k: int = 5) -> set[str]:
    words = re.findall(r"\w+", text.casefold())
    return {" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1))}


def _jaccard(a: str, b: str) -> float:
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb)


def _containment(a: str, b: str) -> float:
    """Share of the smaller document's shingles found in the other one."""
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / min(len(sa), len(sb))


def test_syndicated_pairs_share_their_story_and_near_misses_do_not(corpus):
    data = yaml.safe_load(SYNDICATION.read_text(encoding="utf-8"))
    for item in data["pairs"]:
        a, b = corpus[item["a"]], corpus[item["b"]]
        # The shared story dominates both copies, boilerplate, headline and a trimmed lede aside.
        assert _containment(a, b) >= 0.75, (item["a"], item["b"], round(_containment(a, b), 2))
        assert _jaccard(a, b) >= 0.5, (item["a"], item["b"], round(_jaccard(a, b), 2))
    for item in data["near_misses"]:
        a, b = corpus[item["a"]], corpus[item["b"]]
        assert _jaccard(a, b) <= 0.25 and _containment(a, b) <= 0.3, (item["a"], item["b"])


# ---------------------------------------------------------------------------- provenance

def test_containers_are_reproducible(tmp_path):
    script = EXAMPLES / "tools" / "build_corpus_archives.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True,
                   capture_output=True, text=True)
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built
    for name in built:
        fresh, kept = tmp_path / name, CORPUS / name
        assert kept.exists(), name
        if name.endswith(".gz"):
            assert gzip.decompress(fresh.read_bytes()) == gzip.decompress(kept.read_bytes()), name
        else:
            assert fresh.read_bytes() == kept.read_bytes(), name


def test_readme_lists_every_corpus_file():
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert "own words" in readme
    for p in CORPUS.rglob("*"):
        if p.is_file():
            assert p.name in readme, p.name


def _sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        for s in re.split(r"(?<=[.!?])\s+", line):
            s = fold(s)
            if len(s) >= 60:
                out.append(s.casefold())
    return out


def test_no_dev_sentence_in_the_project(dev_dir, corpus):
    dev = set()
    for path in sorted(dev_dir.glob("*.txt")):
        dev.update(_sentences(path.read_text(encoding="utf-8")))
    assert dev
    blob = fold(" ".join(corpus.values())).casefold()
    gold_blob = fold(GOLD.read_text(encoding="utf-8")).casefold()
    copied = [s for s in dev if s in blob or s in gold_blob]
    assert not copied, copied[:3]


# ---------------------------------------------------------------------------- through the real ingest

def test_gold_evidence_survives_ingest(gold):
    """Every gold evidence is in the cleaned text the extractor reads (ingest + cleaning)."""
    ingest = pytest.importorskip("counterclaim.ingest")
    texts = {}
    for raw in ingest.read_sources([str(CORPUS)]):
        assert not isinstance(raw, Exception), raw
        article = ingest.prepare(raw)
        texts[article.doc] = fold(article.text)
    assert len(texts) == len(load_corpus())
    lost = [(g["doc"], g["evidence"][:80]) for g in gold
            if g["doc"] not in texts or fold(g["evidence"]) not in texts[g["doc"]]]
    assert not lost, lost[:5]


def test_syndication_clusters_match_the_ground_truth():
    """The project's clustering over the cleaned corpus joins exactly the listed pairs."""
    ingest = pytest.importorskip("counterclaim.ingest")
    syndication = pytest.importorskip("counterclaim.syndication")
    articles = [ingest.prepare(raw) for raw in ingest.read_sources([str(CORPUS)])]
    clusters = syndication.cluster([(a.doc, a.published, a.text) for a in articles])
    data = yaml.safe_load(SYNDICATION.read_text(encoding="utf-8"))
    for item in data["pairs"]:
        assert clusters[item["a"]] == clusters[item["b"]], item
    for item in data["near_misses"]:
        assert clusters[item["a"]] != clusters[item["b"]], item
    listed = {frozenset((i["a"], i["b"])) for i in data["pairs"]}
    groups: dict[str, set[str]] = {}
    for doc, cid in clusters.items():
        groups.setdefault(cid, set()).add(doc)
    joined = {frozenset(g) for g in groups.values() if len(g) > 1}
    assert joined == listed, joined ^ listed
