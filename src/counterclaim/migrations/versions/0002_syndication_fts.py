"""Syndication buckets and full-text search (schema version 2).

Adds ``signatures.size`` (shingle count, for containment), the ``lsh_bands`` table
(LSH bucket keys per article) and full-text search over articles: an FTS5 table kept
in sync by triggers on SQLite, a GIN expression index on PostgreSQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None
#: store._schema.SCHEMA_VERSION after this revision
schema_version = 2

#: the PostgreSQL full-text expression; store queries must use the same one to hit the index
PG_TSVECTOR = "to_tsvector('english', coalesce(title, '') || ' ' || text)"

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN"
    " INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN"
    " INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    " VALUES ('delete', old.rowid, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN"
    " INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);"
    " INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    with op.batch_alter_table("signatures") as batch:
        batch.add_column(sa.Column("size", sa.Integer, nullable=False, server_default="0"))
    op.create_table(
        "lsh_bands",
        sa.Column("key", sa.String(24), primary_key=True),
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_lsh_bands_article_id", "lsh_bands", ["article_id"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for stmt in SQLITE_FTS:
            op.execute(stmt)
    elif dialect == "postgresql":
        op.execute(f"CREATE INDEX ix_articles_fts ON articles USING GIN ({PG_TSVECTOR})")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("articles_fts_ai", "articles_fts_ad", "articles_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_fts")
    op.drop_index("ix_lsh_bands_article_id", "lsh_bands")
    op.drop_table("lsh_bands")
    with op.batch_alter_table("signatures") as batch:
        batch.drop_column("size")
