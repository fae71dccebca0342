"""The command-line interface. Each ``_<stage>.py`` module registers its commands."""
from __future__ import annotations

from ._app import cli, main
from . import _misc  # noqa: F401  (registers commands)
# Stage command modules register themselves on import; keep one import per line.

__all__ = ["cli", "main"]
