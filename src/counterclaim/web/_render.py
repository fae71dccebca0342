"""Safe HTML fragments the templates cannot build alone: highlighted article text, links, SVG charts.

Every piece of untrusted text (article body, evidence, names) goes through
:func:`markupsafe.escape` slice by slice before it is wrapped in markup we write, so a
``<script>`` in an article is shown as text. Only ``http``/``https`` URLs ever become links.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from markupsafe import Markup, escape

__all__ = ["safe_href", "side_class", "claim_summary", "highlight", "line_chart", "timeline_chart",
           "query_link", "PALETTE", "METRIC_COLOURS", "metric_colour", "side_colour"]

#: Colours of claimant sides (CSS classes ``side-0`` .. ``side-7``); the same side gets the same colour.
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#7f7f7f")
_FIXED = {"ARM": 0, "UKR": 0, "AZE": 1, "RUS": 1, "OUTLET": 7, "TUR": 4, "UN": 5, "OSCE": 5, "USA": 3}


def _side_index(side: str | None) -> int:
    if side in _FIXED:
        return _FIXED[side]
    h = hashlib.sha1((side or "").encode("utf-8")).digest()[0]
    return (2, 3, 4, 5, 6)[h % 5]


#: Colours of metrics on the map.
METRIC_COLOURS = {"killed": "#d62728", "wounded": "#ff7f0e", "killed_or_wounded": "#e377c2", "captured": "#9467bd",
                  "missing": "#8c564b", "destroyed": "#1f77b4", "damaged": "#17becf", "seized": "#bcbd22",
                  "territory_captured": "#2ca02c"}


def metric_colour(metric: str | None) -> str:
    """The map colour of a metric (grey for metrics a new conflict may add)."""
    return METRIC_COLOURS.get(metric or "", "#7f7f7f")


def side_class(side: str | None) -> str:
    """The CSS class for a claimant side's colour (never contains the side string itself)."""
    return f"side-{_side_index(side)}"


def side_colour(side: str | None) -> str:
    """The hex colour for a side (used inside generated SVG)."""
    return PALETTE[_side_index(side)]


def safe_href(url: Any) -> str | None:
    """The URL when it is an absolute http(s) URL without control characters, else None.

    ``javascript:``, ``data:``, protocol-relative and other schemes are never rendered as
    links; the caller shows them as plain (escaped) text.
    """
    if not isinstance(url, str) or len(url) > 2048:
        return None
    u = url.strip()
    if any(ord(ch) < 33 or ch in "\\\"'<>`" for ch in u):
        return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return u


def query_link(path: str, params: Mapping[str, Any], **changes: Any) -> str:
    """``path?query`` with ``params`` updated by ``changes`` (None removes a key); for links."""
    p = {k: v for k, v in params.items() if v not in (None, "")}
    for k, v in changes.items():
        if v is None or v == "":
            p.pop(k, None)
        else:
            p[k] = v
    return path + ("?" + urlencode(p) if p else "")


def _value_text(c: Mapping[str, Any]) -> str:
    v, vmax, approx = c.get("value"), c.get("value_max"), c.get("approx")
    if v is None:
        return "no number" if c.get("stance") != "deny" else "denied"
    s = f"{v:,}" + (f"–{vmax:,}" if vmax is not None else "")
    prefix = {"at_least": "≥ ", "at_most": "≤ ", "about": "~", "vague": "~"}.get(approx or "", "")
    return prefix + s


def claim_summary(c: Mapping[str, Any]) -> str:
    """One line describing a claim (plain text; escape when inserting into HTML)."""
    parts = [f"{c.get('claimant_side')} ({c.get('claimant')})",
             "denies" if c.get("stance") == "deny" else "claims",
             f"{c.get('subject_side')} {c.get('metric')} {c.get('category')}:",
             _value_text(c), f"[{c.get('approx')}]"]
    if c.get("scope"):
        parts.append(f"scope {c['scope']}")
    if c.get("places"):
        parts.append("at " + ", ".join(map(str, c["places"])))
    if c.get("date"):
        parts.append(f"on {c['date']}")
    return " ".join(str(p) for p in parts)


def _valid_span(span: Any, n: int) -> tuple[int, int] | None:
    if not isinstance(span, (list, tuple)) or len(span) != 2:
        return None
    s, e = span
    if not isinstance(s, int) or not isinstance(e, int):
        return None
    s, e = max(0, s), min(n, e)
    return (s, e) if s < e else None


def _merge(spans: list[tuple[int, int, dict[str, Any]]]) -> list[tuple[int, int, list[dict[str, Any]]]]:
    """Merge overlapping spans into disjoint regions, each with the claims it covers."""
    out: list[tuple[int, int, list[dict[str, Any]]]] = []
    for s, e, c in sorted(spans, key=lambda t: (t[0], -t[1])):
        if out and s < out[-1][1]:
            ps, pe, cs = out[-1]
            out[-1] = (ps, max(pe, e), cs + [c])
        else:
            out.append((s, e, [c]))
    return out


def highlight(text: str, claims: Sequence[Mapping[str, Any]]) -> Markup:
    """The article text as HTML with each claim's evidence span and number span marked.

    Evidence spans become ``<mark>`` elements coloured by claimant side (focusable, with
    the claims' fields in ``title`` and ``data-tip``); number spans inside them become
    ``<span class="num">``. Overlapping spans are merged; spans outside the text are
    ignored. Each slice of text is escaped on its own, so the result is safe HTML.
    """
    n = len(text)
    ev = [(sp[0], sp[1], c) for c in claims if (sp := _valid_span(c.get("span"), n))]
    nums = [(sp[0], sp[1], c) for c in claims if (sp := _valid_span(c.get("number_span"), n))]
    regions = _merge(ev)
    # number spans not inside any evidence region become regions of their own
    for s, e, c in nums:
        if not any(rs <= s and e <= re_ for rs, re_, _ in regions):
            regions = _merge([(rs, re_, cc) for rs, re_, cs in regions for cc in cs] + [(s, e, c)])
    num_regions = _merge(nums)
    out: list[str] = []
    pos = 0
    for rs, re_, cs in regions:
        out.append(str(escape(text[pos:rs])))
        tip = " | ".join(dict.fromkeys(claim_summary(c) for c in cs))
        sides = sorted({str(c.get("claimant_side")) for c in cs})
        ids = " ".join(str(c.get("id")) for c in cs)
        cls = side_class(cs[0].get("claimant_side")) + (" mixed" if len(sides) > 1 else "")
        out.append(f'<mark class="claim {cls}" tabindex="0" id="span-{rs}" data-start="{rs}" data-end="{re_}" '
                   f'data-claims="{escape(ids)}" title="{escape(tip)}" data-tip="{escape(tip)}">')
        p = rs
        for ns, ne, ncs in num_regions:
            if ns < rs or ne > re_:
                continue
            out.append(str(escape(text[p:ns])))
            ntip = " | ".join(dict.fromkeys(claim_summary(c) for c in ncs))
            out.append(f'<span class="num" data-start="{ns}" data-end="{ne}" title="{escape(ntip)}">'
                       f'{escape(text[ns:ne])}</span>')
            p = ne
        out.append(str(escape(text[p:re_])))
        out.append("</mark>")
        pos = re_
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


# ----------------------------------------------------------------------------- SVG charts

def _esc(s: Any) -> str:
    return str(escape(str(s)))


def _day_num(day: str) -> int:
    from datetime import date
    return date.fromisoformat(day[:10]).toordinal()


def line_chart(lines: Iterable[Mapping[str, Any]], *, width: int = 640, height: int = 220,
               title: str = "") -> Markup:
    """An inline SVG step chart: one line per series, a dot per figure with a ``<title>`` tooltip.

    ``lines``: ``{"label", "side", "dash", "points": [{"date", "value", "tip"}]}``; dates ISO.
    Returns an empty string when there is nothing dated to draw.
    """
    lines = [dict(ln, points=[p for p in ln["points"] if p.get("date") and p.get("value") is not None])
             for ln in lines]
    lines = [ln for ln in lines if ln["points"]]
    if not lines:
        return Markup("")
    days = [_day_num(p["date"]) for ln in lines for p in ln["points"]]
    vals = [p["value"] for ln in lines for p in ln["points"]]
    d0, d1 = min(days), max(days)
    vmax = max(max(vals), 1)
    left, right, top, bottom = 56, 150, 12, 28
    pw, ph = width - left - right, height - top - bottom

    def x(day: str) -> float:
        return left + (pw * (_day_num(day) - d0) / (d1 - d0) if d1 > d0 else pw / 2)

    def y(v: float) -> float:
        return top + ph - ph * v / vmax

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{_esc(title)}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>{_esc(title)}</title>',
             f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" class="axis"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" class="axis"/>',
             f'<text x="{left - 4}" y="{top + 8}" class="tick" text-anchor="end">{vmax:,}</text>',
             f'<text x="{left - 4}" y="{top + ph}" class="tick" text-anchor="end">0</text>']
    from datetime import date
    parts.append(f'<text x="{left}" y="{height - 8}" class="tick">{date.fromordinal(d0).isoformat()}</text>')
    if d1 > d0:
        parts.append(f'<text x="{left + pw}" y="{height - 8}" class="tick" text-anchor="end">'
                     f'{date.fromordinal(d1).isoformat()}</text>')
    for i, ln in enumerate(lines):
        colour = side_colour(ln.get("side"))
        pts = sorted(ln["points"], key=lambda p: p["date"])
        if ln.get("step", True) and len(pts) > 1:
            path = []
            for j, p in enumerate(pts):
                if j:
                    path.append(f"L{x(p['date']):.1f},{y(pts[j - 1]['value']):.1f}")
                path.append(("M" if j == 0 else "L") + f"{x(p['date']):.1f},{y(p['value']):.1f}")
            dash = ' stroke-dasharray="5,3"' if ln.get("dash") else ""
            parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for p in pts:
            parts.append(f'<circle cx="{x(p["date"]):.1f}" cy="{y(p["value"]):.1f}" r="4" fill="{colour}" '
                         f'tabindex="0" class="pt"><title>{_esc(p.get("tip") or "")}</title></circle>')
        ly = top + 12 + 16 * i
        parts.append(f'<rect x="{left + pw + 10}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{left + pw + 24}" y="{ly}" class="legend">{_esc(ln["label"])[:40]}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def timeline_chart(rows: Sequence[Mapping[str, Any]], *, link: Any, width: int = 900,
                   height: int = 240) -> Markup:
    """An inline SVG of claims per day, stacked by claimant side; each day links to ``link(day)``."""
    if not rows:
        return Markup("")
    by_day: dict[str, dict[str, int]] = {}
    for r in rows:
        by_day.setdefault(r["day"], {})[r["side"]] = r["count"]
    days = sorted(by_day)
    d0, d1 = _day_num(days[0]), _day_num(days[-1])
    span = d1 - d0 + 1
    vmax = max(sum(v.values()) for v in by_day.values())
    left, right, top, bottom = 40, 10, 10, 28
    pw, ph = width - left - right, height - top - bottom
    bw = max(pw / span, 1.5)
    parts = [f'<svg class="chart timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="claims per day" xmlns="http://www.w3.org/2000/svg">',
             f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" class="axis"/>',
             f'<text x="{left - 4}" y="{top + 8}" class="tick" text-anchor="end">{vmax}</text>',
             f'<text x="{left}" y="{height - 8}" class="tick">{_esc(days[0])}</text>',
             f'<text x="{left + pw}" y="{height - 8}" class="tick" text-anchor="end">{_esc(days[-1])}</text>']
    for day in days:
        xx = left + pw * (_day_num(day) - d0) / span
        acc = 0
        total = sum(by_day[day].values())
        tip = f"{day}: {total} claims (" + ", ".join(f"{s} {n}" for s, n in sorted(by_day[day].items())) + ")"
        parts.append(f'<a href="{_esc(link(day))}" class="day" data-day="{_esc(day)}"><title>{_esc(tip)}</title>')
        for side, n in sorted(by_day[day].items()):
            h = ph * n / vmax
            parts.append(f'<rect x="{xx:.1f}" y="{top + ph - acc - h:.1f}" width="{max(bw - 0.5, 1):.1f}" '
                         f'height="{h:.1f}" fill="{side_colour(side)}"/>')
            acc += h
        parts.append("</a>")
    parts.append("</svg>")
    return Markup("".join(parts))
