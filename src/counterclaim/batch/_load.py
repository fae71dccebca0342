"""Load batch output (Parquet) into a counterclaim database, idempotently.

Reads the ``articles`` table a batch run wrote (each row carries its article's claims
as a nested column) with pyarrow, in bounded batches, and hands the records to
:meth:`counterclaim.store.Store.add_many`: the same writer ``counterclaim ingest``
uses, so keys (article id = content hash, claim id = ``records.claim_id``), signatures,
LSH buckets and full-text search rows are exactly those of an ingest, and an article
already stored is left untouched (loading twice, or over an ingested database, never
duplicates). The batch job's syndication clusters are kept; articles that were alone in
the batch are clustered by the store against what the database already holds. The
``sources`` table's further copies (a byte-identical body read from another input) are
recorded through :meth:`~counterclaim.store.Store.add` as ingest records them, in the
store's ``article_sources``.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import BatchError
from ..pipeline import Processed
from ..records import Article, Claim
from . import _partition as P

__all__ = ["LoadSummary", "load_batch", "read_table", "record_from_row", "source_from_row", "batch_clusters"]


@dataclass
class LoadSummary:
    """What a load did: articles by status (as ``Store.add_many`` counts them), further
    sources newly recorded (``article_sources`` rows) and claims."""

    db: str
    articles_new: int = 0
    articles_syndicated: int = 0
    articles_unchanged: int = 0
    claims: int = 0           # claims read (in new and unchanged articles)
    sources_added: int = 0    # further inputs of a stored body recorded by this load

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        sources = ""
        if self.sources_added:
            sources = f" ({self.sources_added} new source{'s' if self.sources_added != 1 else ''} recorded)"
        return (f"{self.articles_new} new, {self.articles_syndicated} syndicated, "
                f"{self.articles_unchanged} unchanged articles{sources}; {self.claims} claims read -> {self.db}")


def read_table(directory: str, name: str, *, batch_size: int = 500) -> Iterator[dict[str, Any]]:
    """Stream the rows of one batch table (hive-partitioned Parquet) as dicts.

    Partition values come back as strings; Spark's null partition
    (``__HIVE_DEFAULT_PARTITION__``) comes back as ``None``.
    """
    try:
        import pyarrow.dataset as ds
    except ImportError:
        raise BatchError("pyarrow is not installed: pip install 'counterclaim[spark]'") from None
    path = os.path.join(P.local_path(directory), name)
    if not os.path.isdir(path):
        raise BatchError(f"{directory}: not a batch output directory (no {name}/ table)")
    part = ds.HivePartitioning.discover(infer_dictionary=False)
    try:
        dataset = ds.dataset(path, format="parquet", partitioning=part,
                             ignore_prefixes=[".", "_"])
        batches = dataset.to_batches(batch_size=batch_size)
        for batch in batches:
            for row in batch.to_pylist():
                for k in ("conflict", "month"):
                    if row.get(k) == "__HIVE_DEFAULT_PARTITION__":
                        row[k] = None
                yield row
    except (OSError, ValueError) as err:  # pyarrow.ArrowInvalid is a ValueError
        raise BatchError(f"{path}: cannot read Parquet: {' '.join(str(err).split())[:200]}") from None


def record_from_row(row: dict[str, Any]) -> Processed:
    """The :class:`~counterclaim.pipeline.Processed` of one ``articles`` row (article +
    nested claims, conflict, extractor version): what ``Store.add_many`` takes."""
    article = Article.from_dict(P.article_from_row(row))
    claims = [Claim.from_dict(P.claim_from_row(c)) for c in (row.get("claims") or [])]
    return Processed(article=article, claims=claims, conflict=row.get("conflict"),
                       extracted_with=row.get("extracted_with"))


def source_from_row(row: dict[str, Any]) -> Processed:
    """The :class:`~counterclaim.pipeline.Processed` of one ``sources`` row: an article with
    the id and the input's fields (``source``, ``doc``, ``url``, ``outlet``, ``title``,
    ``published``) and no body, for :meth:`Store.add` of an article already stored (which
    records the input and reads nothing else). Never pass it for an id not stored."""
    article = Article(id=row["article_id"], doc=row["doc"], source=row["source"], format="", text="",
                      url=row.get("url"), outlet=row.get("outlet"), title=row.get("title"),
                      published=row.get("published"))
    return Processed(article=article)


def load_batch(directory: str, *, db: str, batch_size: int = 200) -> LoadSummary:
    """Load a batch output directory into the database at ``db``; idempotent.

    Articles are written ``batch_size`` per transaction through ``Store.add_many``;
    multi-member syndication clusters found by the batch job are kept as they are
    (forced), other articles are clustered by the store against the stored ones. Then
    each further copy in the ``sources`` table is recorded as ingest records it
    (``Store.add``: one ``article_sources`` row per input, none for an input already
    recorded, so re-loading writes nothing).
    """
    from ..store import Store

    summary = LoadSummary(db=db)
    clusters = batch_clusters(directory)

    def records() -> Iterator[Processed]:
        for row in read_table(directory, "articles", batch_size=batch_size):
            rec = record_from_row(row)
            summary.claims += len(rec.claims)
            yield rec

    with Store(db) as store:
        counts = store.add_many(records(), clusters=clusters, batch_size=batch_size)
        summary.sources_added = _record_sources(store, directory)
    summary.articles_new = counts.get("new", 0)
    summary.articles_syndicated = counts.get("syndicated", 0)
    summary.articles_unchanged = counts.get("unchanged", 0)
    return summary


def _record_sources(store: Any, directory: str) -> int:
    """Record the ``sources`` table's further copies in the store; the number newly recorded.

    Output without a ``sources`` table (written before it existed) records nothing. A
    source whose article is not stored means the directory's tables do not belong together
    (``BatchError``): it is never stored as a body-less article.
    """
    path = os.path.join(P.local_path(directory), "sources")
    if not os.path.isdir(path):
        return 0
    added = 0
    for row in read_table(directory, "sources"):
        if row.get("is_first"):
            continue
        if not store.exists(row["article_id"]):
            raise BatchError(f"{directory}: sources/ names article {row['article_id']}, "
                             "which is not in its articles/ table")
        added += bool(store.add(source_from_row(row)).source_added)
    return added


def batch_clusters(directory: str) -> dict[str, str]:
    """``{article id: cluster id}`` for the members of the batch's multi-member clusters."""
    path = os.path.join(P.local_path(directory), "clusters")
    if not os.path.isdir(path):
        return {}
    return {r["article_id"]: r["cluster"] for r in read_table(directory, "clusters") if r.get("cluster")}
