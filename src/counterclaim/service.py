"""Library functions behind the ingest-side commands and the web app.

``ingest_sources`` reads inputs, runs the pipeline and stores each article in its
own transaction; ``reextract`` re-runs claims and places over stored text;
``export_claims`` writes stored claims as JSONL, CSV or GeoJSON. Commands and web
handlers stay thin by calling these.
"""
from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable, TextIO

from . import pipeline
from ._settings import Settings, get_settings
from .errors import InputError, StorageError
from .records import SPEC_FIELDS
from .store import Store

__all__ = ["IngestSummary", "ReextractSummary", "ingest_sources", "reextract", "export_claims",
           "EXPORT_FORMATS", "CSV_COLUMNS"]

EXPORT_FORMATS = ("jsonl", "csv", "geojson")
#: columns of the CSV export: ids, the spec fields, then provenance and extras
CSV_COLUMNS = ("id", "article_id", "conflict", *SPEC_FIELDS, "scope", "increment", "confidence",
               "rule", "actor_raw", "span_start", "span_end", "cluster", "article_published", "lat", "lon")

#: progress callback: (status, source, article id or None); status is new, syndicated,
#: unchanged or failed
Progress = Callable[[str, str, "str | None"], None]


@dataclass
class IngestSummary:
    """What an ingest run did. Every input lands in exactly one of the four counts.

    ``new``: stored, a story of its own; ``syndicated``: stored and joined an existing
    story's cluster; ``unchanged``: already stored (the article is not rewritten);
    ``failed``: not stored, with ``failures`` holding ``(input, reason)``.
    ``new_sources`` counts the ``unchanged`` inputs that were a new source of a stored
    article (a byte-identical copy read from another file, URL or record), recorded in
    ``article_sources``.
    """

    new: int = 0
    unchanged: int = 0
    syndicated: int = 0
    failed: int = 0
    claims: int = 0
    new_sources: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        """The closing summary line: ``N new, M unchanged, K syndicated, F failed``; when some
        unchanged inputs were new sources, ``M unchanged (S new source(s) recorded)``."""
        unchanged = f"{self.unchanged} unchanged"
        if self.new_sources:
            unchanged += f" ({self.new_sources} new source{'s' if self.new_sources != 1 else ''} recorded)"
        return f"{self.new} new, {unchanged}, {self.syndicated} syndicated, {self.failed} failed"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["failures"] = [{"input": s, "reason": r} for s, r in self.failures]
        return d


@dataclass
class ReextractSummary:
    """What a re-extraction did: articles visited, claims before and after, failures."""

    articles: int = 0
    claims_before: int = 0
    claims_after: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.articles} articles re-extracted: {self.claims_before} claims before, "
                f"{self.claims_after} after, {len(self.failures)} failed")


def _settings(settings: Settings | None, **overrides: Any) -> Settings:
    return (settings or get_settings()).with_overrides(**overrides)


def ingest_sources(sources: Iterable[str], *, db: str | None = None, format: str = "auto",
                   follow: bool = False, allow_private: bool | None = None, conflict: str | None = None,
                   progress: Progress | None = None, settings: Settings | None = None,
                   workers: int = 1) -> IngestSummary:
    """Read, process and store every input; failures are collected, never raised.

    Each article is committed in its own transaction, so a run killed at any point and
    re-run leaves exactly the rows an uninterrupted run leaves. An article already
    stored is not re-extracted. ``conflict`` forces the conflict dictionary (else each
    article's is detected). ``workers > 1`` processes in a process pool.
    """
    settings = _settings(settings, db_url=db, allow_private=allow_private or None)
    if conflict:
        from .conflicts import load_conflict
        load_conflict(conflict)          # fail fast, once, on an unknown id
    from .ingest import read_sources

    summary = IngestSummary()
    with Store(settings.db_url, settings=settings) as store:
        raws = read_sources(list(sources), format=format, follow=follow, settings=settings)

        def results() -> Iterable[pipeline.Processed | InputError]:
            if workers != 1:
                yield from pipeline.process_many(raws, conflict=conflict, settings=settings, workers=workers)
                return
            for raw in raws:
                if isinstance(raw, InputError):
                    yield raw
                    continue
                try:
                    article = pipeline.prepare(raw, settings=settings)
                    if store.exists(article.id):          # skip extraction of stored articles
                        yield pipeline.Processed(article, [], None, None)
                        continue
                    yield pipeline.analyse(article, conflict=conflict)
                except Exception as err:  # noqa: BLE001 - one bad input never stops a run
                    yield pipeline.as_input_error(err, raw.source)

        for item in results():
            if isinstance(item, InputError):
                summary.failed += 1
                summary.failures.append((item.source or "?", " ".join(str(item).split())))
                if progress:
                    progress("failed", item.source or "?", None)
                continue
            res = store.add(item)
            setattr(summary, res.status, getattr(summary, res.status) + 1)
            summary.claims += res.claims
            summary.new_sources += res.source_added
            if progress:
                progress(res.status, item.article.source, item.article.id)
    return summary


def reextract(db: str | None = None, *, conflict: str | None = None, settings: Settings | None = None,
              progress: Progress | None = None) -> ReextractSummary:
    """Re-run extraction and geolocation over every stored article's cleaned text.

    Each article's claims are replaced in one transaction (never duplicated). With
    ``conflict`` only that conflict's articles are re-extracted, under that conflict's
    dictionary; otherwise each article keeps its stored conflict (or it is detected).
    """
    settings = _settings(settings, db_url=db)
    if conflict:
        from .conflicts import load_conflict
        load_conflict(conflict)
    summary = ReextractSummary()
    with Store(settings.db_url, settings=settings) as store:
        summary.claims_before = store.count_claims(conflict=conflict)
        for article_id in store.article_ids(conflict=conflict):
            row = store.article(article_id)
            try:
                processed = pipeline.analyse(store.article_record(article_id),
                                             conflict=conflict or row.get("conflict"))
            except Exception as err:  # noqa: BLE001 - report and go on
                e = pipeline.as_input_error(err, row["source"])
                summary.failures.append((e.source or article_id, " ".join(str(e).split())))
                if progress:
                    progress("failed", row["source"], article_id)
                continue
            summary.claims_after += store.replace_claims(article_id, processed.claims, processed.extracted_with,
                                                         conflict=processed.conflict)
            summary.articles += 1
            if progress:
                progress("reextracted", row["source"], article_id)
    return summary


def _csv_row(d: dict[str, Any]) -> dict[str, Any]:
    row = {k: d.get(k) for k in CSV_COLUMNS}
    row["places"] = "; ".join(d.get("places") or [])
    span = d.get("span") or [None, None]
    row["span_start"], row["span_end"] = span[0], span[1]
    first = next((g for g in d.get("geo") or [] if g.get("lat") is not None), None)
    row["lat"], row["lon"] = (first["lat"], first["lon"]) if first else (None, None)
    return row


def export_claims(db: str | None = None, fmt: str = "jsonl", *, out: TextIO, conflict: str | None = None,
                  settings: Settings | None = None) -> int:
    """Write every stored claim to ``out`` as ``jsonl``, ``csv`` or ``geojson``; returns the count.

    JSONL lines are claim dicts (``Claim.to_dict()`` + ``cluster`` + ``article_published``),
    scoreable by ``shared/eval/score.py``; CSV has :data:`CSV_COLUMNS`; GeoJSON is
    ``places.claims_geojson`` (one feature per resolved place of a claim).
    """
    if fmt not in EXPORT_FORMATS:
        raise StorageError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    settings = _settings(settings, db_url=db)
    n = 0
    with Store(settings.db_url, settings=settings) as store:
        items = store.iter_claims(conflict=conflict)
        if fmt == "jsonl":
            for d in items:
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
                n += 1
        elif fmt == "csv":
            writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
            writer.writeheader()
            for d in items:
                writer.writerow(_csv_row(d))
                n += 1
        else:
            from .places import claims_geojson
            collected = list(items)
            n = len(collected)
            json.dump(claims_geojson(collected), out, ensure_ascii=False)
            out.write("\n")
    return n
