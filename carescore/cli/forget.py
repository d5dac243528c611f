"""`carescore forget`: honour a removal request."""

from __future__ import annotations

import click

from carescore.cli.common import session
from carescore.ranking.snapshots import rank_brands
from carescore.store.columns import utcnow
from carescore.store.forget import forget


@click.command("forget")
@click.option("--platform", required=True, help="x, mastodon, bluesky, reddit, rss, twcs...")
@click.option("--post", "post_id", help="the platform's id of the post to remove")
@click.option("--author", "author_id", help="the platform's id of the author to remove")
@click.option("--reason", help="kept with the tombstone (e.g. the request's reference)")
def forget_command(
    platform: str, post_id: str | None, author_id: str | None, reason: str | None
) -> None:
    """Remove a post or all of an author's posts, for good, and recompute the live rankings."""
    if (post_id is None) == (author_id is None):
        raise click.UsageError("give exactly one of --post or --author")
    with session() as s:
        result = forget(s, platform=platform, post_id=post_id, author_id=author_id, reason=reason)
        if result.posts_removed:
            rank_brands(s, "90d", utcnow().date())
    click.echo(
        f"removed {result.posts_removed} posts, {result.relinked} replies relinked, "
        f"{'new' if result.tombstones else 'existing'} tombstone kept"
    )


COMMANDS = [forget_command]
