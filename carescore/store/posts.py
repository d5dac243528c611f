"""Idempotent storage of normalised posts: upsert on (platform, external_id).

Posts are scored and threaded on the way in, so every path (collectors, imports, the
demo) leaves the database in the same state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import String, and_, bindparam, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from carescore.scoring.score import score_text
from carescore.store.columns import utcnow
from carescore.store.db import one_of
from carescore.store.models import Brand, BrandAccount, Post, Removal
from carescore.store.normalised import NewPost
from carescore.threads.cases import build_cases, thread_keys
from carescore.threads.replies import link_replies
from carescore.vocab import ADDRESSEE_LABEL


@dataclass
class StoreResult:
    inserted: int = 0
    duplicates: int = 0
    removed: int = 0
    inserted_ids: list[int] = field(default_factory=list)

    def add(self, other: StoreResult) -> None:
        self.inserted += other.inserted
        self.duplicates += other.duplicates
        self.removed += other.removed
        self.inserted_ids.extend(other.inserted_ids)


# Posts from a dataset of another platform's posts are matched to that platform's accounts.
ACCOUNT_PLATFORM = {"twcs": "x"}
_MENTION = re.compile(r"@([A-Za-z0-9_]{1,50})")


class BrandDirectory:
    """Maps slugs and official handles to brands; loaded once per store call."""

    def __init__(self, session: Session) -> None:
        self.by_slug: dict[str, int] = {
            slug: bid for bid, slug in session.execute(select(Brand.id, Brand.slug)).all()
        }
        self.by_handle: dict[tuple[str, str], int] = {}
        self.by_user_id: dict[tuple[str, str], int] = {}
        for platform, key, user_id, brand_id in session.execute(
            select(
                BrandAccount.platform,
                BrandAccount.handle_key,
                BrandAccount.platform_user_id,
                BrandAccount.brand_id,
            )
        ).all():
            self.by_handle[(platform, key)] = brand_id
            if user_id:
                self.by_user_id[(platform, user_id)] = brand_id

    def official_brand(self, post: NewPost) -> int | None:
        """The brand whose official account wrote this post, if any."""
        platform = ACCOUNT_PLATFORM.get(post.platform, post.platform)
        if post.author_handle:
            found = self.by_handle.get((platform, post.author_handle.lstrip("@").lower()))
            if found:
                return found
        return self.by_user_id.get((platform, post.author_id)) or self.by_handle.get(
            (platform, post.author_id.lower())
        )

    def mentioned_brand(self, post: NewPost) -> int | None:
        """The first brand whose official account the post @mentions."""
        brands = self.mentioned_brands(post.platform, post.text)
        return brands[0] if brands else None

    def mentioned_brands(self, platform: str, text: str | None) -> list[int]:
        """The brands whose official accounts the text @mentions, in order of mention."""
        platform = ACCOUNT_PLATFORM.get(platform, platform)
        found = (self.by_handle.get((platform, h.lower())) for h in _MENTION.findall(text or ""))
        return list(dict.fromkeys(b for b in found if b is not None))


def brand_label(
    label: str | None,
    platform: str,
    text: str | None,
    brand_id: int | None,
    direction: str | None,
    directory: BrandDirectory,
) -> tuple[str | None, str]:
    """The label a customer post counts with for `brand_id`, and who set it.

    A post collected for one brand (its name in the text, say) that @mentions other
    brands' official accounts and none of this brand's is written to those brands: its
    praise is theirs, and by the labelling guideline a post about another brand is
    neutral for this one ("@OtherTel super service, rien à voir avec Acme" counted no
    praise for Acme). Only praise moves: a complaint written to a rival often names this
    brand to leave it ("@OtherTel je vous rejoins, marre d'Acme").
    """
    if label != "praise" or brand_id is None or direction != "inbound":
        return label, "scorer"
    mentioned = directory.mentioned_brands(platform, text)
    if mentioned and brand_id not in mentioned:
        return "neutral", ADDRESSEE_LABEL
    return label, "scorer"


def _removed_keys(session: Session, posts: Sequence[NewPost]) -> set[tuple[str, str, str]]:
    """Tombstones matching this batch's posts or authors (never the whole table)."""
    post_ids = {p.external_id for p in posts}
    author_ids = {p.author_id.lower() for p in posts}
    rows = session.execute(
        select(Removal.platform, Removal.kind, Removal.external_id).where(
            one_of(session, Removal.platform, {p.platform for p in posts}),
            or_(
                and_(Removal.kind == "post", one_of(session, Removal.external_id, post_ids)),
                and_(
                    Removal.kind == "author",
                    one_of(session, func.lower(Removal.external_id, type_=String), author_ids),
                ),
            ),
        )
    ).all()
    return {(p, k, e.lower() if k == "author" else e) for p, k, e in rows}


def _insert_new(session: Session, rows: list[dict]) -> list[int]:
    """Insert the rows whose (platform, external_id) is not stored yet; their new ids.

    On PostgreSQL the batch travels as one array per column, unnested by the server: one
    short statement that the driver prepares once, where a multi-row VALUES list of a
    2,000-row batch is 40,000 placeholders to render, parse and bind on every batch.
    """
    table = Post.__table__
    conflict = {"index_elements": ["platform", "external_id"]}
    if session.get_bind().dialect.name != "postgresql":
        stmt = sqlite.insert(table).on_conflict_do_nothing(**conflict).returning(table.c.id)
        return list(session.execute(stmt, rows).scalars())
    names = list(rows[0])
    arrays = [
        bindparam(None, [row[name] for row in rows], type_=postgresql.ARRAY(table.c[name].type))
        for name in names
    ]
    incoming = func.unnest(*arrays).table_valued(*names).render_derived(name="incoming")
    stmt = (
        postgresql.insert(table)
        .from_select(names, select(*[incoming.c[name] for name in names]))
        .on_conflict_do_nothing(**conflict)
        .returning(table.c.id)
    )
    return list(session.execute(stmt).scalars())


def store_posts(
    session: Session,
    posts: Iterable[NewPost],
    *,
    run_id: int | None = None,
    directory: BrandDirectory | None = None,
    thread: bool = True,
) -> StoreResult:
    """Score, insert (skipping existing ids and forgotten posts or authors) and thread.

    The caller commits: a collector commits a batch, then saves its checkpoint.
    """
    batch = list(posts)
    result = StoreResult()
    if not batch:
        return result
    directory = directory or BrandDirectory(session)
    removed = _removed_keys(session, batch)
    now = utcnow()
    rows: list[dict] = []
    seen: set[tuple[str, str]] = set()
    keys = thread_keys(session, batch) if thread else {}
    for post in batch:
        key = (post.platform, post.external_id)
        if (post.platform, "post", post.external_id) in removed or (
            post.platform,
            "author",
            post.author_id.lower(),
        ) in removed:
            result.removed += 1
            continue
        if key in seen:
            result.duplicates += 1
            continue
        seen.add(key)
        rows.append(_row(post, directory, now, run_id) | {"thread_key": keys.get(key)})
    if rows:
        inserted_ids = _insert_new(session, rows)
        result.inserted_ids = inserted_ids
        result.inserted = len(inserted_ids)
        result.duplicates += len(rows) - len(inserted_ids)
        if thread and inserted_ids:
            link_replies(session, inserted_ids)
            build_cases(session, inserted_ids)
    return result


REPLY_IDS_MAX = Post.__table__.c.reply_ids.type.length or 2000


def _join_ids(ids: Sequence[str]) -> str | None:
    """Comma-separated ids, keeping whole ids within the column's width.

    A viral TWCS tweet lists hundreds of answers; the thread links through the replies'
    own reply-to ids, so dropping the tail of this list loses no link.
    """
    joined = ",".join(ids)
    if len(joined) <= REPLY_IDS_MAX:
        return joined or None
    return joined[: joined.rfind(",", 0, REPLY_IDS_MAX + 1)]


def _row(post: NewPost, directory: BrandDirectory, now, run_id: int | None) -> dict:
    official = directory.official_brand(post)
    direction = post.direction or ("brand" if official else "inbound")
    brand_id = official if direction == "brand" and official else None
    if brand_id is None and post.brand_slug:
        brand_id = directory.by_slug.get(post.brand_slug)
    if brand_id is None and direction == "inbound":
        brand_id = directory.mentioned_brand(post)
    score = score_text(post.text, lang_hint=post.lang)
    label, label_source = brand_label(
        score.label, post.platform, post.text, brand_id, direction, directory
    )
    return {
        "platform": post.platform,
        "external_id": post.external_id,
        "url": post.url,
        "author_id": post.author_id,
        "author_handle": post.author_handle,
        "author_followers": post.author_followers,
        "created_at": post.created_at,
        "text": post.text,
        "lang": score.lang,
        "brand_id": brand_id,
        "direction": direction,
        "in_reply_to_id": post.in_reply_to_id,
        "conversation_id": post.conversation_id,
        "reply_ids": _join_ids(post.reply_ids),
        "sentiment": score.sentiment,
        "label": label,
        "label_source": label_source,
        "topics": ",".join(score.topics),
        "scorer_version": score.version,
        "collected_at": now,
        "run_id": run_id,
    }
