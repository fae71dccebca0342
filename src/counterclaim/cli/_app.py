"""The ``counterclaim`` command group and its error handling.

Commands are thin: they parse options and call a library function. Expected failures
(:class:`~counterclaim.errors.CounterclaimError`) become one line on stderr and exit
code 1; an unexpected exception also becomes one line (set ``COUNTERCLAIM_DEBUG=1`` to
see the traceback) so users never meet a traceback by default.
"""
from __future__ import annotations

import os
import sys

import click

from .._settings import Settings, get_settings
from ..errors import CounterclaimError

__all__ = ["cli", "main", "settings_from", "db_option", "fail"]


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CounterclaimError as err:
            click.echo(f"counterclaim: {err.one_line()}", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("counterclaim: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(0)
        except Exception as err:  # noqa: BLE001 - the last line of defence
            if os.environ.get("COUNTERCLAIM_DEBUG"):
                raise
            msg = " ".join(str(err).split())[:300]
            click.echo(f"counterclaim: internal error: {type(err).__name__}: {msg} "
                       "(set COUNTERCLAIM_DEBUG=1 for details)", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="counterclaim")
def cli() -> None:
    """counterclaim: a sourced, geolocated, de-duplicated record of competing claims in war reporting."""


def settings_from(**overrides) -> Settings:
    """Settings from the environment with CLI option overrides; errors become one line."""
    return get_settings(**overrides)


db_option = click.option("--db", "db", metavar="URL", default=None,
                         help="Database URL (default: $COUNTERCLAIM_DB or sqlite:///counterclaim.db).")


def fail(message: str, code: int = 1) -> None:
    """Print one error line and exit."""
    click.echo(f"counterclaim: {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="counterclaim")
    except BrokenPipeError:  # e.g. `counterclaim extract ... | head`
        try:
            sys.stdout = open(os.devnull, "w")
        finally:
            sys.exit(0)
