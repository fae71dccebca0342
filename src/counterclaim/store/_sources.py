"""Where an article's exact cleaned body was read: its first source and the further ones.

The article row keeps the input it was first read from. Each further input whose cleaned
body hashes to the same id (a byte-identical cross-post, the same story in a second dump)
is a row of ``article_sources``, keyed by ``(article_id, source, doc)``: the file or URL
read and the record in it. Shared by the Store (writes, ``Store.sources``) and the web
app (article page and JSON), so the shape of a source exists once.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..records import Article
from ._schema import article_sources, articles

__all__ = ["SOURCE_FIELDS", "source_row", "same_input", "sources_of"]

#: the keys of one source dict (``first`` is True for the article's own first source)
SOURCE_FIELDS = ("source", "doc", "url", "outlet", "title", "published", "first_seen", "first")


def source_row(a: Article, *, first_seen: str) -> dict[str, Any]:
    """The ``article_sources`` row recording that ``a``'s body was read from ``a.source``/``a.doc``."""
    return {"article_id": a.id, "source": a.source, "doc": a.doc, "url": a.url, "outlet": a.outlet,
            "title": a.title, "published": a.published, "first_seen": first_seen}


def same_input(stored: Any, a: Article) -> bool:
    """Whether ``a`` was read from the same input (``source`` and ``doc``) as a stored row."""
    return (stored.source, stored.doc) == (a.source, a.doc)


def sources_of(conn: sa.Connection, article_id: str) -> list[dict[str, Any]]:
    """Every input the article's body was read from: its own first, then the further ones
    in the order they were first read (``[]`` for an unknown id). Dicts of :data:`SOURCE_FIELDS`."""
    first = conn.execute(sa.select(articles.c.source, articles.c.doc, articles.c.url, articles.c.outlet,
                                   articles.c.title, articles.c.published,
                                   articles.c.ingested_at.label("first_seen"))
                         .where(articles.c.id == article_id)).first()
    if first is None:
        return []
    more = conn.execute(sa.select(article_sources.c.source, article_sources.c.doc, article_sources.c.url,
                                  article_sources.c.outlet, article_sources.c.title, article_sources.c.published,
                                  article_sources.c.first_seen)
                        .where(article_sources.c.article_id == article_id)
                        .order_by(article_sources.c.first_seen, article_sources.c.source, article_sources.c.doc))
    return [{**dict(first._mapping), "first": True}] + [{**dict(r._mapping), "first": False} for r in more]
