"""Conversions between records and table rows (private)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from ..records import Article, Claim


def now_iso() -> str:
    """UTC time of ingestion, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def article_row(a: Article, *, conflict: str | None, cluster: str | None,
                extracted_with: str | None) -> dict[str, Any]:
    """The ``articles`` row of an Article."""
    return {
        "id": a.id, "doc": a.doc, "source": a.source, "url": a.url, "format": a.format,
        "title": a.title, "outlet": a.outlet, "author": a.author, "published": a.published,
        "language": a.language, "tags": list(a.tags or []), "media": list(a.media or []),
        "original_source": a.original_source, "original_published": a.original_published,
        "conflict": conflict, "cluster": cluster or a.id, "raw": a.raw or "", "text": a.text,
        "ingested_at": now_iso(), "extracted_with": extracted_with,
    }


def claim_day(date: str | None, published: str | None, ingested_at: str | None) -> str:
    """A claim's ``day`` (the stored sort key): its date, else its article's, else the ingestion date."""
    return date or published or (ingested_at or "")[:10]


def claim_rows(article: Article, items: list[Claim], conflict: str | None, *,
               ingested_at: str | None = None) -> list[dict[str, Any]]:
    """The ``claims`` rows of an article's claims, one per distinct claim id.

    ``ingested_at`` (the article row's) is the last fallback of each row's ``day``.
    """
    out: dict[str, dict[str, Any]] = {}
    for c in items:
        if c.article_id != article.id or (c.conflict is None and conflict is not None):
            c = replace(c, article_id=article.id, conflict=c.conflict or conflict)
        first = next((g for g in (c.geo or []) if not g.get("unresolved") and g.get("lat") is not None), None)
        span = c.span or (None, None)
        nspan = c.number_span or (None, None)
        row = {
            "id": c.id, "article_id": article.id, "conflict": c.conflict, "doc": c.doc,
            "claimant_side": c.claimant_side, "claimant": c.claimant, "subject_side": c.subject_side,
            "metric": c.metric, "category": c.category, "value": c.value, "value_max": c.value_max,
            "approx": c.approx, "stance": c.stance, "places": list(c.places or []), "date": c.date,
            "evidence": c.evidence, "span_start": span[0], "span_end": span[1],
            "number_start": nspan[0], "number_end": nspan[1], "rule": c.rule or None,
            "actor_raw": c.actor_raw, "scope": c.scope, "increment": c.increment,
            "confidence": c.confidence, "geo": list(c.geo or []),
            "lat": first["lat"] if first else None, "lon": first["lon"] if first else None,
            "place": first.get("name") if first else None,
            "day": claim_day(c.date, article.published, ingested_at),
        }
        out.setdefault(row["id"], row)
    return list(out.values())


def claim_from_row(row: Any) -> Claim:
    """The Claim record a ``claims`` row holds."""
    m = row._mapping if hasattr(row, "_mapping") else row
    span = (m["span_start"], m["span_end"]) if m["span_start"] is not None else None
    nspan = (m["number_start"], m["number_end"]) if m["number_start"] is not None else None
    return Claim(
        doc=m["doc"], claimant_side=m["claimant_side"], claimant=m["claimant"],
        subject_side=m["subject_side"], metric=m["metric"], category=m["category"],
        value=m["value"], value_max=m["value_max"], approx=m["approx"], stance=m["stance"],
        places=list(m["places"] or []), date=m["date"], evidence=m["evidence"],
        article_id=m["article_id"], conflict=m["conflict"], span=span, number_span=nspan,
        rule=m["rule"] or "", actor_raw=m["actor_raw"], scope=m["scope"], increment=m["increment"],
        confidence=m["confidence"], geo=list(m["geo"] or []),
    )


def claim_dict(row: Any) -> dict[str, Any]:
    """``Claim.to_dict()`` of a row (with its stored id) plus ``cluster``/``article_published``."""
    m = row._mapping
    d = claim_from_row(row).to_dict()
    d["id"] = m["id"]
    d["cluster"] = m["cluster"]
    d["article_published"] = m["article_published"]
    return d

