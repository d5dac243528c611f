"""`carescore brands ...`: the brand registry."""

from __future__ import annotations

from pathlib import Path

import click

from carescore.cli.common import session, settings
from carescore.store.brands import default_registry, load_registry_file, upsert_brands


@click.group("brands")
def brands_group() -> None:
    """Manage the brand registry."""


@brands_group.command("load")
@click.argument("file", required=False, type=click.Path(path_type=Path))
def brands_load(file: Path | None) -> None:
    """Upsert the brand registry (default: the registry shipped with Carescore). All or nothing."""
    path = file or settings().brands_file
    specs = load_registry_file(path) if path else default_registry()
    path = path or "the shipped registry"
    with session() as s:
        result = upsert_brands(s, specs)
    click.echo(
        f"{len(specs)} brands from {path}: {result.created} created, {result.updated} updated, "
        f"{result.accounts} accounts"
    )


COMMANDS = [brands_group]
