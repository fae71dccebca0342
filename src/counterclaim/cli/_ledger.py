"""Commands ``ledger`` (each side's tally over time) and ``report`` (the situation report)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ._app import cli, db_option, settings_from


def _read_claims(db: str | None, from_jsonl: str | None, conflict: str | None) -> list[dict[str, Any]]:
    from ..ledger import load_claims_db, load_claims_jsonl
    if from_jsonl:
        return load_claims_jsonl(from_jsonl)
    return load_claims_db(settings_from(db_url=db).db_url, conflict=conflict)


_filters = [
    click.option("--conflict", metavar="ID", default=None, help="Only this conflict (e.g. nk, ru-ua)."),
    click.option("--side", metavar="S", default=None, help="Only this subject side (whose losses: ARM, AZE, ...)."),
    click.option("--metric", metavar="M", default=None, help="Only this metric (killed, destroyed, ...)."),
    click.option("--category", metavar="C", default=None, help="Only this category (personnel, tank, ...)."),
    click.option("--since", metavar="YYYY-MM-DD", default=None, help="Show points on or after this date."),
    click.option("--until", metavar="YYYY-MM-DD", default=None, help="Ignore points after this date."),
]


def _apply(options):
    def deco(f):
        for opt in reversed(options):
            f = opt(f)
        return f
    return deco


@cli.command("ledger")
@db_option
@_apply(_filters)
@click.option("--json", "as_json", is_flag=True, help="Print the ledger as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per figure or denial.")
@click.option("--from-jsonl", "from_jsonl", metavar="FILE", default=None,
              help="Read claims from a claims JSONL file ('-' for stdin) instead of the database.")
def ledger_cmd(db: str | None, conflict: str | None, side: str | None, metric: str | None, category: str | None,
               since: str | None, until: str | None, as_json: bool, as_csv: bool, from_jsonl: str | None) -> None:
    """Each side's tally over time: claims, admissions, denials and their divergence.

    For each conflict, subject side, metric and category: every claimant's figures with
    their evidence, its running estimate (syndicated copies and same-day repeats counted
    once), admissions apart from the enemy's claims, denials linked to what they deny,
    and the claimed/admitted ratio. A readable table by default; --json or --csv for machines.
    """
    from ..ledger import build_ledger, ledger_csv
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    claims = _read_claims(db, from_jsonl, conflict)
    led = build_ledger(claims, conflict=conflict, side=side, metric=metric, category=category,
                       since=since, until=until)
    if as_json:
        click.echo(json.dumps(led, ensure_ascii=False, indent=2))
    elif as_csv:
        click.echo(ledger_csv(led), nl=False)
    else:
        _print_table(led)


def _print_table(led: dict[str, Any]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=False)
    if not led["series"]:
        console.print(Text("No claims match."))
        return
    for s in led["series"]:
        period = f" · {s['period']['name']}" if s.get("period") else ""
        title = f"{s['conflict'] or '-'}{period} · losses of {s['subject_side']} · {s['metric']} · {s['category']}"
        t = Table(title=Text(title), title_justify="left", box=box.SIMPLE_HEAD, expand=False, pad_edge=False)
        for col, kw in (("group", {"no_wrap": True}), ("claimant", {"no_wrap": True}),
                        ("n", {"justify": "right", "no_wrap": True}), ("latest", {"no_wrap": True}),
                        ("estimate", {"justify": "right", "no_wrap": True}),
                        ("evidence", {"overflow": "fold", "min_width": 24, "ratio": 1})):
            t.add_column(col, **kw)
        for gname, g in s["groups"].items():
            for cl in g["claimants"]:
                latest = cl["latest"] or {}
                basis = latest.get("basis") or []
                ev = next((p["evidence"] for p in cl["points"] if basis and p["id"] == basis[-1]),
                          cl["points"][-1]["evidence"] if cl["points"] else "")
                counted = cl.get("counted", 0)
                und = cl.get("undated") or {}
                if not latest and und.get("max") is not None:   # only undated figures: show the largest
                    date_txt, est_txt = "undated", f"max {und['max']:,}"
                    ev = next((p["evidence"] for p in cl["points"] if p["id"] == und["max_id"]), ev)
                else:
                    date_txt = latest.get("date") or "-"
                    est_txt = f"{latest['estimate']:,}" if latest.get("estimate") is not None else "-"
                t.add_row(Text(_GROUP_LABEL.get(gname, gname)), Text(cl["claimant"]),
                          Text(f"{counted}/{len(cl['points'])}"), Text(date_txt), Text(est_txt), Text(_short(ev)))
        for d in s["denials"]:
            t.add_row(Text("denial"), Text(d["claimant"]), Text("-"), Text(d["date"] or "-"),
                      Text(f"denies {len(d.get('denies', []))}"), Text(_short(d["evidence"])))
        console.print(t)
        console.print(Text("  n: figures counted/shown; estimate: latest tally + later increments"))
        end = s["divergence"]["end"]
        if end["claimed"] is not None or end["admitted"] is not None:
            ratio = f"{end['ratio']:g}x" if end["ratio"] is not None else "n/a"
            console.print(Text(f"  claimed {_num(end['claimed'])} vs admitted {_num(end['admitted'])}: ratio {ratio}"))
        und = s["divergence"].get("undated") or {}
        if und.get("claimed") is not None or und.get("admitted") is not None:
            ratio = f"{und['ratio']:g}x" if und.get("ratio") is not None else "n/a"
            console.print(Text(f"  undated figures, largest: claimed {_num(und['claimed'])} vs admitted "
                               f"{_num(und['admitted'])}: ratio {ratio}"))
        console.print()


_GROUP_LABEL = {"claimed": "claimed", "admitted": "admitted", "third_party": "3rd party"}


def _num(v: int | None) -> str:
    return f"{v:,}" if v is not None else "none"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@cli.command("report")
@click.option("--out", "out", metavar="DIR", required=True, type=click.Path(file_okay=False),
              help="Directory to write index.html, report.md and charts/ into (created if missing).")
@db_option
@click.option("--conflict", metavar="ID", default=None, help="Only this conflict (e.g. nk).")
@click.option("--from-jsonl", "from_jsonl", metavar="FILE", default=None,
              help="Read claims from a claims JSONL file instead of the database.")
@click.option("--articles-jsonl", "articles_jsonl", metavar="FILE", default=None,
              help="With --from-jsonl: article metadata (id, outlet, published, title, url) as JSONL.")
def report_cmd(out: str, db: str | None, conflict: str | None, from_jsonl: str | None,
               articles_jsonl: str | None) -> None:
    """Write a self-contained situation report (HTML + Markdown, charts rendered offline).

    index.html opens from disk with no network: charts are inline SVG, no scripts, no
    fonts, no external requests. Every figure in the text is footnoted with its evidence
    sentence, outlet and date.
    """
    from ..ledger import load_articles_db, load_claims_jsonl
    from ..report import write_report
    claims = _read_claims(db, from_jsonl, conflict)
    if from_jsonl:
        articles = load_claims_jsonl(articles_jsonl) if articles_jsonl else []
    else:
        articles = load_articles_db(settings_from(db_url=db).db_url, conflict=conflict)
    path = write_report(claims, articles, Path(out), conflict=conflict)
    click.echo(str(path))
