"""The web app: server-rendered pages and a JSON API over a counterclaim database.

Modelled on Datasette: a local server over a database file, every page also JSON, CSV
export, no set-up, and nothing fetched from the internet (Leaflet and the API docs come
from installed packages, country boundaries from Natural Earth data in an installed
package). ``create_app`` builds the FastAPI application; ``counterclaim serve`` runs it
with uvicorn on 127.0.0.1.
"""
from __future__ import annotations

import importlib.resources
import threading
from collections import OrderedDict
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from .._settings import Settings, get_settings
from ..errors import (CounterclaimError, FetchError, InputError, InputTooLarge, NotFound, PrivateAddressError,
                      StorageError)
from . import _queries as Q
from ._boundaries import ATTRIBUTION, boundaries_path
from ._render import claim_summary, highlight, query_link, safe_href, side_class
from ._security import BodyLimit, SecurityHeaders

__all__ = ["create_app", "open_engine", "WebState"]

_HERE = Path(__file__).resolve().parent


def open_engine(url: str, *, read_only: bool = False) -> sa.Engine:
    """A SQLAlchemy engine for the database; :class:`StorageError` when it cannot be opened.

    A SQLite file must exist (the web app never creates an empty database by accident);
    with ``read_only`` every SQLite connection is set ``query_only``.
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        path = path.split("?", 1)[0]
        if path and path != ":memory:" and not Path(path).is_file():
            raise StorageError(f"no database at {path} (run `counterclaim demo` or `counterclaim ingest` "
                               "first, or pass --db)")
        try:
            # keep a connection per concurrent request open (uvicorn's threadpool runs up to 40):
            # with the default pool (5 + 10 overflow) busy servers open and close SQLite
            # connections per request, re-parsing the schema and re-preparing statements
            pool = {"pool_size": 20, "max_overflow": 20} if path and path != ":memory:" else {}
            engine = sa.create_engine(url, connect_args={"check_same_thread": False}, **pool)
        except Exception as err:  # noqa: BLE001 - bad URL
            raise StorageError(f"cannot open database {url!r}: {' '.join(str(err).split())[:200]}") from None

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _rec: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=5000")
            if read_only:
                cur.execute("PRAGMA query_only=ON")
            cur.close()
    else:
        try:
            engine = sa.create_engine(url, pool_pre_ping=True)
        except Exception as err:  # noqa: BLE001 - bad URL, missing driver
            raise StorageError(f"cannot open database {url!r}: {' '.join(str(err).split())[:200]}") from None
    try:
        with engine.connect() as conn:
            names = set(sa.inspect(conn).get_table_names())
    except sa.exc.SQLAlchemyError as err:
        raise StorageError(f"cannot open database {url!r}: {' '.join(str(err).split())[:200]}") from None
    if not {"articles", "claims"} <= names:
        raise StorageError(f"{url} is not a counterclaim database (no articles/claims tables): "
                           "run `counterclaim demo` or `counterclaim ingest` first")
    Q.ensure_current_schema(engine, url, read_only=read_only)
    return engine


class WebState:
    """What the routes share: settings, engine, options, templates and small caches."""

    VERSION_TTL = 1.0
    CACHE_ENTRIES = 512

    def __init__(self, settings: Settings, engine: sa.Engine, db_url: str, read_only: bool,
                 tiles: str | None, use_cache: bool = True) -> None:
        self.settings = settings
        self.engine = engine
        self.db_url = db_url
        self.read_only = read_only
        self.tiles = tiles
        self.writable = not read_only
        self._cache: OrderedDict[Any, Any] = OrderedDict()
        self.use_cache = use_cache
        self._lock = threading.Lock()
        self._version: Any = None
        self._version_at = 0.0
        self.env = Environment(loader=FileSystemLoader(str(_HERE / "templates")),
                               autoescape=select_autoescape(["html"], default=True),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(safe_href=safe_href, side_class=side_class, query_link=query_link,
                                claim_summary=claim_summary, highlight=highlight, state=self,
                                attribution=ATTRIBUTION)

    def render(self, request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
        """Render a template to an HTML response (autoescaped)."""
        html = self.env.get_template(name).render(request=request, **ctx)
        return HTMLResponse(html, status_code=status_code)

    def cached(self, key: Any, version: Any, build: Any) -> Any:
        """A value cached until the data version changes (ledger, facets, claims pages); LRU-bounded."""
        if not self.use_cache:
            return build()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == version:
                self._cache.move_to_end(key)
                return hit[1]
        value = build()
        with self._lock:
            self._cache[key] = (version, value)
            self._cache.move_to_end(key)
            while len(self._cache) > self.CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return value

    def version(self, conn: sa.Connection) -> Any:
        """The data version (changes with every ingestion), re-read at most every ``VERSION_TTL`` s.

        Writes through this app (ingest) call :meth:`invalidate`; writes by other processes
        show within ``VERSION_TTL`` seconds.
        """
        now = time.monotonic()
        with self._lock:
            if self._version is not None and now - self._version_at < self.VERSION_TTL:
                return self._version
        v = Q.data_version(conn)
        with self._lock:
            self._version, self._version_at = v, now
        return v

    def invalidate(self) -> None:
        """Forget the data version (after a write)."""
        with self._lock:
            self._version = None


_STATUS = [(NotFound, 404), (Q.BadQuery, 400), (InputTooLarge, 413), (PrivateAddressError, 400),
           (FetchError, 502), (InputError, 422), (StorageError, 503), (CounterclaimError, 400)]


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.query_params.get("format") == "json"


def create_app(settings: Settings | None = None, *, db: str | None = None, read_only: bool = False,
               tiles: str | None = None, cache: bool = True) -> FastAPI:
    """Build the web application over the database ``db`` (default ``settings.db_url``).

    ``read_only`` removes every writing route (the ingest form and ``POST /api/articles``);
    ``tiles`` is an optional tile URL template (``https://.../{z}/{x}/{y}.png``) added to the
    map for online users. ``cache`` keeps query results (claims pages, ledger, facets) in
    memory until the data changes (re-checked at most every second); off for benchmarks
    of the raw queries. Raises :class:`StorageError` when the database cannot be opened.
    """
    from fastapi_offline import FastAPIOffline

    settings = settings or get_settings()
    url = db or settings.db_url
    if tiles is not None and not (safe_href(tiles.replace("{", "").replace("}", ""))):
        from ..errors import SettingsError
        raise SettingsError(f"--tiles must be an http(s) URL template, got {tiles[:80]!r}")
    engine = open_engine(url, read_only=read_only)
    state = WebState(settings, engine, url, read_only, tiles, use_cache=cache)

    app = FastAPIOffline(title="counterclaim", version="0.1.0",
                         description="Competing claims in war reporting: articles, claims, ledger, places. "
                                     "Every page of the web app has a JSON twin here.",
                         docs_url=None, redoc_url=None)
    app.state.web = state

    app.mount("/static/leaflet", StaticFiles(directory=str(
        importlib.resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet")), name="leaflet")
    app.mount("/static/app", StaticFiles(directory=str(_HERE / "static")), name="static")

    @app.get("/static-data/boundaries.geojson", include_in_schema=False)
    def boundaries() -> FileResponse:
        path = boundaries_path(settings.cache_dir)
        return FileResponse(path, media_type="application/geo+json",
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(_HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return state.render(request, "swagger.html")

    @app.exception_handler(CounterclaimError)
    async def _cc_error(request: Request, err: CounterclaimError) -> Response:
        status = next(s for cls, s in _STATUS if isinstance(err, cls))
        msg = err.one_line()
        if _wants_json(request):
            return JSONResponse({"detail": msg, "code": err.code}, status_code=status)
        return state.render(request, "error.html", status_code=status, status=status, message=msg)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, err: StarletteHTTPException) -> Response:
        if _wants_json(request) or request.method != "GET":
            return JSONResponse({"detail": err.detail}, status_code=err.status_code,
                                headers=getattr(err, "headers", None))
        return state.render(request, "error.html", status_code=err.status_code, status=err.status_code,
                            message=str(err.detail))

    from ._api import router as api_router
    from ._pages import router as pages_router
    app.include_router(api_router)
    app.include_router(pages_router)
    if not read_only:
        from ._api import write_router
        from ._pages import write_router as pages_write
        app.include_router(write_router)
        app.include_router(pages_write)

    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)
    return app
