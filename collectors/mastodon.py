"""Mastodon: a brand's hashtag timelines, its official accounts' statuses, and search.

Ids are local to the configured instance, so posts are stored under the instance's ids
and authors under their `acct` (what the brand registry lists). Content is HTML and is
turned into plain text before scoring. Search needs a user token and only sees accounts
that opted in, so it is an extra, never the main route.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any
from urllib.parse import quote

import httpx

from carescore.store.normalised import NewPost
from collectors.base import (
    BadPayload,
    Batch,
    BrandTarget,
    Page,
    Sweep,
    load_streams,
    missing,
    normalise_each,
    parse_iso,
    require_str,
    walk_pages,
)
from collectors.http import Fetcher, json_of
from collectors.text import html_to_text

LIMIT = "40"


def newer(status_id: str, since: str | None) -> bool:
    """Mastodon ids are numeric strings that grow with time."""
    return since is None or (len(status_id), status_id) > (len(since), since)


def _id_order(status_id: str) -> tuple[int, str]:
    return (len(status_id), status_id)


def _newest(ids: list[str]) -> str | None:
    return max(ids, key=_id_order) if ids else None


def to_post(status: dict[str, Any], brand: BrandTarget | None) -> NewPost:
    status = status.get("reblog") or status  # a boost carries the original post
    account = status["account"]
    acct = require_str(account, "acct")
    content = status["content"]
    if not isinstance(content, str):
        raise TypeError("content must be a string")
    text = html_to_text(content)
    warning = status.get("spoiler_text")
    if isinstance(warning, str) and warning:
        text = f"{warning}\n\n{text}"
    followers = account.get("followers_count")
    return NewPost(
        platform="mastodon",
        external_id=require_str(status, "id"),
        author_id=acct,
        created_at=parse_iso(status["created_at"]),
        text=text,
        brand_slug=brand.slug if brand else None,
        author_handle=acct,
        author_followers=followers if isinstance(followers, int) else None,
        url=status.get("url") or status.get("uri"),
        lang=status.get("language"),
        in_reply_to_id=status.get("in_reply_to_id"),
    )


class MastodonSource:
    name = "mastodon"
    per_brand = True

    def __init__(
        self,
        *,
        instance: str | None = None,
        token: str | None = None,
        max_pages: int = 50,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        instance = instance or ""
        if instance and "://" not in instance:
            instance = f"https://{instance}"
        self.base = instance.rstrip("/")
        self.token = token
        self.max_pages = max_pages
        self.sleep = sleep

    def configured(self) -> str | None:
        return missing(CARESCORE_MASTODON_INSTANCE=self.base)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def batches(
        self, client: httpx.Client, brand: BrandTarget | None, checkpoint: str | None
    ) -> Iterator[Batch]:
        if brand is None:
            return
        fetcher = Fetcher(client, max_pages=self.max_pages, sleep=self.sleep)
        streams = load_streams(checkpoint)
        for tag in brand.hashtags:
            url = f"{self.base}/api/v1/timelines/tag/{quote(tag, safe='')}"
            yield from self._timeline(fetcher, f"tag:{tag}", url, streams, brand)
        for acct in brand.handles("mastodon"):
            account_id = self._lookup(fetcher, acct)
            if account_id:
                url = f"{self.base}/api/v1/accounts/{account_id}/statuses"
                yield from self._timeline(fetcher, f"account:{acct}", url, streams, brand)
        if self.token:
            for keyword in brand.keywords:
                yield from self._search(fetcher, keyword, streams, brand)

    def _lookup(self, fetcher: Fetcher, acct: str) -> str | None:
        try:
            body = fetcher.get_json(
                f"{self.base}/api/v1/accounts/lookup", params={"acct": acct}, headers=self.headers
            )
        except BadPayload as exc:
            if exc.response is not None and exc.response.status_code == 404:
                return None
            raise
        return body.get("id") if isinstance(body, dict) else None

    def _timeline(
        self,
        fetcher: Fetcher,
        key: str,
        url: str,
        streams: dict[str, Sweep],
        brand: BrandTarget,
    ) -> Iterator[Batch]:
        """Newest to oldest through the Link header, down to the previous run's newest id."""

        def fetch(sweep: Sweep) -> Page | None:
            params: dict[str, str] | None = {"limit": LIMIT}
            if sweep.since:
                params["since_id"] = sweep.since
            page_url = url
            if sweep.page:  # the Link header's URL carries every parameter
                page_url, params = sweep.page, None
            try:
                response = fetcher.request("GET", page_url, params=params, headers=self.headers)
            except BadPayload as exc:  # an unknown hashtag is a 404 on recent servers
                if exc.response is None or exc.response.status_code != 404:
                    raise
                return None
            body = json_of(response)
            if not isinstance(body, list):
                raise BadPayload(f"mastodon {key}: expected a list of statuses")
            ids = [s.get("id") for s in body if isinstance(s, dict)]
            fresh = [
                s
                for s, i in zip(body, ids, strict=False)
                if not isinstance(i, str) or newer(i, sweep.since)
            ]
            known = [i for i in ids if isinstance(i, str)]
            next_url = response.links.get("next", {}).get("url")
            done = not body or len(fresh) < len(body) or not next_url
            return Page(
                normalise_each(fresh, partial(to_post, brand=brand), f"mastodon {key}"),
                next=None if done else next_url,
                newest=_newest(known),
            )

        yield from walk_pages(fetch, streams.setdefault(key, Sweep()), streams, key)

    def _search(
        self, fetcher: Fetcher, keyword: str, streams: dict[str, Sweep], brand: BrandTarget
    ) -> Iterator[Batch]:
        """`/api/v2/search` sends no Link header: page down with max_id."""
        key = f"search:{keyword}"

        def fetch(sweep: Sweep) -> Page:
            params = {"q": keyword, "type": "statuses", "limit": LIMIT}
            if sweep.page:
                params["max_id"] = sweep.page
            body = fetcher.get_json(
                f"{self.base}/api/v2/search", params=params, headers=self.headers
            )
            statuses = body.get("statuses") if isinstance(body, dict) else None
            if not isinstance(statuses, list):
                raise BadPayload(f"mastodon {key}: expected an object with statuses")
            ids = [
                s["id"] for s in statuses if isinstance(s, dict) and isinstance(s.get("id"), str)
            ]
            fresh = [
                s
                for s in statuses
                if not (isinstance(s, dict) and isinstance(s.get("id"), str))
                or newer(s["id"], sweep.since)
            ]
            done = not ids or len(fresh) < len(statuses)
            return Page(
                normalise_each(fresh, partial(to_post, brand=brand), f"mastodon {key}"),
                next=None if done else min(ids, key=_id_order),
                newest=_newest(ids),
            )

        yield from walk_pages(fetch, streams.setdefault(key, Sweep()), streams, key)
