"""Ingest-side commands: ingest, articles, show, reextract, export (thin over ``service``)."""
from __future__ import annotations

import json
import os
import sys
from contextlib import ExitStack

import click

from ._app import cli, db_option, fail, settings_from

FORMATS = ["auto", "text", "markdown", "html", "jsonl", "warc", "feed"]


def _progress_bar(enabled: bool, stack: ExitStack):
    """A rich progress bar on stderr (only on a terminal); returns the service callback."""
    if not enabled or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = stack.enter_context(Progress(SpinnerColumn(), TextColumn("[bold]ingest"), BarColumn(),
                                       TextColumn("{task.completed} inputs · {task.fields[last]}"),
                                       TimeElapsedColumn(), console=Console(stderr=True), transient=True))
    task = bar.add_task("ingest", total=None, last="")

    def update(status: str, source: str, _article_id: str | None) -> None:
        bar.update(task, advance=1, last=escape(f"{status}: {source[-50:]}"))  # untrusted names
    return update


@cli.command("ingest")
@click.argument("sources", nargs=-1, required=True)
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True,
              help="Input format (auto: by extension and content).")
@click.option("--follow", is_flag=True, help="For feeds: fetch the linked pages.")
@click.option("--allow-private", is_flag=True, help="Allow fetching loopback/private addresses.")
@click.option("--conflict", metavar="ID", default=None, help="Conflict dictionary to use (default: detect).")
@click.option("--workers", type=int, default=1, show_default=True, help="Processes (0: all cores).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def ingest_cmd(sources: tuple[str, ...], db: str | None, fmt: str, follow: bool, allow_private: bool,
               conflict: str | None, workers: int, quiet: bool) -> None:
    """Read articles (files, directories, globs, -, URLs, feeds, WARC, JSONL) into the database.

    Prints `N new, M unchanged, K syndicated, F failed`, with `M unchanged (S new sources
    recorded)` when stored articles were read from new inputs (byte-identical copies
    elsewhere: kept as further sources); one line per failed input on stderr; exits 1 if
    any input failed (every good input is still stored).
    """
    from ..service import ingest_sources

    settings = settings_from(db_url=db)
    with ExitStack() as stack:
        progress = _progress_bar(not quiet, stack)
        summary = ingest_sources(sources, format=fmt, follow=follow, allow_private=allow_private or None,
                                 conflict=conflict, progress=progress, settings=settings, workers=workers)
    for source, reason in summary.failures:
        click.echo(f"counterclaim: {source}: {reason}", err=True)
    click.echo(summary.line())
    if summary.failed:
        sys.exit(1)


@cli.command("articles")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--cluster", metavar="ID", default=None, help="Only this syndication cluster.")
@click.option("--search", "-s", "q", metavar="WORDS", default=None, help="Full-text search in title and body.")
@click.option("--limit", type=int, default=None, help="At most this many (default: all).")
def articles_cmd(db: str | None, as_json: bool, cluster: str | None, q: str | None, limit: int | None) -> None:
    """List stored articles: id, source, title, outlet, dates, cluster, claim count."""
    from ..store import Store

    settings = settings_from(db_url=db)
    with Store(settings.db_url, settings=settings) as store:
        rows = store.articles(cluster=cluster, q=q, limit=limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        cluster_mark = "" if r["cluster"] in (None, r["id"]) else f"  ~{r['cluster'][:10]}"
        click.echo(f"{r['id'][:10]}  {r['published'] or '----------'}  {r['claims']:>3} claims  "
                   f"{(r['outlet'] or '-')[:20]:<20}  {(r['title'] or '(no title)')[:60]}{cluster_mark}  "
                   f"[{r['source']}]")
    click.echo(f"{len(rows)} articles", err=True)


@cli.command("show")
@click.argument("article_id")
@db_option
@click.option("--text", "mode", flag_value="text", help="Print the cleaned text only.")
@click.option("--raw", "mode", flag_value="raw", help="Print the raw input only.")
@click.option("--json", "mode", flag_value="json", help="Print the article and its claims as JSON.")
def show_cmd(article_id: str, db: str | None, mode: str | None) -> None:
    """Show one article (ID or a unique prefix of it).

    Lists the other inputs its exact text was read from ("also published at") and its claims.
    """
    from ..store import Store

    settings = settings_from(db_url=db)
    with Store(settings.db_url, settings=settings) as store:
        art = store.article(article_id)
        found = store.article_claims(art["id"])
        sources = store.sources(art["id"])
    if mode in ("text", "raw"):
        body = art[mode]
        click.echo(body, nl=not body.endswith("\n"))
        return
    if mode == "json":
        click.echo(json.dumps({**art, "sources": sources, "claims": found}, ensure_ascii=False, indent=2))
        return
    for key in ("id", "title", "outlet", "author", "published", "source", "url", "format", "language",
                "original_source", "original_published", "conflict", "cluster", "ingested_at", "extracted_with"):
        if art.get(key):
            click.echo(f"{key + ':':<20}{art[key]}")
    also = [s for s in sources if not s["first"]]
    if also:
        click.echo(f"{'also published at:':<20}{len(also)} more")
        for s in also:
            click.echo(f"  {_source_line(s)}")
    click.echo(f"{'claims:':<20}{len(found)}")
    for c in found:
        value = c["value"] if c["value_max"] is None else f"{c['value']}-{c['value_max']}"
        click.echo(f"  {c['claimant_side']}->{c['subject_side']} {c['metric']} {c['category']} "
                   f"{value} ({c['approx']}, {c['stance']})")
    click.echo("")
    click.echo(art["text"])


def _source_line(s: dict) -> str:
    """One further source of an article: its date, outlet and URL (else the path read), then
    in brackets the input and record it came from when they say more (a JSONL/WARC/feed file)."""
    where = s["url"] or s["source"]
    more = dict.fromkeys(x for x in (s["source"], s["doc"]) if x not in (where, os.path.basename(s["source"])))
    line = f"{s['published'] or '----------'}  {s['outlet'] or '-'}  {where}"
    return f"{line}  [{' '.join(more)}]" if more else line


@cli.command("reextract")
@db_option
@click.option("--conflict", metavar="ID", default=None, help="Only this conflict's articles, with its dictionary.")
def reextract_cmd(db: str | None, conflict: str | None) -> None:
    """Re-run claim extraction and geolocation over stored articles (replaces their claims)."""
    from ..service import reextract

    summary = reextract(conflict=conflict, settings=settings_from(db_url=db))
    for source, reason in summary.failures:
        click.echo(f"counterclaim: {source}: {reason}", err=True)
    click.echo(summary.line())
    if summary.failures:
        sys.exit(1)


@cli.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson"]), required=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Output file (default: stdout).")
@click.option("--conflict", metavar="ID", default=None, help="Only this conflict's claims.")
def export_cmd(db: str | None, fmt: str, out_path: str | None, conflict: str | None) -> None:
    """Export stored claims as JSON Lines, CSV or GeoJSON."""
    from ..service import export_claims

    settings = settings_from(db_url=db)
    if out_path is None:
        export_claims(fmt=fmt, out=sys.stdout, conflict=conflict, settings=settings)
        return
    try:
        fh = open(out_path, "w", encoding="utf-8", newline="")
    except OSError as err:
        fail(f"cannot write {out_path}: {err.strerror}")
        return
    with fh:
        n = export_claims(fmt=fmt, out=fh, conflict=conflict, settings=settings)
    click.echo(f"{n} claims written to {out_path}", err=True)


@cli.command("recluster")
@db_option
def recluster_cmd(db: str | None) -> None:
    """Recompute syndication clusters from the stored signatures.

    Ingest clusters incrementally; run this after several processes ingested into one
    database at once (each blind to the others' uncommitted articles) or after a bulk load.
    """
    from ..store import Store

    settings = settings_from(db_url=db)
    with Store(settings.db_url, settings=settings) as store:
        changed = store.recluster()
        stats = store.stats()
    click.echo(f"{changed} articles changed cluster; {stats['clusters']} clusters, {stats['syndicated']} syndicated copies")
