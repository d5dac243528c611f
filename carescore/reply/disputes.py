"""Disputes: a brand says one of its posts is mislabelled, not about it, or was answered
elsewhere; a reviewer accepts or rejects; nothing changes before that.

An accepted dispute is a human decision stored on the post itself (its `label` or its
first reply, with `label_source` / `reply_source` = human), so every reader of posts,
the ranking included, counts it, and rescoring and threading keep it. Who decided and
why stay on the dispute and in the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session

from carescore.reply.audit import CLI_ADDRESS, key_actor, operator_actor, record
from carescore.reply.errors import Conflict, Forbidden, Invalid, Missing, TooManyDisputes
from carescore.reply.text import plain_text, web_link
from carescore.store.columns import utcnow
from carescore.store.models import Brand, Post
from carescore.store.reply_tables import BrandKey, Dispute
from carescore.store.tally import untally
from carescore.threads.cases import build_cases
from carescore.vocab import ACTIONABLE_LABELS, DISPUTE_KINDS, LABELS

DISPUTE_FIELDS = ("kind", "label", "link", "reason")
DISPUTES_PER_DAY = 50
REASON_MAX = 1000
NOTE_MAX = 1000


def _quota(session: Session, brand_id: int, per_day: int) -> None:
    since = utcnow() - timedelta(days=1)
    count, oldest = session.execute(
        select(func.count(), func.min(Dispute.created_at)).where(
            Dispute.brand_id == brand_id, Dispute.created_at > since
        )
    ).one()
    if count >= per_day:
        retry = int((oldest + timedelta(days=1) - utcnow()).total_seconds()) + 1
        raise TooManyDisputes(per_day, max(1, retry))


def file_dispute(
    session: Session,
    key: BrandKey,
    platform: str,
    external_id: str,
    data: Mapping[str, Any],
    *,
    address: str,
    per_day: int = DISPUTES_PER_DAY,
) -> Dispute:
    """Queue a dispute of one of the key's brand's customer posts (the caller commits).

    Refused: a post of another brand (`Forbidden`), an unknown post (`Missing`), a second
    pending dispute of the same post (`Conflict`), more than `per_day` disputes of the
    brand in 24 hours (`TooManyDisputes`), a field that does not fit (`Invalid`).

    The brand's row is written first (an update that changes nothing), which takes
    PostgreSQL's row lock and SQLite's write lock before anything is counted: a second
    worker filing for the same brand waits for this transaction, then counts its
    dispute, so the quota and the one-pending-dispute rule hold across workers.
    """
    session.execute(update(Brand).where(Brand.id == key.brand_id).values(id=Brand.id))
    post = session.execute(
        select(Post).where(Post.platform == platform, Post.external_id == external_id)
    ).scalar_one_or_none()
    if post is None:
        raise Missing(f"no post {platform}/{external_id}")
    if post.brand_id != key.brand_id:
        raise Forbidden("this key disputes only posts about its own brand")
    unknown = sorted(set(data) - set(DISPUTE_FIELDS))
    if unknown:
        raise Invalid(unknown[0], f"unknown field; expected {', '.join(DISPUTE_FIELDS)}")
    kind = data.get("kind")
    if kind not in DISPUTE_KINDS:
        raise Invalid("kind", f"one of {', '.join(DISPUTE_KINDS)}")
    if post.direction != "inbound":
        raise Invalid("post", "only customer posts are scored and can be disputed")
    requested = data.get("label")
    if kind == "mislabelled":
        if requested not in LABELS:
            raise Invalid("label", f"one of {', '.join(LABELS)}")
        if requested == post.label:
            raise Invalid("label", f"the post is already labelled {requested}")
    elif requested is not None:
        raise Invalid("label", "only for kind mislabelled")
    link = web_link(data.get("link"), required=kind == "answered")
    reason = plain_text(data.get("reason"), "reason", REASON_MAX)
    pending = session.execute(
        select(Dispute.id).where(Dispute.post_id == post.id, Dispute.status == "pending")
    ).first()
    if pending:
        raise Conflict(f"dispute {pending[0]} of this post is already waiting for review")
    _quota(session, key.brand_id, per_day)
    dispute = Dispute(
        brand_id=key.brand_id,
        key_id=key.id,
        post_id=post.id,
        platform=platform,
        external_id=external_id,
        kind=kind,
        requested_label=requested,
        link=link,
        reason=reason,
        status="pending",
        created_at=utcnow(),
        previous_label=post.label,
    )
    session.add(dispute)
    session.flush()
    record(
        session,
        actor=key_actor(key),
        address=address,
        action="dispute.file",
        brand_id=key.brand_id,
        target=f"dispute:{dispute.id}",
        detail={"post": f"{platform}/{external_id}", "kind": kind, "label": requested},
    )
    return dispute


def list_disputes(session: Session, status: str | None = "pending") -> list[Dispute]:
    """Oldest first, so the review queue is worked in arrival order."""
    query = select(Dispute).order_by(Dispute.created_at, Dispute.id)
    if status:
        query = query.where(Dispute.status == status)
    return list(session.execute(query).scalars())


def get_dispute(session: Session, dispute_id: int) -> tuple[Dispute, Post | None]:
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise Missing(f"no dispute {dispute_id}")
    post = session.get(Post, dispute.post_id) if dispute.post_id else None
    return dispute, post


def _pending(session: Session, dispute_id: int) -> tuple[Dispute, Post | None]:
    """The dispute, locked until the decision commits, so two reviewers cannot both decide."""
    locked = session.execute(
        select(Dispute).where(Dispute.id == dispute_id).with_for_update()
    ).scalar_one_or_none()
    if locked is None:
        raise Missing(f"no dispute {dispute_id}")
    dispute, post = get_dispute(session, dispute_id)
    if dispute.status != "pending":
        raise Conflict(f"dispute {dispute_id} was already {dispute.status}")
    return dispute, post


def _apply(
    session: Session, dispute: Dispute, post: Post, replied_at: datetime | None
) -> dict[str, Any]:
    """Change the post as the dispute asks; returns what changed, for the audit log."""
    if dispute.kind == "mislabelled":
        label = dispute.requested_label
        post.label = label
        post.label_source = "human"
        if label not in ACTIONABLE_LABELS:
            post.topics = ""
        if post.sentiment is not None and (
            (label == "praise" and post.sentiment < 0) or (label == "fail" and post.sentiment > 0)
        ):
            post.sentiment = -post.sentiment  # its sign agrees with praise and fail labels
        return {"label": [dispute.previous_label, label]}
    if dispute.kind == "misattributed":
        untally(session, [post.id])
        post.brand_id = None
        post.label_source = "human"
        return {"brand_id": [dispute.brand_id, None]}
    if replied_at is None:
        raise Invalid("replied_at", "give the time of the public reply the link shows")
    if replied_at > utcnow():
        raise Invalid("replied_at", "is in the future")
    delay = int((replied_at - post.created_at).total_seconds())
    if delay < 0:
        raise Invalid("replied_at", "the reply cannot be older than the post")
    before = post.first_reply_seconds
    post.first_reply_seconds = delay
    post.first_reply_id = None
    post.reply_source = "human"
    return {"first_reply_seconds": [before, delay]}


def accept_dispute(
    session: Session,
    dispute_id: int,
    *,
    reviewer: str,
    note: str,
    replied_at: datetime | None = None,
) -> Dispute:
    """Accept: the post changes now, the next ranking run counts it (the caller commits).

    `replied_at` is required for an `answered` dispute: the time of the public reply the
    reviewer found behind the brand's link, from which the reply delay is computed.
    """
    dispute, post = _pending(session, dispute_id)
    if post is None:
        raise Conflict(f"the post of dispute {dispute_id} was removed; reject it instead")
    note_text = plain_text(note, "note", NOTE_MAX)
    changed = _apply(session, dispute, post, replied_at)
    session.flush()
    # The post's case (methodology 2.0) follows its new label, brand or reply.
    build_cases(session, [post.id])
    return _decide(session, dispute, "accepted", reviewer, note_text, changed)


def reject_dispute(session: Session, dispute_id: int, *, reviewer: str, note: str) -> Dispute:
    """Reject: the post stays as the scorer left it; the reason is kept and logged."""
    dispute, _post = _pending(session, dispute_id)
    return _decide(session, dispute, "rejected", reviewer, plain_text(note, "note", NOTE_MAX))


_ACTIONS = {"accepted": "dispute.accept", "rejected": "dispute.reject"}


def _decide(
    session: Session,
    dispute: Dispute,
    status: str,
    reviewer: str,
    note: str,
    changed: dict[str, Any] | None = None,
) -> Dispute:
    """Close a pending dispute with the reviewer's decision and log it with what changed,
    so an accepted and a rejected dispute are recorded alike."""
    dispute.status = status
    dispute.decided_at = utcnow()
    dispute.decided_by = reviewer
    dispute.decision_note = note
    record(
        session,
        actor=operator_actor(reviewer),
        address=CLI_ADDRESS,
        action=_ACTIONS[status],
        brand_id=dispute.brand_id,
        target=f"dispute:{dispute.id}",
        detail={
            "post": f"{dispute.platform}/{dispute.external_id}",
            "note": note,
            **(changed or {}),
        },
    )
    return dispute
