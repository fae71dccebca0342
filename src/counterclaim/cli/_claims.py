"""Claims commands: ``extract``, ``eval``, ``conflicts``."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from ..errors import CounterclaimError, InputError, NotEnglish
from ._app import cli, settings_from


@cli.command("extract")
@click.argument("sources", nargs=-1, required=True)
@click.option("--conflict", default=None, metavar="ID", help="Conflict dictionary id (default: detected per article).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True,
              help="Output format.")
def extract_cmd(sources: tuple[str, ...], conflict: str | None, fmt: str) -> None:
    """Extract claims from SOURCES (files, directories, URLs, feeds...) to stdout; no database."""
    from ..claims import extract
    from ..conflicts import load_conflict
    from ..evaluate import claim_record
    from ..ingest import prepare, read_sources
    from ..records import SPEC_FIELDS

    settings = settings_from()
    conf = load_conflict(conflict, settings=settings) if conflict else None
    writer = None
    failed = 0
    for item in read_sources(list(sources), settings=settings):
        if isinstance(item, CounterclaimError):
            click.echo(f"counterclaim: {item.one_line()}", err=True)
            failed += 1
            continue
        try:
            art = prepare(item, settings=settings)
        except InputError as err:
            click.echo(f"counterclaim: {err.one_line()}", err=True)
            failed += 1
            continue
        if art.language and art.language != "en":
            click.echo(f"counterclaim: {NotEnglish(f'skipped: language {art.language!r}, not English', source=item.doc).one_line()}",
                       err=True)
            continue
        for c in extract(art, conflict=conf):
            rec = claim_record(c, item.doc)
            if fmt == "jsonl":
                click.echo(json.dumps(rec, ensure_ascii=False))
            else:
                if writer is None:
                    writer = csv.writer(sys.stdout)
                    writer.writerow([*SPEC_FIELDS, "claimant_raw", "scope", "increment", "rule", "span", "number_span"])
                writer.writerow([*(";".join(rec[k]) if k == "places" else rec[k] for k in SPEC_FIELDS),
                                 rec.get("actor_raw"), rec.get("scope"), rec.get("increment"), rec.get("rule"),
                                 json.dumps(rec.get("span")), json.dumps(rec.get("number_span"))])
    if failed and failed == len(sources):
        sys.exit(1)


@cli.command("eval")
@click.argument("gold", type=click.Path(dir_okay=False))
@click.option("--docs", "docs", multiple=True, metavar="DIR",
              help="Directory of the gold's documents (default: the gold's folder and corpus/ beside it).")
@click.option("--conflict", default=None, metavar="ID", help="Conflict dictionary id (default: detected).")
@click.option("--errors", "show_errors", is_flag=True, help="List every missed and spurious claim.")
@click.option("--min-numbers-f1", type=float, default=None, help="Exit 1 when the numbers-tier F1 is below this.")
@click.option("--min-all-f1", type=float, default=None, help="Exit 1 when the all-tier F1 is below this.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_cmd(gold: str, docs: tuple[str, ...], conflict: str | None, show_errors: bool,
             min_numbers_f1: float | None, min_all_f1: float | None, as_json: bool) -> None:
    """Extract from the gold's documents and print numbers / all / sides-blind P, R, F1."""
    from ..evaluate import extract_for_gold, format_report, load_jsonl, score

    gp = Path(gold)
    if not gp.is_file():
        raise InputError("gold file not found", source=gold)
    records = load_jsonl(gp)
    dirs = [Path(d) for d in docs] or [gp.parent, gp.parent / "corpus"]
    preds, notices = extract_for_gold(records, dirs, conflict=conflict, settings=settings_from())
    for n in notices:
        click.echo(f"counterclaim: {n}", err=True)
    results, errors = score(records, preds)
    if as_json:
        click.echo(json.dumps({t: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "tp": s.tp, "fp": s.fp,
                                   "fn": s.fn} for t, s in results.items()}))
    else:
        click.echo(format_report(results, errors, show_errors=show_errors))
    bad = []
    if min_numbers_f1 is not None and results["numbers"].f1 < min_numbers_f1:
        bad.append(f"numbers F1 {results['numbers'].f1:.3f} < {min_numbers_f1}")
    if min_all_f1 is not None and results["all"].f1 < min_all_f1:
        bad.append(f"all F1 {results['all'].f1:.3f} < {min_all_f1}")
    if bad:
        click.echo("counterclaim: below threshold: " + "; ".join(bad), err=True)
        sys.exit(1)


@cli.command("conflicts")
@click.option("--check", "check", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Validate one conflict YAML file.")
def conflicts_cmd(check: str | None) -> None:
    """List the conflict dictionaries (id, name, sides, actors), or validate one file."""
    from ..conflicts import conflict_paths, load_conflict, load_conflict_file

    if check:
        c = load_conflict_file(check)
        click.echo(f"{check}: ok ({c.id}: {len(c.sides)} sides, {len(c.actors)} actors)")
        return
    settings = settings_from()
    for cid, path in sorted(conflict_paths(settings).items()):
        c = load_conflict(cid, settings=settings)
        click.echo(f"{cid}\t{c.name}\tsides={','.join(c.sides)}\tactors={len(c.actors)}\t{path}")
