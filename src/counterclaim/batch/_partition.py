"""Plain-Python per-partition functions of the batch job (testable without Spark).

Everything Spark runs on executors is here, as ordinary generators over ordinary
values, so that the same code can be unit-tested in milliseconds and so that the batch
job stays a thin layer over the library's own stage functions:

* :func:`raws_from_bytes` turns one input file's bytes into ``RawDoc`` records with the
  ingest engineer's readers (the same readers ``counterclaim ingest``/``extract`` use);
* :func:`process_partition` runs :func:`counterclaim.pipeline.process` on each of them
  (prepare -> extract -> geolocate) after one :func:`warm_up` per partition, and yields
  one result row per input record: an article row with its claim rows, or an error row;
* :func:`article_row` / :func:`claim_row` and their inverses :func:`article_from_row` /
  :func:`claim_from_row` are the Parquet row format (flat columns mirroring
  ``store/_schema.py``; JSON text only for the free-form ``geo`` list);
* :func:`shingle_features`, :func:`confirm_pair` and :func:`clusters_from_pairs` are the
  syndication pieces the driver uses around Spark ML ``MinHashLSH``.
"""
from __future__ import annotations

import json
import os
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

from .._settings import Settings
from ..errors import CounterclaimError, InputError
from ..records import Article, Claim, RawDoc

__all__ = [
    "NUM_FEATURES", "ARTICLE_FIELDS", "CLAIM_FIELDS", "RESULT_DDL", "warm_up", "raws_from_bytes",
    "process_partition", "process_record", "directory_suffixes", "display_source", "article_row", "claim_row", "article_from_row",
    "claim_from_row", "shingle_features", "confirm_pair", "confirm_partition", "clusters_from_pairs", "canonical_key",
    "local_path", "month_of", "SOURCE_FIELDS",
]

#: Size of the feature space shingles are hashed into (``zlib.crc32 % NUM_FEATURES``).
#: 2**28 keeps collisions negligible for article-sized shingle sets (a 2,000-shingle
#: article expects ~0.007 colliding pairs) and stays below Spark's MinHash prime.
NUM_FEATURES = 1 << 28

#: Article columns of the Parquet ``articles`` table, with Spark SQL types. Mirrors the
#: ``articles`` table of ``store/_schema.py`` plus the batch-only columns ``month``
#: (partition), ``minhash`` (the in-process MinHash signature values, for the store's
#: ``signatures`` table) and ``features`` / ``n_shingles`` (hashed shingles).
ARTICLE_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("doc", "string"), ("source", "string"), ("url", "string"),
    ("format", "string"), ("title", "string"), ("outlet", "string"), ("author", "string"),
    ("published", "string"), ("language", "string"), ("tags", "array<string>"),
    ("media", "array<string>"), ("original_source", "string"), ("original_published", "string"),
    ("conflict", "string"), ("raw", "string"), ("text", "string"), ("ingested_at", "string"),
    ("extracted_with", "string"), ("month", "string"), ("minhash", "array<bigint>"),
    ("features", "array<int>"), ("n_shingles", "int"),
)

#: Claim columns of the Parquet ``claims`` table. Mirrors the ``claims`` table of
#: ``store/_schema.py`` (spans as start/end columns, ``lat``/``lon``/``place`` of the
#: first resolved place), ``geo`` as JSON text; ``month`` is the partition column.
CLAIM_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("article_id", "string"), ("conflict", "string"), ("doc", "string"),
    ("claimant_side", "string"), ("claimant", "string"), ("subject_side", "string"),
    ("metric", "string"), ("category", "string"), ("value", "bigint"), ("value_max", "bigint"),
    ("approx", "string"), ("stance", "string"), ("places", "array<string>"), ("date", "string"),
    ("evidence", "string"), ("span_start", "int"), ("span_end", "int"), ("number_start", "int"),
    ("number_end", "int"), ("rule", "string"), ("actor_raw", "string"), ("scope", "string"),
    ("increment", "bigint"), ("confidence", "double"), ("geo", "string"), ("lat", "double"),
    ("lon", "double"), ("place", "string"), ("month", "string"),
)


def _ddl(fields: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f"`{n}`: {t}" for n, t in fields)


#: The row :func:`process_partition` yields, as a Spark DDL struct: the file (URI) and the
#: input (record source) it came from, an error (code + one-line message) or an article
#: with its claims, and ``record``: the record's position in its file (0-based; the order
#: ingest reads a JSONL, WARC or feed file in, which decides an identical body's first copy).
RESULT_DDL = (f"file string, input string, error_code string, error string, "
              f"article struct<{_ddl(ARTICLE_FIELDS)}>, claims array<struct<{_ddl(CLAIM_FIELDS)}>>, "
              f"record int")

#: Columns of the Parquet ``sources`` table: every input an article's body was read from,
#: ``is_first`` for the copy kept in ``articles`` (the others are what ``load`` records in
#: the store's ``article_sources``). The source fields of ``store/_sources.source_row``.
SOURCE_FIELDS: tuple[tuple[str, str], ...] = (
    ("article_id", "string"), ("source", "string"), ("doc", "string"), ("url", "string"),
    ("outlet", "string"), ("title", "string"), ("published", "string"), ("is_first", "boolean"),
)

_WARM: set[Any] = set()


def warm_up(conflict: str | None = None, settings: Settings | None = None) -> None:
    """Load the dictionaries, lexicons and gazetteer once in this process.

    Why: the stage modules keep them in module-level caches; loading them before the
    first record keeps per-record timings honest and makes a missing or broken data
    file fail the task loudly (not as an error row on every record). Modules may offer
    a ``warm_up()`` function; the conflict dictionaries are loaded through
    :func:`counterclaim.conflicts.load_conflict` and the gazetteer is opened with
    ``counterclaim.places.open_default``. Cheap after the first call.
    """
    if conflict in _WARM:
        return
    import importlib
    for name in ("counterclaim.ingest", "counterclaim.claims", "counterclaim.places",
                 "counterclaim.syndication", "counterclaim.pipeline"):
        mod = importlib.import_module(name)
        fn = getattr(mod, "warm_up", None)
        if callable(fn):
            fn()
    from .. import conflicts, places
    for cid in ([conflict] if conflict else conflicts.list_conflicts()):
        conflicts.load_conflict(cid)
    opener = getattr(places, "open_default", None)
    if callable(opener):
        opener(settings)
    _WARM.add(conflict)


def local_path(uri: str) -> str:
    """The local filesystem path of a ``file:`` URI (Spark's file paths), else ``uri`` unchanged."""
    if uri.startswith("file://"):
        return uri[len("file://"):]
    if uri.startswith("file:"):
        return uri[len("file:"):]
    return uri


def directory_suffixes() -> tuple[str, ...]:
    """File endings ``read_sources`` reads when it walks a directory (lower case).

    Why: Spark lists every file under an input directory; the job keeps the files
    ingest would read from the same directory, so ``batch DIR`` and ``ingest DIR`` see
    the same inputs. Taken from the ingest package's own tables.
    """
    from ..ingest import _readers
    sniffed = getattr(_readers, "_SNIFFED", {".xml", ".json"})
    return tuple(sorted(set(_readers.EXTENSIONS) | set(sniffed)))


def _reader() -> Callable[..., Iterable[RawDoc | InputError]] | None:
    """The ingest package's bytes-level reader, when it offers one:
    ``read_bytes(data, *, name, source, settings) -> Iterator[RawDoc | InputError]``."""
    from .. import ingest
    fn = getattr(ingest, "read_bytes", None)
    return fn if callable(fn) else None


def display_source(uri: str, prefixes: Iterable[tuple[str, str]] = ()) -> str:
    """How a file is named as ``source``: its local path, written under the input as the
    user gave it (``examples/corpus/a.txt``, not ``file:/home/.../a.txt``), as ingest names it.

    ``prefixes`` are ``(absolute path, as given)`` pairs of the job's local inputs.
    """
    path = local_path(uri)
    for absolute, given in prefixes:
        if path == absolute or path.startswith(absolute.rstrip("/") + "/"):
            return given.rstrip("/") + path[len(absolute.rstrip("/")):] if path != absolute else given
    return path


def raws_from_bytes(uri: str, data: bytes, *, settings: Settings | None = None,
                    prefixes: Iterable[tuple[str, str]] = ()) -> Iterator[RawDoc | InputError]:
    """Turn one input file's bytes into ``RawDoc`` records (or the errors of its bad parts).

    Uses :mod:`counterclaim.ingest`'s own readers so a file gives exactly the records
    ``counterclaim extract FILE`` gives (same ``doc``, format detection, JSONL/WARC/feed
    splitting). When ingest exposes no bytes-level reader, the bytes are written under
    their own base name into a private temporary directory and read with
    ``read_sources`` (so ``doc`` stays the file's base name); ``source`` is set back to
    the input's name (:func:`display_source`).
    """
    source = display_source(uri, prefixes)
    name = os.path.basename(source.rstrip("/")) or "input"
    fn = _reader()
    if fn is not None:
        yield from fn(data, name=name, source=source, settings=settings)
        return
    from ..ingest import read_sources
    with tempfile.TemporaryDirectory(prefix="cc-batch-") as tmp:
        path = os.path.join(tmp, name)
        with open(path, "wb") as fh:
            fh.write(data)
        for item in read_sources([path], settings=settings):
            if isinstance(item, RawDoc):
                item.source = source if item.source == path else item.source.replace(path, source)
            elif isinstance(item, CounterclaimError):
                if item.source:
                    item.source = item.source.replace(path, source)
                else:
                    item.source = source
            yield item


def month_of(date: str | None) -> str:
    """The ``YYYY-MM`` partition value of an ISO date, ``unknown`` when there is none."""
    if date and len(date) >= 7 and date[4] == "-":
        return date[:7]
    return "unknown"


def shingle_features(text: str) -> list[int]:
    """Sorted feature indices of the body's shingles: ``crc32(shingle) % NUM_FEATURES``.

    Why: Spark ML ``MinHashLSH`` works on sparse vectors; hashing THE shingle function
    of the in-process syndication (:func:`counterclaim.syndication.shingles`) with a
    stable hash (crc32, not Python's salted ``hash``) gives every executor the same
    features for the same text.
    """
    from ..syndication import shingles
    return sorted({zlib.crc32(s.encode("utf-8")) % NUM_FEATURES for s in shingles(text)})


def _signature_values(text: str) -> tuple[list[int], int]:
    """The in-process MinHash signature of a body (hash values, shingle count)."""
    from ..syndication import make_signature
    sig = make_signature(text)
    return [int(v) for v in sig.minhash.hashvalues], sig.size


def _conflict_of(processed: Any, claims: list[Claim], conflict: str | None) -> str | None:
    """The article's conflict, by the store's rule (processed.conflict, else its claims')."""
    value = getattr(processed, "conflict", None) or conflict
    if value:
        return value
    return next((c.conflict for c in claims if c.conflict), None)


def _extracted_with(processed: Any) -> str | None:
    value = getattr(processed, "extracted_with", None)
    if value:
        return value
    try:
        from ..claims import EXTRACTOR_VERSION
    except ImportError:  # pragma: no cover - the claims package is part of the library
        return None
    return EXTRACTOR_VERSION


def article_row(article: Article, *, conflict: str | None, extracted_with: str | None,
                ingested_at: str, minhash: list[int] | None = None,
                features: list[int] | None = None, n_shingles: int | None = None) -> dict[str, Any]:
    """The Parquet row of an article (``ARTICLE_FIELDS`` order)."""
    d = article.to_dict()
    row = {name: d.get(name) for name, _ in ARTICLE_FIELDS}
    row.update(conflict=conflict, extracted_with=extracted_with, ingested_at=ingested_at,
               month=month_of(article.published), minhash=minhash, features=features,
               n_shingles=n_shingles,
               tags=list(article.tags or []), media=list(article.media or []))
    return row


def claim_row(claim: Claim, *, article_published: str | None = None) -> dict[str, Any]:
    """The Parquet row of a claim (``CLAIM_FIELDS`` order); see :func:`claim_from_row`."""
    d = claim.to_dict()
    first = next((g for g in claim.geo if not g.get("unresolved") and g.get("lat") is not None), None)
    span = d.pop("span") or (None, None)
    number = d.pop("number_span") or (None, None)
    row = {name: d.get(name) for name, _ in CLAIM_FIELDS}
    row.update(span_start=span[0], span_end=span[1], number_start=number[0], number_end=number[1],
               places=list(claim.places or []),
               geo=json.dumps(claim.geo, ensure_ascii=False, sort_keys=True),
               lat=first.get("lat") if first else None, lon=first.get("lon") if first else None,
               place=first.get("name") if first else None,
               month=month_of(claim.date or article_published))
    if row["confidence"] is not None:
        row["confidence"] = float(row["confidence"])
    return row


def claim_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """A claim dict (``Claim.to_dict()``) back from a Parquet claim row.

    Lossless for every ``Claim`` field; ``id`` is recomputed by ``Claim.to_dict`` and so
    equals the stored id for an unmodified row.
    """
    kw = {k: row.get(k) for k, _ in CLAIM_FIELDS
          if k not in {"id", "span_start", "span_end", "number_start", "number_end", "geo", "lat",
                       "lon", "place", "month"}}
    kw["places"] = list(kw.get("places") or [])
    kw["span"] = (row["span_start"], row["span_end"]) if row.get("span_start") is not None else None
    kw["number_span"] = ((row["number_start"], row["number_end"])
                         if row.get("number_start") is not None else None)
    kw["geo"] = json.loads(row["geo"]) if row.get("geo") else []
    for k in ("value", "value_max", "increment"):
        if kw.get(k) is not None:
            kw[k] = int(kw[k])
    return Claim.from_dict(kw).to_dict()


def article_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """An ``Article.to_dict()`` back from a Parquet article row, plus ``conflict``,
    ``ingested_at`` and ``extracted_with`` (the store's extra article columns)."""
    d = Article.from_dict(row).to_dict()
    d["tags"] = list(d.get("tags") or [])
    d["media"] = list(d.get("media") or [])
    for k in ("conflict", "ingested_at", "extracted_with"):
        d[k] = row.get(k)
    return d


def _error_row(input_uri: str, err: BaseException) -> dict[str, Any]:
    """An error row; unexpected exceptions (stage bugs) are reported as the pipeline does
    (``ProcessingError``), so batch and ingest name failures alike."""
    if not isinstance(err, CounterclaimError):
        from ..pipeline import as_input_error
        err = as_input_error(err, input_uri)  # type: ignore[arg-type]
    return {"input": input_uri, "error_code": err.code, "error": err.one_line()[:1000],
            "article": None, "claims": None}


def process_record(raw: RawDoc, *, conflict: str | None = None, settings: Settings | None = None,
                   ingested_at: str | None = None, with_syndication: bool = True) -> dict[str, Any]:
    """Process one ``RawDoc`` into a result row (article + claims) with the library's pipeline.

    Raises what :func:`counterclaim.pipeline.process` raises; :func:`process_partition`
    turns that into an error row.
    """
    from ..pipeline import process
    processed = process(raw, conflict=conflict, settings=settings)
    article, claims = processed.article, list(processed.claims)
    features = shingle_features(article.text) if with_syndication else None
    minhash, size = _signature_values(article.text) if with_syndication else (None, None)
    ts = ingested_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    arow = article_row(article, conflict=_conflict_of(processed, claims, conflict),
                       extracted_with=_extracted_with(processed), ingested_at=ts,
                       minhash=minhash, features=features, n_shingles=size)
    return {"input": raw.source, "error_code": None, "error": None, "article": arow,
            "claims": _claim_rows(article, claims, arow["conflict"])}


def _claim_rows(article: Article, claims: list[Claim], conflict: str | None) -> list[dict[str, Any]]:
    """An article's claim rows, one per claim id, as the store keys them (article id and
    conflict filled from the article when a claim lacks them)."""
    from dataclasses import replace
    out: dict[str, dict[str, Any]] = {}
    for c in claims:
        if c.article_id != article.id or (c.conflict is None and conflict is not None):
            c = replace(c, article_id=article.id, conflict=c.conflict or conflict)
        row = claim_row(c, article_published=article.published)
        out.setdefault(row["id"], row)
    return list(out.values())


def process_partition(rows: Iterable[tuple[str, bytes]], *, conflict: str | None = None,
                      settings: Settings | None = None, ingested_at: str | None = None,
                      with_syndication: bool = True,
                      prefixes: Iterable[tuple[str, str]] = ()) -> Iterator[dict[str, Any]]:
    """Process one partition of ``(uri, bytes)`` inputs; yield one result row per record
    (``record`` numbers a file's rows in reading order).

    Warm-up happens once, outside the per-record ``try`` (a missing dictionary must fail
    the job loudly); any failure of one record becomes an error row with its code and a
    one-line message, so one bad input never fails the job.
    """
    warm_up(conflict, settings)
    ts = ingested_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    for uri, data in rows:
        for i, row in enumerate(_file_rows(uri, data, conflict=conflict, settings=settings, ingested_at=ts,
                                           with_syndication=with_syndication, prefixes=prefixes)):
            yield {"file": uri, **row, "record": i}


def _file_rows(uri: str, data: bytes, *, conflict: str | None, settings: Settings | None, ingested_at: str,
               with_syndication: bool, prefixes: Iterable[tuple[str, str]]) -> Iterator[dict[str, Any]]:
    items = iter(raws_from_bytes(uri, bytes(data), settings=settings, prefixes=prefixes))
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except Exception as err:  # noqa: BLE001 - the reader itself failed on this file
            yield _error_row(display_source(uri, prefixes), err)
            return
        if isinstance(item, BaseException):
            yield _error_row(getattr(item, "source", None) or display_source(uri, prefixes), item)
            continue
        try:
            yield process_record(item, conflict=conflict, settings=settings, ingested_at=ingested_at,
                                 with_syndication=with_syndication)
        except Exception as err:  # noqa: BLE001 - one bad record never fails the job
            if isinstance(err, CounterclaimError) and not err.source:
                err.source = item.source
            yield _error_row(item.source, err)


def confirm_pair(minhash_a: list[int], size_a: int, minhash_b: list[int], size_b: int, *,
                 threshold: float) -> bool:
    """Whether a candidate pair is one story: :func:`counterclaim.syndication.same_story`
    on the two in-process signatures (so batch and ingest confirm by the same rule on the
    same numbers)."""
    from .. import syndication as syn
    a = syn.Signature(syn.signature_from_bytes(struct.pack(f"<{len(minhash_a)}Q", *minhash_a)), size_a)
    b = syn.Signature(syn.signature_from_bytes(struct.pack(f"<{len(minhash_b)}Q", *minhash_b)), size_b)
    return syn.same_story(a, b, threshold)


def confirm_partition(rows: Iterable[Any], *, threshold: float) -> Iterator[tuple[str, str, str | None, str | None]]:
    """Confirm one partition of candidate rows ``(a, b, pa, pb, ma, na, mb, nb)``; yield the
    confirmed ``(a, b, published_a, published_b)``."""
    for a, b, pa, pb, ma, na, mb, nb in rows:
        if confirm_pair(ma, na, mb, nb, threshold=threshold):
            yield a, b, pa, pb


def canonical_key(article_id: str, published: str | None) -> tuple[bool, str, str]:
    """Sort key of the canonical member: earliest published (undated last), then smallest id
    (the rule of :func:`counterclaim.syndication.canonical`)."""
    return (published is None, published or "", article_id)


def clusters_from_pairs(pairs: Iterable[tuple[str, str]],
                        published: dict[str, str | None]) -> dict[str, str]:
    """Group confirmed pairs into clusters; map every member id to its canonical member's id.

    Union-find over the confirmed pairs (transitive: A~B and B~C is one story); the
    canonical member is the earliest published, ties and undated broken by smallest id
    (:func:`canonical_key`). Articles in no pair are not in the result.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    out: dict[str, str] = {}
    for members in groups.values():
        canon = min(members, key=lambda m: canonical_key(m, published.get(m)))
        for m in members:
            out[m] = canon
    return out



#: Spark SQL types of the ledger's row fields (``counterclaim.ledger.ROW_FIELDS``);
#: fields not named here are strings.
LEDGER_TYPES = {"value": "bigint", "value_max": "bigint", "increment": "bigint",
                "running_estimate": "bigint", "counted": "boolean"}
__all__ += ["LEDGER_TYPES", "ledger_ddl", "ledger_table_rows"]


def ledger_ddl(fields: Iterable[str]) -> str:
    """Spark DDL of the ``ledger`` table for the ledger's row fields."""
    return _ddl((f, LEDGER_TYPES.get(f, "string")) for f in fields)


def _cell(kind: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind == "bigint":
        return int(value)
    if kind == "boolean":
        return bool(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def ledger_table_rows(ledger: dict[str, Any], fields: Iterable[str],
                      rows: Iterable[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    """The ledger's own flattened rows (``counterclaim.ledger.ledger_rows``) typed for
    :func:`ledger_ddl`, as tuples in ``fields`` order."""
    names = list(fields)
    for row in rows:
        yield tuple(_cell(LEDGER_TYPES.get(n, "string"), row.get(n)) for n in names)
