"""Ingest: any input to :class:`~counterclaim.records.RawDoc`, a RawDoc to a clean Article.

Two stages, both pure per record so they run in-process, in a process pool or inside
Spark ``mapPartitions``:

* :func:`read_sources` turns SOURCEs (files, directories, globs, ``-``, URLs, feeds,
  JSONL, WARC) into RawDocs, yielding an ``InputError`` for each input that fails;
* :func:`prepare` decodes a RawDoc, extracts the main text (trafilatura for HTML,
  Markdown reduced to text), removes boilerplate (:mod:`counterclaim.clean`), reads the
  metadata and builds the :class:`~counterclaim.records.Article` keyed by the hash of its
  cleaned text. It raises only :class:`~counterclaim.errors.CounterclaimError` subclasses.
"""
from __future__ import annotations

from pathlib import PurePath
from typing import Any

from .._settings import Settings, get_settings
from ..clean import clean
from ..errors import CounterclaimError, EmptyInput, InputError, InputTooLarge, UnsupportedFormat
from ..records import Article, RawDoc, article_id
from ._fetch import Fetched, fetch
from ._meta import detect_language, find_title, merge_tags, outlet_from_url, parse_date, text_metadata
from ._readers import FORMATS, detect_format, read_bytes, read_sources
from ._text import declared_charset, decode, looks_like_markdown, markdown_to_text, split_front_matter

__all__ = ["read_sources", "read_bytes", "prepare", "detect_format", "fetch", "Fetched", "FORMATS", "parse_date",
           "detect_language"]


def _label(raw: RawDoc) -> str:
    """How an error names a RawDoc: the path given, plus the record's identity inside it."""
    src = raw.source or raw.doc
    if raw.doc and raw.doc not in (src, PurePath(src).name):
        return f"{src} [{raw.doc}]"
    return src


def prepare(raw: RawDoc, *, settings: Settings | None = None) -> Article:
    """Decode, extract, clean and describe one input: ``RawDoc -> Article``.

    HTML goes through trafilatura (main text with paragraph breaks, title, site name,
    author, date, tags, images; htmldate when no date is found); Markdown (or plain text
    carrying Markdown links, like web-page exports) is reduced to text; then boilerplate
    is removed and metadata read from the header/footer lines (title, byline, dateline,
    original source and its date, tags, media), container hints winning. ``raw`` keeps
    the decoded input. Errors are :class:`~counterclaim.errors.InputError` subclasses
    naming the input: :class:`EmptyInput`, :class:`BinaryInput`, :class:`InputTooLarge`,
    :class:`UnsupportedFormat`.
    """
    label = _label(raw)
    try:
        return _prepare(raw, settings or get_settings(), label)
    except CounterclaimError as err:
        if err.source is None:
            err.source = label
        raise
    except (RecursionError, MemoryError, ValueError, TypeError, LookupError, AttributeError, OSError) as err:
        msg = " ".join(str(err).split())[:150]
        raise InputError(f"cannot read as an article: {type(err).__name__}: {msg}", source=label) from None


def _prepare(raw: RawDoc, settings: Settings, label: str) -> Article:
    data = raw.data if isinstance(raw.data, (bytes, bytearray)) else str(raw.data).encode("utf-8")
    limit = int(settings.max_input_bytes)
    if len(data) > limit:
        raise InputTooLarge(f"input is {len(data)} bytes, over the {limit}-byte limit", source=label)
    hints: dict[str, Any] = dict(raw.hints or {})
    fmt = raw.format or detect_format(None, bytes(data[:8192]))
    if fmt not in ("text", "markdown", "html"):
        raise UnsupportedFormat(f"prepare reads text, markdown or html, not {fmt!r} (read it with read_sources)",
                                source=label)
    declared = hints.get("charset") or (declared_charset(bytes(data[:4096])) if fmt == "html" else None)
    text, _enc = decode(bytes(data), declared=declared, source=label)
    url = hints.get("url") or (raw.doc if str(raw.doc).lower().startswith(("http://", "https://")) else None)

    if fmt == "html":
        from ._html import extract_html

        page = extract_html(text, url=url)
        body = page.text
        title = hints.get("title") or page.title
        cleaned = clean(body, title=title)
        meta = text_metadata(cleaned, title=title, hints=hints, url=url, media=page.media)
        meta["author"] = hints.get("author") or page.author or meta["author"]
        meta["outlet"] = hints.get("outlet") or page.sitename or meta["outlet"] or outlet_from_url(url)
        meta["published"] = parse_date(hints.get("published")) or parse_date(page.date) or meta["published"]
        meta["tags"] = merge_tags(meta["tags"], page.tags)
    else:
        media: list[str] = []
        front, body = split_front_matter(text)
        for k, v in front.items():
            hints.setdefault(k, v)
        url = url or (str(hints["url"]) if hints.get("url") else None)
        if fmt == "markdown" or front or looks_like_markdown(body):
            fmt = "markdown"
            body, media = markdown_to_text(body)
        title, headline, masthead = find_title(body)
        cleaned = clean(body, title=title if headline else None, masthead=masthead)
        meta = text_metadata(cleaned, title=title, hints=hints, url=url, media=media)
    if not cleaned.text.strip():
        raise EmptyInput("no article text left after removing boilerplate", source=label)
    return Article(
        id=article_id(cleaned.text), doc=raw.doc, source=raw.source, format=fmt, text=cleaned.text, raw=text,
        title=meta["title"], outlet=meta["outlet"], author=meta["author"], url=url, published=meta["published"],
        language=detect_language(cleaned.text), tags=meta["tags"], media=meta["media"],
        original_source=meta["original_source"], original_published=meta["original_published"])
