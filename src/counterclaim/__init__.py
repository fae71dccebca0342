"""counterclaim: a sourced, geolocated, de-duplicated record of the competing claims in war reporting.

The public API is small and listed in ``__all__``; everything in modules whose name starts
with an underscore is private.
"""
from __future__ import annotations

from ._settings import Settings, get_settings
from .errors import CounterclaimError
from .records import Article, Claim, RawDoc

__version__ = "0.1.0"

__all__ = ["Article", "Claim", "RawDoc", "Settings", "get_settings", "CounterclaimError", "__version__"]
