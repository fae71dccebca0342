"""The web app and JSON API (``counterclaim serve``): see ``docs/web.md``."""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
