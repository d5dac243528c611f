"""The `carescore` command line.

Each module of this package holds the commands of one concern and lists them in
`COMMANDS`; the collectors and the site add theirs through the `carescore.commands`
entry points, so the domain never imports them. Errors meant for a person (a bad file,
an unreachable database, an unsafe setting) print one line and exit with status 2.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from importlib.metadata import entry_points

import click

from carescore import __version__
from carescore.errors import UserError


class CarescoreGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=CarescoreGroup)
@click.version_option(__version__, prog_name="carescore")
def main() -> None:
    """Carescore: rank companies by how they treat customers who speak up in public.

    The database is CARESCORE_DATABASE_URL (default sqlite:///var/carescore.db).
    """


def _register() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)
    for ep in entry_points(group="carescore.commands"):
        try:
            main.add_command(ep.load(), ep.name)
        except ImportError as exc:  # a package of the distribution missing from this install
            click.echo(f"warning: command {ep.name!r} unavailable: {exc}", err=True)


_register()
