"""The Store: counterclaim's database, on SQLite or PostgreSQL (SQLAlchemy Core).

Writes are per article and atomic (article + claims + signature + LSH buckets +
cluster updates in one transaction). Reads return plain dicts. See docs/storage.md.
"""
from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from .. import syndication
from .._settings import Settings, get_settings
from ..errors import CounterclaimError, NotFound, StorageError
from ..records import Article, Claim
from ._engine import make_engine, write_options
from ._migrate import ensure_schema, schema_version
from ._query import SORT_KEYS, article_conditions, article_rows, claim_conditions, claim_count, count, keyset_rows
from ._rows import article_row, claim_dict, claim_rows, now_iso
from ._schema import article_sources, articles, claims, lsh_bands, meta, signatures
from ._sources import same_input, source_row, sources_of

__all__ = ["Store", "AddResult", "Page", "CLAIM_SORTS"]

#: the sort orders ``Store.claims`` accepts (a leading ``-`` means descending; ``date`` is ``day``)
CLAIM_SORTS = tuple(s for k in SORT_KEYS for s in (k, "-" + k))
#: the columns of :meth:`Store.articles`: every article column but the bodies, plus the claim count
_LIST_COLUMNS = (*(c for c in articles.columns if c.name not in ("raw", "text")), claim_count("claims"))
#: the columns of a claim dict: the claim row plus its article's cluster and date
_CLAIM_COLUMNS = (*claims.c, articles.c.cluster.label("cluster"), articles.c.published.label("article_published"))


@dataclass(frozen=True)
class AddResult:
    """What :meth:`Store.add` did with one article.

    ``status``: ``new`` (stored, a cluster of its own), ``syndicated`` (stored, joined a
    cluster with other articles) or ``unchanged`` (already stored). ``source_added``: an
    ``unchanged`` article read from an input not recorded before (a byte-identical copy
    elsewhere), which was recorded in ``article_sources``; the article itself is untouched.
    """

    article_id: str
    status: str
    cluster: str | None
    claims: int
    source_added: bool = False


class Page(list):
    """A list of result dicts plus ``next_cursor`` (None on the last page)."""

    next_cursor: str | None = None


class Store:
    """counterclaim's database at ``url`` (default: ``settings.db_url``).

    Opening creates or upgrades the schema (Alembic migrations, version recorded in
    ``meta``). Use as a context manager or call :meth:`close`.
    """

    def __init__(self, url: str | None = None, *, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self.url = url or self.settings.db_url
        self.engine = make_engine(self.url)
        self.dialect = self.engine.dialect.name
        with self._guard("open"):
            ensure_schema(self.engine)

    # -- plumbing -----------------------------------------------------------------------
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    @contextlib.contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        try:
            yield
        except CounterclaimError:
            raise
        except sa.exc.SQLAlchemyError as err:
            where = self.engine.url.render_as_string(hide_password=True)
            detail = " ".join(str(getattr(err, "orig", None) or err).split())[:200]
            raise StorageError(f"cannot {what} {where}: {detail}") from err

    @contextlib.contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """One write transaction (SQLite: BEGIN IMMEDIATE)."""
        with self._guard("write to"), self.engine.connect() as conn:
            conn.execution_options(**write_options)
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self._guard("read"), self.engine.connect() as conn:
            yield conn

    def _insert(self, table: sa.Table):
        return (pg_dialect.insert(table) if self.dialect == "postgresql" else sqlite_dialect.insert(table))

    # -- writing ------------------------------------------------------------------------
    def exists(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        with self._read() as conn:
            return conn.execute(sa.select(articles.c.id).where(articles.c.id == article_id)).first() is not None

    def add(self, processed: Any, *, cluster: str | None = None) -> AddResult:
        """Store one processed article (``.article``, ``.claims``) in ONE transaction.

        An article whose id is already stored is ``unchanged``: its rows are not touched,
        so a second run leaves the same rows. If it was read from an input (``source``,
        ``doc``) not recorded for it yet, that input is added to ``article_sources``
        (``source_added``); an input already recorded writes nothing at all. ``cluster``
        forces the syndication cluster (batch output); otherwise it is found from stored
        signatures (LSH + confirmation). Safe against a concurrent writer adding the same
        article (insert ... on conflict do nothing).
        """
        article: Article = processed.article
        known = self._input_known(article)
        if known is not None:
            if known:
                return AddResult(article.id, "unchanged", None, 0)
            with self._write() as conn:
                return AddResult(article.id, "unchanged", None, 0, source_added=self._add_source_in(conn, article))
        sig = syndication.make_signature(article.text)
        with self._write() as conn:
            return self._add_in(conn, processed, sig, cluster)

    def add_many(self, items: Iterable[Any], *, clusters: Mapping[str, str] | None = None,
                 batch_size: int = 200) -> dict[str, int]:
        """Store many processed articles, ``batch_size`` per transaction; idempotent on ids.

        For loading batch (Parquet) output: ``clusters`` maps article id to its cluster id
        as the batch job computed it (articles not in it are clustered as by :meth:`add`).
        An item whose id is stored (or came earlier in ``items``) is ``unchanged`` and its
        input is recorded as a further source as by :meth:`add`. Returns counts by status.
        """
        counts = {"new": 0, "syndicated": 0, "unchanged": 0}
        batch: list[Any] = []

        def flush() -> None:
            with self._write() as conn:
                for p in batch:
                    forced = clusters.get(p.article.id) if clusters else None
                    res = self._add_in(conn, p, syndication.make_signature(p.article.text), forced)
                    counts[res.status] += 1
            batch.clear()

        for p in items:
            batch.append(p)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        return counts

    def _add_in(self, conn: sa.Connection, processed: Any, sig: syndication.Signature,
                forced_cluster: str | None) -> AddResult:
        article: Article = processed.article
        items: list[Claim] = list(processed.claims or [])
        conflict = getattr(processed, "conflict", None) or next((c.conflict for c in items if c.conflict), None)
        row = article_row(article, conflict=conflict, cluster=forced_cluster,
                          extracted_with=getattr(processed, "extracted_with", None))
        ins = (self._insert(articles).values(**row).on_conflict_do_nothing(index_elements=["id"])
               .returning(articles.c.id))
        if conn.execute(ins).first() is None:          # a concurrent or earlier writer stored it
            return AddResult(article.id, "unchanged", None, 0, source_added=self._add_source_in(conn, article))
        rows = claim_rows(article, items, conflict, ingested_at=row["ingested_at"])
        if rows:
            conn.execute(self._insert(claims).on_conflict_do_nothing(index_elements=["id"]), rows)
        conn.execute(sa.insert(signatures).values(article_id=article.id,
                                                  minhash=syndication.signature_bytes(sig.minhash), size=sig.size))
        keys = syndication.band_keys(sig.minhash) if sig.size else []
        if forced_cluster:
            head = forced_cluster
            joined = forced_cluster != article.id
        else:
            head, joined = self._cluster_in(conn, article, sig, keys)
        if keys:
            conn.execute(sa.insert(lsh_bands), [{"key": k, "article_id": article.id} for k in keys])
        return AddResult(article.id, "syndicated" if joined else "new", head, len(rows))

    def _input_known(self, article: Article) -> bool | None:
        """None if the article is not stored; else whether its input (``source``, ``doc``) is
        already recorded for it (its first source or a row of ``article_sources``). One read,
        so re-running over stored inputs writes nothing."""
        recorded = (sa.select(sa.literal(1)).where(article_sources.c.article_id == article.id,
                                                   article_sources.c.source == article.source,
                                                   article_sources.c.doc == article.doc).exists())
        with self._read() as conn:
            row = conn.execute(sa.select(articles.c.source, articles.c.doc, recorded.label("recorded"))
                               .where(articles.c.id == article.id)).first()
        if row is None:
            return None
        return same_input(row, article) or bool(row.recorded)

    def _add_source_in(self, conn: sa.Connection, article: Article) -> bool:
        """Record ``article``'s input as a further source of the stored article of its id;
        True if a row was added (False: its first source, or recorded already)."""
        stored = conn.execute(sa.select(articles.c.source, articles.c.doc)
                              .where(articles.c.id == article.id)).first()
        if stored is None or same_input(stored, article):
            return False
        ins = (self._insert(article_sources).values(**source_row(article, first_seen=now_iso()))
               .on_conflict_do_nothing(index_elements=["article_id", "source", "doc"])
               .returning(article_sources.c.article_id))
        return conn.execute(ins).first() is not None

    def _cluster_in(self, conn: sa.Connection, article: Article, sig: syndication.Signature,
                    keys: list[str]) -> tuple[str, bool]:
        """Join the new article to the clusters of confirmed candidates; re-pick the canonical."""
        if not keys:
            return article.id, False
        cands = conn.execute(sa.select(lsh_bands.c.article_id).where(lsh_bands.c.key.in_(keys))
                             .distinct()).scalars().all()
        if not cands:
            return article.id, False
        threshold = self.settings.syndication_threshold
        matched = [r.article_id for r in conn.execute(
            sa.select(signatures.c.article_id, signatures.c.minhash, signatures.c.size)
            .where(signatures.c.article_id.in_(cands)))
            if syndication.same_story(sig, syndication.Signature(
                syndication.signature_from_bytes(r.minhash), r.size), threshold)]
        if not matched:
            return article.id, False
        ckey = sa.func.coalesce(articles.c.cluster, articles.c.id)
        heads = set(conn.execute(sa.select(ckey).where(articles.c.id.in_(matched))).scalars())
        members = [(r.id, r.published) for r in conn.execute(
            sa.select(articles.c.id, articles.c.published).where(ckey.in_(heads)))]
        members.append((article.id, article.published))
        head = syndication.canonical(members)
        conn.execute(sa.update(articles).where(sa.or_(ckey.in_(heads), articles.c.id == article.id))
                     .where(sa.or_(articles.c.cluster.is_(None), articles.c.cluster != head))
                     .values(cluster=head))
        return head, True

    def replace_claims(self, article_id: str, items: list[Claim], extracted_with: str | None = None,
                       *, conflict: str | None = None) -> int:
        """Replace an article's claims in one transaction (re-extraction); returns the count."""
        with self._write() as conn:
            found = conn.execute(sa.select(articles.c.id, articles.c.doc, articles.c.text, articles.c.conflict,
                                           articles.c.published, articles.c.ingested_at)
                                 .where(articles.c.id == article_id)).first()
            if found is None:
                raise NotFound(f"no article {article_id}")
            conflict = conflict or found.conflict or next((c.conflict for c in items if c.conflict), None)
            art = Article(id=found.id, doc=found.doc, source="", format="text", text=found.text,
                          published=found.published)
            rows = claim_rows(art, items, conflict, ingested_at=found.ingested_at)
            conn.execute(sa.delete(claims).where(claims.c.article_id == article_id))
            if rows:
                conn.execute(sa.insert(claims), rows)
            conn.execute(sa.update(articles).where(articles.c.id == article_id)
                         .values(extracted_with=extracted_with, conflict=conflict))
            return len(rows)

    def recluster(self) -> int:
        """Recompute every cluster from stored signatures; returns how many rows changed.

        Ingest clusters incrementally, which gives the same result; this repairs clusters
        after concurrent writers (each blind to the other's uncommitted articles) and
        first computes missing signatures/LSH buckets (rows written by a bulk loader).
        """
        with self._write() as conn:
            self._backfill_signatures(conn)
            parent: dict[str, str] = {}

            def find(x: str) -> str:
                while parent[x] != x:
                    parent[x] = parent[parent[x]]
                    x = parent[x]
                return x

            pubs = {r.id: r.published for r in conn.execute(sa.select(articles.c.id, articles.c.published))}
            parent.update({i: i for i in pubs})
            sigs = {r.article_id: syndication.Signature(syndication.signature_from_bytes(r.minhash), r.size)
                    for r in conn.execute(sa.select(signatures))}
            buckets: dict[str, list[str]] = {}
            for r in conn.execute(sa.select(lsh_bands).order_by(lsh_bands.c.key, lsh_bands.c.article_id)):
                buckets.setdefault(r.key, []).append(r.article_id)
            seen: set[tuple[str, str]] = set()
            threshold = self.settings.syndication_threshold
            for ids in buckets.values():
                for i, a in enumerate(ids):
                    for b in ids[i + 1:]:
                        if (a, b) in seen or find(a) == find(b):
                            continue
                        seen.add((a, b))
                        if syndication.same_story(sigs[a], sigs[b], threshold):
                            parent[find(a)] = find(b)
            groups: dict[str, list[str]] = {}
            for i in pubs:
                groups.setdefault(find(i), []).append(i)
            current = {r.id: r.cluster for r in conn.execute(sa.select(articles.c.id, articles.c.cluster))}
            changed = 0
            for ids in groups.values():
                head = syndication.canonical((i, pubs[i]) for i in ids)
                stale = [i for i in ids if current.get(i) != head]
                if stale:
                    conn.execute(sa.update(articles).where(articles.c.id.in_(stale)).values(cluster=head))
                    changed += len(stale)
            return changed

    def _backfill_signatures(self, conn: sa.Connection) -> int:
        """(Re)compute signature and buckets of articles lacking them; returns how many."""
        with_sig = sa.select(signatures.c.article_id).where(signatures.c.size > 0)
        with_bands = sa.select(lsh_bands.c.article_id)
        todo = conn.execute(sa.select(articles.c.id, articles.c.text).where(
            sa.or_(articles.c.id.not_in(with_sig), articles.c.id.not_in(with_bands)))).all()
        n = 0
        for r in todo:
            sig = syndication.make_signature(r.text)
            if not sig.size:
                continue
            conn.execute(sa.delete(signatures).where(signatures.c.article_id == r.id))
            conn.execute(sa.delete(lsh_bands).where(lsh_bands.c.article_id == r.id))
            conn.execute(sa.insert(signatures).values(article_id=r.id, size=sig.size,
                                                      minhash=syndication.signature_bytes(sig.minhash)))
            conn.execute(sa.insert(lsh_bands), [{"key": k, "article_id": r.id}
                                                for k in syndication.band_keys(sig.minhash)])
            n += 1
        return n

    # -- reading ------------------------------------------------------------------------
    def schema_version(self) -> int | None:
        """The schema version recorded in the database."""
        with self._read() as conn:
            return schema_version(conn)

    def articles(self, *, cluster: str | None = None, outlet: str | None = None, q: str | None = None,
                 since: str | None = None, until: str | None = None, conflict: str | None = None,
                 limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Stored articles without ``raw``/``text``, newest first, with their claim count (``claims``).

        Filters: ``cluster`` id, ``outlet`` (exact), ``q`` (full-text search over title and
        body, every word: FTS5 on SQLite, ``to_tsvector`` on PostgreSQL; blank means no
        search), ``since``/``until`` (published date, ISO, inclusive), ``conflict``. The one
        article query is ``store._query`` (:func:`~._query.article_conditions`), shared with
        the web app.
        """
        with self._read() as conn:
            where = article_conditions(self.dialect, q=q, outlet=outlet, conflict=conflict, cluster=cluster,
                                       since=since, until=until)
            return article_rows(conn, _LIST_COLUMNS, where, offset=offset, limit=limit)

    def count_articles(self) -> int:
        """How many articles are stored."""
        with self._read() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()

    def resolve(self, prefix: str) -> str:
        """The full id of the one article whose id starts with ``prefix`` (NotFound otherwise)."""
        prefix = prefix.strip().lower()
        if not prefix or not re.fullmatch(r"[0-9a-f]+", prefix):
            raise NotFound(f"no article {prefix!r} (ids are hexadecimal)")
        with self._read() as conn:
            ids = conn.execute(sa.select(articles.c.id).where(articles.c.id.like(prefix + "%")).limit(3)
                               ).scalars().all()
        if not ids:
            raise NotFound(f"no article {prefix}")
        if len(ids) > 1:
            raise NotFound(f"article id prefix {prefix} is ambiguous ({', '.join(ids[:2])}, ...)")
        return ids[0]

    def article(self, article_id: str) -> dict[str, Any]:
        """One article as a dict (all columns, including ``raw``/``text``, plus claim count).

        ``article_id`` may be a unique prefix; raises NotFound.
        """
        full = self.resolve(article_id) if len(article_id) < 24 else article_id
        with self._read() as conn:
            row = conn.execute(sa.select(articles, claim_count("claims")).where(articles.c.id == full)).first()
        if row is None:
            raise NotFound(f"no article {article_id}")
        return dict(row._mapping)

    def sources(self, article_id: str) -> list[dict[str, Any]]:
        """Every input the article's exact body was read from: its own first source (``first``
        True), then each further one in the order first read (``article_sources``).

        Dicts with ``source``, ``doc``, ``url``, ``outlet``, ``title``, ``published``,
        ``first_seen``, ``first``; ``article_id`` may be a unique prefix; raises NotFound.
        """
        full = self.resolve(article_id) if len(article_id) < 24 else article_id
        with self._read() as conn:
            found = sources_of(conn, full)
        if not found:
            raise NotFound(f"no article {article_id}")
        return found

    def article_record(self, article_id: str) -> Article:
        """The stored :class:`~counterclaim.records.Article` (for re-extraction)."""
        return Article.from_dict(self.article(article_id))

    def article_ids(self, *, conflict: str | None = None) -> list[str]:
        """All article ids (optionally of one conflict), in id order."""
        stmt = sa.select(articles.c.id).order_by(articles.c.id)
        if conflict:
            stmt = stmt.where(articles.c.conflict == conflict)
        with self._read() as conn:
            return list(conn.execute(stmt).scalars())

    def _claims_select(self) -> sa.Select:
        return sa.select(*_CLAIM_COLUMNS).join(articles, articles.c.id == claims.c.article_id)

    def claims(self, *, cursor: str | None = None, limit: int = 100, sort: str = "date",
               **filters: Any) -> Page:
        """Claim dicts (``Claim.to_dict()`` + ``cluster`` + ``article_published``), one page.

        Filters (all optional, combined with AND): ``conflict``, ``claimant_side``,
        ``claimant``, ``subject_side``, ``metric``, ``category``, ``stance``, ``approx``,
        ``place`` (a place named by the claim, or its first resolved place;
        case-insensitive), ``since``/``until`` (the claim's ``day``: its date, else its
        article's, else the ingestion date), ``text`` (in the evidence), ``article_id``,
        ``cluster``. ``sort`` is one of :data:`CLAIM_SORTS` (``date`` = ``day``); pass the
        returned page's ``next_cursor`` back as ``cursor`` for the next page (keyset
        pagination on ``(key, id)``: stable while rows are added, no OFFSET). The one
        query builder is ``store._query``, shared with the web app.
        """
        cond = claim_conditions(self.dialect, **filters)
        limit = max(1, min(int(limit), 10_000))
        with self._read() as conn:
            rows, nxt = keyset_rows(conn, _CLAIM_COLUMNS, cond, sort=sort, cursor=cursor, limit=limit)
        page = Page(claim_dict(r) for r in rows)
        page.next_cursor = nxt
        return page

    def count_claims(self, **filters: Any) -> int:
        """How many claims match the :meth:`claims` filters."""
        cond = claim_conditions(self.dialect, **filters)
        with self._read() as conn:
            return count(conn, cond)

    def article_claims(self, article_id: str) -> list[dict[str, Any]]:
        """All claims of one article in text order."""
        stmt = self._claims_select().where(claims.c.article_id == article_id).order_by(
            claims.c.span_start.nulls_last(), claims.c.id)
        with self._read() as conn:
            return [claim_dict(r) for r in conn.execute(stmt)]

    def iter_claims(self, *, conflict: str | None = None) -> Iterator[dict[str, Any]]:
        """Every claim dict in (article, position) order, fetched in chunks."""
        last: tuple[str, str] | None = None
        while True:
            stmt = self._claims_select()
            if conflict:
                stmt = stmt.where(claims.c.conflict == conflict)
            if last:
                stmt = stmt.where(sa.tuple_(claims.c.article_id, claims.c.id) > sa.tuple_(*last))
            stmt = stmt.order_by(claims.c.article_id, claims.c.id).limit(2000)
            with self._read() as conn:
                rows = conn.execute(stmt).all()
            if not rows:
                return
            for r in rows:
                yield claim_dict(r)
            last = (rows[-1].article_id, rows[-1].id)

    def claim_dicts_for_ledger(self, conflict: str | None = None) -> list[dict[str, Any]]:
        """All claim dicts (with ``cluster`` and ``article_published``) for ``build_ledger``."""
        return list(self.iter_claims(conflict=conflict))

    def places(self, *, conflict: str | None = None) -> list[dict[str, Any]]:
        """Resolved places with coordinates and how many claims name them, most named first."""
        n = sa.func.count(claims.c.id)
        stmt = (sa.select(claims.c.place, claims.c.lat, claims.c.lon, n.label("claims"))
                .where(claims.c.place.is_not(None), claims.c.lat.is_not(None))
                .group_by(claims.c.place, claims.c.lat, claims.c.lon)
                .order_by(n.desc(), claims.c.place))
        if conflict:
            stmt = stmt.where(claims.c.conflict == conflict)
        with self._read() as conn:
            return [{"name": r.place, "lat": r.lat, "lon": r.lon, "claims": r.claims} for r in conn.execute(stmt)]

    def stats(self) -> dict[str, Any]:
        """Counts for dashboards and the CLI: articles, claims, clusters, conflicts, dates."""
        with self._read() as conn:
            one = lambda stmt: conn.execute(stmt).scalar_one()  # noqa: E731
            ckey = sa.func.coalesce(articles.c.cluster, articles.c.id)
            sizes = (sa.select(ckey.label("c"), sa.func.count().label("n")).group_by(ckey).subquery())
            by_conflict = {k or "": v for k, v in conn.execute(
                sa.select(articles.c.conflict, sa.func.count()).group_by(articles.c.conflict))}
            return {
                "schema_version": schema_version(conn),
                "articles": one(sa.select(sa.func.count()).select_from(articles)),
                "claims": one(sa.select(sa.func.count()).select_from(claims)),
                "clusters": one(sa.select(sa.func.count()).select_from(sizes).where(sizes.c.n > 1)),
                "syndicated": one(sa.select(sa.func.count()).select_from(articles).where(ckey != articles.c.id)),
                "outlets": one(sa.select(sa.func.count(sa.distinct(articles.c.outlet)))),
                "conflicts": by_conflict,
                "published_min": one(sa.select(sa.func.min(articles.c.published))),
                "published_max": one(sa.select(sa.func.max(articles.c.published))),
            }

    def dump(self, *, exclude: tuple[str, ...] = ("ingested_at",)) -> dict[str, list[tuple]]:
        """Every row of every table, sorted (for tests and audits); ``exclude`` drops columns.

        Excluding ``ingested_at`` also drops ``claims.day``, which falls back to the
        ingestion date for undated claims of undated articles, and ``article_sources.first_seen``.
        """
        out: dict[str, list[tuple]] = {}
        drop = set(exclude) | ({"day", "first_seen"} if "ingested_at" in exclude else set())
        with self._read() as conn:
            for table in (articles, claims, signatures, lsh_bands, article_sources, meta):
                cols = [c for c in table.columns if c.name not in drop]
                rows = conn.execute(sa.select(*cols)).all()
                out[table.name] = sorted((tuple(json.dumps(v, sort_keys=True, default=str)
                                                if isinstance(v, (list, dict)) else v for v in r)
                                          for r in rows), key=repr)
        return out
