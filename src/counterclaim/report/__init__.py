"""The situation report: the ledger as a self-contained HTML page and a Markdown file.

``write_report`` writes ``index.html`` (charts inlined as SVG, no scripts, no fonts, no
external requests, a Content-Security-Policy that forbids them), ``report.md`` (charts
as ``charts/*.svg`` files beside it) and the chart files. Every figure in the text is
footnoted with its evidence sentence, outlet and date. Article and claim text is
untrusted: Jinja2 autoescapes it in the HTML, and the Markdown escapes it too.
"""
from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from ..errors import ReportError
from ._content import build_context

__all__ = ["write_report", "render_report", "md_escape"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!~])")


def md_escape(text: Any) -> str:
    """Untrusted text made inert in Markdown: one line, HTML-escaped, Markdown punctuation escaped."""
    one = " ".join(str(text if text is not None else "").split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(one, quote=False))


def _md_url(url: Any) -> str:
    """A web address for a Markdown autolink: only http(s), no spaces or angle brackets."""
    u = str(url or "")
    if not u.lower().startswith(("http://", "https://")):
        return ""
    return re.sub(r"[\s<>]", lambda m: "%{:02X}".format(ord(m.group())), u)


def _env(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("counterclaim.report", "templates"),
                             autoescape=autoescape, undefined=jinja2.StrictUndefined,
                             trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)
    env.filters["md"] = md_escape
    env.filters["mdurl"] = _md_url
    return env


def render_report(claims: Iterable[Mapping[str, Any]], articles: Iterable[Mapping[str, Any]] = (), *,
                  conflict: str | None = None) -> dict[str, Any]:
    """The report's texts without writing anything: ``{"html", "markdown", "charts": {file: svg}, "context"}``."""
    ctx = build_context(claims, articles, conflict)
    page = _env(True).get_template("index.html.j2").render(**ctx)
    md = _env(False).get_template("report.md.j2").render(**ctx)
    md = re.sub(r"\n{3,}", "\n\n", md)
    return {"html": page, "markdown": md, "charts": {c["file"]: c["svg"] for c in ctx["charts"]}, "context": ctx}


def write_report(claims: Iterable[Mapping[str, Any]], articles: Iterable[Mapping[str, Any]], out_dir: str | Path, *,
                 conflict: str | None = None) -> Path:
    """Write the situation report into ``out_dir`` and return the path of its ``index.html``.

    ``claims`` are claim dicts (as the ledger takes them); ``articles`` are article dicts
    (``id``, ``outlet``, ``published``, ``title``, ``url``, ``cluster``) used to fill in
    the outlet and date of each footnote; either may come from the database or a JSONL file.
    Files: ``index.html``, ``report.md``, ``charts/<name>.svg``.
    """
    out = Path(out_dir)
    rendered = render_report(claims, articles, conflict=conflict)
    try:
        (out / "charts").mkdir(parents=True, exist_ok=True)
        for name, svg in rendered["charts"].items():
            _write(out / "charts" / name, svg)
        _write(out / "report.md", rendered["markdown"])
        _write(out / "index.html", rendered["html"])
    except OSError as err:
        raise ReportError(f"cannot write the report into {out}: {err.strerror or err}") from None
    return out / "index.html"


def _write(path: Path, text: str) -> None:
    """Write a file whole (temporary file then rename), so a reader never sees half a report."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
