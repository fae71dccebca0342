"""What the situation report says: the ledger turned into sections, charts and footnotes.

The templates only lay this out. Every figure the text states carries footnotes: the
claims its running estimate is made of, each with its evidence sentence, outlet and date.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from typing import Any

from ..ledger import build_ledger
from ..ledger._build import fold, parse_day
from . import _charts

#: At most this many series get a section of their own (the biggest first); the rest are listed.
MAX_SECTIONS = 25
#: At most this many footnotes back one running estimate (its cumulative figure and latest increments).
MAX_NOTES_PER_FIGURE = 5
#: Places in the top-places chart and table.
TOP_PLACES = 12
#: Lines in the cumulative chart (the claimants with the most figures).
MAX_LINES = 8

_SAFE_SCHEMES = ("http://", "https://")


class Footnotes:
    """Numbered footnotes, one per claim, numbered in order of first citation."""

    def __init__(self, articles: Mapping[str, Mapping[str, Any]]):
        self._articles = articles
        self._num: dict[str, int] = {}
        self.items: list[dict[str, Any]] = []

    def cite(self, point: Mapping[str, Any]) -> int:
        """The footnote number of a ledger point (a claim), adding the footnote on first use."""
        if point["id"] in self._num:
            return self._num[point["id"]]
        art = self._articles.get(point.get("article_id") or "", {})
        url = point.get("url") or art.get("url") or (point.get("doc") if _is_web(point.get("doc")) else None)
        n = len(self.items) + 1
        self._num[point["id"]] = n
        self.items.append({
            "n": n, "id": point["id"], "evidence": " ".join((point.get("evidence") or "").split()),
            "outlet": point.get("outlet") or art.get("outlet") or None,
            "title": art.get("title") or None,
            "date": point.get("date"), "date_source": point.get("date_source"),
            "published": art.get("published") or None,
            "doc": point.get("doc"), "url": url if _is_web(url) else None,
            "claimant": point.get("claimant"), "claimant_side": point.get("claimant_side"),
        })
        return n


def _is_web(u: Any) -> bool:
    return isinstance(u, str) and u.lower().startswith(_SAFE_SCHEMES)


def label(metric: str, category: str) -> str:
    """A readable name for a metric and category pair ("killed · personnel")."""
    return f"{metric.replace('_', ' ')} · {category.replace('_', ' ')}"


def _enrich(claims: Iterable[Mapping[str, Any]], articles: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Claim dicts with their article's cluster, publication date and outlet filled in when missing."""
    out = []
    for c in claims:
        d = dict(c)
        art = articles.get(d.get("article_id") or "")
        if art:
            if not d.get("cluster"):
                d["cluster"] = art.get("cluster")
            if not d.get("article_published"):
                d["article_published"] = art.get("published")
            if not d.get("article_outlet"):
                d["article_outlet"] = art.get("outlet")
            if not d.get("article_url") and art.get("url"):
                d["article_url"] = art.get("url")
        out.append(d)
    return out


def _conflict_name(conflict: str | None) -> str:
    if not conflict:
        return "all conflicts"
    try:
        from ..conflicts import load_conflict
        return str(getattr(load_conflict(conflict), "name", None) or conflict)
    except Exception:  # noqa: BLE001 - the conflicts module is optional here
        return conflict


def _series_weight(s: Mapping[str, Any]) -> tuple:
    n = sum(len(cl["points"]) for g in s["groups"].values() for cl in g["claimants"]) + len(s["denials"])
    both = s["groups"]["claimed"]["latest"] is not None and s["groups"]["admitted"]["latest"] is not None
    people = s["metric"] in ("killed", "wounded", "killed_or_wounded", "captured", "missing")
    return (both, people, n)


def _period_name(s: Mapping[str, Any]) -> str | None:
    return s["period"]["name"] if s.get("period") else None


def _headline(series: list[dict[str, Any]]) -> tuple[str, str, str | None] | None:
    """What the charts show: (metric, category, period name).

    Killed personnel when present, else the busiest pair; within it, the period with the
    most counted figures (running estimates never cross periods, so charts show one).
    """
    counts: Counter = Counter()
    for s in series:
        for g in s["groups"].values():
            for cl in g["claimants"]:
                counts[(s["metric"], s["category"], _period_name(s))] += sum(p["counted"] for p in cl["points"])
    ranked = [k for k, v in counts.most_common() if v > 0]
    killed = [k for k in ranked if k[:2] == ("killed", "personnel")]
    return (killed or ranked or [None])[0]


def _estimate_line(kind: str, who: str, latest: Mapping[str, Any], points: Mapping[str, Mapping[str, Any]],
                   notes: Footnotes) -> dict[str, Any]:
    basis = [points[i] for i in latest["basis"] if i in points]
    shown = basis[:1] + basis[1:][-(MAX_NOTES_PER_FIGURE - 1):] if basis else []
    return {"kind": kind, "who": who, "value": latest["estimate"], "date": latest["date"],
            "notes": [notes.cite(p) for p in shown], "more": max(0, len(basis) - len(shown)),
            "parts": len(basis),
            "approx": basis[0]["approx"].replace("_", " ") if basis and basis[0]["approx"] != "exact" else None}


def _qualifier(p: Mapping[str, Any]) -> str | None:
    """Why a figure is shown as stated rather than as an estimate: vague, an undated increment..."""
    bits = [p["approx"].replace("_", " ")] if p["approx"] not in ("exact", "none") else []
    if p.get("scope") == "increment":
        bits.append("increment")
    if p.get("date") is None:
        bits.append("undated")
    return ", ".join(bits) or None


def build_context(claims: Iterable[Mapping[str, Any]], articles: Iterable[Mapping[str, Any]],
                  conflict: str | None = None) -> dict[str, Any]:
    """Everything the templates show, with the charts' SVG text; pure (no files written)."""
    art_by_id = {a["id"]: a for a in articles if a.get("id")}
    rows = _enrich(claims, art_by_id)
    if conflict is not None:
        rows = [c for c in rows if c.get("conflict") == conflict]
    led = build_ledger(rows)
    notes = Footnotes(art_by_id)

    series = sorted(led["series"], key=_series_weight, reverse=True)
    sections = []
    for s in series[:MAX_SECTIONS]:
        pts = {p["id"]: p for g in s["groups"].values() for cl in g["claimants"] for p in cl["points"]}
        lines = []
        for gname in ("claimed", "admitted", "third_party"):
            for cl in s["groups"][gname]["claimants"]:
                if cl["latest"] is not None:
                    lines.append(_estimate_line(gname, f"{cl['claimant']} ({cl['claimant_side']})",
                                                cl["latest"], pts, notes))
                elif cl["undated"]["max"] is not None and cl["undated"]["max_id"] in pts:
                    p = pts[cl["undated"]["max_id"]]
                    lines.append({"kind": gname, "who": f"{cl['claimant']} ({cl['claimant_side']})",
                                  "value": p["value"], "date": None, "notes": [notes.cite(p)], "more": 0,
                                  "parts": 1, "approx": "undated, largest figure"})
                else:
                    shown = [p for p in cl["points"] if p["value"] is not None]
                    if shown:
                        p = shown[-1]
                        lines.append({"kind": gname, "who": f"{cl['claimant']} ({cl['claimant_side']})",
                                      "value": p["value"], "date": p["date"], "notes": [notes.cite(p)],
                                      "more": 0, "parts": 1, "approx": _qualifier(p)})
        denials = [{"who": f"{d['claimant']} ({d['claimant_side']})", "date": d["date"],
                    "note": notes.cite(d), "denies": [notes.cite(pts[i]) for i in d.get("denies", []) if i in pts]}
                   for d in s["denials"]]
        end = s["divergence"]["end"]
        div = None
        if end["claimed"] is not None and end["admitted"] is not None:
            div = dict(end)
        sections.append({"conflict": s["conflict"], "subject": s["subject_side"], "label": label(s["metric"], s["category"]),
                         "period": _period_name(s) or ("undated or before the first period" if led["periods"].get(
                             str(s["conflict"])) else None),
                         "metric": s["metric"], "category": s["category"], "lines": lines, "denials": denials,
                         "divergence": div})

    rest = [{"subject": s["subject_side"], "label": label(s["metric"], s["category"]), "period": _period_name(s),
             "figures": sum(len(cl["points"]) for g in s["groups"].values() for cl in g["claimants"])}
            for s in series[MAX_SECTIONS:]]

    charts = _make_charts(led, rows)
    dates = sorted(p for p in (parse_day(c.get("date") or c.get("article_published")) for c in rows) if p)
    outlets = {c.get("article_outlet") for c in rows if c.get("article_outlet")}
    article_ids = {c.get("article_id") or c.get("doc") for c in rows}
    return {
        "title": f"Situation report: {_conflict_name(conflict)}",
        "conflict": conflict,
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "period": (dates[0].isoformat(), dates[-1].isoformat()) if dates else None,
        "stats": {"claims": len(rows), "articles": len(article_ids), "outlets": len(outlets),
                  "series": len(led["series"]), "denials": sum(len(s["denials"]) for s in led["series"])},
        "sections": sections, "rest": rest, "charts": charts,
        "places": _top_places(rows), "footnotes": notes.items, "ledger": led,
    }


def _top_places(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Places most often named by claims: resolved gazetteer names when known, else as written."""
    counts: Counter = Counter()
    shown: dict[str, str] = {}
    for c in rows:
        names = []
        for g in c.get("geo") or []:
            if isinstance(g, Mapping) and g.get("name") and not g.get("unresolved"):
                names.append(str(g["name"]))
        if not names:
            names = [str(p) for p in c.get("places") or [] if p]
        for n in dict.fromkeys(fold(x) for x in names):
            counts[n] += 1
        for x in names:
            shown.setdefault(fold(x), x)
    return [(shown[k], v) for k, v in counts.most_common(TOP_PLACES)]


def _best(group: Mapping[str, Any]) -> int | None:
    """A group's latest running estimate, else its largest undated figure."""
    if group["latest"] is not None:
        return group["latest"]["estimate"]
    return group["undated"]["max"]


def _period_window(led: Mapping[str, Any], s: Mapping[str, Any]) -> tuple[date | None, date | None]:
    """The days a series' period covers: from its start to the next period's start (open-ended last)."""
    periods = led.get("periods", {}).get(str(s["conflict"]), [])
    start = parse_day(s["period"]["start"])
    later = [parse_day(p["start"]) for p in periods if p["start"] > s["period"]["start"]]
    return start, (min(later) if later else None)


def _make_charts(led: Mapping[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    charts: list[dict[str, Any]] = []
    head = _headline(led["series"])
    window: tuple[date | None, date | None] = (None, None)
    if head is not None:
        met, cat, period = head
        in_head = [s for s in led["series"] if (s["metric"], s["category"], _period_name(s)) == head]
        what = label(met, cat) + (f", {period}" if period else "")
        if period:
            window = _period_window(led, in_head[0])
        lines = []
        for s in in_head:
            for gname, g in s["groups"].items():
                for cl in g["claimants"]:
                    pts = [(parse_day(e["date"]), e["estimate"]) for e in cl["running"]]
                    if pts:
                        lines.append((len(cl["running"]), f"{cl['claimant']} on {s['subject_side']} ({gname})", pts))
        lines.sort(key=lambda t: -t[0])
        lines = lines[:MAX_LINES]
        if lines:  # a tally stands until revised: carry every line to the chart's last date
            last = max(pts[-1][0] for _, _, pts in lines)
            lines = [(n, lbl, pts + [(last, pts[-1][1])] if pts[-1][0] < last else pts) for n, lbl, pts in lines]
        if lines:
            charts.append({"name": "cumulative", "file": "cumulative.svg",
                           "title": f"Running estimates over time, {what}, per claimant and subject side",
                           "svg": _charts.line_chart("cumulative", f"{what[:1].upper()}{what[1:]}: running estimates",
                                                     [(lbl, pts) for _, lbl, pts in lines], ylabel=met)})
        subjects = in_head
        if subjects:
            groups = [s["subject_side"] for s in subjects]
            vals = {g: [_best(s["groups"][g]) for s in subjects] for g in ("claimed", "admitted", "third_party")}
            bars = [(f"{g.replace('_', ' ')}", v) for g, v in vals.items() if any(x is not None for x in v)]
            if bars:
                charts.append({"name": "claimed-vs-admitted", "file": "claimed-vs-admitted.svg",
                               "title": f"Claimed by the enemy vs admitted by the side itself, {what} "
                                        "(latest running estimate; the largest undated figure when none is dated)",
                               "svg": _charts.grouped_bars("claimed-vs-admitted",
                                                           f"Losses of each side, {what}: latest estimates",
                                                           [f"losses of {g}" for g in groups], bars, ylabel=met)})
    per_day: dict[date, Counter] = defaultdict(Counter)
    for c in rows:
        d = parse_day(c.get("date") or c.get("article_published"))
        if d is not None and (window[0] is None or d >= window[0]) and (window[1] is None or d < window[1]):
            per_day[d][c.get("claimant_side") or "?"] += 1
    if per_day:
        days = sorted(per_day)
        sides = [s for s, _ in sum(per_day.values(), Counter()).most_common()]
        stacks = [(s, [per_day[d][s] for d in days]) for s in sides]
        span = f", {head[2]}" if head is not None and head[2] else ""
        charts.append({"name": "activity", "file": "activity.svg", "title": f"Claims per day{span}, by claimant side",
                       "svg": _charts.stacked_day_bars("activity", "Claims per day", days, stacks)})
    places = _top_places(rows)
    if places:
        charts.append({"name": "places", "file": "places.svg", "title": "Places most often named in claims",
                       "svg": _charts.hbar_chart("places", "Top places", places)})
    for ch in charts:
        ch["inline"] = _charts.inline_svg(ch["svg"])
    return charts
