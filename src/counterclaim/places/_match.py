"""Matching a place mention to gazetteer candidates, and scoring them.

A mention is read in its forms first (``near X``, ``X district``, ``X height``,
``the X-Y road`` ...), then each core name is looked up in tiers of decreasing
strictness: the folded name, the romanisation-variant key, the consonant skeleton
(kept only when the variant keys are similar), and a bounded fuzzy fallback (edit
distance 1, or 2 for long names, among keys with the same first letter and a similar
length). Candidates are then scored:

- the tier (primary name > alternate name > variant > skeleton > fuzzy);
- the conflict's area (countries and bbox from ``counterclaim.conflicts``) and theatre
  (the curated file's ``theatre`` bbox), and the conflict's own curated entries;
- the other places of the same article (``context``): candidates near them win;
- the feature class the form asks for (``X height`` wants a height), then population.

Nothing here raises on odd text: an empty, overlong or unreadable mention has no
candidates.
"""
from __future__ import annotations

import difflib
import math
import os
import re
from functools import lru_cache
from typing import Any, Iterable, Sequence

from .._settings import Settings
from ..errors import UnknownConflict
from ._fold import MAX_NAME_CHARS, keys
from ._gazetteer import Gazetteer, Place, haversine_km, open_default, theatres

__all__ = ["geocode", "geocode_with", "resolve_area", "parse_forms", "Area", "MIN_SCORE", "levenshtein_within",
           "clear_cache"]

#: Candidates scoring below this are not accepted as a resolution by ``geolocate``.
MIN_SCORE = 0.5

Area = tuple[frozenset[str] | None, tuple[float, float, float, float] | None,
             tuple[float, float, float, float] | None, str | None]

_CTRL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACE = re.compile(r"\s+")
_DASH = r"[-\u2010-\u2015\u2212]"

_ADMIN_WORDS = {"district": "district", "districts": "district", "rayon": "district", "raion": "district",
                "rayons": "district", "county": "district", "municipality": "district", "hromada": "district",
                "region": "region", "regions": "region", "oblast": "region", "province": "region",
                "marz": "region", "governorate": "region", "krai": "region", "republic": "region",
                "area": "district", "areas": "district", "direction": "near", "sector": "near",
                "front": "near", "axis": "near", "outskirts": "near", "suburbs": "near"}
_HEIGHT_WORDS = {"height", "heights", "hill", "hills", "mount", "mountain", "mountains", "peak", "range",
                 "ridge", "pass", "heights", "summit", "massif"}
_SETTLEMENT_WORDS = {"village", "town", "city", "settlement", "hamlet", "township"}
_ROAD_WORDS = {"road", "highway", "route", "motorway", "roadway", "corridor", "railway", "line"}
_NEAR_PREFIX = re.compile(
    r"^(?:near|nearby|around|outside|close to|outskirts of|the outskirts of|the vicinity of|vicinity of|"
    r"(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern|ward)?(?: of)?)|(?:[\d.,]+ ?km (?:\w+ )?of))\s+",
    re.I)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_OF_PREFIX = re.compile(r"^(?:village|town|city|settlement|district|region|province|oblast|height|heights|hill|"
                        r"mount|mountain|peak|pass|ridge|area)s?\s+(?:of\s+)?", re.I)


def _clean(text: str) -> str:
    text = _CTRL.sub(" ", text)
    text = _SPACE.sub(" ", text).strip(" \t.,;:!?\"()[]{}«»“”")
    if text.endswith(("'s", "’s")):
        text = text[:-2]
    return text


def parse_forms(text: str) -> list[tuple[str, frozenset[str] | None, str | None, str]]:
    """Read a mention into interpretations ``(core name, wanted features, precision, form)``.

    The first interpretation is always the whole (cleaned) mention; forms add the core
    name with the features it asks for and the precision the form implies (``near``,
    ``district``, ``region``) or ``"line:X|Y"`` for a road between two places.
    """
    out: list[tuple[str, frozenset[str] | None, str | None, str]] = []
    t = _ARTICLE.sub("", _clean(text))
    if not t:
        return out
    out.append((t, None, None, "name"))
    m = _NEAR_PREFIX.match(t)
    if m and len(t) > m.end():
        for core, feats, prec, form in parse_forms(t[m.end():]):
            out.append((core, feats, "near" if prec in (None, "exact") else prec, "near"))
        return out
    words = t.split(" ")
    last = words[-1].lower()
    first = words[0].lower()
    if len(words) >= 2 and last in _ROAD_WORDS:
        body = " ".join(words[:-1])
        parts = re.split(rf"\s*{_DASH}\s*|\s+to\s+", body)
        parts = [p for p in (_ARTICLE.sub("", x).strip() for x in parts) if p]
        if len(parts) == 2:
            out.append((f"{parts[0]}|{parts[1]}", frozenset({"road", "corridor"}), "line", "line"))
        elif len(parts) == 1:
            out.append((parts[0], None, "near", "road-near"))
        return out
    if len(words) >= 2 and last in _ADMIN_WORDS:
        prec = _ADMIN_WORDS[last]
        core = " ".join(words[:-1])
        feats = frozenset({"district", "region"}) if prec != "near" else None
        out.append((core, feats, prec, "admin"))
        return out
    if len(words) >= 2 and last in _HEIGHT_WORDS:
        core = " ".join(words[:-1])
        out.append((core, frozenset({"height", "range", "pass"}), None, "height"))
        return out
    if len(words) >= 2 and last in _SETTLEMENT_WORDS:
        out.append((" ".join(words[:-1]), frozenset({"village", "town", "city"}), None, "settlement"))
        return out
    parts = [x.strip() for x in re.split(rf"\s*{_DASH}\s*", t)]
    if len(parts) == 2 and all(len(x) >= 3 for x in parts) and len(words) <= 6:
        # "Vardenis-Martakert": two places joined by a dash, read as the line between them
        # (only used when the whole mention is not itself a gazetteer name)
        out.append((f"{parts[0]}|{parts[1]}", frozenset({"road", "corridor"}), "line", "line"))
        return out
    m = _OF_PREFIX.match(t)
    if m and len(t) > m.end():
        core = t[m.end():]
        if first in _SETTLEMENT_WORDS:
            out.append((core, frozenset({"village", "town", "city"}), None, "settlement"))
        elif first.rstrip("s") in {"district", "region", "province", "oblast", "area"}:
            prec = "district" if first.startswith(("district", "area")) else "region"
            out.append((core, frozenset({"district", "region"}), prec, "admin"))
        else:
            out.append((core, frozenset({"height", "range", "pass"}), None, "height"))
    return out


# ---------------------------------------------------------------- area

@lru_cache(maxsize=64)
def _conflict_area(conflict: str) -> tuple[frozenset[str] | None, tuple | None, tuple | None]:
    theatre = theatres().get(conflict)
    countries: frozenset[str] | None = None
    bbox: tuple | None = None
    try:
        from ..conflicts import load_conflict  # written by the claims engineer
    except ImportError:
        load_conflict = None
    if load_conflict is not None:
        try:
            area = getattr(load_conflict(conflict), "area", None) or {}
        except UnknownConflict:
            if theatre is None:
                raise
            area = {}
        if area.get("countries"):
            countries = frozenset(str(c).upper() for c in area["countries"])
        if area.get("bbox") and len(area["bbox"]) == 4:
            bbox = tuple(float(v) for v in area["bbox"])
    elif theatre is None:
        raise UnknownConflict(f"unknown conflict {conflict!r}")
    return countries, bbox, tuple(theatre) if theatre else None


def resolve_area(conflict: str | None = None, countries: Iterable[str] | None = None,
                 bbox: Sequence[float] | None = None) -> Area:
    """The area that disambiguates: ``(countries, bbox, theatre, conflict)``.

    The conflict's area comes from ``counterclaim.conflicts.load_conflict(id).area``
    and its theatre from the curated gazetteer; explicit ``countries``/``bbox`` override.
    Raises UnknownConflict for a conflict id nobody knows.
    """
    c_countries: frozenset[str] | None = None
    c_bbox: tuple | None = None
    theatre: tuple | None = None
    if conflict:
        c_countries, c_bbox, theatre = _conflict_area(conflict)
    if countries:
        c_countries = frozenset(str(c).upper() for c in countries)
    if bbox:
        c_bbox = tuple(float(v) for v in bbox)  # type: ignore[assignment]
    return c_countries, c_bbox, theatre, conflict or None


def _in_bbox(lat: float, lon: float, bbox: tuple | None) -> bool:
    return bbox is not None and bbox[1] <= lat <= bbox[3] and bbox[0] <= lon <= bbox[2]


# ---------------------------------------------------------------- fuzzy

def levenshtein_within(a: str, b: str, k: int) -> int | None:
    """Edit distance of ``a`` and ``b`` if it is at most ``k``, else None (banded, early exit)."""
    if abs(len(a) - len(b)) > k:
        return None
    if a == b:
        return 0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        lo = max(1, i - k)
        hi = min(len(b), i + k)
        if lo > 1:
            cur[lo - 1] = k + 1
        best = cur[0] if lo == 1 else k + 1
        for j in range(lo, hi + 1):
            cost = 0 if ca == b[j - 1] else 1
            v = min(prev[j] + 1 if j <= i - 1 + k else k + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            cur[j] = v
            if v < best:
                best = v
        if hi < len(b):
            cur[hi + 1:] = [k + 1] * (len(b) - hi)
        if best > k:
            return None
        prev = cur
    return prev[-1] if prev[-1] <= k else None


# ---------------------------------------------------------------- candidates

def _inside(p: Place, area: Area) -> bool:
    countries, bbox, _theatre, _c = area
    if countries is None and bbox is None:
        return True
    return (countries is not None and p.country in countries) or _in_bbox(p.lat, p.lon, bbox)


def _tiers(g: Gazetteer, core: str, fuzzy: bool, area: Area) -> list[tuple[Place, float, str]]:
    """Candidates of one core name with their tier score and the key they matched."""
    f, v, s = keys(core)
    if not f or len(v) < 2:
        return []
    found: dict[str, tuple[Place, float, str]] = {}

    def add(p: Place, score: float, how: str) -> None:
        old = found.get(p.id)
        if old is None or old[1] < score:
            found[p.id] = (p, score, how)

    for p, _vk, kind in g.by_key(f):
        add(p, 1.0 if kind == 0 else 0.97, "name")
    # the looser tiers only for keys that kept most of the name (not "zzzqqq" -> "zg")
    if len(v) < 3 or len(v) < 0.6 * len(f.replace(" ", "")):
        return list(found.values())
    for p, vk, kind in g.by_vkey(v):
        add(p, 0.88 if kind == 0 else 0.85, "variant")
    # looser tiers only when no name or variant matched inside the area
    exact = any(_inside(p, area) for p, _s, _h in found.values())
    named = bool(found)  # a name or variant matched somewhere: no fuzzy guessing then
    theatre = area[2]
    if not exact and (len(s) >= 3 or len(v) >= 4):
        for p, vk, kind in g.by_skeleton(s):
            if p.id in found or abs(len(vk) - len(v)) > 3:
                continue
            sim = difflib.SequenceMatcher(None, v, vk).ratio()
            if sim >= 0.75:
                add(p, 0.35 + 0.3 * sim, "skeleton")
    if not named and fuzzy and len(v) >= 5:
        k = 1 if len(v) < 8 else 2
        near: set[str] = set()
        for vk, _n in (g.bucket(v[:2], len(v) - k, len(v) + k) if not any(_inside(p, area) for p, _s, _h in found.values()) else ()):
            d = levenshtein_within(v, vk, k)
            if d is not None and d > 0:
                near.add(vk)
                for p, _vk, kind in g.by_vkey(vk):
                    add(p, 0.62 - 0.06 * d, "fuzzy")
        if theatre is not None:  # the conflict's theatre: a first-letter slip is allowed (same ending)
            for vk, _n in g.in_bbox(theatre, len(v) - k, len(v) + k, v[-2:]):
                if vk in near:
                    continue
                d = levenshtein_within(v, vk, k)
                if d is not None and d > 0:
                    for p, _vk, kind in g.by_vkey(vk):
                        add(p, 0.62 - 0.06 * d, "fuzzy")
    return list(found.values())


_POP_W = 0.02


def _score(p: Place, base: float, area: Area, feats: frozenset[str] | None,
           ctx: tuple[tuple[float, float], ...]) -> float:
    countries, bbox, theatre, conflict = area
    s = base
    if countries is not None or bbox is not None:
        inside = ((countries is not None and p.country in countries) or _in_bbox(p.lat, p.lon, bbox))
        s += 0.12 if inside else -0.15
        if bbox is not None and countries is not None and inside and _in_bbox(p.lat, p.lon, bbox):
            s += 0.05
    if theatre is not None and _in_bbox(p.lat, p.lon, theatre):
        s += 0.1
    if conflict and p.conflict == conflict:
        s += 0.1
    elif p.curated:
        s += 0.03
    if feats is not None:
        s += 0.15 if p.feature in feats else -0.05
    elif p.feature == "country":
        s += 0.02
    if ctx:
        d = min(haversine_km(p.lat, p.lon, la, lo) for la, lo in ctx)
        s += 0.25 if d < 30 else 0.15 if d < 100 else 0.05 if d < 300 else -0.05
    s += min(0.14, _POP_W * math.log10(p.population + 1))
    return s


def _as_dict(p: Place, score: float, how: str, precision: str | None = None, **extra: Any) -> dict[str, Any]:
    d = {"name": p.name, "lat": round(p.lat, 6), "lon": round(p.lon, 6), "country": p.country,
         "precision": precision or p.precision, "feature": p.feature, "source": p.source,
         "score": round(max(0.0, min(1.0, score)), 3), "match": how, "id": p.id}
    d.update(extra)
    return d


def _ranked(g: Gazetteer, core: str, area: Area, feats: frozenset[str] | None,
            ctx: tuple[tuple[float, float], ...], fuzzy: bool = True) -> list[tuple[float, Place, str]]:
    scored = [(_score(p, base, area, feats, ctx) - (0.2 if how in ("skeleton", "fuzzy") and not _inside(p, area) else 0.0),
               p, how) for p, base, how in _tiers(g, core, fuzzy, area)]
    scored.sort(key=lambda t: (-t[0], -t[1].population, t[1].id))
    # the same place from two sources (a curated entry and its GeoNames row): keep the best one
    kept: list[tuple[float, Place, str]] = []
    for s, p, how in scored:
        if any(haversine_km(p.lat, p.lon, q.lat, q.lon) < 3 and (p.feature == q.feature or p.curated != q.curated)
               for _, q, _ in kept):
            continue
        kept.append((s, p, how))
    return kept


def _line(g: Gazetteer, core: str, area: Area, ctx: tuple[tuple[float, float], ...],
          raw: str) -> dict[str, Any] | None:
    a, b = core.split("|", 1)
    ra = _ranked(g, a, area, None, ctx)
    if not ra:
        return None
    pa = ra[0][1]
    rb = _ranked(g, b, area, None, ctx + ((pa.lat, pa.lon),))
    if not rb:
        return None
    pb = rb[0][1]
    if haversine_km(pa.lat, pa.lon, pb.lat, pb.lon) > 1500:
        return None
    lat, lon = (pa.lat + pb.lat) / 2, (pa.lon + pb.lon) / 2
    score = min(ra[0][0], rb[0][0]) * 0.9
    country = pa.country if pa.country == pb.country else None   # a line across a border has no one country
    return {"name": raw, "lat": round(lat, 6), "lon": round(lon, 6), "country": country,
            "countries": sorted({c for c in (pa.country, pb.country) if c}),
            "precision": "line", "feature": "road",
            "source": f"midpoint of {pa.name} ({pa.source}) and {pb.name} ({pb.source})",
            "score": round(max(0.0, min(1.0, score)), 3), "match": "line", "id": f"line:{pa.id}:{pb.id}"}


def _lookup(g: Gazetteer, text: str, area: Area, ctx: tuple[tuple[float, float], ...],
            limit: int) -> list[dict[str, Any]]:
    forms = parse_forms(text)
    if not forms:
        return []
    results: list[tuple[float, dict[str, Any]]] = []
    seen: set[str] = set()
    whole_matched = False
    for i, (core, feats, prec, form) in enumerate(forms):
        if form == "line":
            d = _line(g, core, area, ctx, forms[0][0])
            if d is not None and not whole_matched:
                results.insert(0, (d["score"] + 0.5, d))
            continue
        ranked = _ranked(g, core, area, feats, ctx, fuzzy=(i > 0 or len(forms) == 1))
        if i == 0:
            whole_matched = any(how in ("name", "variant") for _, _, how in ranked)
        # a reading of a form loses to a gazetteer entry that has the whole mention as a name
        penalty = 0.0 if i == 0 else 0.15 if whole_matched else 0.02
        for s, p, how in ranked:
            if p.id in seen:
                continue
            seen.add(p.id)
            precision = p.precision
            if prec == "near" and precision == "exact":
                precision = "near"
            elif prec in ("district", "region") and p.feature not in ("district", "region", "country"):
                precision = prec
            results.append((s - penalty, _as_dict(p, s - penalty, how, precision)))
    results.sort(key=lambda t: -t[0])
    return [d for _, d in results[:limit]]


# ---------------------------------------------------------------- public

_CTX_ROUND = 3


_REGISTRY: dict[str, Gazetteer] = {}


@lru_cache(maxsize=16384)   # keyed by article context too: bounded so memory stays flat on long runs
def _cached(key: str, text: str, area: Area, ctx: tuple[tuple[float, float], ...],
            limit: int) -> tuple[tuple[tuple[str, Any], ...], ...]:
    return tuple(tuple(d.items()) for d in _lookup(_REGISTRY[key], text, area, ctx, limit))


def clear_cache() -> None:
    """Forget cached lookups (after an import or a rebuild changed the gazetteer)."""
    _cached.cache_clear()
    _fast.cache_clear()
    _REGISTRY.clear()


def _context_points(g: Gazetteer, context: Iterable[Any], area: Area) -> tuple[tuple[float, float], ...]:
    pts: list[tuple[float, float]] = []
    for c in list(context)[:50]:
        try:
            if isinstance(c, str):
                best = geocode_with(g, c, area, (), 1)
                if best and best[0]["score"] >= 0.9 and best[0]["precision"] in ("exact", "near", "district"):
                    pts.append((best[0]["lat"], best[0]["lon"]))
            elif isinstance(c, dict) and "lat" in c and "lon" in c:
                pts.append((float(c["lat"]), float(c["lon"])))
            elif isinstance(c, (tuple, list)) and len(c) == 2:
                pts.append((float(c[0]), float(c[1])))
        except (TypeError, ValueError):
            continue
    return tuple(sorted({(round(a, _CTX_ROUND), round(b, _CTX_ROUND)) for a, b in pts
                         if -90 <= a <= 90 and -180 <= b <= 180}))


def geocode_with(g: Gazetteer, name: Any, area: Area, ctx: tuple[tuple[float, float], ...],
                 limit: int) -> list[dict[str, Any]]:
    """Candidates for ``name`` from gazetteer ``g`` (LRU-cached on the cleaned mention)."""
    if not isinstance(name, str) or len(name) > MAX_NAME_CHARS * 5:
        return []
    text = _clean(name)
    if not text or len(text) > MAX_NAME_CHARS:
        return []
    key = f"{g.path}|{g.imports_path or ''}"
    if _REGISTRY.get(key) is not g:
        if key in _REGISTRY:  # another object for the same files: its cached answers may be stale
            _cached.cache_clear()
        _REGISTRY[key] = g
    try:
        return [dict(t) for t in _cached(key, text, area, ctx, max(1, min(int(limit), 50)))]
    except RecursionError:  # pragma: no cover - pathological nesting of "near near near ..."
        return []


def geocode(name: str, *, conflict: str | None = None, context: Iterable[Any] = (),
            countries: Iterable[str] | None = None, bbox: Sequence[float] | None = None, limit: int = 5,
            settings: Settings | None = None) -> list[dict[str, Any]]:
    """Candidate places for one mention, best first.

    Each candidate is a dict with ``name`` (the gazetteer's name), ``lat``, ``lon``,
    ``country`` (ISO2), ``precision`` (one of PRECISIONS), ``feature``, ``source`` (where
    the coordinates come from), ``score`` (0-1), ``match`` (the tier that matched) and
    ``id``. ``conflict`` (an id known to ``counterclaim.conflicts``) or ``countries``/``bbox``
    restrict the area; ``context`` holds other place names of the same article (or
    ``(lat, lon)`` pairs) and favours candidates near them. An empty list means
    unresolved; odd input never raises (an unknown conflict id does: UnknownConflict).
    """
    if settings is None and not context and countries is None and bbox is None and isinstance(name, str):
        env = os.environ
        try:
            return [dict(t) for t in _fast(name, conflict, limit, env.get("COUNTERCLAIM_CACHE_DIR"),
                                           env.get("XDG_CACHE_HOME"))]
        except TypeError:  # unhashable conflict id: take the slow path, which reports it
            pass
    area = resolve_area(conflict, countries, bbox)
    g = open_default(settings)
    ctx = _context_points(g, context, area)
    return geocode_with(g, name, area, ctx, limit)


@lru_cache(maxsize=65536)
def _fast(name: str, conflict: str | None, limit: int, _cache_env: str | None,
          _xdg_env: str | None) -> tuple[tuple[tuple[str, Any], ...], ...]:
    """The common call (a name, maybe a conflict, default settings), cached whole."""
    area = resolve_area(conflict)
    g = open_default(None)
    return tuple(tuple(d.items()) for d in geocode_with(g, name, area, (), limit))
