"""`carescore db ...`: schema creation and migration."""

from __future__ import annotations

import click

from carescore.cli.common import engine
from carescore.store.migrate import current_revision, upgrade


@click.group("db")
def db_group() -> None:
    """Create or migrate the database schema."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the latest revision; safe to run twice."""
    eng = engine()
    upgrade(eng)
    click.echo(f"database at revision {current_revision(eng)}: {eng.url.render_as_string()}")


COMMANDS = [db_group]
