"""Claims as a GeoJSON FeatureCollection (RFC 7946)."""
from __future__ import annotations

import math
from typing import Any, Iterable

__all__ = ["claims_geojson"]


def _point(g: Any) -> tuple[float, float] | None:
    if not isinstance(g, dict) or g.get("unresolved"):
        return None
    try:
        lat, lon = float(g["lat"]), float(g["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def claims_geojson(claims: Iterable[Any]) -> dict[str, Any]:
    """A FeatureCollection with one Point Feature per claim per resolved place.

    ``claims`` are claim dicts (``Claim.to_dict()``; ``Claim`` objects are converted).
    Each Feature's ``properties`` are the claim's fields without ``geo`` plus ``place``:
    the geo entry the point comes from (name as written, precision, source, score).
    Coordinates are ``[lon, lat]`` rounded to 6 decimals, as RFC 7946 asks. Claims with
    no resolved place are left out and counted in the collection's foreign member
    ``counterclaim`` (``claims``, ``located``, ``unlocated``), so nothing vanishes silently.
    """
    features: list[dict[str, Any]] = []
    total = located = 0
    for c in claims:
        if hasattr(c, "to_dict") and not isinstance(c, dict):
            c = c.to_dict()
        if not isinstance(c, dict):
            continue
        total += 1
        props = {k: v for k, v in c.items() if k != "geo"}
        for k in ("span", "number_span"):
            if isinstance(props.get(k), tuple):
                props[k] = list(props[k])
        n = 0
        for i, g in enumerate(c.get("geo") or []):
            pt = _point(g)
            if pt is None:
                continue
            n += 1
            feat: dict[str, Any] = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(pt[1], 6), round(pt[0], 6)]},
                "properties": {**props, "place": dict(g)},
            }
            if c.get("id"):
                feat["id"] = f"{c['id']}:{i}"
            features.append(feat)
        located += n > 0
    return {"type": "FeatureCollection", "features": features,
            "counterclaim": {"claims": total, "located": located, "unlocated": total - located}}
