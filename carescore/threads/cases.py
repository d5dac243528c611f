"""Cases (methodology 2.0): one customer's request to one brand in one conversation.

The rules, as docs/methodology.md states them:

- **Conversation**: the platform's conversation id where it has one; else the connected
  reply chain, named by its root (the topmost stored post, or the missing post its
  reply-to id names, so two replies to a post we do not hold share a conversation); a
  post with neither is a conversation of its own. Stored on every post as `thread_key`.
- A **case** opens with a customer's first actionable post (fail or question) addressed
  to a brand in a conversation, and holds that customer's later posts there: one case
  per (conversation, customer, brand), however many messages the customer writes.
- It is **answered** by the earliest post of an official account of that brand, at or
  after the opening, that replies to any of that customer's posts in the conversation
  (its reply-to id, or the customer post's reply list as TWCS gives it; a brand reply
  whose parent we do not hold answers the conversation's first post, as in 1.0). The
  delay runs from the opening post. Whether it came within 7 days is the ranking's rule
  (`carescore.ranking.rules.ANSWER_WINDOW`): the raw delay is stored for research.
- **Recovered**: the customer's last post in the conversation after that first reply is
  positive (labelled praise, or a sentiment of at least +0.05). Whatever the source:
  TWCS reply chains and conversation ids give the same conversations, so the same cases.

Everything is written on the case's opening post (`opens_case`, `case_reply_id`,
`case_reply_seconds`, `case_recovered`); other posts carry `opens_case = false`. A
conversation's cases are rebuilt from all its stored posts each time one of its posts
is added, re-scored or forgotten, so the result does not depend on arrival order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session

from carescore.ranking.rules import POSITIVE_SENTIMENT
from carescore.store.db import update_rows
from carescore.store.models import Post
from carescore.threads.rows import THREAD_COLUMNS, Key, chunks, rows_by_ids, rows_where
from carescore.vocab import ACTIONABLE_LABELS

_MAX_DEPTH = 200  # longest reply chain followed to its root; real ones are far shorter

_COLUMNS = (
    *THREAD_COLUMNS,
    Post.label,
    Post.sentiment,
    Post.thread_key,
    Post.opens_case,
    Post.case_reply_id,
    Post.case_reply_seconds,
    Post.case_recovered,
)


def build_cases(session: Session, post_ids: Sequence[int]) -> int:
    """Give the posts their conversation, then rebuild every case of those conversations.

    Returns how many posts' case columns changed. Call it after `link_replies` (which
    may give a customer post the brand of its reply) for new, re-scored or re-linked posts.
    """
    conversations: set[Key] = set()
    for chunk in chunks(list(post_ids), 2000):
        conversations |= _assign_thread_keys(session, rows_by_ids(session, _COLUMNS, chunk))
    return rebuild_conversations(session, conversations)


def _assign_thread_keys(session: Session, rows: list[Any]) -> set[Key]:
    """Store each post's conversation; returns the conversations touched (old and new).

    A post that arrives after its replies may join their chain to a longer one: the
    posts that were named after it (their missing root) move to its conversation.
    """
    keys, roots = _keys_and_roots(session, rows)
    touched: set[Key] = {(r.platform, r.thread_key) for r in rows if r.thread_key}
    touched |= {(platform, key) for (platform, _ext), key in keys.items()}
    # Only a post that other posts were named after moves them: found in one query.
    renamed = {k: key for k, key in roots.items() if key != k[1]}
    named_after = {
        (r.platform, r.thread_key)
        for r in _rows_where(session, Post.thread_key, renamed, (Post.platform, Post.thread_key))
    }
    moves = [
        {"b_platform": platform, "b_old": ext, "b_new": renamed[(platform, ext)]}
        for platform, ext in named_after
        if (platform, ext) in renamed
    ]
    table = Post.__table__
    if moves:
        session.execute(
            table.update()
            .where(
                table.c.platform == bindparam("b_platform"),
                table.c.thread_key == bindparam("b_old"),
            )
            .values(thread_key=bindparam("b_new")),
            moves,
        )
        touched |= {(m["b_platform"], m["b_old"]) for m in moves}
    changed = [
        {"id": r.id, "thread_key": keys[(r.platform, r.external_id)]}
        for r in rows
        if r.thread_key != keys[(r.platform, r.external_id)]
    ]
    update_rows(session, table, changed)
    return touched


def thread_keys(session: Session, posts: Sequence[Any]) -> dict[Key, str]:
    """Each post's conversation (`thread_key`), for posts stored or about to be.

    `posts` have `platform`, `external_id`, `in_reply_to_id` and `conversation_id`. The
    store writes the key with the post itself, so that a new post is not rewritten right
    after its insert (on PostgreSQL every rewrite is a new row version in every index).
    """
    return _keys_and_roots(session, posts)[0]


def _keys_and_roots(session: Session, rows: Sequence[Any]) -> tuple[dict[Key, str], dict[Key, str]]:
    """The posts' conversation keys, and among them those of reply chains (their roots)."""
    keys: dict[Key, str] = {
        (r.platform, r.external_id): r.conversation_id for r in rows if r.conversation_id
    }
    roots = _chain_roots(session, [r for r in rows if not r.conversation_id])
    keys.update(roots)
    return keys, roots


def _chain_roots(session: Session, rows: Sequence[Any]) -> dict[Key, str]:
    """The root of each post's reply chain: follow reply-to ids up through stored posts."""
    parent: dict[Key, str | None] = {(r.platform, r.external_id): r.in_reply_to_id for r in rows}
    frontier = {(r.platform, r.in_reply_to_id) for r in rows if r.in_reply_to_id}
    for _ in range(_MAX_DEPTH):
        missing = [k for k in frontier if k not in parent]
        if not missing:
            break
        found = _rows_where(
            session,
            Post.external_id,
            missing,
            (Post.platform, Post.external_id, Post.in_reply_to_id),
        )
        for row in found:
            parent[(row.platform, row.external_id)] = row.in_reply_to_id
        frontier = {(r.platform, r.in_reply_to_id) for r in found if r.in_reply_to_id}
    roots: dict[Key, str] = {}
    for r in rows:
        platform, current = r.platform, r.external_id
        seen = {current}
        while True:
            above = parent.get((platform, current))
            if not above or above in seen:
                break
            seen.add(above)
            current = above
            if (platform, current) not in parent:
                break  # a post we do not hold: the chain is named after it
        roots[(platform, r.external_id)] = current
    return roots


def rebuild_conversations(session: Session, conversations: Iterable[Key]) -> int:
    """Recompute the cases of whole conversations from their stored posts."""
    wanted = sorted(set(conversations))
    changed = 0
    for chunk in chunks(wanted, 500):
        by_conversation: dict[Key, list[Any]] = defaultdict(list)
        for row in _rows_where(session, Post.thread_key, chunk):
            by_conversation[(row.platform, row.thread_key)].append(row)
        updates = []
        for posts in by_conversation.values():
            updates += _changes(posts, cases_of(posts))
        update_rows(session, Post.__table__, updates)
        changed += len(updates)
    return changed


def _rows_where(
    session: Session, column: Any, keys: Iterable[Key], columns: Sequence[Any] = _COLUMNS
) -> list[Any]:
    return rows_where(session, columns, column, keys)


def _changes(posts: list[Any], cases: dict[int, tuple[str | None, int | None, bool]]) -> list[dict]:
    updates = []
    for p in posts:
        opens = p.id in cases
        reply, seconds, recovered = cases.get(p.id, (None, None, False))
        if (bool(p.opens_case), p.case_reply_id, p.case_reply_seconds, bool(p.case_recovered)) != (
            opens,
            reply,
            seconds,
            recovered,
        ):
            updates.append(
                {
                    "id": p.id,
                    "opens_case": opens,
                    "case_reply_id": reply,
                    "case_reply_seconds": seconds,
                    "case_recovered": recovered,
                }
            )
    return updates


def _order(p: Any) -> tuple:
    return (p.created_at, p.external_id)


def _positive(p: Any) -> bool:
    return p.label == "praise" or (p.sentiment is not None and p.sentiment >= POSITIVE_SENTIMENT)


def cases_of(posts: Sequence[Any]) -> dict[int, tuple[str | None, int | None, bool]]:
    """The cases of one conversation: opening post id -> (reply id, delay s, recovered).

    `posts` are every stored post of the conversation (objects with Post's attributes).
    """
    inbound = sorted((p for p in posts if p.direction == "inbound"), key=_order)
    brand_posts = sorted((p for p in posts if p.direction == "brand"), key=_order)
    stored = {p.external_id for p in posts}
    # The post whose id names the conversation (a conversation id is its first post's).
    opening = next((p for p in posts if p.external_id == p.thread_key), None)
    by_author: dict[str, list[Any]] = defaultdict(list)
    for p in inbound:
        by_author[p.author_id].append(p)
    cases: dict[int, tuple[str | None, int | None, bool]] = {}
    for author, own in by_author.items():
        mine = {p.external_id for p in own}
        listed = {ext.strip() for p in own for ext in (p.reply_ids or "").split(",") if ext.strip()}
        openers: dict[int, Any] = {}
        for p in own:  # chronological: the first actionable post per brand opens its case
            if p.brand_id is not None and p.label in ACTIONABLE_LABELS:
                openers.setdefault(p.brand_id, p)
        # Replies a reviewer found (an accepted "answered" dispute) count as the brand's.
        reviewed = [
            (p.created_at + timedelta(seconds=p.first_reply_seconds), p.first_reply_id)
            for p in own
            if p.reply_source == "human" and p.first_reply_seconds is not None
        ]
        for brand_id, opener in openers.items():
            found = [
                (r.created_at, r.external_id)
                for r in brand_posts
                if r.brand_id == brand_id
                and r.created_at >= opener.created_at
                and _answers(r, mine, listed, stored, opening, author)
            ]
            found += [(at, ext) for at, ext in reviewed if at >= opener.created_at]
            if not found:
                cases[opener.id] = (None, None, False)
                continue
            replied_at, reply_id = min(found, key=lambda f: (f[0], f[1] or ""))
            seconds = int((replied_at - opener.created_at).total_seconds())
            later = [p for p in own if p.created_at > replied_at]
            recovered = opener.label == "fail" and bool(later) and _positive(later[-1])
            cases[opener.id] = (reply_id, seconds, recovered)
    return cases


def _answers(
    reply: Any,
    mine: set[str],
    listed: set[str],
    stored: set[str],
    opening: Any,
    author: str,
) -> bool:
    """Does this brand post reply to one of the customer's posts of the conversation?

    A reply whose parent we do not hold (or that has none) answers the post that opened
    the conversation, when we hold it: the platform says it belongs to that exchange.
    """
    if reply.in_reply_to_id in mine or reply.external_id in listed:
        return True
    orphan = not reply.in_reply_to_id or reply.in_reply_to_id not in stored
    return (
        orphan
        and opening is not None
        and opening.direction == "inbound"
        and opening.author_id == author
    )
