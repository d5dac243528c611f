"""RSS and Atom feeds (blogs, news) matched to brands by keyword.

Feeds are listed in CARESCORE_RSS_FEEDS (URLs separated by spaces or commas), fetched
once per run and kept for every brand. An entry is kept for a brand when its title or
text names one of the brand's keywords or its name as a whole word. Badly formed XML is
reported and whatever entries feedparser recovered are used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import feedparser
import httpx

from carescore.store.normalised import NewPost
from collectors.base import Batch, BrandTarget, CollectorError, missing, normalise_each
from collectors.http import Fetcher
from collectors.text import html_to_text


def _when(entry: Any) -> datetime:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        raise ValueError("entry has no date")
    return datetime(*parsed[:6], tzinfo=UTC)


def entry_text(entry: Any) -> str:
    body = ""
    if entry.get("content"):
        body = entry["content"][0].get("value", "")
    body = body or entry.get("summary", "")
    title = html_to_text(entry.get("title", ""))
    return "\n\n".join(t for t in (title, html_to_text(body)) if t)


def to_post(entry: Any, feed_url: str, lang: str | None, brand: BrandTarget) -> NewPost:
    link = entry.get("link")
    external_id = entry.get("id") or link
    if not external_id:
        raise KeyError("entry has neither id nor link")
    author = (entry.get("author_detail") or {}).get("name") or entry.get("author")
    return NewPost(
        platform="rss",
        external_id=external_id,
        author_id=author or urlsplit(feed_url).netloc,
        created_at=_when(entry),
        text=entry_text(entry),
        direction="inbound",
        brand_slug=brand.slug,
        author_handle=author,
        url=link,
        lang=lang,
    )


def matcher(brand: BrandTarget) -> re.Pattern[str] | None:
    words = [w for w in (brand.name, *brand.keywords) if w]
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


class RssSource:
    name = "rss"
    per_brand = True

    def __init__(
        self,
        *,
        feeds: list[str] | None = None,
        max_pages: int = 50,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.feeds = list(feeds or ())
        self.max_pages = max_pages
        self.sleep = sleep
        self._parsed: dict[str, Any] = {}
        self._problems: dict[str, str] = {}

    def configured(self) -> str | None:
        return missing(CARESCORE_RSS_FEEDS=self.feeds)

    def _feed(self, fetcher: Fetcher, url: str) -> Any:
        """Each feed is fetched once per run, however many brands read it."""
        if url not in self._parsed and url not in self._problems:
            try:
                response = fetcher.request("GET", url)
            except CollectorError as exc:
                self._problems[url] = f"rss {url}: {exc}"
            else:
                parsed = feedparser.parse(response.content)
                self._parsed[url] = parsed
                if parsed.bozo:
                    self._problems[url] = f"rss {url}: badly formed: {parsed.bozo_exception}"
        return self._parsed.get(url)

    def batches(
        self, client: httpx.Client, brand: BrandTarget | None, checkpoint: str | None
    ) -> Iterator[Batch]:
        pattern = matcher(brand) if brand else None
        if pattern is None:
            return
        fetcher = Fetcher(client, max_pages=self.max_pages, sleep=self.sleep)
        for url in self.feeds:
            parsed = self._feed(fetcher, url)
            entries = parsed.entries if parsed is not None else []
            lang = parsed.feed.get("language") if parsed is not None else None
            lang = lang.split("-")[0].lower() if isinstance(lang, str) and lang else None
            matching = [e for e in entries if pattern.search(_searchable(e))]
            batch = normalise_each(
                matching, partial(to_post, feed_url=url, lang=lang, brand=brand), f"rss {url}"
            )
            if url in self._problems:
                batch.errors.insert(0, self._problems[url])
            yield batch


def _searchable(entry: Any) -> str:
    try:
        return entry_text(entry)
    except (AttributeError, TypeError, IndexError, KeyError):
        return ""
