"""Claim downloads: CSV, JSON Lines and GeoJSON, streamed from a filtered query.

CSV text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return) are prefixed with an apostrophe; JSONL and GeoJSON
carry the values unchanged.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["CSV_FIELDS", "csv_lines", "jsonl_lines", "geojson_doc"]

#: Columns of the CSV download, in order.
CSV_FIELDS = ("id", "doc", "article_id", "conflict", "claimant_side", "claimant", "subject_side", "metric",
              "category", "value", "value_max", "approx", "stance", "places", "date", "day", "scope",
              "increment", "confidence", "rule", "actor_raw", "outlet", "title", "url", "article_published",
              "cluster", "span_start", "span_end", "evidence")
_TEXT = {"doc", "claimant", "places", "actor_raw", "outlet", "title", "url", "evidence", "rule"}


def _cell(name: str, value: Any) -> Any:
    if value is None:
        return ""
    if name in _TEXT and isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _row(c: dict[str, Any]) -> list[Any]:
    flat = dict(c)
    flat["places"] = "; ".join(map(str, c.get("places") or []))
    span = c.get("span") or [None, None]
    flat["span_start"], flat["span_end"] = span[0], span[1]
    return [_cell(k, flat.get(k)) for k in CSV_FIELDS]


def csv_lines(claims: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The CSV download, a header then one line per claim (yielded in chunks)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_FIELDS)
    for i, c in enumerate(claims, 1):
        w.writerow(_row(c))
        if i % 200 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def jsonl_lines(claims: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object per line per claim (``Claim.to_dict()`` plus article fields)."""
    for c in claims:
        yield json.dumps(c, ensure_ascii=False) + "\n"


def geojson_doc(claims: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the claims (the places module's ``claims_geojson``)."""
    from ..places import claims_geojson  # the places engineer's function; imported at call time
    return claims_geojson(claims)
