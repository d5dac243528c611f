"""What every source shares: the protocol, the batch it yields, our exceptions.

Exceptions of our own stop at the runner, which turns them into a run status, a count and
a one-line message; nothing else catches them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from carescore.errors import CarescoreError
from carescore.store.normalised import NewPost


class CollectorError(CarescoreError):
    """A source cannot go on for this brand; the message is meant for a person."""

    response: httpx.Response | None = None


class MissingCredentials(CollectorError):
    """The source is not configured; the run is recorded as skipped, never failed."""


class AuthFailed(CollectorError):
    """The platform refused our credentials (401/403 that a refresh did not cure)."""


class RateLimited(CollectorError):
    """HTTP 429; `wait` is how long the platform asked us to wait, in seconds."""

    def __init__(self, message: str, wait: float) -> None:
        super().__init__(message)
        self.wait = wait


class ServerError(CollectorError):
    """A 5xx answer, worth retrying."""


class BadPayload(CollectorError):
    """A page we cannot read at all (not JSON, wrong shape): nothing on it can be trusted."""


class PageLimitReached(CollectorError):
    """The per-run page budget is spent; the next run resumes from the checkpoint."""


# What a malformed item raises while being normalised: counted as rejected, then skipped.
ITEM_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError)


@dataclass(frozen=True, slots=True)
class BrandTarget:
    """The registry's view of one brand, as a source needs it to build queries."""

    slug: str
    name: str
    keywords: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    accounts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def handles(self, platform: str) -> tuple[str, ...]:
        return self.accounts.get(platform, ())


@dataclass(slots=True)
class Batch:
    """Posts to store together, and the checkpoint that is true once they are committed.

    `checkpoint` None means "keep the saved one": the runner never writes a cursor that
    points past posts it has not committed.
    """

    posts: list[NewPost] = field(default_factory=list)
    checkpoint: str | None = None
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    def reject(self, where: str, reason: str, record: Any = None) -> None:
        """Count one unusable record, with where it was, why, and the record when known."""
        self.rejected += 1
        self.errors.append(f"{where}: {reason}")
        self.rejects.append(Reject(where, reason, record))


@dataclass(frozen=True, slots=True)
class Reject:
    """A record that was not stored: `where` is a file and line or a source and id."""

    where: str
    reason: str
    record: Any = None


class Source(Protocol):
    """A platform or file. `per_brand` sources are run once per brand of the registry."""

    name: str
    per_brand: bool

    def configured(self) -> str | None:
        """None when ready, else the one-line reason to skip (e.g. a missing env var)."""

    def batches(
        self, client: httpx.Client, brand: BrandTarget | None, checkpoint: str | None
    ) -> Iterator[Batch]:
        """Yield batches oldest-safe first; each batch's checkpoint covers what came before."""


def normalise_each(
    items: Iterable[Any], convert: Callable[[Any], NewPost | None], where: str
) -> Batch:
    """Convert a page's items, counting malformed ones as rejected instead of failing."""
    batch = Batch()
    for item in items:
        try:
            post = convert(item)
        except ITEM_ERRORS as exc:
            batch.reject(where, f"rejected item: {type(exc).__name__}: {exc}", item)
            continue
        if post is not None:
            batch.posts.append(post)
    return batch


def missing(**settings: object) -> str | None:
    """The skip reason naming the settings left empty, by their variable, else None:
    `missing(CARESCORE_X_BEARER_TOKEN=self.token)`."""
    empty = [name for name, value in settings.items() if not value]
    return f"missing {', '.join(empty)}" if empty else None


def parse_iso(value: Any) -> datetime:
    """An aware datetime from ISO 8601 / RFC 3339 text; naive values are taken as UTC."""
    if not isinstance(value, str):
        raise TypeError(f"expected a date string, got {type(value).__name__}")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def require_str(item: dict, key: str) -> str:
    """A required, non-empty string field; ids sent as numbers are a malformed item."""
    value = item[key]
    if not isinstance(value, str) or not value:
        raise TypeError(f"{key} must be a non-empty string, got {value!r}")
    return value


@dataclass(slots=True)
class Sweep:
    """Resumable polling state, stored as the checkpoint's JSON cursor.

    A run pages from newest to oldest down to `since` (the newest item of the previous
    run). While paging, `page` holds the next page's token and `newest` the first page's
    newest id, so a crash resumes mid-sweep with no gap; when the sweep ends, `newest`
    becomes the next run's `since`.
    """

    since: str | None = None
    newest: str | None = None
    page: str | None = None

    @classmethod
    def load(cls, cursor: str | None) -> Sweep:
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
        except ValueError:
            return cls(since=cursor)
        if not isinstance(data, dict):
            return cls()
        return cls(**{k: data.get(k) for k in ("since", "newest", "page")})

    def dump(self) -> str:
        return json.dumps({"since": self.since, "newest": self.newest, "page": self.page})

    def finished(self) -> str:
        """The cursor once the sweep has reached `since`: the next run starts from here."""
        return Sweep(since=self.newest or self.since).dump()


@dataclass(slots=True)
class Page:
    """One page of a sweep as a source read it.

    `next` is the token of the following (older) page, None when the sweep has reached
    the previous run's newest item; `newest` is the newest id or time on the page, kept
    only from the sweep's first page.
    """

    batch: Batch
    next: str | None
    newest: str | None = None


def walk_pages(
    fetch: Callable[[Sweep], Page | None],
    sweep: Sweep,
    streams: dict[str, Sweep] | None = None,
    key: str | None = None,
) -> Iterator[Batch]:
    """Page through one query newest to oldest, each batch carrying the cursor that is
    true once it is stored.

    `fetch(sweep)` reads the page `sweep.page` points at (the first one when None) and may
    use `sweep.since` to drop what the previous run stored; it returns None to end the
    sweep without a batch (e.g. a hashtag the server does not know). With `streams`, the
    sweep is the `key` entry of a source's several queries and the cursor holds them all;
    without, the cursor is the sweep alone. When the sweep ends, its newest item becomes
    the next run's `since`.
    """
    while True:
        page = fetch(sweep)
        if page is None:
            return
        if sweep.newest is None and page.newest:
            sweep.newest = page.newest
        sweep.page = page.next or None
        done = sweep.page is None
        if streams is None:
            page.batch.checkpoint = sweep.finished() if done else sweep.dump()
        else:
            if done:
                streams[key] = Sweep(since=sweep.newest or sweep.since)
            page.batch.checkpoint = dump_streams(streams)
        yield page.batch
        if done:
            return


def load_streams(cursor: str | None) -> dict[str, Sweep]:
    """A source with several queries per brand keeps one sweep per query in one cursor."""
    try:
        data = json.loads(cursor) if cursor else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        return {}
    return {
        key: Sweep(**{k: value.get(k) for k in ("since", "newest", "page")})
        for key, value in data.items()
        if isinstance(value, dict)
    }


def dump_streams(streams: dict[str, Sweep]) -> str:
    return json.dumps(
        {k: {"since": s.since, "newest": s.newest, "page": s.page} for k, s in streams.items()},
        sort_keys=True,
    )
