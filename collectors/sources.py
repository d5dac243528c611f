"""The platform sources by name, built from the settings."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import SecretStr

from carescore.settings import Settings
from carescore.vocab import PLATFORMS
from collectors.base import Source

SOURCE_NAMES = list(PLATFORMS)
"""One collector per platform, named after it."""


def _plain(secret: SecretStr | None) -> str | None:
    return secret.get_secret_value() if secret is not None else None


def build_sources(
    names: list[str],
    settings: Settings,
    *,
    max_pages: int = 50,
    sleep: Callable[[float], None] | None = None,
) -> list[Source]:
    """Sources in the given order, each handed its own credentials and nothing else."""
    from collectors.bluesky import BlueskySource
    from collectors.mastodon import MastodonSource
    from collectors.reddit import RedditSource
    from collectors.rss import RssSource
    from collectors.x import XSource

    common = {"max_pages": max_pages, "sleep": sleep}
    makers: dict[str, Callable[[], Source]] = {
        "x": lambda: XSource(token=_plain(settings.x_bearer_token), **common),
        "mastodon": lambda: MastodonSource(
            instance=settings.mastodon_instance,
            token=_plain(settings.mastodon_token),
            **common,
        ),
        "bluesky": lambda: BlueskySource(
            handle=settings.bluesky_handle,
            app_password=_plain(settings.bluesky_app_password),
            pds=settings.bluesky_pds,
            **common,
        ),
        "reddit": lambda: RedditSource(
            client_id=settings.reddit_client_id,
            secret=_plain(settings.reddit_client_secret),
            **common,
        ),
        "rss": lambda: RssSource(feeds=settings.rss_feeds, **common),
    }
    return [makers[name]() for name in names]
