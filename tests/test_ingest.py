"""Readers and prepare: every input kind to RawDocs, RawDocs to clean Articles, bad input as errors."""
from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from counterclaim._settings import get_settings
from counterclaim.errors import (BinaryInput, CounterclaimError, EmptyInput, InputError, InputTooLarge,
                                 MalformedRecord, UnsupportedFormat)
from counterclaim.ingest import detect_format, prepare, read_sources
from counterclaim.records import Article, RawDoc, article_id

FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"


def _split(items):
    docs = [x for x in items if isinstance(x, RawDoc)]
    errs = [x for x in items if isinstance(x, InputError)]
    assert len(docs) + len(errs) == len(items)
    return docs, errs


def _one(path) -> Article:
    docs, errs = _split(list(read_sources([str(path)])))
    assert not errs and len(docs) == 1, errs
    return prepare(docs[0])


def _warc(path: Path, pages: list[tuple[str, str]], *, gz: bool = True, extra_non_html: bool = True) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for uri, html in pages:
            hh = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(html.encode()), http_headers=hh))
        if extra_non_html:
            hh = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record("https://site.example/logo.png", "response",
                                                payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
                                                http_headers=hh))
            hh = StatusAndHeaders("302 Found", [("Location", "https://site.example/a")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record("https://site.example/old", "response", payload=io.BytesIO(b""),
                                                http_headers=hh))
    return path


def _page(n: int) -> str:
    return (f"<html><head><title>Report number {n}</title></head><body><article>"
            + f"<p>The ministry said on day {n} that {n + 3} villages had been shelled and that {n + 1} people were "
              f"wounded in the attacks on the district.</p>" * 3 + "</article></body></html>")


# --- format detection -----------------------------------------------------------------

@pytest.mark.parametrize("name,head,fmt", [
    ("a.txt", None, "text"), ("a.MD", None, "markdown"), ("a.htm", None, "html"), ("x.jsonl", None, "jsonl"),
    ("x.warc.gz", None, "warc"), ("x.warc", None, "warc"), ("f.rss", None, "feed"), ("f.atom", None, "feed"),
    ("noext", b"<!DOCTYPE html><html><body><p>x</p>", "html"),
    ("f.xml", b'<?xml version="1.0"?><rss version="2.0"><channel>', "feed"),
    ("f.xml", b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
    (None, b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", "warc"),
    (None, gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n"), "warc"),
    (None, gzip.compress(b"just some text"), "gzip"),
    (None, b'{"url": "https://x.example/1", "text": "hello"}\n{"text": "again"}\n', "jsonl"),
    (None, b"# A heading\n\nSome [linked](https://x.example) words.", "markdown"),
    (None, b"Plain words only, nothing else at all.", "text"),
])
def test_detect_format(name, head, fmt):
    assert detect_format(name, head) == fmt


def test_format_option_forces_and_rejects_unknown(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text("<p>The army said on Monday that the bridge was destroyed by a strike.</p>", encoding="utf-8")
    assert next(iter(read_sources([p]))).format == "text"
    assert next(iter(read_sources([p], format="html"))).format == "html"
    with pytest.raises(UnsupportedFormat, match="unknown format"):
        read_sources([p], format="pdf")


# --- readers --------------------------------------------------------------------------

def test_directory_is_recursive_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ("b/2.txt", "a.md", "b/1.html", ".hidden.txt", ".git/x.txt", "notes.docx", "c.xml"):
        (tmp_path / rel).write_text("<p>The ministry said the road was cut by shelling on Tuesday.</p>"
                                    if rel.endswith((".html", ".xml")) else
                                    "The ministry said the road was cut by shelling on Tuesday.", encoding="utf-8")
    docs, errs = _split(list(read_sources([tmp_path])))
    assert not errs
    assert [Path(d.source).relative_to(tmp_path).as_posix() for d in docs] == ["a.md", "b/1.html", "b/2.txt", "c.xml"]
    assert [d.doc for d in docs] == ["a.md", "1.html", "2.txt", "c.xml"]
    assert docs[3].format == "html"


def test_other_url_schemes_are_refused_by_the_fetcher():
    (err,) = list(read_sources(["ftp://files.example/report.txt"]))
    assert isinstance(err, InputError) and "only http and https" in err.one_line()


def test_glob_and_missing_sources(tmp_path):
    for n in range(3):
        (tmp_path / f"r{n}.txt").write_text(f"Report {n}: the army said it held the line.", encoding="utf-8")
    docs, errs = _split(list(read_sources([str(tmp_path / "r*.txt"), str(tmp_path / "zz*.txt"),
                                           str(tmp_path / "missing.txt")])))
    assert [d.doc for d in docs] == ["r0.txt", "r1.txt", "r2.txt"]
    assert [e.one_line() for e in errs] == [f"{tmp_path / 'zz*.txt'}: no file matches this pattern",
                                            f"{tmp_path / 'missing.txt'}: no such file or directory"]


def test_stdin(monkeypatch):
    fake = io.TextIOWrapper(io.BytesIO(b"Shelling hit the port overnight, the governor said on Friday."))
    monkeypatch.setattr(sys, "stdin", fake)
    (doc,) = list(read_sources(["-"]))
    assert isinstance(doc, RawDoc) and doc.source == "-" and doc.format == "text"
    assert prepare(doc).text.startswith("Shelling hit the port")


def test_jsonl_bad_line_does_not_stop_the_others():
    items = list(read_sources([FIX / "articles.jsonl"]))
    docs, errs = _split(items)
    assert [type(x).__name__ for x in items] == ["RawDoc", "MalformedRecord", "MalformedRecord", "RawDoc"]
    first, last = docs
    assert first.doc == "https://wire.example/2020/10/04/shelling" and first.format == "text"
    assert first.hints["outlet"] == "Example Wire" and first.hints["tags"] == ["Karabakh", "civilians"]
    assert last.doc == "articles.jsonl#4" and last.format == "html"
    assert errs[0].source.endswith("articles.jsonl#2") and "not valid JSON" in errs[0].one_line()
    assert "no 'text' or 'html'" in errs[1].one_line()
    a = prepare(first)
    assert (a.title, a.outlet, a.published, a.author, a.url) == (
        "Shelling hits regional capital", "Example Wire", "2020-10-04", "Staff", first.doc)
    b = prepare(last)
    assert b.title == "Ceasefire announced" and b.published == "2020-10-10"
    assert "humanitarian ceasefire" in b.text and "<p>" not in b.text


def test_jsonl_oversize_line_is_skipped(tmp_path):
    p = tmp_path / "dump.jsonl"
    big = json.dumps({"text": "x " * 2000})
    ok = json.dumps({"text": "The army said the bridge was destroyed on Monday."})
    p.write_text(f"{ok}\n{big}\n{ok}\n", encoding="utf-8")
    items = list(read_sources([p], settings=get_settings(env={}, max_input_bytes=1000)))
    assert [type(x).__name__ for x in items] == ["RawDoc", "InputTooLarge", "RawDoc"]


@pytest.mark.parametrize("gz", [True, False])
def test_warc_response_records(tmp_path, gz):
    path = _warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"),
                 [(f"https://site.example/{n}", _page(n)) for n in range(3)], gz=gz)
    docs, errs = _split(list(read_sources([path])))
    assert not errs
    assert [d.doc for d in docs] == [f"https://site.example/{n}" for n in range(3)]
    assert all(d.format == "html" and d.source == str(path) for d in docs)
    a = prepare(docs[1])
    assert a.url == "https://site.example/1" and a.outlet == "site.example" and "4 villages" in a.text


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_yields_good_records_then_one_error(tmp_path, gz):
    path = _warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"),
                 [(f"https://site.example/{n}", _page(n)) for n in range(3)], gz=gz, extra_non_html=False)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.8)])
    items = list(read_sources([path]))
    assert [type(x).__name__ for x in items] == ["RawDoc", "RawDoc", "MalformedRecord"]
    assert items[-1].one_line().startswith(f"{path}: truncated or corrupt WARC after 2 good record(s)")


def test_rss_and_atom_feeds():
    docs, errs = _split(list(read_sources([FIX / "feed.rss", FIX / "feed.atom"])))
    assert [d.doc for d in docs] == ["https://frontline-digest.example/2022/05/drone-strikes",
                                     "https://frontline-digest.example/2022/05/evacuation",
                                     "https://steppe-monitor.example/2023/09/checkpoints"]
    assert len(errs) == 1 and "has no content" in errs[0].one_line()
    arts = [prepare(d) for d in docs]
    assert arts[0].outlet == "Frontline Digest" and arts[0].published == "2022-05-10" and arts[0].tags == ["Ukraine"]
    assert arts[0].text.split("\n\n")[1] == "The claim could not be independently verified."
    assert arts[2].author == "Aram Petrosyan" and arts[2].published == "2023-09-19"
    assert "60 military posts" in arts[2].text


# --- prepare --------------------------------------------------------------------------

def test_html_page_main_text_and_metadata():
    a = _one(FIX / "page.html")
    assert a.format == "html" and a.doc == "page.html"
    assert a.title == "Border clashes leave dozens dead, both sides say"
    assert (a.outlet, a.author, a.published) == ("Caucasus Ledger", "Lena Avetisyan", "2016-04-03")
    assert a.tags == ["Nagorno-Karabakh", "April clashes"]
    assert "https://caucasus-ledger.example/img/frontline-map.jpg" in a.media
    assert a.language == "en"
    paras = a.text.split("\n\n")
    assert len(paras) == 4 and paras[0].startswith("Fighting along the line of contact")
    for junk in ("Home", "newsletter", "Share this", "Related stories", "Ceasefire talks stall", "Copyright",
                 "Follow us", "tracking", "Click to enlarge"):
        assert junk not in a.text, junk
    assert "<html" in a.raw and a.id == article_id(a.text)


def test_same_story_as_text_and_html_gives_the_same_article():
    html = _one(FIX / "page.html")
    body = "\n\n".join(html.text.split("\n\n"))
    text_version = ("250 $\n500 $\n\nBorder clashes leave dozens dead, both sides say\n\nBy Lena Avetisyan\n\n"
                    + body.replace(". ", ".\n", 1) + "\n\nShare this article with your friends\n"
                    "Copyright © 2016 Caucasus Ledger\n")
    a = prepare(RawDoc(source="copy.txt", doc="copy.txt", data=text_version.encode(), format="text"))
    assert a.text == html.text and a.id == html.id
    assert a.title == html.title and a.author == "Lena Avetisyan"


def test_markdown_article():
    a = _one(FIX / "report.md")
    assert a.format == "markdown" and a.title == "Drone strikes reported near the front"
    assert a.author == "Example Desk" and a.published == "2020-10-14" and a.tags == ["drones", "air defence"]
    assert a.media == ["https://example.org/img/launcher.png"]
    assert a.text == ("The defence ministry said that its forces had destroyed four air defence systems in the past "
                      "day, according to a statement posted on its website.\n\nOfficials on the other side said the "
                      "report was false and that the systems were decoys.")


def test_utf16_and_latin1_text():
    u = _one(FIX / "utf16.txt")
    assert u.title == "Ceasefire violations reported near Tovuz" and "two servicemen were killed" in u.text
    latin = _one(FIX / "latin1.txt")
    assert latin.title == "Communiqué du ministère" and "Café owners" in latin.text and "\ufffd" not in latin.raw


def test_cp1252_smart_quotes_and_utf8_bom():
    a = prepare(RawDoc("q.txt", "q.txt", "\u201cWe held the line,\u201d the commander said on Sunday evening."
                       .encode("cp1252"), "text"))
    assert a.text.startswith("\u201cWe held")
    b = prepare(RawDoc("b.txt", "b.txt", b"\xef\xbb\xbfThe governor said two schools were damaged.", "text"))
    assert b.text.startswith("The governor") and not b.raw.startswith("\ufeff")


def test_language_is_detected():
    ru = prepare(RawDoc("ru.txt", "ru.txt", "Министерство обороны сообщило, что в районе было уничтожено "
                        "несколько танков, а также что бои продолжаются.".encode(), "text"))
    assert ru.language == "ru"
    assert _one(FIX / "report.md").language == "en"


def test_plain_text_starting_with_a_sentence_keeps_it():
    a = prepare(RawDoc("s.txt", "s.txt", b"The army said on Monday that 12 soldiers were killed near the border.\n\n"
                       b"The other side denied it.", "text"))
    assert a.text.startswith("The army said on Monday") and a.title.startswith("The army said on Monday")


def test_prepare_is_deterministic_and_round_trips():
    doc = next(iter(read_sources([FIX / "page.html"])))
    a, b = prepare(doc), prepare(doc)
    assert a == b and Article.from_dict(json.loads(json.dumps(a.to_dict()))) == a


# --- bad input ------------------------------------------------------------------------

def _errors_for(paths, **kw):
    out = []
    for item in read_sources([str(p) for p in paths], **kw):
        if isinstance(item, InputError):
            out.append(item)
            continue
        try:
            prepare(item)
        except CounterclaimError as err:
            out.append(err)
    return out


def test_bad_inputs_become_one_line_errors(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n\t \n", encoding="utf-8")
    junk = tmp_path / "junk.txt"
    junk.write_text("0 $\n500 $\nShare this story\nCopyright © 2020 Example\n", encoding="utf-8")
    errs = _errors_for([empty, blank, FIX / "binary.bin", "/dev/null", tmp_path / "missing.txt", junk,
                        gzip_file(tmp_path)])
    kinds = [type(e) for e in errs]
    assert kinds == [EmptyInput, EmptyInput, BinaryInput, EmptyInput, InputError, EmptyInput, UnsupportedFormat]
    for err, name in zip(errs, ["empty.txt", "blank.txt", "binary.bin", "/dev/null", "missing.txt", "junk.txt",
                                "notes.txt.gz"]):
        line = err.one_line()
        assert name in line and "\n" not in line and len(line) < 300


def gzip_file(tmp_path: Path) -> Path:
    p = tmp_path / "notes.txt.gz"
    p.write_bytes(gzip.compress(b"some words"))
    return p


def test_200mb_file_is_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    reads: list[int] = []
    real_open = open

    def spy_open(file, mode="r", *a, **k):
        fh = real_open(file, mode, *a, **k)
        if str(file) == str(big):
            real_read = fh.read

            def read(n=-1):
                reads.append(n)
                return real_read(n)
            return _Proxy(fh, read)
        return fh

    monkeypatch.setattr("builtins.open", spy_open)
    (err,) = list(read_sources([big]))
    assert isinstance(err, InputTooLarge)
    assert err.one_line() == (f"{big}: file is {200 * 1024 * 1024} bytes, over the 20000000-byte limit "
                              "(COUNTERCLAIM_MAX_INPUT_BYTES)")
    assert sum(n for n in reads if n > 0) <= 8192  # at most the sniffing head was read


class _Proxy:
    def __init__(self, fh, read):
        self._fh, self.read = fh, read

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()


def test_prepare_refuses_oversize_record():
    with pytest.raises(InputTooLarge) as info:
        prepare(RawDoc("r.jsonl", "https://x.example/a", b"a" * 2000, "text"),
                settings=get_settings(env={}, max_input_bytes=1000))
    assert info.value.one_line().startswith("r.jsonl [https://x.example/a]: input is 2000 bytes")


def test_broken_html_still_gives_text():
    a = _one(FIX / "broken.html")
    assert a.title == "Half a page"
    assert "Shelling resumed overnight near the river crossing" in a.text
    assert "power lines were cut" in a.text


def test_prepare_rejects_container_formats_and_binary_html():
    with pytest.raises(UnsupportedFormat):
        prepare(RawDoc("x.warc", "x.warc", b"WARC/1.1\r\n", "warc"))
    with pytest.raises(BinaryInput):
        prepare(RawDoc("x.html", "x.html", b"<html>\x00\x01\x02\x03</html>" * 10, "html"))


# --- the real dev set -----------------------------------------------------------------

BOILERPLATE_FRAGMENTS = ["0 $", "2,500 $", "Consider helping", "share buttons", "Forward this article", "Crosspost",
                         "SUPPORT SOUTHFRONT", "PayPal", "patreon", "Disclaimer", "fair use", "Comment on",
                         "Facebook page", "Become a Member", "full-size image", "Copyright", "original source of",
                         "Articles by", "Region:", "Theme:", "media inquiries", "globalresearch.ca", "](#)"]


def _dev_articles(dev_dir: Path) -> dict[str, Article]:
    docs, errs = _split(list(read_sources(sorted(dev_dir.glob("*.txt")))))
    assert not errs and len(docs) == 3
    return {d.doc: prepare(d) for d in docs}


def test_dev_set_keeps_every_gold_sentence_and_drops_boilerplate(dev_dir):
    arts = _dev_articles(dev_dir)
    gold = [json.loads(line) for line in (dev_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    assert gold
    folded = {doc: " ".join(a.text.split()) for doc, a in arts.items()}
    for g in gold:
        assert " ".join(g["evidence"].split()) in folded[g["doc"]], g["evidence"][:60]
    for doc, a in arts.items():
        for frag in BOILERPLATE_FRAGMENTS:
            assert frag.lower() not in a.text.lower(), (doc, frag)
        assert "\n\n\n" not in a.text and a.language == "en"


def test_dev_set_metadata(dev_dir):
    arts = _dev_articles(dev_dir)
    for doc, a in arts.items():
        first = next(ln for ln in a.raw.splitlines()
                     if ln.strip() and not ln.strip().endswith("$")).strip().lstrip("#").strip()
        assert a.title == first, doc
        assert a.title not in a.text
    credited = [a for a in arts.values() if a.original_source]
    assert len(credited) == 2
    by_date = {a.published: a for a in credited}
    assert set(by_date) == {"2020-09-29", "2020-07-19"}
    assert by_date["2020-09-29"].original_published == "2020-09-28"
    assert by_date["2020-07-19"].original_published == "2020-07-17"
    for a in credited:
        assert a.original_source == "South Front" and a.author == "South Front"
        assert a.outlet == "Global Research"
        assert a.tags and "Europe" in a.tags
        assert any(m.endswith(".mp4") for m in a.media)


def test_read_bytes_matches_read_sources(tmp_path):
    from counterclaim.ingest import read_bytes

    data = (FIX / "articles.jsonl").read_bytes()
    from_file = list(read_sources([FIX / "articles.jsonl"]))
    in_memory = list(read_bytes(data, name="articles.jsonl", source=str(FIX / "articles.jsonl")))
    assert [type(x).__name__ for x in in_memory] == [type(x).__name__ for x in from_file]
    assert [x.doc for x in in_memory if isinstance(x, RawDoc)] == [x.doc for x in from_file if isinstance(x, RawDoc)]
    assert [x.source for x in in_memory] == [x.source for x in from_file]
    (txt,) = list(read_bytes(b"The army said the bridge held.", name="a.txt"))
    assert (txt.doc, txt.source, txt.format) == ("a.txt", "a.txt", "text")
    (empty,) = list(read_bytes(b"  ", name="e.txt"))
    assert isinstance(empty, EmptyInput) and empty.source == "e.txt"


from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=600),
                      st.text(max_size=600).map(lambda t: t.encode("utf-8")),
                      st.text(alphabet="<>/=\"' abcpdivhtml#[]()*_!\n-", max_size=400).map(str.encode)),
       fmt=st.sampled_from(["text", "markdown", "html", None]))
def test_prepare_raises_only_counterclaim_errors(data, fmt):
    try:
        a = prepare(RawDoc("fuzz", "fuzz", data, fmt))
    except CounterclaimError as err:
        assert err.one_line().startswith("fuzz: ") and "\n" not in err.one_line()
    else:
        assert a.text.strip() and a.id == article_id(a.text)


@hsettings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000))
def test_read_bytes_never_raises_on_junk(data):
    from counterclaim.ingest import read_bytes

    for name in ("x.jsonl", "x.warc.gz", "x.rss", "x.bin"):
        for item in read_bytes(data, name=name):
            assert isinstance(item, (RawDoc, InputError))


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_prepare_is_linear_on_huge_lines(fmt):
    import signal

    def _alarm(signum, frame):
        raise TimeoutError("prepare did not finish in 60 s")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(60)
    try:
        for line in ("The army said [the](x) *front* held. " * 30_000, "[a](b" * 250_000, "7" * 100_000):
            a = prepare(RawDoc("big", "big", line.encode(), fmt))
            assert len(a.text) > 90_000
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_html_declared_charset_is_used():
    page = ('<html><head><meta charset="windows-1251"><title>Сводка</title></head><body><article>'
            '<p>Министерство обороны сообщило, что за сутки были уничтожены три танка и две артиллерийские '
            'установки противника, а также что бои продолжаются на нескольких направлениях.</p>'
            '</article></body></html>').encode("cp1251")
    a = prepare(RawDoc("ru.html", "ru.html", page, "html"))
    assert "Министерство обороны" in a.text and a.language == "ru"
    # an HTTP charset hint (from a fetch or a WARC header) is used the same way
    b = prepare(RawDoc("ru2.html", "ru2.html", page.replace(b'<meta charset="windows-1251">', b""), "html",
                       hints={"charset": "windows-1251"}))
    assert b.text == a.text
