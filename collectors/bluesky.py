"""Bluesky: `searchPosts` through the account's PDS with an app-password session.

Unauthenticated search on the public AppView is switched off too often to rely on, so we
log in once per run (createSession is limited to 30 per 5 minutes) and refresh the
session when the access token expires. Replies to a customer post are found with
`getPostThread`; the brand's own replies are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
    parse_iso,
    require_str,
    walk_pages,
)
from collectors.http import Fetcher, json_of

DEFAULT_PDS = "https://bsky.social"
THREAD_TYPE = "app.bsky.feed.defs#threadViewPost"
MAX_THREADS = 25  # getPostThread calls per page of results


def to_post(view: dict[str, Any], brand: BrandTarget | None) -> NewPost:
    uri = require_str(view, "uri")
    author = view["author"]
    did = require_str(author, "did")
    handle = author.get("handle")
    record = view["record"]
    text = record["text"]
    if not isinstance(text, str):
        raise TypeError("record.text must be a string")
    created = parse_iso(record["createdAt"])
    indexed = view.get("indexedAt")
    if isinstance(indexed, str):  # createdAt is the client's clock: sortAt = min of both
        created = min(created, parse_iso(indexed))
    reply = record.get("reply") or {}
    langs = record.get("langs") or []
    # Bluesky writes "handle.invalid" for a handle it could not verify: no public handle.
    if not isinstance(handle, str) or handle == "handle.invalid":
        handle = None
    who = handle or did
    return NewPost(
        platform="bluesky",
        external_id=uri,
        author_id=did,
        created_at=created,
        text=text,
        brand_slug=brand.slug if brand else None,
        author_handle=handle,
        url=f"https://bsky.app/profile/{who}/post/{uri.rsplit('/', 1)[-1]}",
        lang=langs[0] if langs and isinstance(langs[0], str) else None,
        in_reply_to_id=(reply.get("parent") or {}).get("uri"),
        conversation_id=(reply.get("root") or {}).get("uri"),
    )


class BlueskySource:
    name = "bluesky"
    per_brand = True

    def __init__(
        self,
        *,
        handle: str | None = None,
        app_password: str | None = None,
        pds: str | None = None,
        max_pages: int = 50,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.handle = handle
        self.password = app_password
        self.pds = (pds or DEFAULT_PDS).rstrip("/")
        self.max_pages = max_pages
        self.sleep = sleep
        self.access: str | None = None
        self.refresh: str | None = None

    def configured(self) -> str | None:
        return missing(
            CARESCORE_BLUESKY_HANDLE=self.handle, CARESCORE_BLUESKY_APP_PASSWORD=self.password
        )

    def _xrpc(self, method: str) -> str:
        return f"{self.pds}/xrpc/{method}"

    def _login(self, fetcher: Fetcher) -> None:
        body = json_of(
            fetcher.request(
                "POST",
                self._xrpc("com.atproto.server.createSession"),
                json={"identifier": self.handle, "password": self.password},
            )
        )
        self._keep(body)

    def _keep(self, body: Any) -> None:
        if not isinstance(body, dict) or not body.get("accessJwt"):
            raise BadPayload("bluesky session answer without accessJwt")
        self.access, self.refresh = body["accessJwt"], body.get("refreshJwt")

    def _refresh(self, fetcher: Fetcher) -> None:
        try:
            response = fetcher.request(
                "POST",
                self._xrpc("com.atproto.server.refreshSession"),
                headers={"Authorization": f"Bearer {self.refresh}"},
            )
            self._keep(json_of(response))
        except (AuthFailed, BadPayload):
            self._login(fetcher)

    def _get(self, fetcher: Fetcher, method: str, params: dict) -> Any:
        """A GET with the session, refreshed once if the access token has expired."""
        if self.access is None:
            self._login(fetcher)
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.access}"}
            try:
                return fetcher.get_json(self._xrpc(method), params=params, headers=headers)
            except (AuthFailed, BadPayload) as exc:
                if attempt == 2 or not _expired(exc):
                    raise
                self._refresh(fetcher)
        raise CollectorError("unreachable")

    def batches(
        self, client: httpx.Client, brand: BrandTarget | None, checkpoint: str | None
    ) -> Iterator[Batch]:
        if brand is None:
            return
        fetcher = Fetcher(client, max_pages=self.max_pages, sleep=self.sleep)
        streams = load_streams(checkpoint)
        queries: list[tuple[str, dict[str, str]]] = []
        for handle in brand.handles("bluesky"):
            queries.append((f"mentions:{handle}", {"q": handle, "mentions": handle}))
            queries.append((f"author:{handle}", {"q": "*", "author": handle}))
        queries += [(f"q:#{tag}", {"q": f"#{tag}"}) for tag in brand.hashtags]
        queries += [(f"q:{kw}", {"q": kw}) for kw in brand.keywords]
        for key, params in queries:
            yield from self._search(fetcher, key, params, streams, brand)

    def _search(
        self,
        fetcher: Fetcher,
        key: str,
        query: dict[str, str],
        streams: dict[str, Sweep],
        brand: BrandTarget,
    ) -> Iterator[Batch]:
        """Newest first with `since` = the previous run's newest post time; cursor paging."""
        official = {h.lower() for h in brand.handles("bluesky")}

        def fetch(sweep: Sweep) -> Page:
            params = {**query, "sort": "latest", "limit": "100"}
            if sweep.since:
                params["since"] = sweep.since
            if sweep.page:
                params["cursor"] = sweep.page
            body = self._get(fetcher, "app.bsky.feed.searchPosts", params)
            posts = body.get("posts") if isinstance(body, dict) else None
            if not isinstance(posts, list):
                raise BadPayload(f"bluesky {key}: expected an object with posts")
            batch = normalise_each(posts, partial(to_post, brand=brand), f"bluesky {key}")
            newest = max(p.created_at for p in batch.posts).isoformat() if batch.posts else None
            replies = normalise_each(
                self._brand_replies(fetcher, posts, official),
                partial(to_post, brand=brand),
                f"bluesky {key} thread",
            )
            batch.posts += replies.posts
            batch.rejected += replies.rejected
            batch.errors += replies.errors
            cursor = body.get("cursor")
            done = not posts or not isinstance(cursor, str) or not cursor
            return Page(batch, next=None if done else cursor, newest=newest)

        yield from walk_pages(fetch, streams.setdefault(key, Sweep()), streams, key)

    def _brand_replies(self, fetcher: Fetcher, posts: list, official: set[str]) -> list[dict]:
        """The brand's direct replies (PostViews) to customer posts that have replies."""
        if not official:
            return []
        found: list[dict] = []
        asked = 0
        for view in posts:
            if not isinstance(view, dict) or not view.get("replyCount"):
                continue
            if (view.get("author") or {}).get("handle", "").lower() in official:
                continue
            if asked >= MAX_THREADS:
                break
            asked += 1
            body = self._get(
                fetcher, "app.bsky.feed.getPostThread", {"uri": view.get("uri"), "depth": "1"}
            )
            thread = body.get("thread") if isinstance(body, dict) else None
            if not isinstance(thread, dict) or thread.get("$type") != THREAD_TYPE:
                continue
            for reply in thread.get("replies") or ():
                if not isinstance(reply, dict) or reply.get("$type") != THREAD_TYPE:
                    continue  # notFoundPost, blockedPost
                post = reply.get("post") or {}
                if str((post.get("author") or {}).get("handle", "")).lower() in official:
                    found.append(post)
        return found


def _expired(exc: CollectorError) -> bool:
    if exc.response is None:
        return False
    try:
        return exc.response.json().get("error") == "ExpiredToken"
    except (ValueError, AttributeError):
        return False
