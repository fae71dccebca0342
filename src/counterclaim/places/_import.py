"""Import a GeoNames dump (allCountries.zip, AZ.zip, AZ.txt) for wider coverage.

A dump is tab-separated with the standard GeoNames columns (geonameid, name, asciiname,
alternatenames, latitude, longitude, feature class, feature code, country code, cc2,
admin1-4, population, elevation, dem, timezone, modification date). Populated places,
administrative divisions, heights, ranges, passes, roads, regions, rivers and
reservoirs are kept; buildings, vegetation and the like are skipped. Rows go into
``gazetteer-imports.sqlite`` beside the index (same layout), which lookups search
together with the index; re-importing a place replaces it.
"""
from __future__ import annotations

import io
import os
import sqlite3
import zipfile
from pathlib import Path
from typing import IO, Iterator

from .._settings import Settings, get_settings
from ..errors import GazetteerError
from ._gazetteer import IMPORTS_NAME, INDEXES, SCHEMA, _feature_for_population, _name_rows, fold_version

__all__ = ["import_dump", "parse_dump", "ensure_keys", "feature_of"]

_COLUMNS = 19
_MAX_LINE = 1_000_000

#: GeoNames feature codes kept, by class: code -> (feature, precision); "*" = any code of the class.
_CODES: dict[str, dict[str, tuple[str, str]]] = {
    "A": {"PCLI": ("country", "country"), "PCLD": ("country", "country"), "PCLF": ("country", "country"),
          "PCLS": ("country", "country"), "PCLIX": ("region", "region"), "ADM1": ("region", "region"),
          "ADM1H": ("region", "region"), "ADM2": ("district", "district"), "ADM2H": ("district", "district"),
          "ADM3": ("district", "district"), "ADMD": ("district", "district")},
    "T": {"MT": ("height", "exact"), "HLL": ("height", "exact"), "PK": ("height", "exact"), "PKS": ("height", "exact"),
          "HLLS": ("height", "exact"), "RDGE": ("height", "exact"), "SPUR": ("height", "exact"),
          "MTS": ("range", "line"), "PASS": ("pass", "exact"), "VAL": ("area", "near"), "PLAT": ("area", "region")},
    "L": {"RGN": ("region", "region"), "AREA": ("area", "region"), "PRK": ("area", "near")},
    "R": {"RD": ("road", "line"), "RDJCT": ("road", "exact"), "TNL": ("road", "exact")},
    "H": {"STM": ("river", "line"), "RSV": ("reservoir", "exact"), "LK": ("reservoir", "exact")},
}


def feature_of(fclass: str, fcode: str, population: int) -> tuple[str, str] | None:
    """The (feature, precision) a GeoNames feature class/code maps to, or None to skip it."""
    if fclass == "P":
        return _feature_for_population(population), "exact"
    return _CODES.get(fclass, {}).get(fcode)


def _open_text(path: Path) -> Iterator[IO[str]]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if m.filename.endswith(".txt")
                       and not m.filename.lower().startswith(("readme", "iso-languagecodes"))]
            if not members:
                raise GazetteerError(f"{path.name}: the zip holds no GeoNames .txt file")
            member = max(members, key=lambda m: m.file_size)
            with zf.open(member) as fh:
                yield io.TextIOWrapper(fh, encoding="utf-8", errors="replace", newline="\n")
    else:
        with open(path, encoding="utf-8", errors="replace", newline="\n") as fh:
            yield fh


def parse_dump(path: str | os.PathLike) -> Iterator[tuple[tuple, list[str]]]:
    """Yield ``(place row, names)`` for each kept line of a dump; raise GazetteerError if it is not one."""
    p = Path(path)
    if not p.is_file():
        raise GazetteerError(f"{p}: no such file")
    good = bad = 0
    for fh in _open_text(p):
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")[:_MAX_LINE]
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            try:
                if len(cols) < _COLUMNS - 1:
                    raise ValueError("too few columns")
                gid = int(cols[0])
                lat, lon = float(cols[4]), float(cols[5])
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError("coordinates out of range")
                pop = int(cols[14] or 0)
            except ValueError as err:
                bad += 1
                if good == 0 and bad >= 5:
                    raise GazetteerError(f"{p.name}: line {lineno}: not a GeoNames dump ({err})") from None
                continue
            good += 1
            kind = feature_of(cols[6], cols[7], pop)
            if kind is None:
                continue
            feature, precision = kind
            name = cols[1]
            names = [name, cols[2], *[a for a in cols[3].split(",") if a]]
            yield ((gid, name, lat, lon, cols[8] or None, feature, precision, pop,
                    f"GeoNames id {gid} (imported from {p.name})", None, 0), names)
    if good == 0:
        raise GazetteerError(f"{p.name}: no GeoNames rows found")


def _connect(path: Path) -> sqlite3.Connection:
    new = not path.exists()
    con = sqlite3.connect(path, timeout=60)
    if new:
        con.executescript(SCHEMA + INDEXES)
    return con


def import_dump(path: str | os.PathLike, settings: Settings | None = None) -> dict[str, int]:
    """Import a GeoNames dump into the imports database; return counts (places, names, skipped lines)."""
    settings = settings or get_settings()
    target = Path(settings.cache_dir) / IMPORTS_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    places = names = 0
    try:
        con = _connect(target)
        try:
            batch_p: list[tuple] = []
            batch_n: list[tuple] = []

            def flush() -> None:
                ids = [(r[0],) for r in batch_p]
                con.executemany("DELETE FROM names WHERE place = ?", ids)
                con.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", batch_p)
                con.executemany("INSERT INTO names VALUES (?,?,?,?,?,?,?,?)", batch_n)
                batch_p.clear()
                batch_n.clear()

            for row, nm in parse_dump(path):
                batch_p.append(row)
                rows = list(_name_rows(nm, row[0], row[1], min_alt=4))
                batch_n.extend(rows)
                places += 1
                names += len(rows)
                if len(batch_p) >= 5000:
                    flush()
            flush()
            total = con.execute("SELECT COUNT(*) FROM places").fetchone()[0]
            con.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)",
                            [("fold_version", fold_version()), ("places", str(total)),
                             ("last_import", Path(path).name)])
            con.commit()
        finally:
            con.close()
    except sqlite3.Error as err:
        raise GazetteerError(f"cannot write {target}: {err}") from None
    from ._gazetteer import reset_default
    reset_default()
    return {"places": places, "names": names}


def ensure_keys(path: Path) -> None:
    """Re-key an imports database whose keys were made by another folding version."""
    try:
        con = sqlite3.connect(path, timeout=60)
    except sqlite3.Error:
        return
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'fold_version'").fetchone()
        if row and row[0] == fold_version():
            return
        rows = con.execute("SELECT n.raw, n.place, p.name FROM names n JOIN places p ON p.id = n.place").fetchall()
        by_place: dict[int, tuple[str, list[str]]] = {}
        for raw, pid, primary in rows:
            by_place.setdefault(pid, (primary, []))[1].append(raw)
        con.executescript(INDEXES)
        con.execute("DELETE FROM names")
        for pid, (primary, raws) in by_place.items():
            con.executemany("INSERT INTO names VALUES (?,?,?,?,?,?,?,?)", list(_name_rows(raws, pid, primary)))
        con.execute("INSERT OR REPLACE INTO meta VALUES ('fold_version', ?)", (fold_version(),))
        con.commit()
    except sqlite3.Error:
        pass  # read-only location: lookups still work with the old keys
    finally:
        con.close()
