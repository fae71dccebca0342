"""The ledger's rules: points, de-duplication, running estimates, groups, denials, divergence.

Everything here is a pure function over claim dicts (``Claim.to_dict()`` plus ``cluster``
and ``article_published`` when known). The rules are written out in ``docs/ledger.md``;
the constants below are the only knobs and are deliberately not settings: a ledger must
mean the same thing on every machine.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from functools import lru_cache
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date as _date
from datetime import timedelta
from typing import Any

#: A denial is linked to the claims it denies when their dates are at most this many days apart.
DENIAL_WINDOW_DAYS = 3

#: Version of the ledger's JSON layout (bumped when a field changes meaning).
LEDGER_VERSION = 1

#: Groups a claimant falls in, relative to the subject side of a series.
GROUPS = ("claimed", "admitted", "third_party")

#: Claimant sides that are never a party to a conflict.
NON_PARTY_SIDES = frozenset({"OUTLET", "UN", "OSCE", "UNKNOWN", ""})

# Spec order of metrics, so series come out in a stable, readable order.
_METRIC_ORDER = ("killed", "wounded", "killed_or_wounded", "captured", "missing", "destroyed",
                 "damaged", "seized", "territory_captured")


# ---------------------------------------------------------------------------- small helpers

def parse_day(value: Any) -> _date | None:
    """An ISO calendar date (``YYYY-MM-DD``, longer ISO strings are cut) or None when absent/invalid."""
    if value is None:
        return None
    if isinstance(value, _date):
        return value
    text = str(value).strip()[:10]
    try:
        return _date.fromisoformat(text)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of a place name, for comparing places."""
    norm = unicodedata.normalize("NFKD", text)
    return " ".join("".join(ch for ch in norm if not unicodedata.combining(ch)).casefold().split())


def _places_overlap(a: Iterable[str], b: Iterable[str]) -> bool:
    """True when some place of ``a`` equals, contains or is contained in some place of ``b``."""
    fa = [fold(x) for x in a if x]
    fb = [fold(x) for x in b if x]
    return any(x == y or x in y or y in x for x in fa for y in fb if x and y)


def _claim_ident(c: Mapping[str, Any]) -> str:
    """The claim's id, or a content hash when the dict carries none (plain spec JSONL)."""
    if c.get("id"):
        return str(c["id"])
    basis = json.dumps([c.get(k) for k in ("doc", "article_id", "claimant", "claimant_side", "subject_side",
                                           "metric", "category", "value", "value_max", "approx", "stance",
                                           "date", "evidence")], ensure_ascii=False, default=str)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]


def _int_or_none(v: Any) -> int | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------- points

def make_point(c: Mapping[str, Any]) -> dict[str, Any]:
    """One ledger point from a claim dict: the figure, its date and everything that traces it.

    The date is the claim's own ``date`` (what the text fixes) or else the article's
    publication date (``article_published``, or ``published``); ``date_source`` says which.
    """
    own = parse_day(c.get("date"))
    pub = parse_day(c.get("article_published") or c.get("published"))
    day = own or pub
    places = [str(p) for p in (c.get("places") or []) if p]
    return {
        "id": _claim_ident(c),
        "date": day.isoformat() if day else None,
        "date_source": "claim" if own else ("article" if pub else None),
        "value": _int_or_none(c.get("value")),
        "value_max": _int_or_none(c.get("value_max")),
        "approx": c.get("approx") or "exact",
        "scope": c.get("scope") if c.get("scope") in ("cumulative", "increment") else None,
        "increment": _int_or_none(c.get("increment")),
        "claimant": c.get("claimant") or c.get("claimant_side") or "UNKNOWN",
        "claimant_side": c.get("claimant_side") or "UNKNOWN",
        "stance": c.get("stance") or "assert",
        "places": places,
        "evidence": c.get("evidence") or "",
        "doc": c.get("doc"),
        "article_id": c.get("article_id") or None,
        "cluster": c.get("cluster") or None,
        "outlet": c.get("article_outlet") or c.get("outlet") or None,
        "url": c.get("article_url") or None,
        "counted": False,
        "duplicate_of": None,
        "duplicate_reason": None,
        "denied_by": [],
    }


def _estimable(p: Mapping[str, Any]) -> bool:
    """Whether a point may move a running estimate: a dated assert with a real number.

    Vague quantity words ("dozens") carry a conventional value, not a figure, and are shown
    but never estimated from.
    """
    return (p["stance"] == "assert" and p["value"] is not None and p["approx"] not in ("vague", "none")
            and p["date"] is not None)


def mark_duplicates(points: list[dict[str, Any]]) -> None:
    """Mark repeated figures so that no figure is counted twice (in place).

    1. *Syndicated copies*: the same figure (claimant, value, range, scope, increment) from
       articles of one syndication ``cluster`` (or one article) counts once; the earliest
       dated copy is kept. Figures whose texts give two different dates are two figures.
    2. *Same-day repeats*: the same figure from the same claimant side on the same date,
       whatever the article or official, counts once.
    Kept points get ``counted = True`` when they can move an estimate (see ``_estimable``).
    """
    order = sorted(points, key=lambda p: (p["date"] is None, p["date"] or "", p["id"]))
    seen_cluster: dict[tuple, list[tuple[str | None, str]]] = {}
    seen_day: dict[tuple, str] = {}
    for p in order:
        if p["stance"] != "assert" or p["value"] is None:
            continue
        figure = (p["value"], p["value_max"], p["scope"], p["increment"])
        group = p["cluster"] or p["article_id"] or p["doc"]
        own_date = p["date"] if p["date_source"] == "claim" else None   # copies share the text's own date
        k1 = (group, p["claimant"], *figure)
        if group is not None:
            match = next((kept for day, kept in seen_cluster.get(k1, [])
                          if day is None or own_date is None or day == own_date), None)
            if match is not None:
                p["duplicate_of"], p["duplicate_reason"] = match, "syndicated"
                continue
            seen_cluster.setdefault(k1, []).append((own_date, p["id"]))
        if p["date"] is not None:
            k2 = (p["date"], p["claimant_side"], *figure)
            if k2 in seen_day:
                p["duplicate_of"], p["duplicate_reason"] = seen_day[k2], "same_day"
                continue
            seen_day[k2] = p["id"]
    for p in points:
        p["counted"] = p["duplicate_of"] is None and _estimable(p)


# ---------------------------------------------------------------------------- running estimate

def _day_increment(incs: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """One day's increment from one stream of points.

    Increments naming the same places (or none) are versions of one figure: the largest is
    taken. Increments naming different places are different events and add up; an
    unplaced increment is read as the day's total and wins when it is larger than that sum.
    """
    by_place: dict[frozenset, dict[str, Any]] = {}
    for p in incs:
        key = frozenset(fold(x) for x in p["places"])
        if key not in by_place or p["value"] > by_place[key]["value"]:
            by_place[key] = p
    unplaced = by_place.pop(frozenset(), None)
    placed_sum = sum(p["value"] for p in by_place.values())
    if unplaced is not None and unplaced["value"] >= placed_sum:
        return unplaced["value"], [unplaced["id"]]
    return placed_sum, sorted(p["id"] for p in by_place.values())


def running_estimate(points: Iterable[Mapping[str, Any]], *,
                     use: Any = None) -> list[dict[str, Any]]:
    """A stream's running estimate after each date it reported on.

    Only ``counted`` points are used (or those ``use(point)`` accepts), day by day in date order:
    - an explicit cumulative figure (``scope == "cumulative"``) replaces the estimate (the
      latest tally wins, even when revised down; on one day the largest);
    - a figure with no scope is a cumulative-so-far statement: it replaces the estimate
      only when it is larger (never summed; a smaller one is read as partial);
    - increments (``scope == "increment"``) add to the estimate, unless a cumulative figure
      reset it on the same day (it is taken to include that day's increment); with no
      cumulative figure yet, the estimate is the sum of the increments.
    Each entry is ``{date, estimate, basis}``; ``basis`` lists the ids of the cumulative
    figure and the increments the estimate is made of.
    """
    by_day: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for p in points:
        if (use(p) if use is not None else p.get("counted")):
            by_day[p["date"]].append(p)
    est: int | None = None
    basis: list[str] = []
    out: list[dict[str, Any]] = []
    for day in sorted(by_day):
        pts = by_day[day]
        reset = False
        explicit = [p for p in pts if p["scope"] == "cumulative"]
        if explicit:
            best = max(explicit, key=lambda p: (p["value"], p["id"]))
            est, basis, reset = best["value"], [best["id"]], True
        plain = [p for p in pts if p["scope"] is None]
        if plain:
            best = max(plain, key=lambda p: (p["value"], p["id"]))
            if est is None or best["value"] > est:
                est, basis, reset = best["value"], [best["id"]], True
        incs = [p for p in pts if p["scope"] == "increment"]
        if incs and not reset:
            add, ids = _day_increment(list(incs))
            est = (est or 0) + add
            basis = basis + ids
        if est is not None:
            out.append({"date": day, "estimate": est, "basis": list(basis)})
    return out


def combine_runs(runs: Mapping[tuple[str, str], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """A group's running estimate: on each date, the highest current estimate of its claimants.

    Each claimant's estimate is carried forward until it reports again; figures of
    different claimants are never added together (two officials of one side reporting the
    same losses would otherwise count them twice). Entries name the ``claimant`` whose
    estimate it is, and its ``basis``.
    """
    dates = sorted({e["date"] for run in runs.values() for e in run})
    at = {who: {e["date"]: e for e in run} for who, run in runs.items()}
    now: dict[tuple[str, str], dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    for day in dates:
        for who in runs:
            if day in at[who]:
                now[who] = at[who][day]
        who, best = max(now.items(), key=lambda kv: (kv[1]["estimate"], kv[0]))
        out.append({"date": day, "estimate": best["estimate"], "basis": list(best["basis"]), "claimant": who[1]})
    return out


# ---------------------------------------------------------------------------- groups and parties

def infer_parties(claims: Iterable[Mapping[str, Any]]) -> dict[Any, set[str]]:
    """The parties (belligerent sides) of each conflict as the claims themselves show them.

    A side is a party when its losses are counted (it is the subject of some claim), and,
    for each such subject, the side that makes the most claims about it (its enemy) is a
    party too. Outlets and organisations never are. Observers (a third country quoting
    estimates) claim less about a side than its enemy does, so they stay third parties.
    Used only when the conflict dictionary cannot be loaded.
    """
    subjects: dict[Any, set[str]] = defaultdict(set)
    about: dict[Any, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for c in claims:
        cs, ss, conf = c.get("claimant_side"), c.get("subject_side"), c.get("conflict")
        if ss and ss not in NON_PARTY_SIDES:
            subjects[conf].add(ss)
        if cs and ss and cs != ss and cs not in NON_PARTY_SIDES:
            about[conf][ss][cs] += 1
    out: dict[Any, set[str]] = {}
    for conf in set(subjects) | set(about):
        parties = set(subjects.get(conf, ()))
        for _subject, counts in about.get(conf, {}).items():
            parties.add(max(sorted(counts), key=lambda side: counts[side]))
        out[conf] = parties
    return out


def _dictionary_parties(conflict: str | None) -> set[str] | None:
    """The sides of a conflict from its dictionary, when the conflicts module knows it."""
    if not conflict:
        return None
    try:
        from ..conflicts import load_conflict  # the claims engineer's module
        conf = load_conflict(conflict)
    except Exception:  # noqa: BLE001 - module absent or conflict unknown: fall back to inference
        return None
    sides = getattr(conf, "sides", None)
    if not sides:
        return None
    items = list(sides.values()) if isinstance(sides, Mapping) else list(sides)
    # belligerents are the sides the dictionary gives an enemy; the rest are third parties
    fighting = {str(_side_attr(s, "code")) for s in items if _side_attr(s, "enemy")}
    return fighting or None


def _dictionary_periods(conflict: str | None) -> list[dict[str, Any]]:
    """The conflict's named periods (``name``, ``start``, ``end``) from its dictionary, oldest first."""
    if not conflict:
        return []
    try:
        from ..conflicts import load_conflict
        conf = load_conflict(conflict)
    except Exception:  # noqa: BLE001 - module absent or conflict unknown: no periods
        return []
    return _normal_periods(getattr(conf, "periods", ()) or ())


def _normal_periods(periods: Iterable[Any]) -> list[dict[str, Any]]:
    out = []
    for p in periods:
        start = parse_day(_side_attr(p, "start"))
        if start is None or not _side_attr(p, "name"):
            continue
        end = parse_day(_side_attr(p, "end"))
        out.append({"name": str(_side_attr(p, "name")), "start": start.isoformat(),
                    "end": end.isoformat() if end else None})
    return sorted(out, key=lambda p: p["start"])


def period_of(day: str | None, periods: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The period a date belongs to: the latest one that started on or before it.

    A figure published after a period ended (a final toll months later) still belongs to
    it, until the next period starts. Undated figures and figures before the first period
    belong to none.
    """
    if day is None:
        return None
    found = None
    for p in periods:
        if p["start"] <= day:
            found = p
        else:
            break
    return found


def _side_attr(side: Any, name: str) -> Any:
    return side.get(name) if isinstance(side, Mapping) else getattr(side, name, None)


def group_of(claimant_side: str, subject_side: str, parties: set[str]) -> str:
    """``admitted`` (a side about itself), ``claimed`` (a party about another) or ``third_party``."""
    if claimant_side == subject_side:
        return "admitted"
    if claimant_side in parties and claimant_side not in NON_PARTY_SIDES:
        return "claimed"
    return "third_party"


# ---------------------------------------------------------------------------- denials

def link_denials(denials: list[dict[str, Any]], asserts: list[dict[str, Any]]) -> None:
    """Link each denial to the claims it denies (in place: ``denies`` and ``denied_by``).

    Within one series (same subject side, metric, category), a denial denies an assert by
    another claimant when their dates are at most :data:`DENIAL_WINDOW_DAYS` apart (undated
    ones only within one article or syndication cluster) and, when both name places, they
    share one. Asserts are indexed by date and by article/cluster, so linking costs the
    size of the window, not of the series.
    """
    by_day: dict[_date, list[dict[str, Any]]] = defaultdict(list)
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in asserts:
        ad = parse_day(a["date"])
        if ad is not None:
            by_day[ad].append(a)
        for key in {a["article_id"], a["cluster"]} - {None, ""}:
            by_story[key].append(a)
    for d in denials:
        d.setdefault("denies", [])
        dd = parse_day(d["date"])
        candidates: dict[str, dict[str, Any]] = {}
        if dd is not None:
            for k in range(-DENIAL_WINDOW_DAYS, DENIAL_WINDOW_DAYS + 1):
                for a in by_day.get(dd + timedelta(days=k), ()):
                    candidates[a["id"]] = a
        for key in {d["article_id"], d["cluster"]} - {None, ""}:
            for a in by_story.get(key, ()):
                if dd is None or a["date"] is None:   # undated on either side: same story only
                    candidates[a["id"]] = a
        for a in sorted(candidates.values(), key=lambda a: (a["date"] or "", a["id"])):
            if a["claimant"] == d["claimant"]:
                continue
            if d["places"] and a["places"] and not _places_overlap(d["places"], a["places"]):
                continue
            d["denies"].append(a["id"])
            a["denied_by"].append(d["id"])


# ---------------------------------------------------------------------------- divergence

def divergence(claimed: list[dict[str, Any]], admitted: list[dict[str, Any]]) -> dict[str, Any]:
    """Enemy-claimed against self-admitted running estimates, per date and at the end.

    On every date either estimate changes, both are carried forward; ``ratio`` is
    claimed / admitted, rounded to 3 places, and null when one side has no figure yet or
    the admitted figure is 0.
    """
    cl = {e["date"]: e["estimate"] for e in claimed}
    ad = {e["date"]: e["estimate"] for e in admitted}
    per_date: list[dict[str, Any]] = []
    c_now: int | None = None
    a_now: int | None = None
    for day in sorted(set(cl) | set(ad)):
        c_now = cl.get(day, c_now)
        a_now = ad.get(day, a_now)
        per_date.append({"date": day, "claimed": c_now, "admitted": a_now, "ratio": _ratio(c_now, a_now)})
    end = per_date[-1] if per_date else {"date": None, "claimed": None, "admitted": None, "ratio": None}
    return {"per_date": per_date, "end": dict(end)}


def _ratio(c: int | None, a: int | None) -> float | None:
    if c is None or a is None or a == 0:
        return None
    return round(c / a, 3)


# ---------------------------------------------------------------------------- the ledger

def undated_summary(points: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """What undated figures say, kept apart from the running estimate (which needs dates).

    ``max`` is the largest undated tally-like figure (scope cumulative or none, a real
    number, not a syndicated copy); undated increments cannot be placed and are only counted.
    """
    und = [p for p in points if p["date"] is None and p["stance"] == "assert" and p["value"] is not None]
    tallies = [p for p in und if p["approx"] not in ("vague", "none") and p["scope"] != "increment"
               and p["duplicate_reason"] != "syndicated"]
    best = max(tallies, key=lambda p: (p["value"], p["id"]), default=None)
    return {"figures": len(und), "max": best["value"] if best else None, "max_id": best["id"] if best else None}


def _latest(running: list[dict[str, Any]]) -> dict[str, Any] | None:
    return dict(running[-1]) if running else None


def _in_window(day: str | None, since: _date | None, until: _date | None) -> bool:
    if since is None and until is None:
        return True
    d = parse_day(day)
    if d is None:
        return False
    return (since is None or d >= since) and (until is None or d <= until)


def build_ledger(claims: Iterable[Mapping[str, Any]], *, conflict: str | None = None, side: str | None = None,
                 metric: str | None = None, category: str | None = None, since: Any = None, until: Any = None,
                 parties: Mapping[Any, Iterable[str]] | Iterable[str] | None = None,
                 periods: Mapping[Any, Iterable[Any]] | Iterable[Any] | None = None) -> dict[str, Any]:
    """The ledger: for each conflict, period, subject side, metric and category, every claimant's figures over time.

    ``claims`` are claim dicts (``Claim.to_dict()``, plus ``cluster`` and
    ``article_published`` when known). Filters keep one conflict, subject ``side``,
    ``metric`` or ``category``; ``since``/``until`` (ISO dates, inclusive) limit the points
    and estimates shown, while figures before ``since`` still set the running estimate (a
    tally before the window is the baseline inside it) and figures after ``until`` are
    ignored. ``parties`` optionally names the belligerent sides (one list for all, or per
    conflict id); by default they come from the conflict dictionary, else from the claims.
    ``periods`` likewise overrides the dictionary's named periods (wars, escalations):
    running estimates never run from one period into the next.
    Returns a JSON-able dict; the layout and rules are documented in ``docs/ledger.md``.
    """
    since_d, until_d = parse_day(since), parse_day(until)
    if since is not None and since_d is None:
        from ..errors import SettingsError
        raise SettingsError(f"--since {since!r} is not an ISO date (YYYY-MM-DD)")
    if until is not None and until_d is None:
        from ..errors import SettingsError
        raise SettingsError(f"--until {until!r} is not an ISO date (YYYY-MM-DD)")

    rows = [c for c in claims
            if (conflict is None or c.get("conflict") == conflict)
            and (side is None or c.get("subject_side") == side)
            and (metric is None or c.get("metric") == metric)
            and (category is None or c.get("category") == category)]
    inferred = infer_parties(rows)

    def parties_for(conf: Any) -> set[str]:
        if parties is not None:
            if isinstance(parties, Mapping):
                return set(parties.get(conf, ()))
            return set(parties)
        return _dictionary_parties(conf) or inferred.get(conf, set())

    period_cache: dict[Any, list[dict[str, Any]]] = {}

    def periods_for(conf: Any) -> list[dict[str, Any]]:
        if conf not in period_cache:
            if periods is not None:
                given = periods.get(conf, ()) if isinstance(periods, Mapping) else periods
                period_cache[conf] = _normal_periods(given)
            else:
                period_cache[conf] = _dictionary_periods(conf)
        return period_cache[conf]

    buckets: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    period_by_name: dict[tuple, dict[str, Any]] = {}
    for c in rows:
        p = make_point(c)
        if until_d is not None and p["date"] is not None and parse_day(p["date"]) > until_d:
            continue
        if until_d is not None and p["date"] is None:
            continue
        per = period_of(p["date"], periods_for(c.get("conflict")))
        pkey = (per["start"], per["name"]) if per else None
        if per:
            period_by_name[(c.get("conflict"), pkey)] = per
        key = (c.get("conflict"), pkey, c.get("subject_side") or "UNKNOWN", c.get("metric") or "unknown",
               c.get("category") or "unknown")
        buckets[key].append(p)

    party_cache: dict[Any, set[str]] = {}
    series_out: list[dict[str, Any]] = []
    for key in sorted(buckets, key=_series_sort_key):
        conf, pkey, subject, met, cat = key
        if conf not in party_cache:
            party_cache[conf] = parties_for(conf)
        one = _one_series(conf, subject, met, cat, buckets[key], party_cache[conf], since_d)
        one["period"] = dict(period_by_name[(conf, pkey)]) if pkey else None
        series_out.append(one)

    return {
        "version": LEDGER_VERSION,
        "filters": {"conflict": conflict, "side": side, "metric": metric, "category": category,
                    "since": since_d.isoformat() if since_d else None,
                    "until": until_d.isoformat() if until_d else None},
        "rules": {"denial_window_days": DENIAL_WINDOW_DAYS, "groups": list(GROUPS)},
        "parties": {str(k): sorted(v) for k, v in party_cache.items()},
        "periods": {str(k): v for k, v in period_cache.items() if v},
        "claims": sum(len(s["denials"]) + sum(len(cl["points"]) for g in s["groups"].values()
                                              for cl in g["claimants"]) for s in series_out),
        "series": series_out,
    }


def _series_sort_key(key: tuple) -> tuple:
    conf, pkey, subject, met, cat = key
    m = _METRIC_ORDER.index(met) if met in _METRIC_ORDER else len(_METRIC_ORDER)
    return (conf or "", pkey is None, pkey or ("", ""), subject, m, met, cat)


def _one_series(conf: Any, subject: str, met: str, cat: str, points: list[dict[str, Any]],
                parties: set[str], since: _date | None) -> dict[str, Any]:
    """Build one series (conflict, subject side, metric, category) from its points."""
    asserts = [p for p in points if p["stance"] != "deny"]
    denials = [p for p in points if p["stance"] == "deny"]
    mark_duplicates(asserts)
    by_id = {p["id"]: p for p in asserts}
    for d in denials:
        d["denies"] = []
    link_denials(denials, asserts)

    def own_count(p: Mapping[str, Any]) -> bool:
        # A claimant's own estimate drops only its own repeats: a figure another official of
        # its side said the same day still belongs to this claimant's series.
        if p["counted"]:
            return True
        dup = by_id.get(p["duplicate_of"] or "")
        return (_estimable(p) and p["duplicate_reason"] == "same_day" and dup is not None
                and dup["claimant"] != p["claimant"])

    groups: dict[str, dict[str, Any]] = {}
    full_runs: dict[str, list[dict[str, Any]]] = {}
    for g in GROUPS:
        members = [p for p in asserts if group_of(p["claimant_side"], subject, parties) == g]
        by_claimant: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for p in members:
            by_claimant[(p["claimant_side"], p["claimant"])].append(p)
        claimants = []
        for (cside, cname), pts in sorted(by_claimant.items()):
            pts.sort(key=lambda p: (p["date"] is None, p["date"] or "", p["id"]))
            run = running_estimate(pts, use=own_count)
            shown = [p for p in pts if _in_window(p["date"], since, None)]
            if not shown and not run:
                continue
            claimants.append({"claimant": cname, "claimant_side": cside, "points": shown,
                              "counted": sum(1 for p in shown if own_count(p)),
                              "running": [e for e in run if _in_window(e["date"], since, None)], "_run": run,
                              "latest": _latest(run), "undated": undated_summary(pts)})
        full_runs[g] = combine_runs({(c["claimant_side"], c["claimant"]): c["_run"] for c in claimants})
        for c in claimants:
            del c["_run"]
        groups[g] = {"sides": sorted({c["claimant_side"] for c in claimants}),
                     "claimants": claimants,
                     "running": [e for e in full_runs[g] if _in_window(e["date"], since, None)],
                     "latest": _latest(full_runs[g]), "undated": undated_summary(members)}

    div = divergence(full_runs["claimed"], full_runs["admitted"])
    uc, ua = groups["claimed"]["undated"]["max"], groups["admitted"]["undated"]["max"]
    div["undated"] = {"claimed": uc, "admitted": ua, "ratio": _ratio(uc, ua)}
    div["per_date"] = [e for e in div["per_date"] if _in_window(e["date"], since, None)]
    denials.sort(key=lambda p: (p["date"] is None, p["date"] or "", p["id"]))
    return {
        "conflict": conf, "subject_side": subject, "metric": met, "category": cat,
        "groups": groups,
        "denials": [d for d in denials if _in_window(d["date"], since, None)],
        "divergence": div,
    }
