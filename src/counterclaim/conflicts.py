"""Conflict dictionaries: sides, actors, vocabulary, places and area of one conflict, as data.

A conflict is one YAML file (``data/conflicts/<id>.yaml``; the file's stem is the id every
``--conflict`` option takes). A new conflict needs only a new file: put it in the directory
named by the ``conflicts_dir`` setting (``COUNTERCLAIM_CONFLICTS_DIR``), which is searched
before the bundled dictionaries. Files are validated on load; an invalid file raises
:class:`~counterclaim.errors.ConflictFileError` naming the file, the field and the problem.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ._settings import Settings, get_settings
from .errors import ConflictFileError, UnknownConflict

__all__ = ["Conflict", "Side", "Actor", "load_conflict", "load_conflict_file", "list_conflicts",
           "conflict_paths", "validate_conflict_data", "BUNDLED_DIR"]

BUNDLED_DIR = Path(__file__).resolve().parent / "data" / "conflicts"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")
_CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,15}$")
_ACTOR_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,15}(\.[A-Z][A-Z0-9_]{0,20})?$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KINDS = ("genstaff", "mod", "pres", "gov", "mfa", "media", "milad")


@dataclass(frozen=True)
class Side:
    """A party to the conflict (or a third party): its code and the words that name it."""

    code: str
    name: str
    enemy: str | None = None
    names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    places: tuple[str, ...] = ()       # cities held by the side: "the Kharkiv mayor", "the governor of Belgorod"


@dataclass(frozen=True)
class Actor:
    """A claimant: normalised id (``AZE.MOD``), its side, its kind and the names it goes by."""

    id: str
    side: str
    kind: str
    names: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conflict:
    """One conflict's dictionary, loaded from YAML and validated."""

    id: str
    name: str
    sides: dict[str, Side]
    actors: tuple[Actor, ...]
    area: dict[str, Any]
    periods: tuple[dict[str, Any], ...] = ()
    vocabulary: dict[str, tuple[str, ...]] = field(default_factory=dict)
    places: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()          # towns and cities: "captured Shusha" counts one town
    path: str = ""

    def enemy(self, side: str | None) -> str | None:
        """The opposing belligerent of ``side`` (None for third parties and unknown sides)."""
        s = self.sides.get(side or "")
        return s.enemy if s else None

    def actor(self, actor_id: str) -> Actor | None:
        """The actor with this id, if the dictionary has it."""
        for a in self.actors:
            if a.id == actor_id:
                return a
        return None

    def actor_for(self, side: str, kind: str) -> Actor | None:
        """The first actor of ``side`` with ``kind`` (e.g. the side's defence ministry)."""
        for a in self.actors:
            if a.side == side and a.kind == kind:
                return a
        return None


def _fail(path: str, fieldname: str, problem: str) -> ConflictFileError:
    return ConflictFileError(f"{path}: field '{fieldname}': {problem}")


def _str_list(path: str, fieldname: str, value: Any, *, required: bool = False) -> tuple[str, ...]:
    if value is None:
        if required:
            raise _fail(path, fieldname, "is required")
        return ()
    if not isinstance(value, list):
        raise _fail(path, fieldname, f"must be a list of strings, not {type(value).__name__}")
    out = []
    for i, v in enumerate(value):
        if not isinstance(v, str) or not v.strip():
            raise _fail(path, f"{fieldname}[{i}]", f"must be a non-empty string, not {v!r}")
        out.append(v.strip())
    if required and not out:
        raise _fail(path, fieldname, "must not be empty")
    return tuple(out)


def _req_str(path: str, fieldname: str, d: dict, key: str) -> str:
    v = d.get(key)
    if not isinstance(v, str) or not v.strip():
        raise _fail(path, fieldname, "is required and must be a non-empty string" if v is None
                    else f"must be a non-empty string, not {v!r}")
    return v.strip()


def validate_conflict_data(data: Any, path: str, *, expected_id: str | None = None) -> Conflict:
    """Check a parsed conflict YAML document against the schema and build the :class:`Conflict`.

    Why: a broken dictionary must fail loudly and precisely (file, field, problem) instead of
    silently producing wrong sides. Raises :class:`ConflictFileError`.
    """
    if not isinstance(data, dict):
        raise _fail(path, "(top level)", "must be a mapping")
    allowed = {"provenance", "id", "name", "periods", "sides", "actors", "vocabulary", "places", "towns", "area"}
    for k in data:
        if k not in allowed:
            raise _fail(path, str(k), f"unknown field (allowed: {', '.join(sorted(allowed))})")
    prov = data.get("provenance")
    if not isinstance(prov, dict) or not all(isinstance(prov.get(k), str) and prov.get(k) for k in ("source", "licence", "version")):
        raise _fail(path, "provenance", "must be a mapping with source, licence and version strings")
    cid = _req_str(path, "id", data, "id")
    if not _ID_RE.match(cid):
        raise _fail(path, "id", f"{cid!r} must be lower-case letters, digits, '-' or '_'")
    if expected_id is not None and cid != expected_id:
        raise _fail(path, "id", f"{cid!r} does not match the file name {expected_id!r}")
    name = _req_str(path, "name", data, "name")

    periods = data.get("periods") or []
    if not isinstance(periods, list):
        raise _fail(path, "periods", "must be a list")
    for i, p in enumerate(periods):
        if not isinstance(p, dict) or not isinstance(p.get("name"), str):
            raise _fail(path, f"periods[{i}]", "must be a mapping with a name")
        for k in ("start", "end"):
            v = p.get(k)
            if v is not None and not (isinstance(v, str) and _DATE_RE.match(v)):
                raise _fail(path, f"periods[{i}].{k}", f"must be a YYYY-MM-DD string or null, not {v!r}")

    raw_sides = data.get("sides")
    if not isinstance(raw_sides, list) or len(raw_sides) < 2:
        raise _fail(path, "sides", "must be a list of at least two sides")
    sides: dict[str, Side] = {}
    for i, s in enumerate(raw_sides):
        f = f"sides[{i}]"
        if not isinstance(s, dict):
            raise _fail(path, f, "must be a mapping")
        code = _req_str(path, f + ".code", s, "code")
        if not _CODE_RE.match(code):
            raise _fail(path, f + ".code", f"{code!r} must be upper-case letters/digits (e.g. ARM)")
        if code in sides or code == "OUTLET":
            raise _fail(path, f + ".code", f"{code!r} is duplicated or reserved")
        for k in s:
            if k not in {"code", "name", "enemy", "names", "demonyms", "capitals", "places"}:
                raise _fail(path, f"{f}.{k}", "unknown field")
        sides[code] = Side(code=code, name=_req_str(path, f + ".name", s, "name"), enemy=s.get("enemy"),
                           names=_str_list(path, f + ".names", s.get("names")),
                           demonyms=_str_list(path, f + ".demonyms", s.get("demonyms")),
                           capitals=_str_list(path, f + ".capitals", s.get("capitals")),
                           places=_str_list(path, f + ".places", s.get("places")))
    belligerents = [s for s in sides.values() if s.enemy]
    if len(belligerents) < 2:
        raise _fail(path, "sides", "at least two sides must name their 'enemy'")
    for i, s in enumerate(sides.values()):
        if s.enemy is not None and s.enemy not in sides:
            raise _fail(path, f"sides[{i}].enemy", f"{s.enemy!r} is not a side code of this file")

    raw_actors = data.get("actors")
    if not isinstance(raw_actors, list) or not raw_actors:
        raise _fail(path, "actors", "must be a non-empty list")
    actors: list[Actor] = []
    seen: set[str] = set()
    for i, a in enumerate(raw_actors):
        f = f"actors[{i}]"
        if not isinstance(a, dict):
            raise _fail(path, f, "must be a mapping")
        for k in a:
            if k not in {"id", "side", "kind", "names", "people", "titles", "aliases"}:
                raise _fail(path, f"{f}.{k}", "unknown field")
        aid = _req_str(path, f + ".id", a, "id")
        if not _ACTOR_RE.match(aid):
            raise _fail(path, f + ".id", f"{aid!r} must look like SIDE or SIDE.KIND (e.g. AZE.MOD)")
        if aid in seen:
            raise _fail(path, f + ".id", f"{aid!r} is duplicated")
        seen.add(aid)
        side = _req_str(path, f + ".side", a, "side")
        if side not in sides:
            raise _fail(path, f + ".side", f"{side!r} is not a side code of this file ({', '.join(sides)})")
        kind = _req_str(path, f + ".kind", a, "kind")
        if kind not in KINDS:
            raise _fail(path, f + ".kind", f"{kind!r} is not one of {', '.join(KINDS)}")
        actors.append(Actor(id=aid, side=side, kind=kind, names=_str_list(path, f + ".names", a.get("names")),
                            people=_str_list(path, f + ".people", a.get("people")),
                            titles=_str_list(path, f + ".titles", a.get("titles")),
                            aliases=_str_list(path, f + ".aliases", a.get("aliases"))))

    vocab_raw = data.get("vocabulary") or {}
    if not isinstance(vocab_raw, dict):
        raise _fail(path, "vocabulary", "must be a mapping of metric to a list of words")
    metrics = {"killed", "wounded", "killed_or_wounded", "captured", "missing", "destroyed", "damaged", "seized",
               "territory_captured"}
    vocab: dict[str, tuple[str, ...]] = {}
    for k, v in vocab_raw.items():
        if k not in metrics:
            raise _fail(path, f"vocabulary.{k}", f"is not a metric ({', '.join(sorted(metrics))})")
        vocab[k] = _str_list(path, f"vocabulary.{k}", v)

    places = _str_list(path, "places", data.get("places"))
    area = data.get("area")
    if not isinstance(area, dict):
        raise _fail(path, "area", "is required: a mapping with countries and bbox")
    countries = area.get("countries")
    if not isinstance(countries, list) or not countries or not all(isinstance(c, str) and re.fullmatch(r"[A-Z]{2}", c) for c in countries):
        raise _fail(path, "area.countries", "must be a non-empty list of ISO 3166 alpha-2 codes")
    bbox = area.get("bbox")
    if (not isinstance(bbox, list) or len(bbox) != 4
            or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in bbox)):
        raise _fail(path, "area.bbox", "must be [min_lon, min_lat, max_lon, max_lat] numbers")
    if not (-180 <= bbox[0] < bbox[2] <= 180 and -90 <= bbox[1] < bbox[3] <= 90):
        raise _fail(path, "area.bbox", f"{bbox} is not a valid [min_lon, min_lat, max_lon, max_lat] box")
    return Conflict(id=cid, name=name, sides=sides, actors=tuple(actors),
                    area={"countries": list(countries), "bbox": [float(x) for x in bbox]},
                    periods=tuple(periods), vocabulary=vocab, places=places,
                    towns=_str_list(path, "towns", data.get("towns")), path=path)


def load_conflict_file(path: str | Path) -> Conflict:
    """Load and validate one conflict YAML file (its stem must equal its ``id``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as err:
        raise ConflictFileError(f"{p}: cannot be read ({err.strerror or err})") from None
    except UnicodeDecodeError:
        raise ConflictFileError(f"{p}: is not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConflictFileError(f"{p}: field '(yaml)': not valid YAML{where}") from None
    return validate_conflict_data(data, str(p), expected_id=p.stem)


def _dirs(settings: Settings | None) -> list[Path]:
    if settings is None:        # the environment's settings: cached per value of the one variable that matters
        env = os.environ.get("COUNTERCLAIM_CONFLICTS_DIR", "")
        got = _ENV_DIRS.get(env)
        if got is None:
            got = _ENV_DIRS[env] = _dirs(get_settings())
            if len(_ENV_DIRS) > 16:
                _ENV_DIRS.clear()
        return list(got)
    out = []
    if settings.conflicts_dir:
        for part in str(settings.conflicts_dir).split(":"):
            if part:
                out.append(Path(part))
    out.append(BUNDLED_DIR)
    return out


_ENV_DIRS: dict[str, list[Path]] = {}


def _scan(dirs: list[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in dirs:
        if d.is_dir():
            for p in sorted(d.glob("*.yaml")):
                found.setdefault(p.stem, p)
    return found


def conflict_paths(settings: Settings | None = None) -> dict[str, Path]:
    """Conflict id -> YAML path, extra directories first (they shadow bundled files)."""
    return _scan(_dirs(settings))


#: (directory, mtime_ns, inode) of every searched directory -> id -> path. Adding, removing or renaming
#: a file changes its directory's mtime, so a changed directory is globbed again; an unchanged one is
#: only stat'ed (extraction calls ``load_conflict`` once per article).
_PATHS_CACHE: dict[tuple, dict[str, Path]] = {}


def _dir_stamp(dirs: list[Path]) -> tuple:
    out = []
    for d in dirs:
        try:
            st = os.stat(d)
            out.append((str(d), st.st_mtime_ns, st.st_ino))
        except OSError:
            out.append((str(d), None, None))
    return tuple(out)


def _cached_paths(dirs: list[Path], *, rescan: bool = False) -> dict[str, Path]:
    key = _dir_stamp(dirs)
    got = None if rescan else _PATHS_CACHE.get(key)
    if got is None:
        got = _scan(dirs)
        if len(_PATHS_CACHE) > 16:
            _PATHS_CACHE.clear()
        _PATHS_CACHE[key] = got
    return got


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int) -> Conflict:
    return load_conflict_file(path)


def _stat(p: Path | None) -> os.stat_result | None:
    if p is None:
        return None
    try:
        return os.stat(p)
    except OSError:
        return None


def load_conflict(id: str | Path, *, settings: Settings | None = None) -> Conflict:
    """The validated conflict with this id (or from this YAML path); cached per file version.

    Cheap when repeated (once per article): the directory listing is cached per directory
    version and the file is parsed again only when its mtime or size changes.
    """
    if isinstance(id, Path) or str(id).endswith((".yaml", ".yml")):
        p = Path(id)
        if not p.is_file():
            raise UnknownConflict(f"no conflict file {p}")
        st = p.stat()
        return _load_cached(str(p), st.st_mtime_ns, st.st_size)
    dirs = _dirs(settings)
    paths = _cached_paths(dirs)
    p = paths.get(str(id))
    st = _stat(p)
    if st is None:          # unknown or gone: the listing may be stale (coarse directory mtimes), look again
        paths = _cached_paths(dirs, rescan=True)
        p = paths.get(str(id))
        if p is None:
            raise UnknownConflict(f"unknown conflict {id!r} (known: {', '.join(sorted(paths)) or 'none'})")
        st = p.stat()
    return _load_cached(str(p), st.st_mtime_ns, st.st_size)


def list_conflicts(settings: Settings | None = None) -> list[str]:
    """The ids of every conflict dictionary found (bundled and extra directories)."""
    return sorted(conflict_paths(settings))
