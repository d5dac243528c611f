"""Reddit: OAuth (client credentials) search listings, newest first, and brand comments.

Search only returns submissions. When the brand has Reddit accounts in the registry, the
comment trees of matching submissions are walked for the brand's comments and the
comments they answer, so replies can be threaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any

import httpx

from carescore.store.normalised import NewPost
from collectors.base import (
    AuthFailed,
    BadPayload,
    Batch,
    BrandTarget,
    CollectorError,
    Page,
    Sweep,
    load_streams,
    missing,
    normalise_each,
    require_str,
    walk_pages,
)
from collectors.http import USER_AGENT, Fetcher, json_of

TOKEN_URL = "https://www.reddit.com/api/v1/access_token"  # noqa: S105
API = "https://oauth.reddit.com"
MAX_TREES = 10  # comment trees fetched per page of search results


def _created(data: dict) -> datetime:
    value = data["created_utc"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"created_utc must be a number, got {value!r}")
    return datetime.fromtimestamp(value, UTC)


DELETED = "[deleted]"


def to_post(child: dict[str, Any], brand: BrandTarget | None) -> NewPost:
    """A t3 (submission) or t1 (comment) listing child."""
    kind, data = child["kind"], child["data"]
    name = require_str(data, "name")
    author = require_str(data, "author")
    if kind == "t3":
        text = "\n\n".join(t for t in (data["title"], data.get("selftext") or "") if t)
        parent, thread = None, name
    elif kind == "t1":
        text, parent, thread = data["body"], data.get("parent_id"), data.get("link_id")
    else:
        raise ValueError(f"unexpected listing kind {kind!r}")
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    permalink = data.get("permalink")
    return NewPost(
        platform="reddit",
        external_id=name,
        author_id=data.get("author_fullname") or author,
        created_at=_created(data),
        text=text,
        brand_slug=brand.slug if brand else None,
        # A deleted account keeps no handle: "u/[deleted]" names nobody.
        author_handle=None if author == DELETED else author,
        url=f"https://www.reddit.com{permalink}" if isinstance(permalink, str) else None,
        in_reply_to_id=parent,
        conversation_id=thread,
    )


def walk_comments(listing: Any) -> Iterator[dict]:
    """Every t1 child of a comment tree; `replies` is a Listing or "" and `more` is skipped."""
    if not isinstance(listing, dict):
        return
    for child in (listing.get("data") or {}).get("children") or ():
        if not isinstance(child, dict) or child.get("kind") != "t1":
            continue
        yield child
        yield from walk_comments((child.get("data") or {}).get("replies"))


class RedditSource:
    name = "reddit"
    per_brand = True

    def __init__(
        self,
        *,
        client_id: str | None = None,
        secret: str | None = None,
        max_pages: int = 50,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.client_id = client_id
        self.secret = secret
        self.max_pages = max_pages
        self.sleep = sleep
        self.token: str | None = None

    def configured(self) -> str | None:
        return missing(
            CARESCORE_REDDIT_CLIENT_ID=self.client_id, CARESCORE_REDDIT_CLIENT_SECRET=self.secret
        )

    @property
    def user_agent(self) -> str:
        return f"server:carescore:{self.client_id}:0.1 {USER_AGENT}"

    def _authorize(self, fetcher: Fetcher) -> None:
        response = fetcher.request(
            "POST",
            TOKEN_URL,
            auth=(self.client_id, self.secret),
            data={"grant_type": "client_credentials"},
            headers={"User-Agent": self.user_agent},
        )
        body = json_of(response)
        if not isinstance(body, dict) or not body.get("access_token"):
            raise AuthFailed("reddit token answer without access_token")
        self.token = body["access_token"]

    def _get(self, fetcher: Fetcher, path: str, params: dict) -> Any:
        """A GET with the bearer token, fetched again once if Reddit says it expired."""
        if self.token is None:
            self._authorize(fetcher)
        for attempt in (1, 2):
            headers = {"Authorization": f"bearer {self.token}", "User-Agent": self.user_agent}
            try:
                return fetcher.get_json(f"{API}{path}", params=params, headers=headers)
            except AuthFailed as exc:
                status = exc.response.status_code if exc.response is not None else None
                if attempt == 2 or status != 401:
                    raise
                self._authorize(fetcher)
        raise CollectorError("unreachable")

    def batches(
        self, client: httpx.Client, brand: BrandTarget | None, checkpoint: str | None
    ) -> Iterator[Batch]:
        if brand is None:
            return
        fetcher = Fetcher(client, max_pages=self.max_pages, sleep=self.sleep)
        streams = load_streams(checkpoint)
        terms = [f'"{kw}"' if " " in kw else kw for kw in (brand.name, *brand.keywords)]
        query = " OR ".join(dict.fromkeys(terms))[:512]
        yield from self._search(fetcher, "search", query, streams, brand)

    def _search(
        self,
        fetcher: Fetcher,
        key: str,
        query: str,
        streams: dict[str, Sweep],
        brand: BrandTarget,
    ) -> Iterator[Batch]:
        """`sort=new` pages down through `after` to the previous run's newest time."""
        official = {h.lower() for h in brand.handles("reddit")}

        def fetch(sweep: Sweep) -> Page:
            since = float(sweep.since) if sweep.since else None
            params = {"q": query, "sort": "new", "limit": "100", "raw_json": "1", "type": "link"}
            if sweep.page:
                params["after"] = sweep.page
            body = self._get(fetcher, "/search", params)
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, dict) or not isinstance(data.get("children"), list):
                raise BadPayload(f"reddit {key}: expected a Listing")
            children = data["children"]
            fresh = [c for c in children if since is None or _time(c) is None or _time(c) > since]
            times = [t for t in map(_time, children) if t is not None]
            batch = normalise_each(fresh, partial(to_post, brand=brand), f"reddit {key}")
            if official:
                comments = normalise_each(
                    self._brand_comments(fetcher, fresh, official),
                    partial(to_post, brand=brand),
                    f"reddit {key} comments",
                )
                batch.posts += comments.posts
                batch.rejected += comments.rejected
                batch.errors += comments.errors
            after = data.get("after")
            done = not children or len(fresh) < len(children) or not after
            newest = repr(max(times)) if times else None
            return Page(batch, next=None if done else after, newest=newest)

        yield from walk_pages(fetch, streams.setdefault(key, Sweep()), streams, key)

    def _brand_comments(self, fetcher: Fetcher, posts: list, official: set[str]) -> list[dict]:
        """The brand's comments in these threads, and the customer comments they answer."""
        found: list[dict] = []
        fetched = 0
        for child in posts:
            data = child.get("data") if isinstance(child, dict) else None
            if not isinstance(data, dict) or not data.get("num_comments"):
                continue
            if fetched >= MAX_TREES:
                break
            fetched += 1
            body = self._get(
                fetcher,
                f"/comments/{data.get('id')}",
                {"sort": "old", "limit": "500", "raw_json": "1"},
            )
            if not isinstance(body, list) or len(body) != 2:
                raise BadPayload("reddit comments: expected two Listings")
            comments = list(walk_comments(body[1]))
            by_name = {(c.get("data") or {}).get("name"): c for c in comments}
            for comment in comments:
                author = str((comment.get("data") or {}).get("author", "")).lower()
                if author in official:
                    parent = by_name.get(comment["data"].get("parent_id"))
                    found += [parent, comment] if parent else [comment]
        return found


def _time(child: Any) -> float | None:
    try:
        value = child["data"]["created_utc"]
    except (KeyError, TypeError):
        return None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
