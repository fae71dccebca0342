"""Readers: any SOURCE (file, directory, glob, ``-``, URL, feed, JSONL, WARC) to RawDocs.

Every failure is yielded as an :class:`~counterclaim.errors.InputError` with ``source``
set, never raised, so one bad input never stops a run.
"""
from __future__ import annotations

import glob
import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from .._settings import Settings, get_settings
from ..errors import (CounterclaimError, EmptyInput, InputError, InputTooLarge, MalformedRecord,
                      UnsupportedFormat)
from ..records import RawDoc
from ._fetch import Fetched, fetch
from ._text import looks_like_markdown

__all__ = ["read_sources", "read_bytes", "detect_format", "FORMATS", "EXTENSIONS"]

#: Formats ``read_sources`` accepts for ``format=``.
FORMATS = ("auto", "text", "markdown", "html", "jsonl", "warc", "feed")

#: File name endings and the format they mean (longest ending wins).
EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
    ".warc": "warc", ".warc.gz": "warc", ".arc": "warc", ".arc.gz": "warc",
    ".rss": "feed", ".atom": "feed",
}
#: Endings that are sniffed (they may hold several formats).
_SNIFFED = {".xml", ".json"}
_GLOB_CHARS = set("*?[")
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]{0,15}://")
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
               "application/feed+json"}


def _ext_format(name: str) -> str | None:
    low = name.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if low.endswith(ext):
            return EXTENSIONS[ext]
    return None


def _sniff(head: bytes) -> str:
    """Format of a payload from its first bytes."""
    if head.startswith(b"\x1f\x8b"):
        try:
            inner = gzip.GzipFile(fileobj=io.BytesIO(head)).read(16)
        except (OSError, EOFError, zlib.error):
            inner = b""
        return "warc" if inner.startswith((b"WARC/", b"filedesc://")) else "gzip"
    if head.startswith(b"WARC/"):
        return "warc"
    sample = head[:8192]
    for bom in (b"\xef\xbb\xbf",):
        if sample.startswith(bom):
            sample = sample[len(bom):]
    if sample[:4].count(0) >= 1:  # UTF-16/32 text: decode a little to look inside
        for enc in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                sample = sample.decode(enc, "ignore").encode("utf-8")
                break
            except UnicodeError:
                continue
    low = sample.lower()
    stripped = low.lstrip()
    if b"<rss" in low[:2048] or b"<feed" in low[:2048] or b"<rdf:rdf" in low[:2048]:
        return "feed"
    if (stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml"))
            or any(t in low for t in (b"<html", b"<body", b"<p>", b"<p ", b"<div", b"<article", b"<br"))):
        return "html"
    first = next((ln for ln in sample.splitlines() if ln.strip()), b"").strip()
    if first.startswith(b"{"):
        try:
            json.loads(first)
            return "jsonl"
        except ValueError:
            if not first.endswith(b"}"):
                pass
            else:
                return "jsonl"
    try:
        text = sample.decode("utf-8", "ignore")
    except Exception:  # noqa: BLE001
        text = ""
    return "markdown" if looks_like_markdown(text) else "text"


def detect_format(name: str | None = None, head: bytes | None = None) -> str:
    """The format of an input: by file name ending, then by sniffing its first bytes.

    Returns one of ``text``, ``markdown``, ``html``, ``jsonl``, ``warc``, ``feed`` (or
    ``gzip`` for a compressed file that is not a WARC, which no reader accepts).
    """
    if name:
        fmt = _ext_format(name)
        if fmt:
            return fmt
    if head is None:
        return "text"
    return _sniff(head)


def _content_type_format(ctype: str, data: bytes) -> str:
    if ctype in _HTML_TYPES:
        return "feed" if _sniff(data[:8192]) == "feed" else "html"
    if ctype in _FEED_TYPES or ctype.endswith(("+xml", "/xml")):
        sniffed = _sniff(data[:8192])
        return sniffed if sniffed in ("feed", "html") else "feed"
    if ctype == "text/markdown":
        return "markdown"
    if ctype in ("application/x-ndjson", "application/jsonl", "application/json-lines"):
        return "jsonl"
    if ctype in ("application/warc",):
        return "warc"
    return _sniff(data[:8192])


class _Reader:
    def __init__(self, settings: Settings, fmt: str, follow: bool):
        self.settings = settings
        self.fmt = fmt
        self.follow = follow
        self.limit = int(settings.max_input_bytes)

    # -- sources ---------------------------------------------------------------------
    def source(self, src: str) -> Iterator[RawDoc | InputError]:
        if src == "-":
            yield from self.stdin()
        elif _URL_RE.match(src):
            yield from self.url(src)
        else:
            path = Path(src)
            try:
                exists = path.exists()
            except OSError:
                exists = False
            if exists and path.is_dir():
                yield from self.directory(path)
            elif exists:
                yield from self.file(path, label=src)
            elif _GLOB_CHARS & set(src):
                matches = sorted(glob.glob(src, recursive=True))
                if not matches:
                    yield InputError("no file matches this pattern", source=src)
                for m in matches:
                    p = Path(m)
                    if p.is_dir():
                        yield from self.directory(p)
                    else:
                        yield from self.file(p, label=m)
            else:
                yield InputError("no such file or directory", source=src)

    def stdin(self) -> Iterator[RawDoc | InputError]:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            yield InputError("standard input is not readable", source="-")
            return
        data = stream.read(self.limit + 1)
        if len(data) > self.limit:
            yield InputTooLarge(f"standard input is over the {self.limit}-byte limit", source="-")
            return
        yield from self.payload(data, source="-", doc="stdin", name=None, hints={})

    def url(self, url: str) -> Iterator[RawDoc | InputError]:
        try:
            got = fetch(url, settings=self.settings)
        except InputError as err:
            yield err
            return
        fmt = self.fmt if self.fmt != "auto" else _content_type_format(got.content_type, got.data)
        hints = {"url": got.final_url, "charset": got.charset}
        yield from self.payload(got.data, source=url, doc=url, name=None, hints=hints, fmt=fmt)

    def directory(self, root: Path) -> Iterator[RawDoc | InputError]:
        found: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(root, onerror=None, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for f in filenames:
                if f.startswith(".") or f.endswith("~"):
                    continue
                if _ext_format(f) or Path(f).suffix.lower() in _SNIFFED:
                    found.append(Path(dirpath) / f)
        for p in sorted(found):
            yield from self.file(p, label=str(p))

    def file(self, path: Path, *, label: str) -> Iterator[RawDoc | InputError]:
        try:
            st = path.stat()
        except OSError as err:
            yield InputError(f"cannot read: {err.strerror or err}", source=label)
            return
        regular = stat.S_ISREG(st.st_mode)
        if stat.S_ISDIR(st.st_mode):
            yield from self.directory(path)
            return
        if regular and st.st_size == 0:
            yield EmptyInput("empty file", source=label)
            return
        try:
            fh = open(path, "rb")
        except OSError as err:
            yield InputError(f"cannot read: {err.strerror or err}", source=label)
            return
        with fh:
            try:
                head = fh.read(8192)
                fh.seek(0) if regular else None
            except OSError as err:
                yield InputError(f"cannot read: {err.strerror or err}", source=label)
                return
            fmt = self.fmt if self.fmt != "auto" else detect_format(path.name, head)
            if not regular:
                rest = fh.read(self.limit + 1 - len(head)) if len(head) <= self.limit else b""
                data = head + rest
                if len(data) > self.limit:
                    yield InputTooLarge(f"input is over the {self.limit}-byte limit", source=label)
                    return
                yield from self.payload(data, source=label, doc=path.name, name=path.name, hints={}, fmt=fmt)
                return
            if fmt == "jsonl":
                yield from self.jsonl(fh, source=label, name=path.name)
            elif fmt == "warc":
                yield from self.warc(fh, source=label, name=path.name)
            else:
                if st.st_size > self.limit:
                    yield InputTooLarge(f"file is {st.st_size} bytes, over the {self.limit}-byte limit "
                                        "(COUNTERCLAIM_MAX_INPUT_BYTES)", source=label)
                    return
                data = fh.read(self.limit + 1)
                yield from self.payload(data, source=label, doc=path.name, name=path.name, hints={}, fmt=fmt)

    # -- payloads ----------------------------------------------------------------------
    def payload(self, data: bytes, *, source: str, doc: str, name: str | None, hints: dict[str, Any],
                fmt: str | None = None) -> Iterator[RawDoc | InputError]:
        if not data.strip():
            yield EmptyInput("empty input (no text)", source=source)
            return
        if fmt is None or fmt == "auto":
            fmt = self.fmt if self.fmt != "auto" else detect_format(name, data[:8192])
        if len(data) > self.limit and fmt not in ("jsonl", "warc"):
            yield InputTooLarge(f"input is {len(data)} bytes, over the {self.limit}-byte limit", source=source)
            return
        if fmt == "jsonl":
            yield from self.jsonl(io.BytesIO(data), source=source, name=name or doc)
        elif fmt == "warc":
            yield from self.warc(io.BytesIO(data), source=source, name=name or doc)
        elif fmt == "feed":
            yield from self.feed(data, source=source, name=name or doc)
        elif fmt == "gzip":
            yield UnsupportedFormat("gzip-compressed file that is not a WARC; decompress it first", source=source)
        elif fmt in ("text", "markdown", "html"):
            yield RawDoc(source=source, doc=doc, data=data, format=fmt,
                         hints={k: v for k, v in hints.items() if v})
        else:
            yield UnsupportedFormat(f"unknown format {fmt!r}", source=source)

    def jsonl(self, fh: IO[bytes], *, source: str, name: str) -> Iterator[RawDoc | InputError]:
        n = 0
        while True:
            try:
                line = fh.readline(self.limit + 1)
            except OSError as err:
                yield InputError(f"cannot read: {err.strerror or err}", source=source)
                return
            if not line:
                break
            n += 1
            where = f"{source}#{n}"
            if len(line) > self.limit and not line.endswith(b"\n"):
                while True:
                    more = fh.readline(1 << 20)
                    if not more or more.endswith(b"\n"):
                        break
                yield InputTooLarge(f"line {n} is over the {self.limit}-byte limit", source=where)
                continue
            if not line.strip():
                continue
            try:
                rec = json.loads(line.decode("utf-8-sig"))
            except UnicodeDecodeError:
                yield MalformedRecord(f"line {n} is not UTF-8", source=where)
                continue
            except ValueError as err:
                yield MalformedRecord(f"line {n} is not valid JSON ({str(err).split(':')[0]})", source=where)
                continue
            if not isinstance(rec, dict):
                yield MalformedRecord(f"line {n} is not a JSON object", source=where)
                continue
            body_key = next((k for k in ("text", "html") if isinstance(rec.get(k), str) and rec[k].strip()), None)
            if body_key is None:
                bad = [k for k in ("text", "html") if k in rec]
                why = (f"its {'/'.join(bad)} field is empty or not a string" if bad
                       else "it has no 'text' or 'html' field")
                yield MalformedRecord(f"line {n} is not an article: {why}", source=where)
                continue
            fmt = "html" if body_key == "html" else ("markdown" if rec.get("format") == "markdown" else "text")
            hints: dict[str, Any] = {}
            for k in ("title", "url", "published", "outlet", "author"):
                v = rec.get(k)
                if isinstance(v, (str, int, float)) and str(v).strip():
                    hints[k] = str(v).strip()
            tags = rec.get("tags")
            if isinstance(tags, str):
                tags = [t for t in (x.strip() for x in tags.split(",")) if t]
            if isinstance(tags, list):
                hints["tags"] = [str(t) for t in tags if isinstance(t, (str, int, float)) and str(t).strip()]
            doc = hints.get("url") or f"{name}#{n}"
            yield RawDoc(source=source, doc=doc, data=rec[body_key].encode("utf-8"), format=fmt, hints=hints)
        if n == 0:
            yield EmptyInput("no records", source=source)

    def warc(self, fh: IO[bytes], *, source: str, name: str) -> Iterator[RawDoc | InputError]:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed

        count = 0
        seen = 0
        it = None
        try:
            it = ArchiveIterator(fh)
            for rec in it:
                seen += 1
                if rec.rec_type not in ("response", "resource"):
                    continue
                uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
                if rec.rec_type == "response":
                    if rec.http_headers is None:
                        continue
                    status = rec.http_headers.get_statuscode() or ""
                    if not status.startswith("2"):
                        continue
                    ctype = rec.http_headers.get_header("Content-Type") or ""
                else:
                    ctype = rec.rec_headers.get_header("Content-Type") or ""
                mime = ctype.split(";", 1)[0].strip().lower()
                stream = rec.content_stream()
                data = stream.read(self.limit + 1)
                if _short_record(rec):
                    raise EOFError(f"record {uri or seen} ends before its declared length")
                if mime not in _HTML_TYPES and not (not mime and _sniff(data[:4096]) == "html"):
                    continue
                count += 1
                doc = uri or f"{name}#{count}"
                if len(data) > self.limit:
                    yield InputTooLarge(f"record is over the {self.limit}-byte limit", source=f"{source} [{doc}]")
                    continue
                charset = None
                if "charset=" in ctype.lower():
                    charset = ctype.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or None
                hints = {"url": uri or None, "charset": charset,
                         "fetched": rec.rec_headers.get_header("WARC-Date")}
                yield RawDoc(source=source, doc=doc, data=data, format="html",
                             hints={k: v for k, v in hints.items() if v})
        except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError, IndexError) as err:
            reason = " ".join(str(err).split())[:120] or type(err).__name__
            yield MalformedRecord(f"truncated or corrupt WARC after {count} good record(s): {reason}", source=source)
            return
        if seen == 0:
            yield MalformedRecord("not a WARC archive (no records)", source=source)
        elif not _gzip_complete(fh) or _trailing_garbage(fh, it):
            yield MalformedRecord(f"truncated or corrupt WARC after {count} good record(s): "
                                  "the archive ends in the middle of a record", source=source)

    def feed(self, data: bytes, *, source: str, name: str) -> Iterator[RawDoc | InputError]:
        import feedparser

        try:
            parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
        except Exception as err:  # noqa: BLE001 - feedparser is a parser of untrusted markup
            yield MalformedRecord(f"not a readable RSS/Atom feed: {type(err).__name__}", source=source)
            return
        entries = parsed.get("entries") or []
        if not entries:
            why = parsed.get("bozo_exception")
            reason = f": {' '.join(str(why).split())[:100]}" if why else ""
            yield MalformedRecord(f"not a readable RSS/Atom feed (no entries){reason}", source=source)
            return
        outlet = (parsed.get("feed") or {}).get("title")
        for i, entry in enumerate(entries, start=1):
            link = entry.get("link") or None
            where = link or f"{source}#{i}"
            hints: dict[str, Any] = {"title": entry.get("title"), "url": link, "outlet": outlet,
                                     "author": entry.get("author")}
            when = entry.get("published_parsed") or entry.get("updated_parsed")
            if when:
                hints["published"] = f"{when.tm_year:04d}-{when.tm_mon:02d}-{when.tm_mday:02d}"
            tags = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
            if tags:
                hints["tags"] = tags
            hints = {k: v for k, v in hints.items() if v}
            if self.follow and link:
                try:
                    got: Fetched = fetch(link, settings=self.settings)
                except InputError as err:
                    yield err
                    continue
                fmt = _content_type_format(got.content_type, got.data)
                if fmt not in ("html", "text", "markdown"):
                    yield UnsupportedFormat(f"linked page is {got.content_type or 'of unknown type'}, not an article",
                                            source=link)
                    continue
                hints["url"] = got.final_url
                if got.charset:
                    hints["charset"] = got.charset
                yield from self.payload(got.data, source=link, doc=link, name=None, hints=hints, fmt=fmt)
                continue
            content = entry.get("content") or []
            body, ctype = "", ""
            if content:
                best = max(content, key=lambda c: len(c.get("value") or ""))
                body, ctype = best.get("value") or "", best.get("type") or ""
            if not body.strip():
                body = entry.get("summary") or ""
                ctype = (entry.get("summary_detail") or {}).get("type") or "text/html"
            if not body.strip():
                yield MalformedRecord(f"feed entry {i} has no content (use --follow to fetch the page)",
                                      source=where)
                continue
            fmt = "html" if "html" in ctype else "text"
            yield RawDoc(source=source, doc=link or f"{name}#{i}", data=body.encode("utf-8"), format=fmt,
                         hints=hints)


def _short_record(rec: Any) -> bool:
    """Whether a WARC record's block ended before its declared Content-Length (truncated file)."""
    raw = rec.raw_stream
    while raw.read(1 << 16):
        pass
    return getattr(raw, "limit", 0) > 0


def _trailing_garbage(fh: IO[bytes], it: Any) -> bool:
    """Whether bytes remain after the last record warcio parsed (a record cut in its headers)."""
    try:
        end = int(getattr(it, "offset", 0) or 0)
        fh.seek(end)
        rest = fh.read(1 << 16)
    except (OSError, ValueError, TypeError):
        return False
    return bool(rest.strip())


def _gzip_complete(fh: IO[bytes]) -> bool:
    """Whether a (possibly multi-member) gzip stream ends at a member boundary.

    warcio stops quietly at a truncated gzip member; this second pass notices it. Plain
    (uncompressed) streams and unseekable ones are taken as complete.
    """
    try:
        fh.seek(0)
        if fh.read(2) != b"\x1f\x8b":
            return True
        fh.seek(0)
    except (OSError, ValueError):
        return True
    d = zlib.decompressobj(31)
    fed = False
    while True:
        chunk = fh.read(1 << 20)
        if not chunk:
            break
        data = chunk
        while data:
            try:
                d.decompress(data, 1 << 16)
                while d.unconsumed_tail:
                    d.decompress(d.unconsumed_tail, 1 << 16)
            except zlib.error:
                return False
            fed = True
            if d.eof:
                data = d.unused_data
                d = zlib.decompressobj(31)
                fed = False
            else:
                data = b""
    return d.eof or not fed


def read_bytes(data: bytes, *, name: str, source: str | None = None, format: str = "auto", follow: bool = False,
               settings: Settings | None = None) -> Iterator[RawDoc | InputError]:
    """Records of one input already in memory (a file's bytes from Spark or an upload).

    Gives exactly what :func:`read_sources` gives for a file called ``name`` holding
    ``data`` (format detection, JSONL/WARC/feed splitting, ``doc`` naming); ``source``
    (default ``name``) is how records and errors name the input. Never raises on bad
    input; an unknown ``format`` raises :class:`UnsupportedFormat`.
    """
    if format not in FORMATS:
        raise UnsupportedFormat(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    reader = _Reader(settings or get_settings(), format, follow)
    src = source or name

    def gen() -> Iterator[RawDoc | InputError]:
        try:
            yield from reader.payload(bytes(data), source=src, doc=name, name=name, hints={})
        except CounterclaimError as err:
            if not isinstance(err, InputError):
                err = InputError(str(err), source=err.source or src)
            err.source = err.source or src
            yield err
        except (OSError, MemoryError, RecursionError, UnicodeError, ValueError) as err:
            yield InputError(f"cannot read: {type(err).__name__}: {' '.join(str(err).split())[:150]}", source=src)
    return gen()


def read_sources(sources: Iterable[str | os.PathLike[str]], *, format: str = "auto", follow: bool = False,
                 settings: Settings | None = None) -> Iterator[RawDoc | InputError]:
    """Turn SOURCEs into :class:`~counterclaim.records.RawDoc` records.

    A source is a file, a directory (read recursively, sorted, hidden files skipped,
    files with a known ending read), a glob, ``-`` (standard input), an ``http(s)://``
    URL (fetched through the guarded fetcher) or an RSS/Atom feed file or URL. Formats are
    detected by file ending, then by content (``format`` forces one: ``text``,
    ``markdown``, ``html``, ``jsonl``, ``warc``, ``feed``). JSONL lines, WARC responses
    and feed entries each become one RawDoc; ``follow=True`` fetches each feed entry's
    page. Inputs that fail are yielded as :class:`InputError` with ``source`` set, never
    raised. An unknown ``format`` raises :class:`UnsupportedFormat` at once.
    """
    if format not in FORMATS:
        raise UnsupportedFormat(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    reader = _Reader(settings or get_settings(), format, follow)
    srcs = [os.fspath(s) for s in sources]

    def gen() -> Iterator[RawDoc | InputError]:
        for src in srcs:
            try:
                yield from reader.source(src)
            except CounterclaimError as err:
                if not isinstance(err, InputError):
                    err = InputError(str(err), source=err.source or src)
                err.source = err.source or src
                yield err
            except (OSError, MemoryError, RecursionError, UnicodeError, ValueError) as err:
                yield InputError(f"cannot read: {type(err).__name__}: {' '.join(str(err).split())[:150]}",
                                 source=src)
    return gen()

