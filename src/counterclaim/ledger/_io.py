"""Where the ledger's claim dicts come from (a database, a claims JSONL file) and where it goes (rows, CSV).

Reading is kept apart from :func:`build_ledger`, which stays pure. The database reader
uses the Store's ``claim_dicts_for_ledger()`` when the storage module provides it, and
otherwise reads the schema of ``store/_schema.py`` directly with SQLAlchemy Core.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError, MalformedRecord, NotFound, StorageError

#: Columns of the flat CSV form of a ledger, one row per point (figure or denial).
ROW_FIELDS = ("conflict", "subject_side", "metric", "category", "group", "claimant_side", "claimant", "date",
              "date_source", "value", "value_max", "approx", "scope", "increment", "stance", "counted",
              "duplicate_of", "duplicate_reason", "running_estimate", "denies", "denied_by", "places",
              "doc", "outlet", "article_id", "cluster", "id", "evidence")

# Article columns the ledger and the report read (never the raw or cleaned body).
_ARTICLE_COLUMNS = ("id", "doc", "url", "title", "outlet", "published", "conflict", "cluster",
                    "original_source", "original_published")


# ---------------------------------------------------------------------------- JSONL

def load_claims_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Claim dicts from a claims JSONL file (``counterclaim extract`` output or an export).

    Blank lines are skipped; a line that is not a JSON object raises
    :class:`~counterclaim.errors.MalformedRecord` naming the file and line.
    """
    p = Path(path)
    if str(path) != "-" and not p.is_file():
        raise NotFound(f"no such file: {path}")
    try:
        text = p.read_text(encoding="utf-8") if str(path) != "-" else _stdin_text()
    except UnicodeDecodeError:
        raise InputError("claims file is not UTF-8 text", source=str(path)) from None
    out: list[dict[str, Any]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise MalformedRecord(f"line {n}: not JSON ({err.msg})", source=str(path)) from None
        if not isinstance(obj, dict):
            raise MalformedRecord(f"line {n}: not a JSON object", source=str(path))
        out.append(obj)
    return out


def _stdin_text() -> str:
    import sys
    return sys.stdin.read()


# ---------------------------------------------------------------------------- database

def _check_exists(url: str) -> None:
    """A missing SQLite file is an error here: reading must not create an empty database."""
    if url.startswith("sqlite:///") and url not in ("sqlite:///", "sqlite:///:memory:"):
        path = Path(url[len("sqlite:///"):].split("?", 1)[0])
        if not path.is_file():
            raise StorageError(f"no database at {path} (run `counterclaim ingest` first, or pass --db)")


def _engine(url: str):
    import sqlalchemy as sa
    _check_exists(url)
    try:
        return sa.create_engine(url)
    except Exception as err:  # noqa: BLE001 - bad URL, missing driver
        raise StorageError(f"cannot open database {url!r}: {' '.join(str(err).split())[:200]}") from None


def _store_claim_dicts(url: str, conflict: str | None) -> list[dict[str, Any]] | None:
    """The storage engineer's reader, when it exists; None otherwise."""
    try:
        from ..store import Store  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - store package not there yet
        return None
    if not hasattr(Store, "claim_dicts_for_ledger"):
        return None
    store = Store(url)
    try:
        try:
            rows = store.claim_dicts_for_ledger(conflict=conflict)
        except TypeError:
            rows = [r for r in store.claim_dicts_for_ledger() if conflict is None or r.get("conflict") == conflict]
        return [dict(r) for r in rows]
    finally:
        close = getattr(store, "close", None)
        if callable(close):
            close()


def load_claims_db(url: str, *, conflict: str | None = None) -> list[dict[str, Any]]:
    """Claim dicts for the ledger from a counterclaim database.

    Each dict is the claim as ``Claim.to_dict()`` shapes it, plus ``cluster``,
    ``article_published``, ``article_outlet``, ``article_title`` and ``article_url`` from
    its article.
    """
    _check_exists(url)
    via_store = _store_claim_dicts(url, conflict)
    if via_store is not None:
        meta = {a["id"]: a for a in load_articles_db(url, conflict=None)}
        for d in via_store:
            art = meta.get(d.get("article_id") or "")
            if art:
                d.setdefault("article_outlet", art.get("outlet"))
                d.setdefault("article_title", art.get("title"))
                d.setdefault("article_url", art.get("url"))
                if not d.get("cluster"):
                    d["cluster"] = art.get("cluster")
                if not d.get("article_published"):
                    d["article_published"] = art.get("published")
        return via_store
    import sqlalchemy as sa

    from ..store._schema import articles, claims
    engine = _engine(url)
    q = (sa.select(claims, articles.c.cluster, articles.c.published, articles.c.outlet, articles.c.title,
                   articles.c.url)
         .select_from(claims.join(articles, claims.c.article_id == articles.c.id)))
    if conflict is not None:
        q = q.where(claims.c.conflict == conflict)
    q = q.order_by(claims.c.date, claims.c.id)
    try:
        with engine.connect() as conn:
            result = conn.execute(q).mappings().all()
    except sa.exc.SQLAlchemyError as err:
        raise StorageError(f"cannot read claims from {url}: {' '.join(str(err.orig or err).split())[:200]}") from None
    finally:
        engine.dispose()
    return [_claim_row_to_dict(r) for r in result]


def _claim_row_to_dict(r: Mapping[str, Any]) -> dict[str, Any]:
    def pair(a: str, b: str) -> list[int] | None:
        return [r[a], r[b]] if r[a] is not None and r[b] is not None else None

    return {
        "id": r["id"], "doc": r["doc"], "claimant_side": r["claimant_side"], "claimant": r["claimant"],
        "subject_side": r["subject_side"], "metric": r["metric"], "category": r["category"],
        "value": r["value"], "value_max": r["value_max"], "approx": r["approx"], "stance": r["stance"],
        "places": list(r["places"] or []), "date": r["date"], "evidence": r["evidence"],
        "article_id": r["article_id"], "conflict": r["conflict"],
        "span": pair("span_start", "span_end"), "number_span": pair("number_start", "number_end"),
        "rule": r["rule"] or "", "actor_raw": r["actor_raw"], "scope": r["scope"], "increment": r["increment"],
        "confidence": r["confidence"], "geo": list(r["geo"] or []),
        "cluster": r["cluster"], "article_published": r["published"], "article_outlet": r["outlet"],
        "article_title": r["title"], "article_url": r["url"],
    }


def load_articles_db(url: str, *, conflict: str | None = None) -> list[dict[str, Any]]:
    """Article metadata dicts (no bodies) from a counterclaim database, for the report."""
    import sqlalchemy as sa

    from ..store._schema import articles
    engine = _engine(url)
    q = sa.select(*[articles.c[name] for name in _ARTICLE_COLUMNS])
    if conflict is not None:
        q = q.where(articles.c.conflict == conflict)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(q.order_by(articles.c.published, articles.c.id)).mappings()]
    except sa.exc.SQLAlchemyError as err:
        raise StorageError(f"cannot read articles from {url}: {' '.join(str(err.orig or err).split())[:200]}") from None
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------- flat rows

def ledger_rows(ledger: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The ledger flattened to one row per point (see :data:`ROW_FIELDS`), for CSV and tables.

    ``running_estimate`` is the claimant's estimate after the point's date.
    """
    for s in ledger["series"]:
        base = {"conflict": s["conflict"], "subject_side": s["subject_side"], "metric": s["metric"],
                "category": s["category"]}
        for gname, g in s["groups"].items():
            for cl in g["claimants"]:
                est = {e["date"]: e["estimate"] for e in cl["running"]}
                for p in cl["points"]:
                    yield _row(base, gname, p, est.get(p["date"]))
        for d in s["denials"]:
            yield _row(base, "denial", d, None)


def _row(base: dict[str, Any], group: str, p: Mapping[str, Any], estimate: int | None) -> dict[str, Any]:
    row = dict(base)
    row["group"] = group
    for k in ROW_FIELDS:
        if k in row:
            continue
        if k == "running_estimate":
            row[k] = estimate
        elif k in ("denies", "denied_by", "places"):
            row[k] = ";".join(p.get(k) or [])
        else:
            row[k] = p.get(k)
    return row


_TEXT_FIELDS = frozenset({"evidence", "doc", "outlet", "places", "claimant"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(key: str, value: Any) -> Any:
    """A CSV cell; untrusted text that a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if key in _TEXT_FIELDS and isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def ledger_csv(ledger: Mapping[str, Any]) -> str:
    """The ledger as CSV text (header + :func:`ledger_rows`).

    Text cells that begin like a spreadsheet formula (``=``, ``+``, ``-``, ``@``) are
    prefixed with ``'`` so opening the file in a spreadsheet never runs untrusted text.
    """
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(ROW_FIELDS), lineterminator="\n")
    w.writeheader()
    for row in ledger_rows(ledger):
        w.writerow({k: _cell(k, v) for k, v in row.items()})
    return buf.getvalue()


def iter_points(ledger: Mapping[str, Any]) -> Iterable[tuple[dict[str, Any], str, dict[str, Any]]]:
    """Every (series, group, point) of a ledger, figures first then denials (group ``denial``)."""
    for s in ledger["series"]:
        for gname, g in s["groups"].items():
            for cl in g["claimants"]:
                for p in cl["points"]:
                    yield s, gname, p
        for d in s["denials"]:
            yield s, "denial", d
