"""The storage schema (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Articles are keyed by the content hash of their cleaned body (``records.article_id``);
claims by ``records.claim_id``. JSON-valued columns hold lists/dicts. ``SCHEMA_VERSION``
is bumped with every change and each change gets an Alembic migration (see
``docs/storage.md``).
"""
from __future__ import annotations

import sqlalchemy as sa

__all__ = ["metadata", "articles", "claims", "signatures", "lsh_bands", "article_sources", "meta",
           "SCHEMA_VERSION"]

#: 1: baseline; 2: signatures.size, lsh_bands, full-text index (migration 0002);
#: 3: ``claims.day`` (stored sort key) and covering read indexes (migration 0003);
#: 4: ``article_sources``, the further inputs an article's exact body was read from (migration 0004).
SCHEMA_VERSION = 4

metadata = sa.MetaData()

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("doc", sa.Text, nullable=False),           # base name or URL (claims spec `doc`)
    sa.Column("source", sa.Text, nullable=False),        # path or URL it was read from
    sa.Column("url", sa.Text),
    sa.Column("format", sa.String(16), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("published", sa.String(10)),               # ISO date
    sa.Column("language", sa.String(8)),
    sa.Column("tags", sa.JSON, nullable=False, default=list),
    sa.Column("media", sa.JSON, nullable=False, default=list),
    sa.Column("original_source", sa.Text),
    sa.Column("original_published", sa.String(10)),
    sa.Column("conflict", sa.String(32)),
    sa.Column("cluster", sa.String(32), index=True),     # canonical member's id
    sa.Column("raw", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("ingested_at", sa.String(32), nullable=False),
    sa.Column("extracted_with", sa.String(64)),          # extractor + dictionary version of its claims
)

claims = sa.Table(
    "claims", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("conflict", sa.String(32), index=True),
    sa.Column("doc", sa.Text, nullable=False),
    sa.Column("claimant_side", sa.String(16), nullable=False, index=True),
    sa.Column("claimant", sa.String(64), nullable=False),
    sa.Column("subject_side", sa.String(16), nullable=False, index=True),
    sa.Column("metric", sa.String(32), nullable=False, index=True),
    sa.Column("category", sa.String(32), nullable=False),
    sa.Column("value", sa.BigInteger),
    sa.Column("value_max", sa.BigInteger),
    sa.Column("approx", sa.String(16), nullable=False),
    sa.Column("stance", sa.String(8), nullable=False),
    sa.Column("places", sa.JSON, nullable=False, default=list),
    sa.Column("date", sa.String(10), index=True),
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
    sa.Column("geo", sa.JSON, nullable=False, default=list),
    sa.Column("lat", sa.Float),                          # first resolved place, for map queries
    sa.Column("lon", sa.Float),
    sa.Column("place", sa.Text, index=True),             # first resolved place's name
    # the claim's day: its date, else its article's published date, else its ingestion
    # date ('' if none): the default sort key and the date filters (migration 0003)
    sa.Column("day", sa.String(10)),
)

signatures = sa.Table(
    "signatures", metadata,
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("minhash", sa.LargeBinary, nullable=False),  # MinHash hash values, little-endian uint64
    sa.Column("size", sa.Integer, nullable=False, server_default="0"),  # shingle count (containment)
)

# LSH buckets of each signature (syndication.band_keys): candidates are one indexed lookup
lsh_bands = sa.Table(
    "lsh_bands", metadata,
    sa.Column("key", sa.String(24), primary_key=True),
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"),
              primary_key=True, index=True),
)

# Further inputs an already stored article's exact cleaned body was read from (a byte-identical
# cross-post on another site, the same story in a second feed or dump): the article keeps its
# first source in ``articles``; each further input is one row here (migration 0004). An input
# is (``source``, ``doc``): the file or URL read plus the record in it (a JSONL/WARC/feed file
# holds many records under one ``source``; their ``doc`` is the record's URL or ``name#n``).
article_sources = sa.Table(
    "article_sources", metadata,
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("source", sa.Text, primary_key=True),       # path or URL it was read from
    sa.Column("doc", sa.Text, primary_key=True),          # base name, record URL or name#n
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(10)),
    sa.Column("first_seen", sa.String(32), nullable=False),  # UTC, when this input was first read
)

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# read indexes (migration 0003): keyset pages on (day, id) under the common filters,
# answered in index order without sorting the filtered set
sa.Index("ix_claims_side_metric_cover", claims.c.subject_side, claims.c.metric, claims.c.day, claims.c.id)
sa.Index("ix_claims_metric_day", claims.c.metric, claims.c.day, claims.c.id)
sa.Index("ix_claims_claimant_day", claims.c.claimant_side, claims.c.day, claims.c.id)
sa.Index("ix_claims_day", claims.c.day, claims.c.id)
sa.Index("ix_articles_id_published", articles.c.id, articles.c.published)
sa.Index("ix_articles_ingested_at", articles.c.ingested_at)
