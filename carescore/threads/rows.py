"""What threading reads: a post's key, the columns both threading passes need, and
lookups split into chunks that stay under the databases' limits on bound parameters.

`carescore.threads.replies` (first replies) and `carescore.threads.cases` (cases) read
the same rows the same way; each adds the columns of its own job to `THREAD_COLUMNS`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from carescore.store.db import one_of
from carescore.store.models import Post

CHUNK = 900  # under SQLite's older 999-variable limit, fine for PostgreSQL

Key = tuple[str, str]
"""A post on its platform: (platform, external_id), or (platform, a thread's key)."""

THREAD_COLUMNS = (
    Post.id,
    Post.platform,
    Post.external_id,
    Post.direction,
    Post.brand_id,
    Post.author_id,
    Post.in_reply_to_id,
    Post.conversation_id,
    Post.reply_ids,
    Post.created_at,
    Post.first_reply_id,
    Post.first_reply_seconds,
    Post.reply_source,
)
"""Who wrote a post, when, for which brand, where it stands in its thread, and its first
reply."""


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """`items` in consecutive slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rows_by_ids(session: Session, columns: Sequence[Any], ids: Sequence[int]) -> list[Any]:
    """The `columns` of the posts with these ids (in no particular order)."""
    rows: list[Any] = []
    for chunk in chunks(list(ids)):
        rows += session.execute(select(*columns).where(one_of(session, Post.id, chunk))).all()
    return rows


def rows_where(
    session: Session, columns: Sequence[Any], column: Any, keys: Iterable[Key], *extra: Any
) -> list[Any]:
    """The `columns` of the posts whose `column` matches one of the (platform, value) keys,
    and every `extra` condition; empty values match nothing."""
    by_platform: dict[str, set[str]] = defaultdict(set)
    for platform, value in keys:
        if value:
            by_platform[platform].add(value)
    rows: list[Any] = []
    for platform, values in by_platform.items():
        for chunk in chunks(sorted(values)):
            rows += session.execute(
                select(*columns).where(
                    Post.platform == platform, one_of(session, column, chunk), *extra
                )
            ).all()
    return rows
