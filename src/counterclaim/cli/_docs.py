"""Documentation generated from the code: docs/cli.md and docs/settings.md.

Like sqlite-utils, the CLI reference is generated from the click commands themselves and a
test fails when the committed file is stale (``make docs`` regenerates it).
"""
from __future__ import annotations

import click

from ._app import cli
from ._misc import settings_markdown

__all__ = ["cli_markdown", "settings_markdown"]


def _walk(group: click.Group, ctx: click.Context, prefix: str):
    for name in sorted(group.list_commands(ctx)):
        cmd = group.get_command(ctx, name)
        if cmd is None or cmd.hidden:
            continue
        full = f"{prefix} {name}"
        sub = click.Context(cmd, info_name=full, terminal_width=100, max_content_width=100, help_option_names=["-h", "--help"])
        yield full, cmd, sub
        if isinstance(cmd, click.Group):
            yield from _walk(cmd, sub, full)


def cli_markdown() -> str:
    """The reference of every command: its help text exactly as ``--help`` prints it."""
    out = ["# Command-line reference", "",
           "Generated from the code by `counterclaim cli-docs`; do not edit by hand (`make docs`).", ""]
    root = click.Context(cli, info_name="counterclaim", terminal_width=100, max_content_width=100, help_option_names=["-h", "--help"])
    out += ["## counterclaim", "", "```", cli.get_help(root).rstrip(), "```", ""]
    for full, cmd, sub in _walk(cli, root, "counterclaim"):
        out += [f"## {full}", "", "```", cmd.get_help(sub).rstrip(), "```", ""]
    return "\n".join(out)


@cli.command("cli-docs")
def cli_docs_cmd() -> None:
    """Print the command-line reference as Markdown (docs/cli.md)."""
    click.echo(cli_markdown(), nl=False)
