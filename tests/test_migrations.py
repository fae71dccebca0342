"""The Alembic migrations (src/counterclaim/migrations) from the first schema to the newest.

A database built by revision 0001 alone and holding rows is upgraded to ``head`` (whatever
the newest revision is) and must keep its rows and end with the same tables, columns,
keys, indexes and triggers as a database created fresh. The step from schema version 2
is in tests/test_store.py.
"""
from __future__ import annotations

import contextlib
import importlib.util
from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlalchemy as sa

from counterclaim.store import SCHEMA_VERSION, Store
from counterclaim.store._migrate import alembic_config

#: rows written at schema version 1, in the columns revision 0001 creates (primary key first)
V1_ROWS: dict[str, list[dict[str, Any]]] = {
    "meta": [{"key": "schema_version", "value": "1"}],
    "articles": [
        {"id": "a1", "doc": "a1.txt", "source": "/in/a1.txt", "url": "https://example.org/a1", "format": "html",
         "title": "Fighting near Shusha", "outlet": "Example Times", "published": "2020-10-05", "language": "en",
         "tags": ["nk"], "media": [{"src": "x.jpg"}], "conflict": "nk2020", "cluster": "a1",
         "raw": "<p>RAW</p>", "text": "Baku said 12 Armenian tanks were destroyed near Shusha.",
         "ingested_at": "2026-11-20T08:00:00+00:00", "extracted_with": "v1"},
        {"id": "a2", "doc": "a2.txt", "source": "/in/a2.txt", "url": None, "format": "text",
         "title": None, "outlet": None, "published": None, "language": None,
         "tags": [], "media": [], "conflict": None, "cluster": "a1",
         "raw": "", "text": "An undated report: 3 soldiers were killed.",
         "ingested_at": "2026-11-21T09:30:00+00:00", "extracted_with": None},
    ],
    "claims": [
        {"id": "c1", "article_id": "a1", "conflict": "nk2020", "doc": "a1.txt", "claimant_side": "AZE",
         "claimant": "AZE.MOD", "subject_side": "ARM", "metric": "destroyed", "category": "tank", "value": 12,
         "value_max": None, "approx": "exact", "stance": "assert", "places": ["Shusha"], "date": "2020-10-04",
         "evidence": "Baku said 12 Armenian tanks were destroyed near Shusha.", "span_start": 0, "span_end": 55,
         "number_start": 10, "number_end": 12, "rule": "svo", "actor_raw": "Baku", "scope": "increment",
         "increment": 12, "confidence": 0.75, "geo": [{"name": "Shusha", "lat": 39.76, "lon": 46.75}],
         "lat": 39.76, "lon": 46.75, "place": "Shusha"},
        {"id": "c2", "article_id": "a1", "conflict": "nk2020", "doc": "a1.txt", "claimant_side": "ARM",
         "claimant": "ARM.MOD", "subject_side": "ARM", "metric": "destroyed", "category": "tank", "value": None,
         "value_max": None, "approx": "exact", "stance": "deny", "places": [], "date": None,
         "evidence": "Yerevan denied it.", "span_start": None, "span_end": None, "number_start": None,
         "number_end": None, "rule": None, "actor_raw": None, "scope": None, "increment": None,
         "confidence": None, "geo": [], "lat": None, "lon": None, "place": None},
        {"id": "c3", "article_id": "a2", "conflict": None, "doc": "a2.txt", "claimant_side": "OUTLET",
         "claimant": "OUTLET", "subject_side": "ARM", "metric": "killed", "category": "personnel", "value": 3,
         "value_max": 5, "approx": "range", "stance": "assert", "places": [], "date": None,
         "evidence": "3 soldiers were killed.", "span_start": 20, "span_end": 43, "number_start": 20,
         "number_end": 21, "rule": "passive", "actor_raw": None, "scope": "total", "increment": None,
         "confidence": 0.5, "geo": [], "lat": None, "lon": None, "place": None},
    ],
    "signatures": [
        {"article_id": "a1", "minhash": bytes(range(256)) * 2},
        {"article_id": "a2", "minhash": b"\x00\xff" * 64},
    ],
}


def _pg_helpers():
    """tests/pg.py, loaded as conftest.py loads it (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location("counterclaim_tests_pg", Path(__file__).with_name("pg.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_urls(request, tmp_path) -> Iterator[tuple[str, str]]:
    """Two empty databases of one dialect: one to upgrade from version 1, one to create fresh."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}", f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    admin = request.getfixturevalue("pg_admin_url")
    pg = _pg_helpers()
    with contextlib.ExitStack() as stack:
        yield stack.enter_context(pg.fresh_database(admin)), stack.enter_context(pg.fresh_database(admin))


def _head() -> str | None:
    """The newest revision in the bundled migrations (not a fixed number: new revisions move it)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _v1_database(url: str) -> sa.MetaData:
    """Build ``url`` with revision 0001 alone, write :data:`V1_ROWS`; return the tables as 0001 made them."""
    from alembic import command

    eng = sa.create_engine(url)
    try:
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "0001")
            v1 = sa.MetaData()
            v1.reflect(conn, only=list(V1_ROWS))
            for table, rows in V1_ROWS.items():
                conn.execute(sa.insert(v1.tables[table]), rows)
    finally:
        eng.dispose()
    return v1


def _schema(url: str) -> dict[str, Any]:
    """Tables with their columns, keys and indexes, plus triggers: what two databases must share."""
    eng = sa.create_engine(url)
    try:
        with eng.connect() as conn:
            insp = sa.inspect(conn)
            tables: dict[str, dict[str, Any]] = {}
            for name in insp.get_table_names():
                tables[name] = {
                    "columns": [(c["name"], str(c["type"]), c["nullable"], c.get("default"))
                                for c in insp.get_columns(name)],
                    "primary_key": insp.get_pk_constraint(name)["constrained_columns"],
                    "foreign_keys": sorted((fk["constrained_columns"], fk["referred_table"], fk["referred_columns"],
                                            fk.get("options", {}).get("ondelete"))
                                           for fk in insp.get_foreign_keys(name)),
                    "indexes": sorted((i["name"], [str(c) for c in i["column_names"]], bool(i["unique"]),
                                       [str(e) for e in i.get("expressions") or []])
                                      for i in insp.get_indexes(name)),
                }
            if conn.dialect.name == "sqlite":
                triggers = conn.execute(sa.text(
                    "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")).all()
            else:
                triggers = conn.execute(sa.text(
                    "SELECT tgname, tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger "
                    "WHERE NOT tgisinternal ORDER BY tgname")).all()
    finally:
        eng.dispose()
    return {"tables": tables, "triggers": [tuple(t) for t in triggers]}


def _rows(url: str, v1: sa.MetaData) -> dict[str, list[dict[str, Any]]]:
    """The rows of the :data:`V1_ROWS` tables, in the columns written at version 1, ordered by key."""
    eng = sa.create_engine(url)
    try:
        with eng.connect() as conn:
            out: dict[str, list[dict[str, Any]]] = {}
            for name, rows in V1_ROWS.items():
                t = v1.tables[name]
                cols = [t.c[k] for k in rows[0]]
                out[name] = [dict(r._mapping) for r in conn.execute(sa.select(*cols).order_by(cols[0]))]
    finally:
        eng.dispose()
    return out


def test_upgrade_from_version_1_to_head_keeps_rows_and_matches_a_fresh_schema(two_urls):
    from alembic import command

    old_url, fresh_url = two_urls
    v1 = _v1_database(old_url)
    assert _rows(old_url, v1) == V1_ROWS               # the baseline round-trips before anything moves

    eng = sa.create_engine(old_url)
    try:
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        with eng.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == _head()
            new = {r.id: r for r in conn.execute(sa.text("SELECT id, day FROM claims"))}
            sizes = dict(conn.execute(sa.text("SELECT article_id, size FROM signatures")).all())
    finally:
        eng.dispose()

    assert _rows(old_url, v1) == V1_ROWS
    # columns added after version 1 are filled for the old rows: a claim's day is its date,
    # else its article's published date, else the article's ingestion date; signature sizes default to 0
    assert {k: r.day for k, r in new.items()} == {"c1": "2020-10-04", "c2": "2020-10-05", "c3": "2026-11-21"}
    assert sizes == {"a1": 0, "a2": 0}

    Store(fresh_url).close()                           # what a new user gets
    upgraded, fresh = _schema(old_url), _schema(fresh_url)
    assert set(upgraded["tables"]) == set(fresh["tables"])
    for name in fresh["tables"]:
        assert upgraded["tables"][name] == fresh["tables"][name], name
    assert upgraded["triggers"] == fresh["triggers"]
    assert {"articles", "claims", "signatures", "meta", "lsh_bands"} <= set(fresh["tables"])


def test_an_upgraded_version_1_database_opens_in_the_store_and_finds_old_rows(two_urls):
    old_url, _ = two_urls
    _v1_database(old_url)
    with Store(old_url) as st:
        assert st.schema_version() == SCHEMA_VERSION
        assert [a["id"] for a in st.articles(q="tanks")] == ["a1"]     # full-text search covers old rows
        assert {c["id"]: c["value"] for c in st.claims(limit=10)} == {"c1": 12, "c2": None, "c3": 3}
