"""`carescore rank` and `carescore export`: compute the rankings, hand out the data."""

from __future__ import annotations

import sys

import click

from carescore.cli.common import parse_day, session
from carescore.cli.incidents import describe
from carescore.cli.scoring import outdated_posts
from carescore.incidents import refresh_incidents
from carescore.ranking.snapshots import rank_brands, recompute_all, refresh_rankings
from carescore.read.export import POST_FIELDS, SCORE_FIELDS, export_posts, export_scores
from carescore.read.serialize import FORMATS, write
from carescore.scoring.score import SCORER_VERSION
from carescore.store.columns import utcnow
from carescore.store.generation import bump_generation


@click.command("rank")
@click.option(
    "--window",
    help="90d, all or YYYY-MM; default: the live 90 days plus the past 12 months' snapshots",
)
@click.option("--as-of", callback=parse_day, help="last day of a 90d/all window (default today)")
@click.option(
    "--history",
    is_flag=True,
    help="the 90 days, all, and every month holding posts up to --as-of (historical imports)",
)
@click.option("--no-incidents", is_flag=True, help="skip the incremental incident detection")
def rank_command(window: str | None, as_of, history: bool, no_incidents: bool) -> None:
    """Compute brand scores (current methodology), then update incidents.

    Final monthly snapshots are never rewritten: they keep the figures and the
    methodology version they were computed with.
    """
    if history and window:
        raise click.UsageError("--history computes every window: give no --window")
    as_of = as_of or utcnow().date()
    with session() as s:
        outdated = outdated_posts(s)
        if outdated:
            click.echo(
                f"warning: {outdated} posts carry labels of another scorer version than "
                f"{SCORER_VERSION}; run `carescore score`, then rank again, so that every "
                "figure counts today's labels (posts in languages the scorer does not read "
                "are no opinion)",
                err=True,
            )
        if history:
            written, label = recompute_all(s, as_of), "90d+all+every month"
        elif window is None:
            written, label = refresh_rankings(s, as_of), "90d+months"
        else:
            written, label = rank_brands(s, window, as_of), window
        bump_generation(s)
    click.echo(f"{written} brand scores written (as of {as_of}, window {label})")
    if not no_incidents:
        with session() as s:
            click.echo(describe(refresh_incidents(s)))


@click.command("export")
@click.argument("what", type=click.Choice(["posts", "scores"]))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--window", help="scores only: 90d, month or all")
@click.option("--period", help="scores only: an as-of date or YYYY-MM")
def export_command(what: str, fmt: str, window: str | None, period: str | None) -> None:
    """Stream every post or every brand score to standard output."""
    with session() as s:
        if what == "posts":
            records, fields = export_posts(s), POST_FIELDS
        else:
            records, fields = export_scores(s, window, period), SCORE_FIELDS
        count = write(records, fields, fmt, sys.stdout)
    click.echo(f"{count} {what} exported", err=True)


COMMANDS = [rank_command, export_command]
