"""counterclaim: a sourced, geolocated, de-duplicated record of the competing claims in war reporting.

The public API is small and listed in ``__all__``; modules and names that start with an
underscore are private. Stage functions are imported lazily so that ``import counterclaim``
stays cheap (a Spark executor or a process-pool worker pays only for what it uses).

    >>> from counterclaim import read_sources, process
    >>> for raw in read_sources(["article.txt"]):
    ...     result = process(raw)          # Article + its claims, places resolved
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from ._settings import Settings, get_settings
from .errors import CounterclaimError
from .records import Article, Claim, RawDoc

__version__ = "0.1.0"

#: public name -> module that defines it (imported on first use)
_LAZY = {
    "read_sources": "ingest", "prepare": "ingest",
    "extract": "claims", "detect_conflict": "claims",
    "load_conflict": "conflicts", "list_conflicts": "conflicts",
    "geocode": "places", "geolocate": "places", "claims_geojson": "places",
    "process": "pipeline", "process_many": "pipeline",
    "Store": "store",
    "ingest_sources": "service", "reextract": "service", "export_claims": "service",
    "build_ledger": "ledger", "write_report": "report",
    "create_app": "web",
    "run_batch": "batch", "load_batch": "batch",
}

__all__ = ["Article", "Claim", "RawDoc", "Settings", "get_settings", "CounterclaimError", "__version__",
           *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'counterclaim' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
