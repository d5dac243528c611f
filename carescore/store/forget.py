"""The right to be forgotten: remove posts or an author's posts for good.

A tombstone (`Removal`) is kept so that the post or author is never collected or shown
again (the store skips them). Ids are compared the way the store keeps them: trimmed,
and author ids without regard to case (handles are case-insensitive on the platforms,
and numeric ids have no case), so a re-import that spells an id differently stays out.
The text is overwritten before the row is deleted (and SQLite's secure_delete zeroes
freed pages), so a copy of the database file taken later does not hold it; on
PostgreSQL old row versions remain until VACUUM (docs/deploy.md says what an operator
runs for a full purge). The data generation is bumped, so every cached answer goes.
Threading links that pointed at a removed reply are recomputed from the replies that
remain. Published monthly snapshots hold only counts, no content, and stay as published
so that cited figures remain reproducible; the live rankings are recomputed by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, text, update
from sqlmodel import Session

from carescore.store.columns import utcnow
from carescore.store.generation import bump_generation
from carescore.store.limits import normalise_id
from carescore.store.models import Post, Removal
from carescore.store.tally import untally
from carescore.threads.cases import rebuild_conversations
from carescore.threads.replies import link_replies


@dataclass
class ForgetResult:
    posts_removed: int = 0
    tombstones: int = 0
    relinked: int = 0
    brand_ids: set[int] = field(default_factory=set)


def forget(
    session: Session,
    *,
    platform: str,
    post_id: str | None = None,
    author_id: str | None = None,
    reason: str | None = None,
) -> ForgetResult:
    """Remove one post (`post_id`) or every post of an author (`author_id`) on a platform.

    Idempotent: forgetting twice removes nothing more and keeps one tombstone.
    """
    if (post_id is None) == (author_id is None):
        raise ValueError("give exactly one of post_id or author_id")
    kind, value = ("post", post_id) if post_id is not None else ("author", author_id)
    value = tombstone_key(kind, value)
    if not value:
        raise ValueError(f"empty {kind} id")
    result = ForgetResult()
    match = Post.external_id == value if kind == "post" else func.lower(Post.author_id) == value
    doomed = session.execute(
        select(Post.id, Post.external_id, Post.brand_id).where(Post.platform == platform, match)
    ).all()
    doomed_ids = [row.id for row in doomed]
    doomed_external = [row.external_id for row in doomed]
    result.brand_ids = {row.brand_id for row in doomed if row.brand_id is not None}

    parents: list[int] = []
    if doomed_external:
        parents = list(
            session.execute(
                select(Post.id).where(
                    Post.platform == platform,
                    Post.first_reply_id.in_(doomed_external),
                    Post.id.not_in(doomed_ids),
                )
            ).scalars()
        )
        if parents:
            session.execute(
                update(Post)
                .where(Post.id.in_(parents))
                .values(first_reply_id=None, first_reply_seconds=None)
            )
        conversations = {
            (platform, thread_key)
            for platform, thread_key in session.execute(
                select(Post.platform, Post.thread_key).where(
                    Post.id.in_(doomed_ids), Post.thread_key.is_not(None)
                )
            )
        }
        untally(session, doomed_ids)
        _scrub(session, doomed_ids)
        session.execute(delete(Post).where(Post.id.in_(doomed_ids)))
        result.posts_removed = len(doomed_ids)
        if parents:
            result.relinked = link_replies(session, parents)
        # The cases of those conversations lose a post: rebuilt from what remains.
        rebuild_conversations(session, conversations)

    stored = Removal.external_id if kind == "post" else func.lower(Removal.external_id)
    exists = session.execute(
        select(Removal.id).where(
            Removal.platform == platform, Removal.kind == kind, stored == value
        )
    ).first()
    if exists is None:
        session.add(
            Removal(
                platform=platform, kind=kind, external_id=value, reason=reason, created_at=utcnow()
            )
        )
        result.tombstones = 1
    session.flush()
    bump_generation(session)
    return result


def tombstone_key(kind: str, value: str) -> str:
    """How a tombstone's id is compared: trimmed; author ids lower-cased."""
    value = normalise_id(value)
    return value.lower() if kind == "author" else value


def _scrub(session: Session, ids: list[int]) -> None:
    """Overwrite what a person wrote before the rows go, so freed space does not keep it."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete = ON"))
    session.execute(
        update(Post)
        .where(Post.id.in_(ids))
        .values(text="", author_handle=None, url=None, author_id="-")
    )
