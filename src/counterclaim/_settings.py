"""Settings, declared once.

Every tunable of counterclaim lives in :data:`SETTINGS`: a name, a default, the
environment variable that overrides it and one line of documentation. The CLI's
``--db`` style options override the environment; ``docs/settings.md`` is generated
from this table (``counterclaim settings --markdown``) and a test keeps it true.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["Settings", "get_settings", "SETTING_DOCS"]


def _cache_default() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "counterclaim")


def _opt(default: Any, env: str, doc: str, factory=None):
    meta = {"env": env, "doc": doc}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Settings:
    """All settings with their defaults; build with :func:`get_settings`."""

    db_url: str = _opt("sqlite:///counterclaim.db", "COUNTERCLAIM_DB",
                       "SQLAlchemy database URL (SQLite file or postgresql+psycopg://...).")
    max_input_bytes: int = _opt(20_000_000, "COUNTERCLAIM_MAX_INPUT_BYTES",
                                "Largest single input file or record accepted, in bytes.")
    fetch_timeout: float = _opt(20.0, "COUNTERCLAIM_FETCH_TIMEOUT",
                                "Seconds allowed for one URL fetch (connect + read).")
    fetch_max_bytes: int = _opt(10_000_000, "COUNTERCLAIM_FETCH_MAX_BYTES",
                                "Largest response body fetched from a URL, in bytes.")
    fetch_max_redirects: int = _opt(5, "COUNTERCLAIM_FETCH_MAX_REDIRECTS",
                                    "Most redirects followed for one URL.")
    user_agent: str = _opt("counterclaim/0.1 (+https://github.com/counterclaim/counterclaim; research crawler)",
                           "COUNTERCLAIM_USER_AGENT", "User-Agent header sent with every fetch.")
    allow_private: bool = _opt(False, "COUNTERCLAIM_ALLOW_PRIVATE",
                               "Allow fetching loopback/private/link-local addresses (off: SSRF guard).")
    cache_dir: str = _opt(None, "COUNTERCLAIM_CACHE_DIR",
                          "Where built indexes (the gazetteer) are cached.", factory=_cache_default)
    conflicts_dir: str = _opt("", "COUNTERCLAIM_CONFLICTS_DIR",
                              "Extra directory of conflict YAML files, searched before the bundled ones.")
    token: str = _opt("", "COUNTERCLAIM_TOKEN",
                      "Bearer token required by the web app's writing endpoints (empty: writing disabled).")
    max_request_bytes: int = _opt(2_000_000, "COUNTERCLAIM_MAX_REQUEST_BYTES",
                                  "Largest request body the web app accepts, in bytes.")
    syndication_threshold: float = _opt(0.5, "COUNTERCLAIM_SYNDICATION_THRESHOLD",
                                        "MinHash Jaccard threshold above which two bodies are one story.")

    def with_overrides(self, **kw: Any) -> "Settings":
        """Return a copy with the given non-None values replaced (CLI options)."""
        return replace(self, **{k: v for k, v in kw.items() if v is not None})


def _coerce(kind: type | str, raw: str) -> Any:
    kind = {"int": int, "float": float, "bool": bool, "str": str}.get(kind, kind) if isinstance(kind, str) else kind
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind is int:
        return int(raw.replace("_", ""))
    if kind is float:
        return float(raw)
    return raw


def get_settings(env: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from defaults, then environment variables, then keyword overrides."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for f in fields(Settings):
        name = f.metadata["env"]
        if name in env and env[name] != "":
            try:
                values[f.name] = _coerce(f.type, env[name])
            except ValueError:
                from .errors import SettingsError
                raise SettingsError(f"{name}={env[name]!r} is not a valid {f.type}") from None
    return Settings(**values).with_overrides(**overrides)


def SETTING_DOCS() -> list[dict[str, str]]:
    """One row per setting: name, env, default, doc (for generated docs)."""
    default = Settings()
    return [{"name": f.name, "env": f.metadata["env"], "default": repr(getattr(default, f.name)),
             "doc": f.metadata["doc"]} for f in fields(Settings)]
