"""HTML pages to main text and metadata (trafilatura, htmldate as the date fallback)."""
from __future__ import annotations

import logging
from html import unescape
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["HtmlExtract", "extract_html"]

# trafilatura and htmldate log every odd page at WARNING; a broken page is an input
# problem we report ourselves, so keep their loggers quiet.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

_BLOCK_SEP = "\n\n"
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass
class HtmlExtract:
    """What an HTML page yields: main text (paragraphs separated by blank lines) and metadata."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    tags: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    description: str | None = None
    hostname: str | None = None
    extractor: str = "trafilatura"


def _element_text(el: Any) -> str:
    """Text of a trafilatura output element; ``<lb/>`` becomes a newline."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.tag == "lb":
            parts.append("\n")
        elif node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    lines = [_WS.sub(" ", ln).strip() for ln in "".join(parts).split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _body_text(body: Any, media: list[str]) -> str:
    blocks: list[str] = []
    for el in body:
        tag = el.tag
        if tag == "graphic":
            src = el.get("src")
            if src and src not in media:
                media.append(src)
            continue
        if tag == "list":
            items = [_element_text(it) for it in el.iter("item")]
            text = "\n".join(f"- {t}" for t in items if t)
        elif tag == "table":
            rows = []
            for row in el.iter("row"):
                cells = [_element_text(c) for c in row.iter("cell")]
                rows.append(" | ".join(c for c in cells if c))
            text = "\n".join(r for r in rows if r)
        else:
            for g in el.iter("graphic"):
                src = g.get("src")
                if src and src not in media:
                    media.append(src)
            text = _element_text(el)
        if text:
            blocks.append(text)
    return _BLOCK_SEP.join(blocks)


def _listify(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        value = [value]
    out: list[str] = []
    for v in value:
        for t in re.split(r"\s*[,;]\s*", str(v)):
            t = t.strip()
            if t and t not in out:
                out.append(t)
    return out


def _fallback_text(html: str) -> str:
    """Text of a page trafilatura finds no main text in: every block's text, in order."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - lxml raises several types on junk
        return ""
    for bad in root.xpath("//script|//style|//noscript|//nav|//header|//footer|//aside|//form|//template"):
        bad.drop_tree()
    blocks: list[str] = []
    for el in root.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td"):
        t = _WS.sub(" ", el.text_content()).strip()
        if t:
            blocks.append(t)
    if not blocks:
        t = "\n".join(_WS.sub(" ", ln).strip() for ln in root.text_content().split("\n"))
        return re.sub(r"\n{3,}", "\n\n", t).strip()
    return _BLOCK_SEP.join(blocks)


def extract_html(html: str, *, url: str | None = None) -> HtmlExtract:
    """Main text and metadata of an HTML page.

    trafilatura finds the main text (navigation, footers and widgets dropped) and the
    metadata (title, author, site name, date, tags/categories, image); htmldate dates
    the page when trafilatura gives no date. A page trafilatura cannot read (broken or
    tiny markup, a feed entry's HTML snippet) falls back to the text of its blocks.
    """
    import trafilatura

    doc = None
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=True, include_images=True, include_links=False,
                                          deduplicate=False)
    except Exception:  # noqa: BLE001 - trafilatura/lxml raise on some broken markup
        doc = None
    media: list[str] = []
    text = ""
    meta: dict[str, Any] = {}
    if doc is not None:
        body = getattr(doc, "body", None)
        text = _body_text(body, media) if body is not None and len(body) else (getattr(doc, "text", "") or "")
        meta = {k: getattr(doc, k, None) for k in ("title", "author", "date", "sitename", "tags", "categories",
                                                   "image", "description", "hostname")}
    extractor = "trafilatura"
    if len(text.strip()) < 500:
        # trafilatura keeps only long-enough main text; a short page or snippet is all content
        fallback = _fallback_text(html)
        if len(fallback.strip()) > 1.5 * len(text.strip()):
            text, extractor = fallback, "fallback"
    date_ = meta.get("date")
    if not date_:
        try:
            from htmldate import find_date

            date_ = find_date(html, url=url, original_date=True, extensive_search=False)
        except Exception:  # noqa: BLE001 - htmldate is best effort
            date_ = None
    if meta.get("image") and meta["image"] not in media:
        media.append(meta["image"])
    title = meta.get("title")
    if not title:
        m = re.search(r"<title[^>]{0,200}>([^<]{1,500})</title>", html[:200000], re.I)
        title = " ".join(unescape(m.group(1)).split()) if m else None
    return HtmlExtract(
        text=text, title=title or None, author=meta.get("author") or None, date=date_ or None,
        sitename=meta.get("sitename") or None,
        tags=_listify(meta.get("tags")) + [c for c in _listify(meta.get("categories"))
                                           if c not in _listify(meta.get("tags"))],
        media=media, description=meta.get("description") or None, hostname=meta.get("hostname") or None,
        extractor=extractor)
