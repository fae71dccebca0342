"""Commands of the scale stage: ``batch`` (the Spark job) and ``load`` (its output into a database)."""
from __future__ import annotations

import json

import click

from ._app import cli, db_option, settings_from


@cli.command("batch")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--out", "out", required=True, metavar="DIR", help="Output directory (local path or Hadoop URI).")
@click.option("--master", default="local[*]", show_default=True, help="Spark master URL.")
@click.option("--partitions", type=click.IntRange(min=1), default=None,
              help="Repartition the inputs into N partitions (default: Spark's split of the files).")
@click.option("--conflict", default=None, metavar="ID", help="Conflict dictionary to use (default: detect per article).")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
def batch_cmd(inputs: tuple[str, ...], out: str, master: str, partitions: int | None,
              conflict: str | None, as_json: bool) -> None:
    """Run the pipeline as an Apache Spark job over text/HTML/JSONL/WARC files; write Parquet tables."""
    from ..batch import run_batch

    summary = run_batch(list(inputs), out, master=master, partitions=partitions, conflict=conflict,
                        settings=settings_from())
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
        return
    for line in summary.error_samples:
        click.echo(f"counterclaim: {line}", err=True)
    if summary.errors > len(summary.error_samples):
        click.echo(f"counterclaim: ... {summary.errors - len(summary.error_samples)} more errors "
                   f"in {summary.out}/errors", err=True)
    click.echo(summary.line())


@cli.command("load")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the load summary as JSON.")
def load_cmd(directory: str, db: str | None, as_json: bool) -> None:
    """Load a `counterclaim batch` output directory into the database (idempotent)."""
    from ..batch import load_batch

    url = settings_from(db_url=db).db_url
    summary = load_batch(directory, db=url)
    click.echo(json.dumps(summary.to_dict(), indent=2) if as_json else summary.line())
