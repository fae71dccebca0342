"""Command ``demo``: the main job on the bundled sample corpus (what ``make demo`` runs)."""
from __future__ import annotations

import sys

import click

from ._app import cli, db_option, settings_from


@cli.command("demo")
@db_option
@click.option("--corpus", metavar="DIR", default="examples/corpus", show_default=True,
              help="The corpus to ingest.")
@click.option("--conflict", metavar="ID", default="nk", show_default=True,
              help="Whose ledger to print in full (the others are summarised).")
def demo_cmd(db: str | None, corpus: str, conflict: str) -> None:
    """Ingest the sample corpus, extract and geolocate claims, print what was stored and the ledger."""
    from ..demo import run_demo

    settings = settings_from(db_url=db)
    res = run_demo(corpus=corpus, settings=settings)
    for source, reason in res.summary.failures:
        click.echo(f"counterclaim: {source}: {reason}", err=True)
    s = res.stats
    click.echo(f"ingest: {res.summary.line()}")
    click.echo(f"stored in {settings.db_url}: {s['articles']} articles from {s['outlets']} outlets, "
               f"{s['clusters']} syndication clusters, {s['claims']} claims "
               f"({', '.join(f'{k} {v}' for k, v in sorted(s['conflicts'].items()) if k)})")
    click.echo("claims by metric: " + ", ".join(f"{k} {v}" for k, v in res.claims_by_metric.most_common()))
    click.echo("claims by claimant side: " + ", ".join(f"{k} {v}" for k, v in res.claims_by_claimant_side.most_common()))
    click.echo()
    led = res.ledgers.get(conflict)
    if led is not None:
        _print_overview(led, title=f"Ledger overview, conflict {conflict!r} "
                        f"(details and evidence: counterclaim ledger --conflict {conflict} --db {settings.db_url})")
    click.echo()
    click.echo(f"Next: .venv/bin/counterclaim serve --db {settings.db_url}   then open http://127.0.0.1:8000")
    if res.summary.failed:
        sys.exit(1)


def _fmt(v) -> str:
    return "-" if v is None else (f"{v:,.2f}x" if isinstance(v, float) else f"{v:,}")


def _print_overview(led: dict, *, title: str, limit: int = 30) -> None:
    """One row per series: the enemy's claimed estimate against the side's own admission, at the end."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for col in ("period", "losses of", "metric", "category", "claimed by enemy", "admitted", "ratio", "denials"):
        table.add_column(col, justify="right" if col in {"claimed by enemy", "admitted", "ratio", "denials"} else "left")
    series = sorted(led.get("series", []), key=lambda s: (
        -(s["divergence"]["end"]["ratio"] is not None), -len(s["groups"]["claimed"]["claimants"]),
        s["subject_side"], s["metric"], s["category"]))
    for s in series[:limit]:
        end = s["divergence"]["end"]
        period = (s.get("period") or {}).get("name") or (s.get("period") or {}).get("id") or ""
        table.add_row(period, s["subject_side"], s["metric"], s["category"], _fmt(end["claimed"]),
                      _fmt(end["admitted"]), _fmt(end["ratio"]), str(len(s.get("denials", []))))
    Console(width=130).print(table)
    if len(series) > limit:
        click.echo(f"  ... and {len(series) - limit} more series")
