"""Charts of the situation report, rendered offline by matplotlib to standalone SVG text.

No pyplot (no global state, no GUI backend): each chart is a ``matplotlib.figure.Figure``
saved to SVG with text drawn as paths, so the SVG needs no font and no network. Every
drawn data series carries an SVG id ``data-<chart>-<n>`` so tests (and readers) can find
the data marks. Labels are untrusted text; matplotlib escapes them in the SVG it writes.
"""
from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import matplotlib
from matplotlib.figure import Figure

__all__ = ["line_chart", "grouped_bars", "stacked_day_bars", "hbar_chart", "inline_svg"]

_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf")
_RC = {"svg.fonttype": "path", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}


def _svg(fig: Figure, name: str) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context({**_RC, "svg.hashsalt": f"counterclaim-{name}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "counterclaim"}, bbox_inches="tight")
    return buf.getvalue()


def _new(width: float = 7.5, height: float = 3.4) -> tuple[Figure, Any]:
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), dpi=100)
        ax = fig.add_subplot(1, 1, 1)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _tag(bars: Any, prefix: str) -> None:
    """Give each bar of a container an SVG id ``<prefix>-<k>`` (containers have no id of their own)."""
    for k, patch in enumerate(bars):
        patch.set_gid(f"{prefix}-{k}")


def _short(label: str, n: int = 40) -> str:
    """A label cut to ``n`` characters, with ``$`` escaped so untrusted text is never read as mathtext."""
    label = " ".join(str(label).split())
    label = label if len(label) <= n else label[: n - 1] + "…"
    return label.replace("$", r"\$")


def line_chart(name: str, title: str, series: Sequence[tuple[str, Sequence[tuple[date, float]]]],
               ylabel: str = "") -> str:
    """Step lines of running estimates: one ``(label, [(date, value), ...])`` per line; SVG text."""
    with matplotlib.rc_context(_RC):
        fig, ax = _new()
        for i, (label, pts) in enumerate(series):
            if not pts:
                continue
            xs = [d for d, _ in pts]
            ys = [v for _, v in pts]
            color = _PALETTE[i % len(_PALETTE)]
            (line,) = ax.step(xs, ys, where="post", marker="o", markersize=3, linewidth=1.6, color=color,
                              label=_short(label))
            line.set_gid(f"data-{name}-{i}")
        ax.set_title(_short(title, 90), loc="left")
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        fig.autofmt_xdate()
        if len(series) > 0:   # below the plot, so it never hides a line
            ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.28), frameon=False, fontsize=8, ncols=2)
        return _svg(fig, name)


def grouped_bars(name: str, title: str, groups: Sequence[str], bars: Sequence[tuple[str, Sequence[float | None]]],
                 ylabel: str = "") -> str:
    """Grouped vertical bars: ``groups`` on the x axis, one ``(label, values per group)`` per bar kind."""
    with matplotlib.rc_context(_RC):
        fig, ax = _new()
        n = max(len(bars), 1)
        width = 0.8 / n
        for i, (label, values) in enumerate(bars):
            xs = [g + (i - (n - 1) / 2) * width for g in range(len(groups))]
            ys = [v or 0 for v in values]
            cont = ax.bar(xs, ys, width=width * 0.95, label=_short(label), color=_PALETTE[i % len(_PALETTE)])
            _tag(cont, f"data-{name}-{i}")
            for x, v in zip(xs, values):
                if v is not None:
                    ax.annotate(f"{v:,.0f}", (x, v), ha="center", va="bottom", fontsize=7,
                                xytext=(0, 2), textcoords="offset points")
        ax.set_xticks(range(len(groups)), [_short(g, 24) for g in groups])
        ax.set_title(_short(title, 90), loc="left")
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.legend(loc="upper right", frameon=False, fontsize=8)
        return _svg(fig, name)


def stacked_day_bars(name: str, title: str, days: Sequence[date], stacks: Sequence[tuple[str, Sequence[int]]]) -> str:
    """Claims per day, stacked by a label (claimant side): one ``(label, counts per day)`` per stack."""
    with matplotlib.rc_context(_RC):
        fig, ax = _new(height=3.0)
        bottom = [0] * len(days)
        for i, (label, counts) in enumerate(stacks):
            cont = ax.bar(list(days), list(counts), bottom=list(bottom), width=0.85, label=_short(label),
                          color=_PALETTE[i % len(_PALETTE)])
            _tag(cont, f"data-{name}-{i}")
            bottom = [b + c for b, c in zip(bottom, counts)]
        ax.set_title(_short(title, 90), loc="left")
        ax.set_ylabel("claims")
        ax.yaxis.get_major_locator().set_params(integer=True)
        fig.autofmt_xdate()
        ax.legend(loc="upper left", frameon=False, fontsize=8, ncols=min(len(stacks), 6) or 1)
        return _svg(fig, name)


def hbar_chart(name: str, title: str, items: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars, largest on top: one ``(label, count)`` per bar."""
    with matplotlib.rc_context(_RC):
        fig, ax = _new(height=max(2.0, 0.32 * len(items) + 1.0))
        labels = [_short(lbl, 32) for lbl, _ in reversed(items)]
        values = [v for _, v in reversed(items)]
        cont = ax.barh(range(len(items)), values, color=_PALETTE[0])
        _tag(cont, f"data-{name}-0")
        ax.set_yticks(range(len(items)), labels)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.grid(axis="y", visible=False)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_title(_short(title, 90), loc="left")
        ax.set_xlabel("claims naming the place")
        return _svg(fig, name)


_PROLOG = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.S)


def inline_svg(svg: str) -> str:
    """The SVG without its XML prolog and doctype, ready to sit inside an HTML page."""
    return _PROLOG.sub("", svg, count=1)
