"""Threading: link each brand reply to the customer post(s) it answers.

Rules (methodology v1, see docs/methodology.md):

- A brand post answers a customer post when it replies to it (reply-to id), or when the
  customer post lists it among its replies (the TWCS `response_tweet_id` list).
- A customer who writes several posts in a row (each replying to their own previous one)
  wrote one message: a brand reply to any of them answers all the earlier ones too,
  each with its own delay. A brand reply to the customer's 2nd post therefore also
  answers the 1st.
- When the post a brand reply points at is not stored (or it has no reply-to id), the
  conversation id takes over: the reply answers the conversation's opening post.
- Only an official account of the customer post's brand answers it (any of its
  accounts); a customer post with no brand yet takes the brand of its first reply. A
  reply written before the post (clock skew in the data) is ignored.
- The earliest answering reply is stored on the customer post (`first_reply_id`,
  `first_reply_seconds`), whatever its delay: the ranking decides that replies later
  than 7 days do not count as answers, so the raw delay stays available for research.

`link_replies` recomputes every customer post a batch can affect from scratch, with a
fixed number of `IN` queries per batch and thread level, so it is idempotent, works in
either arrival order and also re-links posts after a reply was forgotten.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import Session

from carescore.store.db import update_rows
from carescore.store.models import Post
from carescore.threads.rows import THREAD_COLUMNS, Key, chunks, rows_by_ids, rows_where

_MAX_DEPTH = 50  # longest self-thread followed; real threads are far shorter

_COLUMNS = (*THREAD_COLUMNS, Post.label_source)


def _where_in(session: Session, column: Any, keys: Iterable[Key], *extra: Any) -> list[Any]:
    return rows_where(session, _COLUMNS, column, keys, *extra)


def _key(row: Any) -> Key:
    return (row.platform, row.external_id)


def _reply_list(row: Any) -> list[str]:
    return [part.strip() for part in (row.reply_ids or "").split(",") if part.strip()]


def link_replies(session: Session, post_ids: Sequence[int]) -> int:
    """Thread the given posts (new ones, or customer posts to re-link).

    Returns how many customer posts got a new or different first reply.
    """
    changed = 0
    for chunk in chunks(list(post_ids), 2000):
        changed += _link_batch(session, rows_by_ids(session, _COLUMNS, chunk))
    return changed


def _link_batch(session: Session, new: list[Any]) -> int:
    known: dict[Key, Any] = {_key(r): r for r in new}
    targets: dict[Key, Any] = {_key(r): r for r in new if r.direction == "inbound"}
    pointed = [
        (r.platform, ref)
        for r in new
        if r.direction == "brand"
        for ref in (r.in_reply_to_id, r.conversation_id)
        if ref
    ]
    for row in _where_in(session, Post.external_id, pointed):
        known[_key(row)] = row
        if row.direction == "inbound":
            targets[_key(row)] = row
    _add_ancestors(session, targets, known)
    owners = _self_threads(session, targets, known)
    candidates = _candidates(session, targets, owners, known)
    return _store_best(session, targets, candidates)


def _add_ancestors(session: Session, targets: dict[Key, Any], known: dict[Key, Any]) -> None:
    """Earlier posts of the same customer's self-thread may be answered through a later one."""
    frontier = list(targets.values())
    for _ in range(_MAX_DEPTH):
        wanted = {(r.platform, r.in_reply_to_id) for r in frontier if r.in_reply_to_id}
        missing = [k for k in wanted if k not in known]
        for row in _where_in(session, Post.external_id, missing):
            known[_key(row)] = row
        step = []
        for child in frontier:
            parent = known.get((child.platform, child.in_reply_to_id or ""))
            if (
                parent is not None
                and parent.direction == "inbound"
                and parent.author_id == child.author_id
                and _key(parent) not in targets
            ):
                targets[_key(parent)] = parent
                step.append(parent)
        if not step:
            return
        frontier = step


def _self_threads(
    session: Session, targets: dict[Key, Any], known: dict[Key, Any]
) -> dict[Key, set[Key]]:
    """For each post of a self-thread, the target customer posts it speaks for."""
    owners: dict[Key, set[Key]] = {key: {key} for key in targets}
    frontier = list(targets.values())
    for _ in range(_MAX_DEPTH):
        children = _where_in(
            session,
            Post.in_reply_to_id,
            [_key(r) for r in frontier],
            Post.direction == "inbound",
        )
        step = []
        for child in children:
            parent_key = (child.platform, child.in_reply_to_id)
            parent = known.get(parent_key)
            if parent is None or parent.author_id != child.author_id:
                continue
            known.setdefault(_key(child), child)
            before = len(owners.setdefault(_key(child), set()))
            owners[_key(child)] |= owners[parent_key]
            if len(owners[_key(child)]) > before:
                step.append(child)
        if not step:
            break
        frontier = step
    return owners


def _candidates(
    session: Session,
    targets: dict[Key, Any],
    owners: dict[Key, set[Key]],
    known: dict[Key, Any],
) -> dict[Key, list[Any]]:
    """Brand posts that may answer each target, by reply-to id, reply list, conversation."""
    found: dict[Key, list[Any]] = defaultdict(list)
    brand = Post.direction == "brand"
    for reply in _where_in(session, Post.in_reply_to_id, list(owners), brand):
        for target in owners.get((reply.platform, reply.in_reply_to_id), ()):
            found[target].append(reply)
    listed: dict[Key, set[Key]] = defaultdict(set)
    for member_key, member_targets in owners.items():
        member = known.get(member_key)
        for ext in _reply_list(member) if member is not None else ():
            listed[(member_key[0], ext)] |= member_targets
    for reply in _where_in(session, Post.external_id, list(listed), brand):
        for target in listed[_key(reply)]:
            found[target].append(reply)
    openers = [k for k, r in targets.items() if r.conversation_id in (None, r.external_id)]
    in_conversation = _where_in(session, Post.conversation_id, openers, brand)
    parents = {(r.platform, r.in_reply_to_id) for r in in_conversation if r.in_reply_to_id}
    stored = {_key(r) for r in _where_in(session, Post.external_id, parents)}
    for reply in in_conversation:
        if reply.in_reply_to_id and (reply.platform, reply.in_reply_to_id) in stored:
            continue
        found[(reply.platform, reply.conversation_id)].append(reply)
    return found


def _store_best(session: Session, targets: dict[Key, Any], candidates: dict[Key, list[Any]]) -> int:
    updates = []
    for key, post in targets.items():
        if post.reply_source == "human":
            continue  # a reviewer set this post's reply (accepted dispute): keep it
        best: tuple[int, str, int] | None = None
        for reply in candidates.get(key, ()):
            if reply.brand_id is None:
                continue
            if post.brand_id is not None and reply.brand_id != post.brand_id:
                continue  # a brand answering another brand's customer is not an answer
            delay = int((reply.created_at - post.created_at).total_seconds())
            if delay < 0:
                continue
            if best is None or (delay, reply.external_id) < best[:2]:
                best = (delay, reply.external_id, reply.brand_id)
        first_id, seconds = (best[1], best[0]) if best else (None, None)
        if (first_id, seconds) == (post.first_reply_id, post.first_reply_seconds):
            continue
        updates.append(
            {
                "id": post.id,
                "first_reply_id": first_id,
                "first_reply_seconds": seconds,
                # A reviewer's "not about this brand" (label_source human) keeps no brand.
                "brand_id": post.brand_id
                if post.brand_id is not None or not best or post.label_source == "human"
                else best[2],
            }
        )
    update_rows(session, Post.__table__, updates)
    return len(updates)
