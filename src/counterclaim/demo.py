"""The main job on the bundled sample corpus: ingest, extract, then summarise and line up the claims.

``make demo`` calls :func:`run_demo` through ``counterclaim demo``; it is the same path a user
takes with ``counterclaim ingest`` then ``counterclaim ledger``, composed once.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._settings import Settings, get_settings
from .errors import InputError

__all__ = ["DemoResult", "run_demo", "DEFAULT_CORPUS"]

#: The sample corpus, relative to a checkout of the repository.
DEFAULT_CORPUS = Path("examples") / "corpus"


@dataclass
class DemoResult:
    """What the demo stored and the ledger it built."""

    summary: Any                      # service.IngestSummary
    stats: dict[str, Any]
    claims_by_metric: Counter = field(default_factory=Counter)
    claims_by_claimant_side: Counter = field(default_factory=Counter)
    ledgers: dict[str, dict[str, Any]] = field(default_factory=dict)   # conflict id -> ledger


def run_demo(*, db: str | None = None, corpus: str | Path = DEFAULT_CORPUS,
             settings: Settings | None = None) -> DemoResult:
    """Ingest ``corpus`` into ``db`` (idempotent), then build each conflict's ledger from the stored claims."""
    from .ledger import build_ledger, load_claims_db
    from .service import ingest_sources
    from .store import Store

    settings = (settings or get_settings()).with_overrides(db_url=db)
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise InputError(f"sample corpus not found (run from a checkout of the repository)", source=str(corpus))
    summary = ingest_sources([str(corpus)], settings=settings)
    with Store(settings.db_url, settings=settings) as store:
        stats = store.stats()
    claims = load_claims_db(settings.db_url)
    result = DemoResult(summary=summary, stats=stats)
    for c in claims:
        result.claims_by_metric[c["metric"]] += 1
        result.claims_by_claimant_side[c["claimant_side"]] += 1
    for conflict in sorted({c.get("conflict") for c in claims if c.get("conflict")}):
        result.ledgers[conflict] = build_ledger(claims, conflict=conflict)
    return result
