"""Baseline: articles, claims, signatures, meta (schema version 1).

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None
#: store._schema.SCHEMA_VERSION after this revision
schema_version = 1


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("language", sa.String(8)),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("media", sa.JSON, nullable=False),
        sa.Column("original_source", sa.Text),
        sa.Column("original_published", sa.String(10)),
        sa.Column("conflict", sa.String(32)),
        sa.Column("cluster", sa.String(32)),
        sa.Column("raw", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.String(32), nullable=False),
        sa.Column("extracted_with", sa.String(64)),
    )
    op.create_index("ix_articles_cluster", "articles", ["cluster"])
    op.create_table(
        "claims",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("conflict", sa.String(32)),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Column("claimant_side", sa.String(16), nullable=False),
        sa.Column("claimant", sa.String(64), nullable=False),
        sa.Column("subject_side", sa.String(16), nullable=False),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("value", sa.BigInteger),
        sa.Column("value_max", sa.BigInteger),
        sa.Column("approx", sa.String(16), nullable=False),
        sa.Column("stance", sa.String(8), nullable=False),
        sa.Column("places", sa.JSON, nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer),
        sa.Column("span_end", sa.Integer),
        sa.Column("number_start", sa.Integer),
        sa.Column("number_end", sa.Integer),
        sa.Column("rule", sa.String(64)),
        sa.Column("actor_raw", sa.Text),
        sa.Column("scope", sa.String(16)),
        sa.Column("increment", sa.BigInteger),
        sa.Column("confidence", sa.Float),
        sa.Column("geo", sa.JSON, nullable=False),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("place", sa.Text),
    )
    for col in ("article_id", "conflict", "claimant_side", "subject_side", "metric", "date", "place"):
        op.create_index(f"ix_claims_{col}", "claims", [col])
    op.create_index("ix_claims_filter", "claims", ["subject_side", "metric", "date"])
    op.create_table(
        "signatures",
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("meta", "signatures", "claims", "articles"):
        op.drop_table(table)
