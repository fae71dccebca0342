"""Storage: the :class:`Store` over the schema in ``_schema`` (SQLite or PostgreSQL).

See ``docs/storage.md`` for the schema, keys, idempotency, crash safety, migrations
and syndication thresholds.
"""
from __future__ import annotations

from ._schema import SCHEMA_VERSION
from ._store import CLAIM_SORTS, AddResult, Page, Store

__all__ = ["Store", "AddResult", "Page", "CLAIM_SORTS", "SCHEMA_VERSION"]
