"""The JSON API under ``/api/``: articles, claims (JSON/CSV/JSONL/GeoJSON), ledger, places, timeline, ingest."""
from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from ..errors import NotFound
from . import _queries as Q
from ._export import csv_lines, geojson_doc, jsonl_lines
from ._security import token_ok

__all__ = ["router", "write_router", "claim_filter", "ledger_data", "IngestRequest"]

router = APIRouter(prefix="/api", tags=["read"])
write_router = APIRouter(prefix="/api", tags=["write"])

_S = Annotated[str | None, Query(max_length=200)]
_D = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]


def claim_filter(conflict: _S = None, claimant_side: _S = None, claimant: _S = None, subject_side: _S = None,
                 metric: _S = None, category: _S = None, stance: _S = None, approx: _S = None, place: _S = None,
                 since: _D = None, until: _D = None, q: _S = None, article_id: _S = None) -> Q.ClaimFilter:
    """The claims filters as query parameters (shared by the claims page and API)."""
    return Q.ClaimFilter.from_params(dict(conflict=conflict, claimant_side=claimant_side, claimant=claimant,
                                          subject_side=subject_side, metric=metric, category=category,
                                          stance=stance, approx=approx, place=place, since=since, until=until,
                                          q=q, article_id=article_id))


Filters = Annotated[Q.ClaimFilter, Depends(claim_filter)]


def _state(request: Request) -> Any:
    return request.app.state.web


@router.get("/claims", summary="Claims matching filters (paged JSON, or CSV/JSONL/GeoJSON download)")
def api_claims(request: Request, f: Filters,
               sort: Annotated[Literal[Q.SORTS], Query()] = "-day",  # type: ignore[valid-type]
               cursor: Annotated[str | None, Query(max_length=500)] = None,
               limit: Annotated[int, Query(ge=1, le=Q.MAX_LIMIT)] = 50,
               format: Literal["json", "csv", "jsonl", "geojson"] = "json",
               count: bool = False) -> Any:
    """Claims filtered like the claims page. ``format=json`` is one page (``next`` is the cursor
    of the following page); ``csv``, ``jsonl`` and ``geojson`` download every matching claim
    (from ``cursor`` on), streamed."""
    st = _state(request)
    if format == "json":
        with st.engine.connect() as conn:
            def build() -> bytes:
                page = Q.claim_page(conn, f, sort=sort, cursor=cursor, limit=limit)
                if count:
                    page["total"] = Q.count_claims(conn, f)
                page["filters"] = f.as_params()
                return json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

            body = st.cached(("claims", f, sort, cursor, limit, count), st.version(conn), build)
        return Response(body, media_type="application/json")
    if cursor:  # validate before streaming starts
        Q.decode_cursor(cursor, sort)

    def rows():
        with st.engine.connect() as conn:
            yield from Q.iter_claims(conn, f, sort=sort)

    if format == "geojson":
        try:
            doc = geojson_doc(rows())
        except ImportError:
            raise HTTPException(501, "GeoJSON export needs counterclaim.places.claims_geojson") from None
        return JSONResponse(doc, media_type="application/geo+json",
                            headers={"Content-Disposition": 'attachment; filename="claims.geojson"'})
    if format == "csv":
        return StreamingResponse(csv_lines(rows()), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="claims.csv"'})
    return StreamingResponse(jsonl_lines(rows()), media_type="application/x-ndjson",
                             headers={"Content-Disposition": 'attachment; filename="claims.jsonl"'})


@router.get("/articles", summary="Articles: search (full text), filter by outlet, conflict and date")
def api_articles(request: Request, q: _S = None, outlet: _S = None, conflict: _S = None, since: _D = None,
                 until: _D = None, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                 limit: Annotated[int, Query(ge=1, le=Q.MAX_LIMIT)] = 50) -> dict[str, Any]:
    """Articles newest first with their claim counts; ``q`` is a full-text search."""
    with _state(request).engine.connect() as conn:
        return Q.article_list(conn, q=q, outlet=outlet, conflict=conflict, since=since, until=until,
                              offset=offset, limit=limit)


@router.get("/articles/{article_id}",
            summary="One article: cleaned text, claims with spans, sources, syndicated copies")
def api_article(request: Request, article_id: Annotated[str, Path(max_length=64)],
                raw: bool = False) -> dict[str, Any]:
    """The article (without its raw input unless ``raw=true``), its claims, its ``sources`` (every
    input its exact text was read from: its own first, then byte-identical copies read from other
    files, URLs or records, each with ``source``, ``doc``, ``url``, ``outlet``, ``title``,
    ``published``, ``first_seen`` and ``first``) and its syndicated copies (other articles in its cluster)."""
    with _state(request).engine.connect() as conn:
        art = Q.article_detail(conn, article_id)
    if art is None:
        raise NotFound(f"no article {article_id[:64]!r}")
    if not raw:
        art.pop("raw", None)
    return art


def ledger_data(st: Any, *, conflict: str | None = None, side: str | None = None, metric: str | None = None,
                category: str | None = None, since: str | None = None, until: str | None = None,
                encoded: bool = False) -> Any:
    """The ledger (``counterclaim.ledger.build_ledger``) over the stored claims, cached per data version.

    With ``encoded`` the JSON bytes are returned (also cached), for the API.
    """
    from ..ledger import build_ledger  # the ledger engineer's module

    f = Q.ClaimFilter(conflict=conflict, subject_side=side, metric=metric, category=category)
    key = ("ledger", conflict, side, metric, category, since, until)
    with st.engine.connect() as conn:
        version = st.version(conn)

        def build() -> dict:
            return build_ledger(Q.all_claims(conn, f), conflict=conflict, side=side, metric=metric,
                                category=category, since=since, until=until)

        led = st.cached(key, version, build)
    if not encoded:
        return led
    return st.cached(key + ("json",), version,
                     lambda: json.dumps(led, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


@router.get("/ledger", summary="The ledger: each claimant's figures over time, admissions, denials, divergence")
def api_ledger(request: Request, conflict: _S = None, side: _S = None, metric: _S = None, category: _S = None,
               since: _D = None, until: _D = None) -> Response:
    """The ledger for the filters (see docs/ledger.md for its layout)."""
    body = ledger_data(_state(request), conflict=conflict, side=side, metric=metric, category=category,
                       since=since, until=until, encoded=True)
    return Response(body, media_type="application/json")


@router.get("/places", summary="Claims per resolved place (list, or GeoJSON points)")
def api_places(request: Request, f: Filters,
               format: Literal["json", "geojson"] = "json") -> Any:
    """Places with claim counts (total and per metric) for the filters, largest first."""
    with _state(request).engine.connect() as conn:
        rows = Q.places(conn, f)
    if format == "geojson":
        return JSONResponse({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
             "properties": {k: v for k, v in p.items() if k not in ("lat", "lon")}} for p in rows]},
            media_type="application/geo+json")
    return {"places": rows, "filters": f.as_params()}


@router.get("/timeline", summary="Claims per day per claimant side")
def api_timeline(request: Request, f: Filters) -> dict[str, Any]:
    """Counts per day (claim date, else article date) and claimant side."""
    with _state(request).engine.connect() as conn:
        return {"days": Q.timeline(conn, f), "filters": f.as_params()}


@router.get("/stats", summary="Dashboard figures: totals, per conflict and side, latest claims")
def api_stats(request: Request) -> dict[str, Any]:
    """Totals, per-conflict counts and the latest claims."""
    with _state(request).engine.connect() as conn:
        return Q.stats(conn)


@router.get("/facets", summary="Distinct values of the filterable fields")
def api_facets(request: Request) -> dict[str, list[str]]:
    """Conflicts, sides, metrics, categories, stances, qualifiers and outlets present in the data."""
    st = _state(request)
    with st.engine.connect() as conn:
        return st.cached(("facets",), st.version(conn), lambda: Q.facets(conn))


# ----------------------------------------------------------------------------- writing

class IngestRequest(BaseModel):
    """An article to ingest: pasted ``text`` or a ``url`` to fetch (exactly one)."""

    text: str | None = Field(None, max_length=5_000_000)
    url: str | None = Field(None, max_length=2048)
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200)
    published: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    conflict: str | None = Field(None, max_length=64)


def require_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """401 without a bearer token, 403 with a wrong one or when no token is configured."""
    token = _state(request).settings.token
    ok = token_ok(authorization, token)
    if ok is None:
        raise HTTPException(401, "a bearer token is required (Authorization: Bearer $COUNTERCLAIM_TOKEN)",
                            headers={"WWW-Authenticate": "Bearer"})
    if not token:
        raise HTTPException(403, "writing is disabled: the server has no COUNTERCLAIM_TOKEN")
    if not ok:
        raise HTTPException(403, "wrong token")


@write_router.post("/articles", status_code=201, dependencies=[Depends(require_token)],
                   summary="Ingest an article (pasted text or a URL); needs the bearer token",
                   responses={401: {"description": "no token"}, 403: {"description": "wrong token"},
                              413: {"description": "body too large"}, 422: {"description": "bad input"}})
def api_ingest(request: Request, body: Annotated[IngestRequest, Body()]) -> dict[str, Any]:
    """Run the pipeline on the article and store it with its claims; returns the article id and claims."""
    from ._ingest import ingest
    st = _state(request)
    if bool(body.text) == bool(body.url):
        raise HTTPException(422, "give exactly one of text or url")
    return ingest(st, **body.model_dump())
