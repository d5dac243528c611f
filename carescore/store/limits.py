"""What a post must be before it reaches the database, the same on SQLite and PostgreSQL.

Each limit is the storage's own (a column's width, PostgreSQL's `integer`, valid UTF-8
without NUL, which PostgreSQL refuses in text) or a documented product limit (the
longest post we keep, the dates a post can have). Checking them here, with a reason a
person can read, means one bad record is one rejected row on both engines, instead of
a database error that loses its whole batch. docs/import-formats.md lists them.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from carescore.store.models import Brand, Post
from carescore.store.normalised import NewPost

# The longest post text we store, in characters. X's long posts reach 25,000 characters;
# a longer record is not a customer's post and is rejected, not truncated, so that no
# stored text is silently cut and no page or answer grows with one record's size.
MAX_POST_CHARS = 25_000
# PostgreSQL's `integer` (the follower column); SQLite's 64-bit limit is wider.
MAX_FOLLOWERS = 2**31 - 1
# No platform we read existed before 2006 (the first tweet: March 2006).
EARLIEST = datetime(2006, 1, 1, tzinfo=UTC)
# A post "from the future" beyond clock skew is a broken record.
FUTURE_SLACK = timedelta(days=1)
MAX_URL_CHARS = 2_000
MAX_REPLY_ID_CHARS = 300


def _width(name: str) -> int:
    return Post.__table__.c[name].type.length


WIDTHS = {
    name: _width(name)
    for name in (
        "platform",
        "external_id",
        "author_id",
        "author_handle",
        "in_reply_to_id",
        "conversation_id",
        "lang",
    )
}


class InvalidPost(ValueError):
    """A post that the storage cannot hold as it is; the message names the field."""


def check_text(name: str, value: str, limit: int | None) -> None:
    """InvalidPost unless `value` is storable text (no NUL, valid Unicode, within `limit`)."""
    if "\x00" in value:
        raise InvalidPost(f"{name} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidPost(f"{name} is not valid Unicode ({exc.reason})") from None
    if limit is not None and len(value) > limit:
        raise InvalidPost(f"{name} is longer than {limit} characters ({len(value)})")


def normalise_id(value: str) -> str:
    """An id as the platforms compare them: surrounding white space is never part of it."""
    return value.strip()


def checked_post(post: NewPost, *, now: datetime | None = None) -> NewPost:
    """The post with its ids normalised, or InvalidPost saying which field is wrong."""
    ids = {
        name: normalise_id(getattr(post, name)) or None if getattr(post, name) else None
        for name in ("external_id", "author_id", "in_reply_to_id", "conversation_id")
    }
    for name in ("external_id", "author_id"):
        if not ids[name]:
            raise InvalidPost(f"{name} is empty")
    post = dataclasses.replace(
        post,
        **ids,
        reply_ids=tuple(r for r in (normalise_id(r) for r in post.reply_ids) if r),
    )
    for name, limit in WIDTHS.items():
        value = getattr(post, name, None)
        if value is not None:
            check_text(name, value, limit)
    if post.brand_slug is not None:
        check_text("brand", post.brand_slug, Brand.__table__.c.slug.type.length)
    if post.url is not None:
        check_text("url", post.url, MAX_URL_CHARS)
    for reply in post.reply_ids:
        check_text("reply_ids", reply, MAX_REPLY_ID_CHARS)
    if not isinstance(post.text, str):
        raise InvalidPost("text must be a string")
    check_text("text", post.text, MAX_POST_CHARS)
    followers = post.author_followers
    if followers is not None and not 0 <= followers <= MAX_FOLLOWERS:
        raise InvalidPost(f"author_followers must be between 0 and {MAX_FOLLOWERS}")
    created = post.created_at
    if created.tzinfo is None:
        raise InvalidPost("created_at has no time zone")
    try:
        created_utc = created.astimezone(UTC)
    except OverflowError:
        raise InvalidPost(f"created_at {created.isoformat()} is out of range in UTC") from None
    latest = (now or datetime.now(UTC)) + FUTURE_SLACK
    if not EARLIEST <= created_utc <= latest:
        raise InvalidPost(
            f"created_at {created_utc.isoformat()} is outside {EARLIEST.year} to tomorrow"
        )
    return post
