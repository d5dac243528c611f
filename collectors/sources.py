"""The platform sources by name, built from the environment."""

from __future__ import annotations

from collectors.base import Source

SOURCE_NAMES = ["x", "mastodon", "bluesky", "reddit", "rss"]


def build_sources(names: list[str], max_pages: int = 50) -> list[Source]:
    """Sources in the given order; each reads its own credentials from CARESCORE_* variables."""
    from collectors.bluesky import BlueskySource
    from collectors.mastodon import MastodonSource
    from collectors.reddit import RedditSource
    from collectors.rss import RssSource
    from collectors.x import XSource

    classes = {
        "x": XSource,
        "mastodon": MastodonSource,
        "bluesky": BlueskySource,
        "reddit": RedditSource,
        "rss": RssSource,
    }
    return [classes[name](max_pages=max_pages) for name in names]
