"""Batch processing at scale: the same pipeline as an Apache Spark job, and loading its output.

``run_batch`` reads text/HTML/JSONL/WARC files from local paths or any Hadoop filesystem
URI, runs the library's own per-record stages inside ``mapPartitions``, clusters
syndicated copies with Spark ML ``MinHashLSH`` on the in-process shingles, and writes
Parquet tables (``articles``, ``claims``, ``clusters``, ``errors``, ``ledger``).
``load_batch`` loads that output into a counterclaim database (SQLite or PostgreSQL),
idempotently, with the same keys as ``counterclaim ingest``. PySpark is the optional
extra ``counterclaim[spark]``; ``load_batch`` needs only pyarrow.
"""
from __future__ import annotations

from collections.abc import Iterable

from .._settings import Settings
from ._job import BatchSummary, make_session, normalise_input, run_job
from ._load import LoadSummary, load_batch, read_table

__all__ = ["run_batch", "BatchSummary", "load_batch", "LoadSummary", "read_table", "make_session"]


def run_batch(inputs: Iterable[str], out: str, *, master: str = "local[*]", partitions: int | None = None,
              conflict: str | None = None, settings: Settings | None = None, spark=None) -> BatchSummary:
    """Run the whole batch job: ``inputs`` (paths or Hadoop URIs) -> Parquet tables under ``out``.

    Starts a Spark session on ``master`` (and stops it afterwards) unless an existing
    session is passed as ``spark`` (tests, notebooks). Bad records become rows of the
    ``errors`` table, never a failed job. Raises :class:`~counterclaim.errors.BatchError`
    when PySpark is missing, an input path does not exist or Spark cannot start.
    """
    inputs = list(inputs)
    for path in inputs:  # fail on a missing path before starting a JVM
        normalise_input(path)
    own = spark is None
    if own:
        spark = make_session(master, partitions=partitions)
    try:
        return run_job(spark, list(inputs), out, partitions=partitions, conflict=conflict, settings=settings)
    finally:
        if own:
            spark.stop()
