"""The per-record pipeline: ``RawDoc -> Processed(article, claims)``.

``process`` is ``prepare`` (decode, extract main text, clean, metadata) then
``extract`` (claims) then ``geolocate`` (places), with the conflict given or
detected. It is pure and works on one record, so the same function runs in-process
(``counterclaim ingest``), in a process pool (``process_many(..., workers=N)``) and
inside Spark ``mapPartitions``. Stage modules are imported at call time (their
dictionaries and gazetteer are loaded once per process by the stages themselves).
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ._settings import Settings
from .errors import InputError, NotEnglish, ProcessingError
from .records import Article, Claim, RawDoc

__all__ = ["Processed", "prepare", "as_input_error", "process", "analyse", "process_many"]


@dataclass
class Processed:
    """One article and its claims (with places resolved), as the pipeline made them.

    ``conflict`` is the conflict the claims were read under (given or detected);
    ``extracted_with`` the extractor version (stored with the article so stale claims
    can be found and re-extracted).
    """

    article: Article
    claims: list[Claim] = field(default_factory=list)
    conflict: str | None = None
    extracted_with: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (crosses process and Spark boundaries)."""
        return {"article": self.article.to_dict(), "claims": [c.to_dict() for c in self.claims],
                "conflict": self.conflict, "extracted_with": self.extracted_with}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Processed":
        return cls(Article.from_dict(d["article"]), [Claim.from_dict(c) for c in d.get("claims", [])],
                   d.get("conflict"), d.get("extracted_with"))


# -- the stages (module-level so tests can monkeypatch them) ---------------------------
def _prepare(raw: RawDoc, settings: Settings | None) -> Article:
    from .ingest import prepare
    return prepare(raw, settings=settings)


def _detect_conflict(article: Article) -> str | None:
    from .claims import detect_conflict
    return detect_conflict(article)


def _extract(article: Article, conflict: str | None) -> list[Claim]:
    from .claims import extract
    return extract(article, conflict=conflict)


def _geolocate(found: list[Claim], article: Article, conflict: str | None) -> list[Claim]:
    from .places import geolocate
    return geolocate(found, article=article, conflict=conflict)


def _extractor_version() -> str | None:
    from .claims import EXTRACTOR_VERSION
    return EXTRACTOR_VERSION


def prepare(raw: RawDoc, *, settings: Settings | None = None) -> Article:
    """The ingest stage alone: a RawDoc as a cleaned Article (raises InputError subclasses)."""
    return _prepare(raw, settings)


def analyse(article: Article, *, conflict: str | None = None) -> Processed:
    """Claims with places for an already prepared article (ingest and re-extraction).

    An article the extractor declines as not English is kept, with no claims.
    """
    conflict = conflict or _detect_conflict(article)
    try:
        found = _extract(article, conflict)
    except NotEnglish:
        found = []
    if found:
        found = _geolocate(found, article, conflict)
    for c in found:
        if not c.article_id:
            c.article_id = article.id
    return Processed(article, found, conflict, _extractor_version())


def process(raw: RawDoc, *, conflict: str | None = None, settings: Settings | None = None) -> Processed:
    """``prepare -> extract -> geolocate`` for one input; raises InputError subclasses."""
    return analyse(_prepare(raw, settings), conflict=conflict)


def as_input_error(err: Exception, source: str) -> InputError:
    """An exception raised while processing ``source`` as the InputError to report.

    Expected failures keep their class; an unexpected exception (a stage bug) becomes
    :class:`~counterclaim.errors.ProcessingError` so one bad input never stops a run
    (set ``COUNTERCLAIM_DEBUG=1`` to let it propagate with its traceback).
    """
    if isinstance(err, InputError):
        if err.source is None:
            err.source = source
        return err
    if os.environ.get("COUNTERCLAIM_DEBUG"):
        raise err
    msg = " ".join(str(err).split())[:200]
    return ProcessingError(f"internal error while processing: {type(err).__name__}: {msg}", source=source)


def _safe(raw: RawDoc, conflict: str | None, settings: Settings | None) -> Processed | InputError:
    try:
        return process(raw, conflict=conflict, settings=settings)
    except Exception as err:  # noqa: BLE001 - see as_input_error
        return as_input_error(err, raw.source)


def _safe_dict(args: tuple[RawDoc, str | None, Settings | None]) -> dict[str, Any]:
    # errors cross the process boundary as data: exceptions pickle without ``source``
    out = _safe(*args)
    if isinstance(out, InputError):
        return {"error": type(out), "message": str(out), "source": out.source}
    return out.to_dict()


def _from_pool(out: dict[str, Any]) -> Processed | InputError:
    if "error" in out:
        return out["error"](out["message"], source=out["source"])
    return Processed.from_dict(out)


def process_many(raws: Iterable[RawDoc | InputError], *, conflict: str | None = None,
                 settings: Settings | None = None, workers: int = 1,
                 chunksize: int = 8) -> Iterator[Processed | InputError]:
    """Process many inputs in order, yielding each one's Processed or its InputError.

    An InputError in the input stream (a reader's failure) is passed through, so one
    bad input never stops a run. ``workers > 1`` uses a process pool (``0``: all
    cores); results come back in input order either way.
    """
    if workers == 0:
        workers = os.cpu_count() or 1
    if workers <= 1:
        for raw in raws:
            yield raw if isinstance(raw, InputError) else _safe(raw, conflict, settings)
        return
    pending: list[RawDoc | InputError] = []

    def run(pool: ProcessPoolExecutor, chunk: list[RawDoc | InputError]) -> Iterator[Processed | InputError]:
        docs = [(r, conflict, settings) for r in chunk if not isinstance(r, InputError)]
        results = iter(pool.map(_safe_dict, docs, chunksize=chunksize))
        for r in chunk:
            if isinstance(r, InputError):
                yield r
            else:
                yield _from_pool(next(results))

    with ProcessPoolExecutor(max_workers=workers) as pool:
        for raw in raws:
            pending.append(raw)
            if len(pending) >= workers * chunksize * 4:
                yield from run(pool, pending)
                pending = []
        if pending:
            yield from run(pool, pending)
