"""`carescore brands ...`: the brand registry."""

from __future__ import annotations

from pathlib import Path

import click

from carescore.brands import load_registry_file, upsert_brands
from carescore.cli.common import session
from carescore.config import Settings


@click.group("brands")
def brands_group() -> None:
    """Manage the brand registry."""


@brands_group.command("load")
@click.argument("file", required=False, type=click.Path(path_type=Path))
def brands_load(file: Path | None) -> None:
    """Upsert the brand registry (default data/brands.toml). All or nothing."""
    path = file or Settings.from_env().brands_file
    specs = load_registry_file(path)
    with session() as s:
        result = upsert_brands(s, specs)
    click.echo(
        f"{len(specs)} brands from {path}: {result.created} created, {result.updated} updated, "
        f"{result.accounts} accounts"
    )


COMMANDS = [brands_group]
