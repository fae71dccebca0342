"""Further sources of an article (schema version 4).

Articles are keyed by the hash of their cleaned body, so a byte-identical cross-post
read from a second file, URL or record used to be reported ``unchanged`` and its URL and
outlet were lost. ``article_sources`` keeps one row per further input an article's
exact body was read from: ``(article_id, source, doc)`` (the file or URL read and the
record in it), with that copy's ``url``, ``outlet``, ``title``, ``published`` and the
time it was first read. The article's own first source stays in ``articles``.

Nothing is backfilled: the inputs earlier versions dropped were never stored; ingesting
them again records them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None
#: store._schema.SCHEMA_VERSION after this revision
schema_version = 4


def upgrade() -> None:
    op.create_table(
        "article_sources",
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("doc", sa.Text, primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("first_seen", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("article_sources")
