"""Threading: link each brand reply to the customer post it answers.

A reply answers a customer post when an official account of the *same* brand wrote it
in reply to that post (reply-to id, or a TWCS reply list). The first such reply's id and
delay are stored on the customer post.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlmodel import Session

from carescore.models import Post

_CHUNK = 500


def _chunks(items: Sequence, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def link_replies(session: Session, post_ids: Sequence[int]) -> int:
    """Link the given new posts to their parents or children; returns links made or improved.

    Works whichever arrives first: a reply stored before its parent is linked when the
    parent comes in.
    """
    links = 0
    cols = (
        Post.id,
        Post.platform,
        Post.external_id,
        Post.direction,
        Post.brand_id,
        Post.in_reply_to_id,
        Post.created_at,
        Post.reply_ids,
    )
    for chunk in _chunks(list(post_ids)):
        new = session.execute(select(*cols).where(Post.id.in_(chunk))).all()
        pairs: list[tuple] = []  # (parent row, reply row)
        brand_replies = [r for r in new if r.direction == "brand" and r.in_reply_to_id]
        for platform in {r.platform for r in brand_replies}:
            ids = [r.in_reply_to_id for r in brand_replies if r.platform == platform]
            parents = {
                p.external_id: p
                for p in session.execute(
                    select(*cols).where(Post.platform == platform, Post.external_id.in_(ids))
                ).all()
            }
            pairs += [
                (parents[r.in_reply_to_id], r)
                for r in brand_replies
                if r.platform == platform and r.in_reply_to_id in parents
            ]
        inbound = [r for r in new if r.direction == "inbound"]
        for platform in {r.platform for r in inbound}:
            ext = {r.external_id: r for r in inbound if r.platform == platform}
            for child in session.execute(
                select(*cols).where(
                    Post.platform == platform,
                    Post.direction == "brand",
                    Post.in_reply_to_id.in_(list(ext)),
                )
            ).all():
                pairs.append((ext[child.in_reply_to_id], child))
        links += _apply(session, pairs)
    return links


def _apply(session: Session, pairs: list[tuple]) -> int:
    best: dict[int, tuple] = {}
    for parent, reply in pairs:
        if parent.direction != "inbound" or reply.brand_id is None:
            continue
        if parent.brand_id is not None and parent.brand_id != reply.brand_id:
            continue  # a brand answering another brand's customer is not an answer
        delay = int((reply.created_at - parent.created_at).total_seconds())
        if delay < 0:
            continue
        current = best.get(parent.id)
        if current is None or delay < current[1]:
            best[parent.id] = (reply, delay)
    count = 0
    for parent_id, (reply, delay) in best.items():
        result = session.execute(
            update(Post)
            .where(Post.id == parent_id)
            .where((Post.first_reply_seconds.is_(None)) | (Post.first_reply_seconds > delay))
            .values(
                first_reply_id=reply.external_id, first_reply_seconds=delay, brand_id=reply.brand_id
            )
        )
        count += result.rowcount or 0
    return count
