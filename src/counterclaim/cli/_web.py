"""``counterclaim serve``: the web app and JSON API (uvicorn, 127.0.0.1 by default)."""
from __future__ import annotations

import click

from ._app import cli, db_option, settings_from


@cli.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (the default serves this machine only).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to bind.")
@click.option("--read-only", is_flag=True, help="Remove the ingest form and POST /api/articles.")
@click.option("--tiles", metavar="URL", default=None,
              help="Optional tile URL template (https://.../{z}/{x}/{y}.png) added under the offline map.")
def serve_cmd(db: str | None, host: str, port: int, read_only: bool, tiles: str | None) -> None:
    """Serve the web app: dashboard, articles, claims, ledger, map, timeline, /api and /docs."""
    import uvicorn

    from ..web import create_app

    settings = settings_from(db_url=db)
    app = create_app(settings, read_only=read_only, tiles=tiles)
    mode = "read-only" if read_only else ("writing with token" if settings.token else "writing disabled: no token")
    click.echo(f"counterclaim: serving {settings.db_url} on http://{host}:{port}/ ({mode}); Ctrl-C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
