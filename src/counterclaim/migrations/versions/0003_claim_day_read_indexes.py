"""Stored claim day and covering read indexes (schema version 3).

Adds ``claims.day``: the claim's date, else its article's published date, else the
date the article was ingested (``''`` when none is known). It is the default sort key
of claim lists (newest first) and what the date filters bound, so the web app and
``Store.claims`` page with a keyset on ``(day, id)`` straight from an index instead
of computing ``coalesce(claims.date, articles.published)`` and sorting every matching
row per request. Existing rows are backfilled here; new rows get it from the Store
(``_rows.claim_rows``), and a trigger fills it for rows inserted without one (bulk
loaders, hand-written SQL).

Indexes: ``(subject_side, metric, day, id)`` (replaces ``ix_claims_filter`` on
``(subject_side, metric, date)``), ``(metric, day, id)``, ``(claimant_side, day, id)``,
``(day, id)``, and the web app's ``articles (id, published)`` (its former ``READ_INDEXES``,
which a database may already hold by hand: they are dropped and recreated), and
``articles (ingested_at)`` so the web app's data fingerprint (count, latest ingestion)
is two index lookups instead of a scan of the article bodies.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None
#: store._schema.SCHEMA_VERSION after this revision
schema_version = 3

#: the day of a claim row from its own date and its article (SQL, both dialects)
DAY_SQL = ("coalesce({date}, (SELECT coalesce(a.published, substr(a.ingested_at, 1, 10)) FROM articles a "
           "WHERE a.id = {article_id}), '')")

INDEXES = {
    "ix_claims_side_metric_cover": ("claims", ["subject_side", "metric", "day", "id"]),
    "ix_claims_metric_day": ("claims", ["metric", "day", "id"]),
    "ix_claims_claimant_day": ("claims", ["claimant_side", "day", "id"]),
    "ix_claims_day": ("claims", ["day", "id"]),
    "ix_articles_id_published": ("articles", ["id", "published"]),
    "ix_articles_ingested_at": ("articles", ["ingested_at"]),
}

SQLITE_TRIGGER = (
    "CREATE TRIGGER claims_day_ai AFTER INSERT ON claims WHEN new.day IS NULL BEGIN "
    "UPDATE claims SET day = " + DAY_SQL.format(date="new.date", article_id="new.article_id")
    + " WHERE id = new.id; END"
)
PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION counterclaim_claims_day() RETURNS trigger AS $$ BEGIN "
    "IF NEW.day IS NULL THEN NEW.day := " + DAY_SQL.format(date="NEW.date", article_id="NEW.article_id")
    + "; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
)
PG_TRIGGER = ("CREATE TRIGGER claims_day_bi BEFORE INSERT ON claims FOR EACH ROW "
              "EXECUTE FUNCTION counterclaim_claims_day()")


def upgrade() -> None:
    op.add_column("claims", sa.Column("day", sa.String(10)))   # plain ADD COLUMN: no table rebuild
    op.execute("UPDATE claims SET day = " + DAY_SQL.format(date="claims.date", article_id="claims.article_id"))
    op.execute("DROP INDEX IF EXISTS ix_claims_filter")
    for name, (table, cols) in INDEXES.items():
        # databases served by the 0.1 web app may hold hand-made indexes of these names
        # (its READ_INDEXES, with other columns): replace them
        op.execute(f"DROP INDEX IF EXISTS {name}")
        op.create_index(name, table, cols)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(SQLITE_TRIGGER)
    elif dialect == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS claims_day_ai")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS claims_day_bi ON claims")
        op.execute("DROP FUNCTION IF EXISTS counterclaim_claims_day()")
    for name, (table, _cols) in INDEXES.items():
        op.drop_index(name, table)
    op.create_index("ix_claims_filter", "claims", ["subject_side", "metric", "date"])
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("day")
