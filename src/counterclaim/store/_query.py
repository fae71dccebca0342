"""The one claim query builder (filters, sort keys, keyset pages) and article search (private).

Used by :meth:`Store.claims`/:meth:`Store.count_claims`/:meth:`Store.articles` and by
the web app (``web/_queries.py``), so the filter and search logic exists once. Claim pages are keyset pages on
``(sort key, id)``: the default sort key is the stored ``claims.day`` column (the
claim's date, else its article's published date, else its ingestion date; schema
version 3), which the covering indexes ``(subject_side, metric, day, id)``,
``(metric, day, id)``, ``(claimant_side, day, id)`` and ``(day, id)`` answer in index
order: no OFFSET and no sort of the filtered set per request.
"""
from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from typing import Any

import sqlalchemy as sa

from ..errors import CounterclaimError, StorageError
from ._schema import articles, claims

__all__ = ["FILTERS", "SORT_KEYS", "Conditions", "claim_conditions", "keyset_ids", "keyset_rows", "count", "encode_cursor",
           "decode_cursor", "sort_key", "MAX_SEARCH_WORDS", "search_words", "search_clause", "article_conditions",
           "claim_count", "article_rows", "count_articles"]

#: the filters :func:`claim_conditions` accepts (all optional, combined with AND)
FILTERS = ("conflict", "claimant_side", "claimant", "subject_side", "metric", "category", "stance", "approx",
           "place", "since", "until", "text", "article_id", "cluster")
_EQUAL = ("conflict", "claimant_side", "claimant", "subject_side", "metric", "category", "stance", "approx",
          "article_id")

#: sort keys (a leading ``-`` in a sort name means descending); ``date`` is ``day``'s older name
SORT_KEYS: dict[str, Any] = {
    "day": claims.c.day,
    "date": claims.c.day,
    "value": sa.func.coalesce(claims.c.value, -1),
    "article": claims.c.article_id,
    "metric": claims.c.metric,
    "category": claims.c.category,
    "claimant_side": claims.c.claimant_side,
    "subject_side": claims.c.subject_side,
    "place": sa.func.coalesce(claims.c.place, ""),
}


def _place_clause(dialect: str) -> sa.ColumnElement[bool]:
    """The claim names ``:f_place`` (case-insensitive): its first resolved place or any place as written."""
    if dialect == "postgresql":
        written = sa.text("EXISTS (SELECT 1 FROM json_array_elements_text(claims.places) AS je(v) "
                          "WHERE lower(je.v) = lower(:f_place))")
    else:
        written = sa.text("EXISTS (SELECT 1 FROM json_each(claims.places) AS je "
                          "WHERE lower(je.value) = lower(:f_place))")
    return sa.or_(sa.func.lower(claims.c.place) == sa.func.lower(sa.bindparam("f_place")), written)


@functools.lru_cache(maxsize=256)
def _shape(dialect: str, names: tuple[str, ...]) -> tuple[tuple[Any, ...], bool]:
    """The WHERE clauses for a set of filter names, with bound parameters ``f_<name>`` (cached)."""
    where: list[Any] = []
    for name in names:
        if name in _EQUAL:
            where.append(claims.c[name] == sa.bindparam("f_" + name))
        elif name == "since":
            where.append(claims.c.day >= sa.bindparam("f_since"))
        elif name == "until":
            where.append(claims.c.day <= sa.bindparam("f_until"))
        elif name == "place":
            where.append(_place_clause(dialect))
        elif name == "text":
            where.append(claims.c.evidence.ilike(sa.bindparam("f_text"), escape="/"))
        elif name == "cluster":
            where.append(articles.c.cluster == sa.bindparam("f_cluster"))
    return tuple(where), "cluster" in names


class Conditions:
    """Claim filters compiled to WHERE clauses with bound parameters (see :func:`claim_conditions`).

    ``where`` (clauses), ``join`` (whether they need ``articles``) and ``params`` (the
    values to execute them with). Statements built from the same filter names are
    cached, so a request pays for binding values, not for building SQL.
    """

    __slots__ = ("names", "where", "join", "params", "dialect")

    def __init__(self, dialect: str, names: tuple[str, ...], params: dict[str, Any]) -> None:
        self.dialect, self.names, self.params = dialect, names, params
        self.where, self.join = _shape(dialect, names)


def claim_conditions(dialect: str, **filters: Any) -> Conditions:
    """The :class:`Conditions` for claim ``filters`` (see :data:`FILTERS`).

    ``since``/``until`` bound ``claims.day`` (inclusive, ISO dates), ``text`` is a
    case-insensitive substring of the evidence, ``place`` a place name (case-insensitive),
    ``cluster`` the article's syndication cluster (the only filter that joins articles).
    Empty values are ignored. Unknown filter names raise ``TypeError`` (a programming error).
    """
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise TypeError(f"unknown claim filter(s): {', '.join(sorted(unknown))}")
    names = tuple(n for n in FILTERS if filters.get(n))
    params = {"f_" + n: filters[n] for n in names}
    if "text" in names:
        escaped = str(filters["text"]).replace("/", "//").replace("%", "/%").replace("_", "/_")
        params["f_text"] = f"%{escaped}%"
    return Conditions(dialect, names, params)


def _from(join: bool) -> Any:
    return claims.join(articles, articles.c.id == claims.c.article_id) if join else claims


def sort_key(sort: str, *, invalid: type[CounterclaimError] = StorageError) -> tuple[Any, bool]:
    """The SQL expression of a sort name and whether it is descending; ``invalid`` if unknown."""
    name = sort[1:] if sort.startswith("-") else sort
    if name not in SORT_KEYS:
        choices = ", ".join(s for k in SORT_KEYS for s in (k, "-" + k))
        raise invalid(f"sort: unknown sort {sort[:40]!r}; choose one of {choices}")
    return SORT_KEYS[name], sort.startswith("-")


def encode_cursor(sort: str, value: Any, ident: str) -> str:
    """An opaque cursor: the sort it belongs to and the (key, id) the next page starts after."""
    raw = json.dumps([sort, value, ident], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, *, invalid: type[CounterclaimError] = StorageError) -> tuple[Any, str]:
    """The (sort key, id) a cursor points after; ``invalid`` when it is not one we issued for ``sort``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        s, value, ident = json.loads(raw)
    except (ValueError, binascii.Error, TypeError, UnicodeDecodeError):
        raise invalid(f"cursor: not a cursor this server issued ({cursor[:40]!r})") from None
    if s != sort or not isinstance(ident, str) or not isinstance(value, (str, int, float)) \
            or isinstance(value, bool):
        raise invalid("cursor: issued for another sort order or malformed")
    return value, ident


def _cursor_params(cursor: str | None, sort: str, invalid: type[CounterclaimError]) -> dict[str, Any]:
    if not cursor:
        return {}
    value, ident = decode_cursor(cursor, sort, invalid=invalid)
    return {"c_key": value, "c_id": ident}


def _keyset(cond: Conditions, sort: str, after: bool, invalid: type[CounterclaimError]) -> sa.Select:
    """SELECT id, key ... ORDER BY key, id LIMIT :lim (after ``:c_key, :c_id`` when ``after``)."""
    key, desc = sort_key(sort, invalid=invalid)
    stmt = sa.select(claims.c.id.label("kid"), key.label("kkey")).select_from(_from(cond.join)).where(*cond.where)
    if after:
        pair = sa.tuple_(key, claims.c.id)
        last = sa.tuple_(sa.bindparam("c_key"), sa.bindparam("c_id"))
        stmt = stmt.where(pair < last if desc else pair > last)
    order = [key.desc(), claims.c.id.desc()] if desc else [key.asc(), claims.c.id.asc()]
    return stmt.order_by(*order).limit(sa.bindparam("lim", type_=sa.Integer))


@functools.lru_cache(maxsize=512)
def _ids_stmt(dialect: str, names: tuple[str, ...], sort: str, after: bool) -> sa.Select:
    return _keyset(Conditions(dialect, names, {}), sort, after, StorageError)


@functools.lru_cache(maxsize=512)
def _rows_stmt(dialect: str, names: tuple[str, ...], sort: str, after: bool, columns: tuple[Any, ...]) -> sa.Select:
    k = _keyset(Conditions(dialect, names, {}), sort, after, StorageError).subquery("k")
    desc = sort.startswith("-")
    outer = [k.c.kkey.desc(), k.c.kid.desc()] if desc else [k.c.kkey.asc(), k.c.kid.asc()]
    return (sa.select(*columns, k.c.kkey)
            .select_from(k.join(claims, claims.c.id == k.c.kid).join(articles, articles.c.id == claims.c.article_id))
            .order_by(*outer))


def keyset_ids(conn: sa.Connection, cond: Conditions, *, sort: str, cursor: str | None, limit: int,
               invalid: type[CounterclaimError] = StorageError) -> tuple[list[str], str | None]:
    """One keyset page: the ids of up to ``limit`` matching claims in ``sort`` order, and the next cursor.

    Only ``(key, id)`` pairs are read, so an index on ``(filters..., day, id)`` answers the
    default sort in index order without touching the wide rows.
    """
    sort_key(sort, invalid=invalid)
    params = {**cond.params, **_cursor_params(cursor, sort, invalid), "lim": limit + 1}
    rows = conn.execute(_ids_stmt(cond.dialect, cond.names, sort, bool(cursor)), params).all()
    nxt = encode_cursor(sort, rows[limit - 1][1], rows[limit - 1][0]) if len(rows) > limit else None
    return [r[0] for r in rows[:limit]], nxt


def keyset_rows(conn: sa.Connection, columns: tuple[Any, ...], cond: Conditions, *, sort: str,
                cursor: str | None, limit: int, invalid: type[CounterclaimError] = StorageError
                ) -> tuple[list[Any], str | None]:
    """One keyset page of full rows (``columns`` of claims joined with articles) in ONE statement.

    A deferred join: the page's ``(key, id)`` pairs are picked in a LIMITed subquery that
    the covering indexes answer in index order (no sort of the filtered set, no OFFSET);
    only those rows are joined to their wide columns and articles. ``columns`` must be a
    tuple (the built statement is cached per filter names, sort and columns). Returns the
    rows and the next cursor.
    """
    sort_key(sort, invalid=invalid)
    params = {**cond.params, **_cursor_params(cursor, sort, invalid), "lim": limit + 1}
    rows = conn.execute(_rows_stmt(cond.dialect, cond.names, sort, bool(cursor), columns), params).all()
    nxt = None
    if len(rows) > limit:
        last_row = rows[limit - 1]._mapping
        nxt = encode_cursor(sort, last_row["kkey"], last_row["id"])
    return rows[:limit], nxt


def count(conn: sa.Connection, cond: Conditions) -> int:
    """How many claims the conditions match."""
    stmt = sa.select(sa.func.count()).select_from(_from(cond.join)).where(*cond.where)
    return int(conn.execute(stmt, cond.params).scalar_one())


# --------------------------------------------------------------------------- articles

#: at most this many words of a search are used (each one is a term the article must contain)
MAX_SEARCH_WORDS = 20
_WORD = re.compile(r"\w+", re.UNICODE)
#: the PostgreSQL full-text expression: the same as the GIN index of migration 0002, so the index is used
_PG_TSVECTOR = "to_tsvector('english', coalesce(articles.title, '') || ' ' || articles.text)"


def search_words(q: str) -> list[str]:
    """The words of a search (letters, digits, ``_``; at most :data:`MAX_SEARCH_WORDS`).

    Only words reach the full-text engine, so user text is never FTS5 or tsquery syntax,
    and both backends search the same terms.
    """
    return _WORD.findall(q)[:MAX_SEARCH_WORDS]


def search_clause(dialect: str, q: str) -> sa.ColumnElement[bool] | sa.TextClause:
    """Articles whose title or body contain every word of ``q`` (stemmed), on either backend.

    SQLite: the FTS5 table ``articles_fts`` (porter stemmer) of migration 0002, one quoted
    phrase per word. PostgreSQL: ``plainto_tsquery('english')`` against the GIN-indexed
    ``to_tsvector`` expression. A search without any word matches nothing.
    """
    words = search_words(q)
    if not words:
        return sa.false()
    if dialect == "sqlite":
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        return sa.text("articles.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts)"
                       ).bindparams(fts=match)
    return sa.text(f"{_PG_TSVECTOR} @@ plainto_tsquery('english', :fts)").bindparams(fts=" ".join(words))


def article_conditions(dialect: str, *, q: str | None = None, outlet: str | None = None,
                       conflict: str | None = None, cluster: str | None = None, since: str | None = None,
                       until: str | None = None) -> tuple[Any, ...]:
    """The WHERE clauses of an article listing (all optional, combined with AND).

    ``q`` is a full-text search (:func:`search_clause`; blank means no search),
    ``outlet``, ``conflict`` and ``cluster`` are exact, ``since``/``until`` bound the
    published date (ISO, inclusive). Empty values are ignored.
    """
    where: list[Any] = []
    if q and q.strip():
        where.append(search_clause(dialect, q))
    for name, value in (("outlet", outlet), ("conflict", conflict), ("cluster", cluster)):
        if value:
            where.append(articles.c[name] == value)
    if since:
        where.append(articles.c.published >= since)
    if until:
        where.append(articles.c.published <= until)
    return tuple(where)


def claim_count(label: str) -> sa.Label[int]:
    """A column: how many claims the article has (a correlated subquery named ``label``)."""
    return (sa.select(sa.func.count()).select_from(claims).where(claims.c.article_id == articles.c.id)
            .scalar_subquery().label(label))


def article_rows(conn: sa.Connection, columns: tuple[Any, ...], where: tuple[Any, ...], *,
                 offset: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
    """The ``columns`` of the articles matching ``where``, newest first (undated last, then by id),
    from ``offset``, at most ``limit`` (None: all), as dicts."""
    stmt = (sa.select(*columns).where(*where)
            .order_by(articles.c.published.desc().nulls_last(), articles.c.id).offset(offset))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def count_articles(conn: sa.Connection, where: tuple[Any, ...]) -> int:
    """How many articles match ``where``."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(articles).where(*where)).scalar_one())
