"""The command-line interface. Each ``_<stage>.py`` module registers its commands."""
from __future__ import annotations

from ._app import cli, main
from . import _misc  # noqa: F401  (registers commands)
from . import _docs  # noqa: F401
from . import _web  # noqa: F401
# Stage command modules register themselves on import; keep one import per line.
from . import _batch  # noqa: F401
from . import _ledger  # noqa: F401
from . import _ingest  # noqa: F401
from . import _places  # noqa: F401

from . import _claims  # noqa: F401

__all__ = ["cli", "main"]
from . import _demo  # noqa: F401
