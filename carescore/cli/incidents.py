"""`carescore incidents`: detect surges of complaints (also run by `carescore rank`)."""

from __future__ import annotations

import click

from carescore.cli.common import session
from carescore.incidents import RunSummary, refresh_incidents


def describe(summary: RunSummary) -> str:
    kind = "full" if summary.full else f"incremental, {summary.new_posts} new posts"
    return (
        f"incidents ({kind}): {summary.brands_detected} brands examined, "
        f"{summary.incidents_written} incidents written, {summary.open_now} open now"
    )


@click.command("incidents")
@click.option("--full", is_flag=True, help="rebuild every brand's hours and incidents")
def incidents_command(full: bool) -> None:
    """Detect incidents; only the hours new posts changed are recomputed (see --full)."""
    with session() as s:
        summary = refresh_incidents(s, full=full)
    click.echo(describe(summary))


COMMANDS = [incidents_command]
