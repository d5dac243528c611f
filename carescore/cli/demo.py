"""`carescore demo`: build the demo database."""

from __future__ import annotations

import click
from tqdm import tqdm

from carescore.cli.common import engine, interactive, parse_day
from carescore.demo import DEFAULT_POSTS, build_demo
from carescore.incidents import refresh_incidents
from carescore.ranking.snapshots import refresh_rankings
from carescore.store.columns import utcnow
from carescore.store.db import session_scope
from carescore.store.migrate import upgrade


@click.command("demo")
@click.option(
    "--posts",
    "n_posts",
    default=DEFAULT_POSTS,
    show_default=True,
    help="customer posts to generate (replies come on top)",
)
@click.option("--seed", default=2026, show_default=True)
@click.option("--as-of", callback=parse_day, help="last day of the demo year (default today)")
def demo(n_posts: int, seed: int, as_of) -> None:
    """Build the demo: fictional brands and synthetic posts, marked as demo everywhere."""
    eng = engine()
    upgrade(eng)
    as_of = as_of or utcnow().date()
    with (
        session_scope(eng) as s,
        tqdm(total=None, unit="posts", disable=not interactive(), desc="demo") as bar,
    ):
        result = build_demo(s, as_of, n_posts=n_posts, seed=seed, progress=bar.update)
        scored = refresh_rankings(s, as_of)
        incidents = refresh_incidents(s, full=True)
    click.echo(
        f"demo built as of {as_of}: {result.inserted} posts inserted, "
        f"{result.duplicates} already there; {scored} brand scores "
        f"(the live 90 days and 12 monthly snapshots); {incidents.incidents_written} incidents"
    )


COMMANDS = [demo]
