"""Read queries for the web app (SQLAlchemy Core over ``store/_schema.py``).

All database reads of the web app live here. Claim filters, sort keys, keyset
pages and the article search come from the Store's one query builder
(``counterclaim.store._query``, also behind ``Store.claims`` and ``Store.articles``),
so the filter and search logic exists once; this module adds the web's row shapes
(claim plus article fields, article listing rows) and its parameter validation. Every
function takes an open ``Connection`` and returns plain dicts (JSON-safe).

Dates: the *day* of a claim is the stored ``claims.day`` (schema version 3): its own
date when the text fixes one, else its article's publication date (the ledger's
rule), else the ingestion date, so the timeline, the date filters and the default
sort agree, and the default sort ``-day`` is read in index order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any, Iterator

import sqlalchemy as sa

from ..errors import CounterclaimError
from ..store import _query as SQ
from ..store._schema import articles, claims
from ..store._sources import sources_of

__all__ = ["ClaimFilter", "BadQuery", "SORTS", "claim_page", "iter_claims", "claim_dict", "count_claims",
           "all_claims", "article_list", "article_detail", "places", "timeline", "stats", "facets",
           "data_version", "ensure_current_schema", "encode_cursor", "decode_cursor"]

MAX_LIMIT = 500
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadQuery(CounterclaimError):
    """A query parameter (filter, sort, cursor) is invalid; the API answers 400."""

    code = "E700"


#: Accepted ``sort`` values: a column name, ``-`` prefix for descending.
SORTS = tuple(s for k in ("day", "value", "metric", "category", "claimant_side", "subject_side", "place")
              for s in (k, "-" + k))

_CLAIM_COLS = tuple(claims.c)
_ARTICLE_EXTRA = (articles.c.published.label("article_published"), articles.c.cluster.label("cluster"),
                  articles.c.outlet.label("outlet"), articles.c.title.label("title"),
                  articles.c.url.label("url"))
_PAGE_COLS = _CLAIM_COLS + _ARTICLE_EXTRA


@dataclass(frozen=True)
class ClaimFilter:
    """The filters of the claims table and ``/api/claims`` (all optional, combined with AND).

    ``since``/``until`` bound the claim's day (inclusive); ``q`` searches the evidence
    text; ``place`` matches the resolved place or any place name as written.
    """

    conflict: str | None = None
    claimant_side: str | None = None
    claimant: str | None = None
    subject_side: str | None = None
    metric: str | None = None
    category: str | None = None
    stance: str | None = None
    approx: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None
    q: str | None = None
    article_id: str | None = None

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> "ClaimFilter":
        """Build a filter from query parameters, validating dates and lengths."""
        kw: dict[str, Any] = {}
        for f in fields(cls):
            v = params.get(f.name)
            if v is None or v == "":
                continue
            v = str(v).strip()
            if len(v) > 200:
                raise BadQuery(f"{f.name}: longer than 200 characters")
            if f.name in ("since", "until") and not _DATE.match(v):
                raise BadQuery(f"{f.name}: expected a date YYYY-MM-DD, got {v[:40]!r}")
            if v:
                kw[f.name] = v
        return cls(**kw)

    def as_params(self) -> dict[str, str]:
        """The non-empty filters as query parameters (for links and downloads)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def store_filters(self) -> dict[str, str]:
        """The filters under the Store query builder's names (``q`` is its ``text``)."""
        out = self.as_params()
        if "q" in out:
            out["text"] = out.pop("q")
        return out


def _where(conn: sa.Connection, f: ClaimFilter) -> SQ.Conditions:
    return SQ.claim_conditions(conn.dialect.name, **f.store_filters())


def claim_dict(row: Any) -> dict[str, Any]:
    """One claim row (joined with its article) as ``Claim.to_dict()`` plus article fields."""
    m = row._mapping
    d = {k: m[k] for k in ("doc", "claimant_side", "claimant", "subject_side", "metric", "category", "value",
                           "value_max", "approx", "stance")}
    d["places"] = m["places"] or []
    d["date"] = m["date"]
    d["evidence"] = m["evidence"]
    d["article_id"] = m["article_id"]
    d["conflict"] = m["conflict"]
    d["span"] = [m["span_start"], m["span_end"]] if m["span_start"] is not None else None
    d["number_span"] = [m["number_start"], m["number_end"]] if m["number_start"] is not None else None
    for k in ("rule", "actor_raw", "scope", "increment", "confidence"):
        d[k] = m[k]
    d["geo"] = m["geo"] or []
    d["id"] = m["id"]
    for k in ("article_published", "cluster", "outlet", "title", "url"):
        d[k] = m[k]
    d["day"] = m["day"] or None
    return d


def encode_cursor(sort: str, value: Any, ident: str) -> str:
    """An opaque cursor: where the next page starts."""
    return SQ.encode_cursor(sort, value, ident)


def decode_cursor(cursor: str, sort: str) -> tuple[Any, str]:
    """The (sort value, id) a cursor points after; :class:`BadQuery` when it is not ours."""
    return SQ.decode_cursor(cursor, sort, invalid=BadQuery)


def _joined():
    return claims.join(articles, claims.c.article_id == articles.c.id)


def _claims_select(cond: SQ.Conditions):
    return sa.select(*_PAGE_COLS).select_from(_joined()).where(*cond.where)


def claim_page(conn: sa.Connection, f: ClaimFilter, *, sort: str = "-day", cursor: str | None = None,
               limit: int = 50) -> dict[str, Any]:
    """One page of claims: ``{"claims": [...], "next": cursor | None}`` (keyset pagination).

    A deferred join in one statement (``store._query.keyset_rows``): a LIMITed subquery
    picks the page's (sort key, id) pairs, which the covering indexes of migration 0003
    answer in index order for the default sort; only those rows are joined to their wide
    columns and article fields.
    """
    if sort not in SORTS:
        raise BadQuery(f"sort: expected one of {', '.join(SORTS)}")
    if not 1 <= limit <= MAX_LIMIT:
        raise BadQuery(f"limit: expected 1..{MAX_LIMIT}")
    rows, nxt = SQ.keyset_rows(conn, _PAGE_COLS, _where(conn, f), sort=sort, cursor=cursor, limit=limit,
                               invalid=BadQuery)
    return {"claims": [claim_dict(r) for r in rows], "next": nxt}


def all_claims(conn: sa.Connection, f: ClaimFilter) -> list[dict[str, Any]]:
    """Every claim matching the filter in one query, unordered (input of the ledger)."""
    cond = _where(conn, f)
    return [claim_dict(r) for r in conn.execute(_claims_select(cond), cond.params)]


def count_claims(conn: sa.Connection, f: ClaimFilter) -> int:
    """How many claims match the filter."""
    return SQ.count(conn, _where(conn, f))


def iter_claims(conn: sa.Connection, f: ClaimFilter, *, sort: str = "-day", limit: int | None = None,
                batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every claim matching the filter, in sort order, fetched in batches (for downloads)."""
    cursor = None
    n = 0
    while True:
        size = batch if limit is None else min(batch, limit - n)
        if size <= 0:
            return
        page = claim_page(conn, f, sort=sort, cursor=cursor, limit=min(size, MAX_LIMIT))
        for c in page["claims"]:
            yield c
        n += len(page["claims"])
        cursor = page["next"]
        if not cursor:
            return


# --------------------------------------------------------------------------- articles

#: the columns of an article listing row (the claim count as ``n_claims``)
_ARTICLE_LIST_COLS = (articles.c.id, articles.c.doc, articles.c.title, articles.c.outlet, articles.c.url,
                      articles.c.published, articles.c.conflict, articles.c.cluster, articles.c.language,
                      articles.c.ingested_at, SQ.claim_count("n_claims"))


def article_list(conn: sa.Connection, *, q: str | None = None, outlet: str | None = None,
                 since: str | None = None, until: str | None = None, conflict: str | None = None,
                 offset: int = 0, limit: int = 50) -> dict[str, Any]:
    """Articles matching a search and filters, newest first, with their claim counts, one page.

    The search and filters are the Store's (``store._query.article_conditions``, also
    behind ``Store.articles``); this adds validation, the page's ``total`` and ``next_offset``.
    """
    for name, v in (("since", since), ("until", until)):
        if v and not _DATE.match(v):
            raise BadQuery(f"{name}: expected a date YYYY-MM-DD")
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise BadQuery(f"limit: expected 1..{MAX_LIMIT}, offset >= 0")
    where = SQ.article_conditions(conn.dialect.name, q=q[:200] if q else None, outlet=outlet,
                                  conflict=conflict, since=since, until=until)
    rows = SQ.article_rows(conn, _ARTICLE_LIST_COLS, where, offset=offset, limit=limit + 1)
    return {"articles": rows[:limit], "total": SQ.count_articles(conn, where), "offset": offset, "limit": limit,
            "next_offset": offset + limit if len(rows) > limit else None}


def article_detail(conn: sa.Connection, ident: str) -> dict[str, Any] | None:
    """One article with its claims (in text order), its sources (every input its exact text
    was read from, its own first: ``store._sources.sources_of``) and its syndicated copies, or None."""
    row = conn.execute(sa.select(articles).where(articles.c.id == ident)).first()
    if row is None:
        return None
    art = dict(row._mapping)
    cond = _where(conn, ClaimFilter(article_id=ident))
    rows = conn.execute(_claims_select(cond).order_by(sa.func.coalesce(claims.c.span_start, 0), claims.c.id),
                        cond.params).fetchall()
    art["claims"] = [claim_dict(r) for r in rows]
    copies: list[dict[str, Any]] = []
    if art.get("cluster"):
        copies = [dict(r._mapping) for r in conn.execute(
            sa.select(articles.c.id, articles.c.title, articles.c.outlet, articles.c.url, articles.c.published)
            .where(articles.c.cluster == art["cluster"], articles.c.id != ident)
            .order_by(articles.c.published, articles.c.id).limit(200))]
    art["copies"] = copies
    art["sources"] = sources_of(conn, ident)
    return art


# --------------------------------------------------------------------------- aggregates

def places(conn: sa.Connection, f: ClaimFilter) -> list[dict[str, Any]]:
    """Claims grouped by resolved place: name, lat, lon, count and count per metric (largest first)."""
    cond = _where(conn, f)
    stmt = (sa.select(claims.c.place, claims.c.lat, claims.c.lon, claims.c.metric, sa.func.count().label("n"))
            .select_from(claims.join(articles, claims.c.article_id == articles.c.id))
            .where(claims.c.lat.is_not(None), claims.c.lon.is_not(None), claims.c.place.is_not(None),
                   *cond.where)
            .group_by(claims.c.place, claims.c.lat, claims.c.lon, claims.c.metric))
    out: dict[tuple, dict[str, Any]] = {}
    for place, lat, lon, metric, n in conn.execute(stmt, cond.params):
        p = out.setdefault((place, lat, lon), {"place": place, "lat": lat, "lon": lon, "count": 0,
                                               "metrics": {}})
        p["count"] += n
        p["metrics"][metric] = p["metrics"].get(metric, 0) + n
    res = sorted(out.values(), key=lambda p: (-p["count"], p["place"]))
    for p in res:
        p["top_metric"] = max(sorted(p["metrics"]), key=lambda m: p["metrics"][m])
    return res


def timeline(conn: sa.Connection, f: ClaimFilter) -> list[dict[str, Any]]:
    """Claims per day per claimant side: ``[{"day", "side", "count"}]`` in day order.

    Claims whose day is only their ingestion date (no claim date, no article date) are
    skipped: the day they were stored says nothing about the war.
    """
    day = claims.c.day
    cond = _where(conn, f)
    stmt = (sa.select(day.label("day"), claims.c.claimant_side, sa.func.count())
            .select_from(claims.join(articles, claims.c.article_id == articles.c.id))
            .where(day != "", sa.or_(claims.c.date.is_not(None), articles.c.published.is_not(None)),
                   *cond.where)
            .group_by(day, claims.c.claimant_side).order_by(day, claims.c.claimant_side))
    return [{"day": d, "side": s, "count": int(n)} for d, s, n in conn.execute(stmt, cond.params)]


def facets(conn: sa.Connection) -> dict[str, list[str]]:
    """Distinct values for the filter menus (conflicts, sides, metrics, categories, stances, approx)."""
    out: dict[str, list[str]] = {}
    for col in ("conflict", "claimant_side", "subject_side", "metric", "category", "stance", "approx"):
        out[col] = [v for (v,) in conn.execute(sa.select(claims.c[col]).distinct().order_by(claims.c[col]))
                    if v is not None]
    out["outlet"] = [v for (v,) in conn.execute(sa.select(articles.c.outlet).distinct()
                                                .where(articles.c.outlet.is_not(None)).order_by(articles.c.outlet)
                                                .limit(500))]
    return out


def stats(conn: sa.Connection, *, latest: int = 10) -> dict[str, Any]:
    """Dashboard figures: totals, claims per conflict and side, the latest claims."""
    n_articles = conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()
    n_claims = conn.execute(sa.select(sa.func.count()).select_from(claims)).scalar_one()
    per_conflict: dict[str, dict[str, Any]] = {}
    for conflict, side, n in conn.execute(
            sa.select(claims.c.conflict, claims.c.claimant_side, sa.func.count())
            .group_by(claims.c.conflict, claims.c.claimant_side)):
        c = per_conflict.setdefault(conflict or "", {"conflict": conflict, "claims": 0, "by_side": {}})
        c["claims"] += n
        c["by_side"][side] = n
    for conflict, n in conn.execute(sa.select(articles.c.conflict, sa.func.count()).group_by(articles.c.conflict)):
        per_conflict.setdefault(conflict or "", {"conflict": conflict, "claims": 0, "by_side": {}})["articles"] = n
    page = claim_page(conn, ClaimFilter(), sort="-day", limit=latest)
    return {"articles": int(n_articles), "claims": int(n_claims),
            "conflicts": sorted(per_conflict.values(), key=lambda c: -c["claims"]),
            "latest": page["claims"]}


def ensure_current_schema(engine: sa.Engine, url: str, *, read_only: bool) -> None:
    """Upgrade an older database to the current schema, or refuse it clearly when read-only.

    The claim queries need ``claims.day`` (schema version 3); a read-only server cannot
    migrate, so it names the fix instead of failing on the first query.
    """
    from ..errors import StorageError
    from ..store import SCHEMA_VERSION, Store
    from ..store._migrate import schema_version

    with engine.connect() as conn:
        found = schema_version(conn)
    if found == SCHEMA_VERSION:
        return
    if read_only and found is not None and found < SCHEMA_VERSION:
        raise StorageError(f"{url} has schema version {found}, older than this counterclaim's ({SCHEMA_VERSION}); "
                           "serve it once without --read-only (or run `counterclaim articles --db URL`) to upgrade it")
    Store(url).close()  # migrates (under the migration lock), or raises for a newer/foreign database


def data_version(conn: sa.Connection) -> tuple[Any, ...]:
    """A cheap fingerprint of the data (article count, last ingestion time) for caches."""
    # three separate statements: each is answered from an index (count from the
    # smallest index, max(ingested_at) from ix_articles_ingested_at), never by
    # scanning the article bodies
    n_articles = conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()
    last = conn.execute(sa.select(sa.func.max(articles.c.ingested_at))).scalar_one()
    n_claims = conn.execute(sa.select(sa.func.count()).select_from(claims)).scalar_one()
    return (n_articles, last, n_claims)
