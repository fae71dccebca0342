"""Server-rendered pages; each has a JSON twin (``?format=json``) with the same data."""
from __future__ import annotations

from typing import Annotated, Any, Callable, Literal, TypeVar

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ..errors import CounterclaimError, NotFound
from . import _queries as Q
from ._api import Filters, _D, _S, ledger_data
from ._render import metric_colour, line_chart, query_link, timeline_chart

__all__ = ["router", "write_router"]

router = APIRouter(include_in_schema=False)
write_router = APIRouter(include_in_schema=False)
Fmt = Literal["html", "json"]
MAX_SERIES = 40
T = TypeVar("T")


def _st(request: Request) -> Any:
    return request.app.state.web


def _facets(st: Any, conn: Any) -> dict[str, list[str]]:
    return st.cached(("facets",), st.version(conn), lambda: Q.facets(conn))


def _read(request: Request, query: Callable[[Any], T], *, facets: bool = False
          ) -> tuple[Any, T, dict[str, list[str]]]:
    """The app state, ``query``'s result and, with ``facets``, the filter menus' values (else ``{}``).

    Both are read on one connection, so a page's rows and its menus come from the same
    data; a JSON twin has no menus, so it skips them.
    """
    st = _st(request)
    with st.engine.connect() as conn:
        return st, query(conn), (_facets(st, conn) if facets else {})


def _given(**params: Any) -> dict[str, Any]:
    """The parameters that were given (non-empty), for links and the filter form."""
    return {k: v for k, v in params.items() if v}


def _divergences(st: Any, top: int = 8) -> list[dict[str, Any]]:
    """Series with both an enemy-claimed and a self-admitted figure, largest ratio first."""
    led = ledger_data(st)
    out = []
    for s in led.get("series", []):
        end = (s.get("divergence") or {}).get("end") or {}
        if end.get("ratio") is not None:
            out.append({"conflict": s["conflict"], "subject_side": s["subject_side"], "metric": s["metric"],
                        "category": s["category"], **end})
    return sorted(out, key=lambda d: -d["ratio"])[:top]


@router.get("/")
def dashboard(request: Request, format: Fmt = "html") -> Response:
    st, data, _ = _read(request, Q.stats)
    data["divergences"] = _divergences(st)
    if format == "json":
        return JSONResponse(data)
    return st.render(request, "dashboard.html", page="dashboard", data=data)


@router.get("/articles")
def articles_page(request: Request, q: _S = None, outlet: _S = None, conflict: _S = None, since: _D = None,
                  until: _D = None, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                  format: Fmt = "html") -> Response:
    st, data, facets = _read(request, lambda conn: Q.article_list(
        conn, q=q, outlet=outlet, conflict=conflict, since=since, until=until, offset=offset, limit=50),
        facets=format == "html")
    if format == "json":
        return JSONResponse(data)
    params = _given(q=q, outlet=outlet, conflict=conflict, since=since, until=until)
    return st.render(request, "articles.html", page="articles", data=data, params=params, facets=facets)


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: str, format: Fmt = "html") -> Response:
    st, art, _ = _read(request, lambda conn: Q.article_detail(conn, article_id[:64]))
    if art is None:
        raise NotFound(f"no article {article_id[:64]!r}")
    art.pop("raw", None)
    if format == "json":
        return JSONResponse(art)
    sides = sorted({c["claimant_side"] for c in art["claims"]})
    return st.render(request, "article.html", page="articles", art=art, sides=sides)


_COLUMNS = [("day", "day"), ("claimant_side", "claimant"), ("subject_side", "subject"), ("metric", "metric"),
            ("category", "category"), ("value", "value"), ("place", "place")]


@router.get("/claims")
def claims_page(request: Request, f: Filters,
                sort: Annotated[Literal[Q.SORTS], Query()] = "-day",  # type: ignore[valid-type]
                cursor: Annotated[str | None, Query(max_length=500)] = None,
                limit: Annotated[int, Query(ge=1, le=Q.MAX_LIMIT)] = 50, format: Fmt = "html") -> Response:
    def read(conn: Any) -> dict[str, Any]:
        return {**Q.claim_page(conn, f, sort=sort, cursor=cursor, limit=limit), "total": Q.count_claims(conn, f)}

    st, page, facets = _read(request, read, facets=format == "html")
    if format == "json":
        page["filters"] = f.as_params()
        return JSONResponse(page)
    params = f.as_params()
    if sort != "-day":
        params["sort"] = sort
    if limit != 50:
        params["limit"] = limit
    return st.render(request, "claims.html", page="claims", data=page, f=f, params=params, sort=sort,
                     facets=facets, columns=_COLUMNS, cursor=cursor)


def _series_chart(s: dict[str, Any]) -> Any:
    lines = []
    for gname, g in s["groups"].items():
        for cl in g["claimants"]:
            pts = []
            for e in cl["running"]:
                pts.append({"date": e["date"], "value": e["estimate"],
                            "tip": f"{cl['claimant']} ({gname}) running estimate on {e['date']}: "
                                   f"{e['estimate']:,} (from {len(e['basis'])} figure(s))"})
            if pts:
                lines.append({"label": f"{cl['claimant']} ({gname})", "side": cl["claimant_side"],
                              "dash": gname == "admitted", "points": pts})
    title = f"{s['subject_side']} {s['metric']} {s['category']}"
    return line_chart(lines, title=title)


@router.get("/ledger")
def ledger_page(request: Request, conflict: _S = None, side: _S = None, metric: _S = None, category: _S = None,
                since: _D = None, until: _D = None, format: Fmt = "html") -> Response:
    st = _st(request)
    led = ledger_data(st, conflict=conflict, side=side, metric=metric, category=category, since=since,
                      until=until)
    if format == "json":
        return JSONResponse(led)
    with st.engine.connect() as conn:
        facets = _facets(st, conn)
    series = led.get("series", [])
    shown = series[:MAX_SERIES]
    charts = [_series_chart(s) for s in shown]
    params = _given(conflict=conflict, side=side, metric=metric, category=category, since=since, until=until)
    return st.render(request, "ledger.html", page="ledger", led=led, series=shown, charts=charts,
                     hidden=len(series) - len(shown), params=params, facets=facets)


@router.get("/map")
def map_page(request: Request, f: Filters, format: Fmt = "html") -> Response:
    st, places, facets = _read(request, lambda conn: Q.places(conn, f), facets=format == "html")
    if format == "json":
        return JSONResponse({"places": places, "filters": f.as_params()})
    metrics = sorted({m for p in places for m in p["metrics"]})
    colours = {m: metric_colour(m) for m in metrics}
    return st.render(request, "map.html", page="map", places=places, params=f.as_params(), facets=facets,
                     metric_colours=colours)


@router.get("/timeline")
def timeline_page(request: Request, f: Filters, format: Fmt = "html") -> Response:
    st, rows, facets = _read(request, lambda conn: Q.timeline(conn, f), facets=format == "html")
    if format == "json":
        return JSONResponse({"days": rows, "filters": f.as_params()})
    params = f.as_params()
    params.pop("since", None)
    params.pop("until", None)
    chart = timeline_chart(rows, link=lambda d: query_link("/claims", params, since=d, until=d))
    sides = sorted({r["side"] for r in rows})
    table: dict[str, dict[str, int]] = {}
    for r in rows:
        table.setdefault(r["day"], {})[r["side"]] = r["count"]
    return st.render(request, "timeline.html", page="timeline", chart=chart, sides=sides, table=table,
                     params=f.as_params(), facets=facets, base=params)


@router.get("/about")
def about_page(request: Request) -> Response:
    return _st(request).render(request, "about.html", page="about")


# ----------------------------------------------------------------------------- ingest form

@write_router.get("/ingest")
def ingest_form(request: Request) -> Response:
    return _st(request).render(request, "ingest.html", page="ingest", error=None, form={})


@write_router.post("/ingest")
def ingest_submit(request: Request, token: Annotated[str, Form(max_length=500)] = "",
                  text: Annotated[str, Form(max_length=5_000_000)] = "",
                  url: Annotated[str, Form(max_length=2048)] = "",
                  title: Annotated[str, Form(max_length=1000)] = "",
                  outlet: Annotated[str, Form(max_length=200)] = "",
                  published: Annotated[str, Form(max_length=10)] = "",
                  conflict: Annotated[str, Form(max_length=64)] = "") -> Response:
    import hmac
    import re

    from ._ingest import ingest
    st = _st(request)
    form = {"text": text, "url": url, "title": title, "outlet": outlet, "published": published,
            "conflict": conflict}

    def again(status: int, msg: str) -> Response:
        return st.render(request, "ingest.html", status_code=status, page="ingest", error=msg, form=form)

    if not st.settings.token:
        return again(403, "Writing is disabled: the server has no COUNTERCLAIM_TOKEN.")
    if not token:
        return again(401, "The token is required.")
    if not hmac.compare_digest(token.encode(), st.settings.token.encode()):
        return again(403, "Wrong token.")
    if bool(text.strip()) == bool(url.strip()):
        return again(422, "Paste the text or give a URL (one of the two).")
    if published and not re.match(r"^\d{4}-\d{2}-\d{2}$", published):
        return again(422, "The date must be YYYY-MM-DD.")
    try:
        res = ingest(st, text=text or None, url=url.strip() or None, title=title or None,
                     outlet=outlet or None, published=published or None, conflict=conflict or None)
    except CounterclaimError as err:
        return again(422, err.one_line())
    return RedirectResponse(f"/articles/{res['article_id']}", status_code=303)

