#!/usr/bin/env python3
"""Build the sample corpus's container files from their sources.

The JSONL dump, the WARC archive and the RSS feed in ``examples/corpus/`` are built
from the article bodies kept under ``examples/tools/src/`` and the metadata in
``examples/tools/src/manifest.yaml``, so that they are reproducible and reviewable as
plain text. Run it after editing a source::

    python3 examples/tools/build_corpus_archives.py            # writes examples/corpus/
    python3 examples/tools/build_corpus_archives.py --out DIR  # writes elsewhere (tests)

Output is deterministic: fixed WARC dates and record ids (UUID5 of the URL), gzip
members without timestamps, JSON with a fixed key order. Needs PyYAML and warcio.
"""
from __future__ import annotations

import argparse
import io
import json
import uuid
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
CORPUS = HERE.parent / "corpus"
NS = uuid.UUID("6f0c1f4e-3b7a-4d55-9a55-0c0a7c1a1c0e")   # namespace for record ids
USER_AGENT = "counterclaim-corpus-builder/1 (+https://github.com/counterclaim/counterclaim)"


def _read(rel: str) -> str:
    return (SRC / rel).read_text(encoding="utf-8")


def build_jsonl(spec: dict, out: Path) -> Path:
    """One JSON object per article: url, title, text or html, published, outlet (+author, tags)."""
    lines = []
    for rec in spec["records"]:
        obj = {"url": rec["url"], "title": rec["title"]}
        if "text" in rec:
            obj["text"] = _read(rec["text"])
        else:
            obj["html"] = _read(rec["html"])
        obj["published"] = rec["published"]
        obj["outlet"] = rec["outlet"]
        for extra in ("author", "tags"):
            if extra in rec:
                obj[extra] = rec[extra]
        lines.append(json.dumps(obj, ensure_ascii=False))
    path = out / spec["file"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rid(*parts: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(NS, '|'.join(parts))}>"


def build_warc(spec: dict, out: Path) -> Path:
    """A gzipped WARC: a warcinfo record, then a request and a response record per page."""
    path = out / spec["file"]
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = writer.create_warcinfo_record(
            spec["file"], {"software": "counterclaim build_corpus_archives.py", "format": "WARC File Format 1.0",
                           "description": "Sample pages for the counterclaim corpus (project's own text)."})
        info.rec_headers.replace_header("WARC-Date", "2024-12-31T00:00:00Z")
        info.rec_headers.replace_header("WARC-Record-ID", _rid(spec["file"], "warcinfo"))
        writer.write_record(info)
        for rec in spec["records"]:
            url, date = rec["url"], rec["date"]
            host = url.split("/")[2]
            path_part = "/" + url.split("/", 3)[3]
            req_headers = StatusAndHeaders(f"GET {path_part} HTTP/1.1",
                                           [("Host", host), ("User-Agent", USER_AGENT), ("Accept", "text/html")],
                                           is_http_request=True)
            req = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req_headers,
                                            warc_headers_dict={"WARC-Date": date,
                                                               "WARC-Record-ID": _rid(url, "request")})
            body = _read(rec["html"]).encode("utf-8")
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                               ("Content-Length", str(len(body))),
                                               ("Date", _http_date(date))],
                                    protocol="HTTP/1.1")
            resp = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                             warc_headers_dict={"WARC-Date": date,
                                                                "WARC-Record-ID": _rid(url, "response")})
            writer.write_record(req)
            writer.write_record(resp)
    return path


def _http_date(iso: str) -> str:
    """'2020-10-21T07:15:00Z' -> 'Wed, 21 Oct 2020 07:15:00 GMT', for the HTTP Date header."""
    dt = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return format_datetime(dt, usegmt=True)


def build_rss(spec: dict, out: Path) -> Path:
    """RSS 2.0 with full text in content:encoded (CDATA) or in an escaped description."""
    ch = spec["channel"]
    items = []
    for it in spec["items"]:
        parts = [f"    <title>{escape(it['title'])}</title>",
                 f"    <link>{escape(it['url'])}</link>",
                 f"    <guid isPermaLink=\"true\">{escape(it['url'])}</guid>",
                 f"    <pubDate>{escape(it['published'])}</pubDate>"]
        if "content" in it:
            parts.append(f"    <description>{escape(it['summary'])}</description>")
            body = _read(it["content"]).replace("]]>", "]]]]><![CDATA[>")
            parts.append(f"    <content:encoded><![CDATA[{body}]]></content:encoded>")
        else:
            parts.append(f"    <description>{escape(_read(it['description']))}</description>")
        items.append("  <item>\n" + "\n".join(parts) + "\n  </item>")
    xml = ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
           "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n"
           "<channel>\n"
           f"  <title>{escape(ch['title'])}</title>\n"
           f"  <link>{escape(ch['link'])}</link>\n"
           f"  <description>{escape(ch['description'])}</description>\n"
           f"  <language>{escape(ch['language'])}</language>\n"
           + "\n".join(items) + "\n</channel>\n</rss>\n")
    path = out / spec["file"]
    path.write_text(xml, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=CORPUS, help="output folder (default: examples/corpus)")
    args = ap.parse_args(argv)
    manifest = yaml.safe_load((SRC / "manifest.yaml").read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    for built in (build_jsonl(manifest["jsonl"], args.out), build_warc(manifest["warc"], args.out),
                  build_rss(manifest["rss"], args.out)):
        print(built)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
