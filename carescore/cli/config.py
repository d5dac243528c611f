"""`carescore config`: the effective settings, secrets masked."""

from __future__ import annotations

import click

from carescore.cli.common import settings
from carescore.settings_docs import markdown_table, unknown_variables


@click.command("config")
@click.option("--markdown", is_flag=True, help="the README's tables of every setting instead")
def config(markdown: bool) -> None:
    """Print the effective settings, secrets masked.

    One VARIABLE=value line per setting; `# default` marks those not set. Unknown
    CARESCORE_* variables (often a typo, otherwise ignored) are listed on stderr.
    """
    if markdown:
        click.echo(markdown_table(collectors=False))
        click.echo()
        click.echo(markdown_table(collectors=True))
        return
    for name, shown, explicit in settings().items():
        click.echo(f"{name}={shown}" + ("" if explicit else "  # default"))
    for name in unknown_variables():
        click.echo(f"warning: {name} is not a Carescore setting (ignored)", err=True)


COMMANDS = [config]
