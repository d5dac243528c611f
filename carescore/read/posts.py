"""Posts as the site and the API show them: newest first, filtered, keyset-paginated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    literal,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlmodel import Session

from carescore.errors import BadCursor
from carescore.read.refs import decode_cursor, encode_cursor, get_brand
from carescore.read.rows import named_rows, row_type
from carescore.scoring.explain import main_cues
from carescore.store.models import Brand, Post
from carescore.vocab import ADDRESSEE_LABEL, HANDLE_PREFIXES


@dataclass(slots=True)
class PostRef:
    """A stored post as shown; `text` and `author_handle` are untrusted (escape them)."""

    platform: str
    external_id: str
    url: str | None
    author_handle: str | None
    created_at: datetime
    text: str
    lang: str
    label: str | None
    topics: list[str]
    sentiment: float | None
    first_reply_seconds: int | None
    brand_slug: str | None
    label_source: str = "scorer"
    # What the label rests on (carescore.scoring.explain), strongest first.
    cues: list[str] = field(default_factory=list)

    @property
    def author(self) -> str | None:
        """The author's public handle as the platform writes it, or None when the source
        names nobody (TWCS customers are anonymised numbers)."""
        return public_handle(self.author_handle, self.platform) if self.author_handle else None

    @property
    def judged(self) -> bool:
        """False for a post the scorer did not judge (a language it does not read)."""
        return self.label is not None


def public_handle(handle: str, platform: str) -> str:
    """A handle as its platform writes it: `@name` on X, Mastodon and Bluesky, `u/name`
    on Reddit; a feed's author name as given."""
    prefix = HANDLE_PREFIXES.get(platform, "")
    return prefix + handle.removeprefix(prefix)


@dataclass(slots=True)
class PostPage:
    items: list[PostRef]
    next_cursor: str | None


def encode_time_cursor(moment: datetime, row_id: int) -> str:
    """A keyset cursor on (time, id), newest first: posts and incidents page alike."""
    return encode_cursor([moment.isoformat(), row_id])


def before_cursor(moment: Any, row_id: Any, cursor: str) -> ColumnElement[bool]:
    """The rows after a `encode_time_cursor` cursor, newest first: (time, id) compared as
    one row value, which both databases seek to in an index on (time, id); the longer
    `time < t OR (time = t AND id < i)` walked every newer row. Raises `BadCursor` for a
    cursor this module did not issue."""
    created, last_id = _cursor_key(cursor)
    return tuple_(moment, row_id) < tuple_(literal(created, moment.type), literal(last_id, Integer))


def _cursor_key(cursor: str) -> tuple[datetime, int]:
    try:
        created, post_id = decode_cursor(cursor)
        moment = datetime.fromisoformat(created)
    except (ValueError, TypeError) as exc:
        raise BadCursor("malformed cursor") from exc
    if moment.tzinfo is None or not isinstance(post_id, int):
        raise BadCursor("malformed cursor")
    return moment, post_id


# The columns a `PostRef` shows.
_SHOWN = (
    Post.platform,
    Post.external_id,
    Post.url,
    Post.author_handle,
    Post.created_at,
    Post.text,
    Post.lang,
    Post.label,
    Post.topics,
    Post.sentiment,
    Post.first_reply_seconds,
    Post.label_source,
)


@lru_cache(maxsize=128)
def _posts_statement(
    brand: bool,
    label: bool,
    judged: bool | None,
    topic: bool,
    since: bool,
    until: bool,
    direction: bool,
    cursor: bool,
) -> Select:
    """Built once per combination of filters, bound on use: building the statement for
    every request cost about a third of a page of posts."""
    query = select(*_SHOWN, Post.id, Brand.slug.label("brand_slug")).outerjoin(
        Brand, Brand.id == Post.brand_id
    )
    if brand:
        query = query.where(Post.brand_id == bindparam("brand", type_=Integer))
    if label:
        query = query.where(Post.label == bindparam("label", type_=String))
    if judged is not None:
        query = query.where(Post.label.is_not(None) if judged else Post.label.is_(None))
    if topic:  # stored comma-separated: the code as a whole item of the list
        query = query.where(
            or_(
                Post.topics == bindparam("topic", type_=String),
                Post.topics.like(bindparam("topic_first", type_=String)),
                Post.topics.like(bindparam("topic_last", type_=String)),
                Post.topics.like(bindparam("topic_inside", type_=String)),
            )
        )
    moment = Post.created_at
    if since:
        query = query.where(moment >= bindparam("since", type_=moment.type))
    if until:
        query = query.where(moment < bindparam("until", type_=moment.type))
    if direction:
        query = query.where(Post.direction == bindparam("direction", type_=String))
    if cursor:  # see `before_cursor`
        after = tuple_(
            bindparam("cursor_at", type_=moment.type), bindparam("cursor_id", type_=Integer)
        )
        query = query.where(tuple_(moment, Post.id) < after)
    order = query.order_by(moment.desc(), Post.id.desc())
    return order.limit(bindparam("limit", type_=Integer))


def posts(
    session: Session,
    *,
    brand_id: int | None = None,
    label: str | None = None,
    judged: bool | None = None,
    topic: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    direction: str | None = "inbound",
    cursor: str | None = None,
    limit: int = 50,
) -> PostPage:
    """Posts newest first with keyset pagination (stable while new posts arrive); one query.

    `since` is inclusive, `until` exclusive; `direction=None` keeps brand replies too;
    `judged=False` keeps only the posts the scorer did not judge (no label).
    Raises `BadCursor` for a cursor this function did not issue.
    """
    values: dict[str, Any] = {"limit": limit + 1}
    if brand_id is not None:
        values["brand"] = brand_id
    if label:
        values["label"] = label
    if topic:
        values.update(topic=topic, topic_first=f"{topic},%", topic_last=f"%,{topic}")
        values["topic_inside"] = f"%,{topic},%"
    if since:
        values["since"] = since
    if until:
        values["until"] = until
    if direction:
        values["direction"] = direction
    if cursor:
        values["cursor_at"], values["cursor_id"] = _cursor_key(cursor)
    statement = _posts_statement(
        brand_id is not None,
        bool(label),
        judged,
        bool(topic),
        bool(since),
        bool(until),
        bool(direction),
        bool(cursor),
    )
    # Plain rows of the shown columns on the session's connection: whole `Post` objects,
    # with every column and the identity map, cost several times the statement.
    rows = session.connection().execute(statement, values).all()
    items = [_ref(row, row.brand_slug) for row in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_time_cursor(last.created_at, last.id) if last else None
    return PostPage(items, next_cursor)


# What a label set by the addressee rule rests on (carescore.store.posts.brand_label).
ADDRESSEE_CUE = "written to another brand's account"


def _cues(p: Any) -> list[str]:
    """A reviewer's label rests on the reviewer, not on the scorer's cues; the addressee
    rule's on the accounts the post is written to."""
    if not p.label or p.label_source == "human":
        return []
    if p.label_source == ADDRESSEE_LABEL:
        return [ADDRESSEE_CUE]
    return main_cues(p.text, p.lang)


def _ref(p: Any, slug: str | None) -> PostRef:
    """A post as shown, from a `Post` or a row of the columns of `_SHOWN`."""
    return PostRef(
        platform=p.platform,
        external_id=p.external_id,
        url=p.url,
        author_handle=p.author_handle,
        created_at=p.created_at,
        text=p.text,
        lang=p.lang,
        label=p.label,
        topics=[t for t in p.topics.split(",") if t],
        sentiment=p.sentiment,
        first_reply_seconds=p.first_reply_seconds,
        brand_slug=slug,
        label_source=p.label_source,
        cues=_cues(p),
    )


# A brand page's three lists of recent customer posts in one statement, built once
# (building a statement cost about as much as running it) and bound on use to the brand
# and the length: each list's newest ids (each keeps its own index), then their posts.
_BRAND = bindparam("brand", type_=Integer)
RECENT_POSTS = 5
"""How many recent posts of each kind a brand shows, on its page and in its report."""

_RECENT_ORDER = (Post.created_at.desc(), Post.id.desc())
_RECENT_KINDS = (Post.label == "praise", Post.label == "fail", Post.label.is_(None))


def _newest_ids(kind: Any) -> Any:
    newest = (
        select(Post.id)
        .where(Post.brand_id == _BRAND, kind, Post.direction == "inbound")
        .order_by(*_RECENT_ORDER)
        .limit(bindparam("limit", type_=Integer))
        .subquery()
    )
    return select(newest.c.id)


_RECENT_IDS = union_all(*(_newest_ids(kind) for kind in _RECENT_KINDS)).subquery()
# Plain rows of the shown columns, run on the session's connection: loading the posts as
# ORM objects cost more than the statement.
_RECENT = (
    select(*_SHOWN, Brand.slug.label("brand_slug"))
    .join(Brand, Brand.id == Post.brand_id)
    .where(Post.id.in_(select(_RECENT_IDS.c.id)))
    .order_by(*_RECENT_ORDER)
)
# `_ref` reads fifteen columns of each row: named tuples (`rows`).
_RecentRow = row_type("_RecentRow", _RECENT.selected_columns.keys())


def recent_posts(
    session: Session, brand_id: int, limit: int
) -> tuple[list[PostRef], list[PostRef], list[PostRef]]:
    """The brand's newest praise, complaints and unjudged customer posts, as `posts` would
    list them on their first page; one statement."""
    rows = session.connection().execute(_RECENT, {"brand": brand_id, "limit": limit})
    praise, fails, unjudged = [], [], []
    for row in named_rows(rows, _RecentRow):
        label = row.label
        kind = praise if label == "praise" else fails if label == "fail" else unjudged
        kind.append(_ref(row, row.brand_slug))
    return praise, fails, unjudged


def find_posts(session: Session, *, brand: str | None = None, **filters) -> PostPage:
    """`posts` with the brand given by slug (`NotFound` when there is no such brand)."""
    brand_id = get_brand(session, brand).id if brand else None
    return posts(session, brand_id=brand_id, **filters)
