"""X (Twitter) API v2 recent search: mentions of a brand and its official accounts' replies.

One query per brand covers `@handle`, `to:handle`, `from:handle` (the brand's own replies),
its hashtags and keywords. Results come newest first; the first page's `newest_id` becomes
the next run's `since_id` once the whole sweep is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import httpx

from carescore.store.normalised import NewPost
from collectors.base import (
    BadPayload,
    Batch,
    BrandTarget,
    Page,
    Sweep,
    missing,
    normalise_each,
    parse_iso,
    require_str,
    walk_pages,
)
from collectors.http import Fetcher
from collectors.text import decode_entities

SEARCH_URL = "https://api.x.com/2/tweets/search/recent"
MAX_QUERY = 512
PARAMS = {
    "max_results": "100",
    "tweet.fields": "created_at,author_id,conversation_id,in_reply_to_user_id,"
    "referenced_tweets,lang,note_tweet",
    "expansions": "author_id",
    "user.fields": "username,public_metrics",
}


def build_query(brand: BrandTarget) -> str | None:
    """The search query for a brand, cut to X's 512 characters by dropping whole terms."""
    terms: list[str] = []
    for handle in brand.handles("x"):
        terms += [f"@{handle}", f"to:{handle}", f"from:{handle}"]
    terms += [f"#{tag}" for tag in brand.hashtags]
    terms += [f'"{kw}"' if " " in kw else kw for kw in brand.keywords]
    if not terms:
        return None
    suffix = ") -is:retweet"
    kept: list[str] = []
    for term in terms:
        if len("(" + " OR ".join([*kept, term]) + suffix) > MAX_QUERY:
            break
        kept.append(term)
    return "(" + " OR ".join(kept) + suffix


def to_post(tweet: dict[str, Any], users: dict[str, dict], brand: BrandTarget | None) -> NewPost:
    tweet_id = require_str(tweet, "id")
    author_id = require_str(tweet, "author_id")
    text = (tweet.get("note_tweet") or {}).get("text") or tweet["text"]
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    user = users.get(author_id, {})
    username = user.get("username")
    followers = (user.get("public_metrics") or {}).get("followers_count")
    parent = next(
        (
            ref.get("id")
            for ref in tweet.get("referenced_tweets") or ()
            if ref.get("type") == "replied_to"
        ),
        None,
    )
    return NewPost(
        platform="x",
        external_id=tweet_id,
        author_id=author_id,
        created_at=parse_iso(tweet["created_at"]),
        text=decode_entities(text),
        brand_slug=brand.slug if brand else None,
        author_handle=username,
        author_followers=followers if isinstance(followers, int) else None,
        url=f"https://x.com/{username or 'i/web'}/status/{tweet_id}",
        lang=tweet.get("lang"),
        in_reply_to_id=parent,
        conversation_id=tweet.get("conversation_id"),
    )


class XSource:
    name = "x"
    per_brand = True

    def __init__(
        self,
        *,
        token: str | None = None,
        max_pages: int = 50,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.token = token
        self.max_pages = max_pages
        self.sleep = sleep

    def configured(self) -> str | None:
        return missing(CARESCORE_X_BEARER_TOKEN=self.token)

    def batches(
        self, client: httpx.Client, brand: BrandTarget | None, checkpoint: str | None
    ) -> Iterator[Batch]:
        query = build_query(brand) if brand else None
        if not query:
            return
        fetcher = Fetcher(client, max_pages=self.max_pages, sleep=self.sleep)
        headers = {"Authorization": f"Bearer {self.token}"}

        def fetch(sweep: Sweep) -> Page:
            params = {**PARAMS, "query": query}
            if sweep.since:
                params["since_id"] = sweep.since
            if sweep.page:
                params["next_token"] = sweep.page
            body = fetcher.get_json(SEARCH_URL, params=params, headers=headers)
            if not isinstance(body, dict) or not isinstance(body.get("meta"), dict):
                raise BadPayload("X search answered without a meta object")
            meta = body["meta"]
            users = {
                u["id"]: u
                for u in (body.get("includes") or {}).get("users") or ()
                if isinstance(u, dict) and "id" in u
            }
            batch = normalise_each(
                body.get("data") or (), partial(to_post, users=users, brand=brand), "x"
            )
            return Page(batch, next=meta.get("next_token"), newest=meta.get("newest_id"))

        yield from walk_pages(fetch, Sweep.load(checkpoint))
