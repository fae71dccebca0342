"""The Spark job: read inputs, run the pipeline per partition, syndicate, write Parquet.

The job is a thin layer over the library: executors run
:func:`counterclaim.batch._partition.process_partition` (the library's own readers and
:func:`counterclaim.pipeline.process`) inside ``mapPartitions``; the driver only does
what needs the whole corpus (de-duplication by article id, syndication clustering, the
ledger). Tables written under ``out``:

``articles/``  one row per distinct article (partitioned by ``conflict`` and ``month``)
``sources/``   one row per input an article's body was read from (``is_first``: the copy in ``articles``)
``claims/``    one row per claim (partitioned by ``conflict`` and ``month``)
``clusters/``  one row per member of a syndication cluster of two or more articles
``errors/``    one row per input record that failed (code + one-line message)
``ledger/``    :func:`counterclaim.ledger.build_ledger` flattened by ``ledger.ledger_rows`` (+ ``ledger.json``)
``batch.json`` the run's summary (local output directories only)
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any

from .._settings import Settings, get_settings
from ..errors import BatchError
from . import _partition as P

__all__ = ["BatchSummary", "make_session", "normalise_input", "run_job", "lsh_bands", "LSH_SEED"]

#: Seed of the Spark ML MinHashLSH hash functions (fixed: reruns find the same candidates).
LSH_SEED = 20201027


def lsh_bands() -> tuple[int, int]:
    """(bands, rows per band) for the Spark LSH: the in-process LSH's own banding.

    Spark ML's ``approxSimilarityJoin`` ORs single hashes (a pair is a candidate when ANY
    one of its hash tables agrees), which at scale proposes a share J of ALL pairs with
    background similarity J. The job instead groups ``bands * rows`` MinHashLSH hash
    tables into bands and joins on whole bands (AND within a band, OR across bands),
    with the parameters datasketch picks for :data:`counterclaim.syndication.LSH_THRESHOLD`,
    so batch and ingest propose candidates with the same S-curve.
    """
    from ..syndication import LSH_THRESHOLD, lsh_params
    return lsh_params(LSH_THRESHOLD)


@dataclass
class BatchSummary:
    """What a batch run did: counts, timings and where the tables are."""

    out: str
    inputs: list[str]
    files: int = 0
    records: int = 0
    articles: int = 0
    duplicates: int = 0
    errors: int = 0
    claims: int = 0
    clusters: int = 0
    syndicated: int = 0
    candidate_pairs: int = 0
    ledger: bool = False
    partitions: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        return (f"{self.articles} articles, {self.claims} claims, {self.clusters} clusters "
                f"({self.syndicated} syndicated), {self.duplicates} duplicates, {self.errors} errors "
                f"from {self.files} files in {self.seconds:.1f} s -> {self.out}")


def _has_scheme(path: str) -> bool:
    head = path.split("/", 1)[0]
    return head.endswith(":") and len(head) > 2


def normalise_input(path: str) -> str:
    """An input as Spark should read it: URIs unchanged, local paths absolute (BatchError if missing)."""
    if _has_scheme(path):
        return path
    if not os.path.exists(path):
        raise BatchError(f"input not found: {path}")
    return os.path.abspath(path)


def make_session(master: str = "local[*]", app: str = "counterclaim-batch", *,
                 partitions: int | None = None) -> Any:
    """A SparkSession set up as the recipe says (UI off, UTC, loopback, this interpreter).

    ``PYSPARK_PYTHON`` defaults to this interpreter so workers import the same
    counterclaim; on a cluster spark-submit's own settings win (``getOrCreate``).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise BatchError("PySpark is not installed: pip install 'counterclaim[spark]'") from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    shuffle = str(partitions or 4)
    builder = (SparkSession.builder.master(master).appName(app)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.shuffle.partitions", shuffle)
               .config("spark.driver.memory", os.environ.get("COUNTERCLAIM_SPARK_DRIVER_MEMORY", "2g")))
    try:
        spark = builder.getOrCreate()
    except Exception as err:  # noqa: BLE001 - no Java, bad master URL, ...
        raise BatchError(f"could not start Spark ({master}): {' '.join(str(err).split())[:300]}") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _write_local_json(out: str, name: str, payload: Any) -> None:
    if _has_scheme(out) and not out.startswith("file:"):
        return
    path = os.path.join(P.local_path(out), name)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, indent=1, sort_keys=True, default=str)


def run_job(spark: Any, inputs: list[str], out: str, *, partitions: int | None = None,
            conflict: str | None = None, settings: Settings | None = None) -> BatchSummary:
    """Run the batch job on an existing session; see :func:`counterclaim.batch.run_batch`."""
    from pyspark import StorageLevel
    from pyspark.ml.feature import MinHashLSH
    from pyspark.ml.linalg import SparseVector, VectorUDT
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.utils import AnalysisException

    settings = settings or get_settings()
    if not inputs:
        raise BatchError("no inputs given")
    paths = [normalise_input(p) for p in inputs]
    # name files as ingest does: a file as given, a file found in a directory under the
    # directory as given (pathlib-normalised, as os.walk over a Path names it)
    given = [(a, g if os.path.isfile(a) else str(Path(g))) for a, g in zip(paths, inputs) if not _has_scheme(a)]
    prefixes = sorted(((a, g) for a, g in given if a != g), key=lambda x: -len(x[0]))
    out = out if _has_scheme(out) else os.path.abspath(out)
    if not _has_scheme(out):
        os.makedirs(out, exist_ok=True)
    summary = BatchSummary(out=out, inputs=paths)
    t0 = time.perf_counter()
    tick = t0

    def lap(name: str) -> None:
        nonlocal tick
        now = time.perf_counter()
        summary.timings[name] = round(now - tick, 3)
        tick = now

    try:
        files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
                 .load(paths).select("path", "content"))
    except AnalysisException as err:
        raise BatchError(f"cannot read inputs: {' '.join(str(err).split())[:300]}") from None
    # from directories, only the files ingest reads from a directory; named files always
    explicit = [f"file:{p}" for p in paths if not _has_scheme(p) and os.path.isfile(p)]
    suffixes = "|".join(re.escape(x) for x in P.directory_suffixes())
    files = files.where(F.col("path").isin(explicit) | F.lower("path").rlike(f"({suffixes})$"))
    rdd = files.rdd.map(lambda r: (r[0], r[1]))
    if partitions:
        rdd = rdd.repartition(partitions)
    summary.partitions = rdd.getNumPartitions()
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    work = partial(P.process_partition, conflict=conflict, settings=settings, ingested_at=stamp,
                   prefixes=prefixes)
    result = spark.createDataFrame(rdd.mapPartitions(work), P.RESULT_DDL, verifySchema=False)
    result = result.persist(StorageLevel.MEMORY_AND_DISK)

    counts = result.agg(F.countDistinct("file").alias("files"), F.count("*").alias("records"),
                        F.sum(F.col("error_code").isNotNull().cast("int")).alias("errors")).first()
    summary.records, summary.errors = int(counts["records"] or 0), int(counts["errors"] or 0)
    summary.files = int(counts["files"] or 0)
    errors = result.where(F.col("error_code").isNotNull()).select("file", "input", "error_code", "error")
    errors.coalesce(1).write.mode("overwrite").parquet(f"{out}/errors")
    summary.error_samples = [r["error"] for r in errors.limit(20).collect()]
    lap("process")

    # One row per distinct article (same cleaned body = same id): the copy ingest would store
    # first. Ingest reads a directory's files sorted as paths (component by component) and a
    # file's records in order; every copy is kept in the `sources` table.
    win = Window.partitionBy("article.id").orderBy(F.split("article.source", "/"), "record", "article.doc")
    ranked = (result.where(F.col("article").isNotNull())
              .withColumn("_rn", F.row_number().over(win))
              .persist(StorageLevel.MEMORY_AND_DISK))
    kept = ranked.where("_rn = 1").drop("_rn")
    summary.articles = kept.count()
    summary.duplicates = summary.records - summary.errors - summary.articles
    result.unpersist()

    # Syndication: Spark ML MinHashLSH over the hashed in-process shingles, banded like the
    # in-process LSH; candidates confirmed on executors by the in-process rule.
    to_vec = F.udf(lambda idx: SparseVector(P.NUM_FEATURES, idx, [1.0] * len(idx)), VectorUDT(),
                   useArrow=False)
    feats = (kept.select(F.col("article.id").alias("id"), F.col("article.published").alias("published"),
                         F.col("article.features").alias("f"), F.col("article.minhash").alias("m"),
                         F.col("article.n_shingles").alias("n"))
             .where(F.size("f") > 0).withColumn("vec", to_vec("f")))
    pairs: list[tuple[str, str]] = []
    published: dict[str, str | None] = {}
    if feats.limit(1).count():
        bands_n, rows_n = lsh_bands()
        model = MinHashLSH(inputCol="vec", outputCol="hashes", numHashTables=bands_n * rows_n,
                           seed=LSH_SEED).fit(feats)
        keys = F.array(*[F.xxhash64(F.slice("hashes", i * rows_n + 1, rows_n)) for i in range(bands_n)])
        bands = model.transform(feats).select("id", F.posexplode(keys).alias("band", "key"))
        a, b = bands.alias("a"), bands.alias("b")
        cand = (a.join(b, (F.col("a.band") == F.col("b.band")) & (F.col("a.key") == F.col("b.key"))
                       & (F.col("a.id") < F.col("b.id")))
                .select(F.col("a.id").alias("a"), F.col("b.id").alias("b")).distinct())
        side = feats.select("id", "published", "m", "n")
        scored = (cand.join(side.toDF("a", "pa", "ma", "na"), "a").join(side.toDF("b", "pb", "mb", "nb"), "b")
                  .select("a", "b", "pa", "pb", "ma", "na", "mb", "nb"))
        seen = spark.sparkContext.accumulator(0)
        threshold = settings.syndication_threshold

        def confirm(rows: Any) -> Any:
            for row in rows:
                seen.add(1)
                yield from P.confirm_partition([row], threshold=threshold)

        for a_id, b_id, pa, pb in scored.rdd.mapPartitions(confirm).collect():
            pairs.append((a_id, b_id))
            published[a_id], published[b_id] = pa, pb
        summary.candidate_pairs = seen.value
    members = P.clusters_from_pairs(pairs, published)
    summary.syndicated = sum(1 for m, c in members.items() if m != c)
    summary.clusters = len(set(members.values()))
    lap("syndication")

    cluster_rows = [(m, c, m == c) for m, c in sorted(members.items())]
    cmap = spark.createDataFrame(cluster_rows, "id string, _cluster string, is_canonical boolean")
    arts = (kept.select("article.*", "claims").drop("features")
            .join(F.broadcast(cmap), "id", "left")
            .withColumn("cluster", F.coalesce("_cluster", "id")).drop("_cluster", "is_canonical"))
    arts.write.mode("overwrite").partitionBy("conflict", "month").parquet(f"{out}/articles")
    copied = [F.col(f"article.{n}").alias(n) for n, _ in P.SOURCE_FIELDS if n not in ("article_id", "is_first")]
    (ranked.select(F.col("article.id").alias("article_id"), *copied, (F.col("_rn") == 1).alias("is_first"))
     .write.mode("overwrite").parquet(f"{out}/sources"))
    sizes = {}
    for c in members.values():
        sizes[c] = sizes.get(c, 0) + 1
    clusters = (cmap.join(kept.select(F.col("article.id").alias("id"), F.col("article.doc").alias("doc"),
                                      F.col("article.published").alias("published"),
                                      F.col("article.outlet").alias("outlet")), "id")
                .select(F.col("_cluster").alias("cluster"), F.col("id").alias("article_id"),
                        "is_canonical", "doc", "outlet", "published"))
    size_df = spark.createDataFrame(list(sizes.items()) or [("", 0)], "cluster string, size int")
    (clusters.join(size_df, "cluster", "left").coalesce(1)
     .write.mode("overwrite").parquet(f"{out}/clusters"))
    lap("write_articles")

    claims = (kept.select(F.col("article.published").alias("article_published"),
                          F.col("article.id").alias("_aid"), F.explode("claims").alias("c"))
              .join(F.broadcast(cmap.select(F.col("id").alias("_aid"), "_cluster")), "_aid", "left")
              .select("c.*", "article_published", F.coalesce("_cluster", "_aid").alias("cluster")))
    claims.write.mode("overwrite").partitionBy("conflict", "month").parquet(f"{out}/claims")
    stored = spark.read.schema(claims.schema).parquet(f"{out}/claims")
    summary.claims = stored.count()
    ranked.unpersist()
    lap("write_claims")

    summary.ledger = _write_ledger(spark, stored, out, conflict)
    lap("ledger")
    summary.seconds = round(time.perf_counter() - t0, 3)
    _write_local_json(out, "batch.json", summary.to_dict())
    return summary


def _claim_dicts(stored: Any) -> Any:
    """Claim dicts for the ledger (``Claim.to_dict()`` + cluster + article_published), streamed."""
    for row in stored.toLocalIterator():
        d = row.asDict(recursive=True)
        claim = P.claim_from_row(d)
        claim["cluster"] = d.get("cluster")
        claim["article_published"] = d.get("article_published")
        yield claim


def _write_ledger(spark: Any, stored: Any, out: str, conflict: str | None) -> bool:
    """Build the ledger from the written claims (streamed to the driver) and write it as
    ``ledger.json`` and as the Parquet table ``ledger`` (the ledger's own row flattening)."""
    try:
        from ..ledger import ROW_FIELDS, build_ledger, ledger_rows
    except ImportError:
        return False
    ledger = build_ledger(_claim_dicts(stored), conflict=conflict)
    _write_local_json(out, "ledger.json", ledger)
    rows = list(P.ledger_table_rows(ledger, ROW_FIELDS, ledger_rows(ledger)))
    df = spark.createDataFrame(rows, P.ledger_ddl(ROW_FIELDS))
    df.coalesce(1).write.mode("overwrite").parquet(f"{out}/ledger")
    return True
