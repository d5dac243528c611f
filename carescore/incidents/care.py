"""How a brand answered the people an incident hit, beside how it usually answers.

The unit is the customer's actionable post (a `fail` or `question`), as in methodology
1.0. Methodology 2.0 counts *cases* (one customer's request in one conversation);
`care_units` is the one function to swap when the cases land, and `CARE_UNIT` names
the unit in every stored incident.

One rule for the incident and for the usual figures, so the two compare: a unit opened
at least 24 hours ago counts; it is answered when the brand's first public reply came
within 24 hours; a complaint is recovered when its customer's last later post in the
thread is positive (the ranking's rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import or_, select
from sqlmodel import Session

from carescore.ranking.rules import POSITIVE_SENTIMENT
from carescore.store.models import Post

CARE_UNIT = "post"
HORIZON = timedelta(hours=24)
USUAL_DAYS = 28


@dataclass(frozen=True)
class CareUnit:
    opened_at: datetime
    reply_seconds: int | None
    complaint: bool
    recovered: bool


@dataclass(frozen=True)
class Care:
    """Counts and the median delay (seconds) of the units judged; rates derive from them."""

    n: int = 0
    answered: int = 0
    median_reply_s: float | None = None
    recovery_n: int = 0
    recovered: int = 0


def care_units(session: Session, brand_id: int, start: datetime, end: datetime) -> list[CareUnit]:
    """The brand's actionable posts opened in [start, end), with reply delay and recovery."""
    rows = session.execute(
        select(
            Post.platform,
            Post.author_id,
            Post.created_at,
            Post.label,
            Post.first_reply_seconds,
            Post.first_reply_id,
            Post.conversation_id,
        ).where(
            Post.brand_id == brand_id,
            Post.direction == "inbound",
            Post.created_at >= start,
            Post.created_at < end,
            Post.label.in_(("fail", "question")),
        )
    ).all()
    answered = [r for r in rows if r.label == "fail" and r.first_reply_seconds is not None]
    last = _last_customer_posts(session, brand_id, answered)
    return [
        CareUnit(
            opened_at=r.created_at,
            reply_seconds=r.first_reply_seconds,
            complaint=r.label == "fail",
            recovered=last.get((r.platform, r.author_id, r.conversation_id, r.created_at), False),
        )
        for r in rows
    ]


def _last_customer_posts(session: Session, brand_id: int, fails: Sequence) -> dict:
    """For each answered complaint, whether its customer's last later post is positive."""
    if not fails:
        return {}
    conversations = {r.conversation_id for r in fails if r.conversation_id}
    replies_to = {r.first_reply_id for r in fails if r.first_reply_id}
    later = session.execute(
        select(
            Post.platform,
            Post.author_id,
            Post.conversation_id,
            Post.in_reply_to_id,
            Post.created_at,
            Post.id,
            Post.label,
            Post.sentiment,
        ).where(
            Post.brand_id == brand_id,
            Post.direction == "inbound",
            Post.in_reply_to_id != "",
            or_(
                Post.conversation_id.in_(sorted(conversations) or [""]),
                Post.in_reply_to_id.in_(sorted(replies_to) or [""]),
            ),
        )
    ).all()
    result = {}
    for fail in fails:
        thread = [
            p
            for p in later
            if p.platform == fail.platform
            and p.author_id == fail.author_id
            and p.created_at > fail.created_at
            and (
                (fail.conversation_id and p.conversation_id == fail.conversation_id)
                or (fail.first_reply_id and p.in_reply_to_id == fail.first_reply_id)
            )
        ]
        if thread:
            p = max(thread, key=lambda p: (p.created_at, p.id))
            positive = p.label == "praise" or (p.sentiment or 0.0) >= POSITIVE_SENTIMENT
            key = (fail.platform, fail.author_id, fail.conversation_id, fail.created_at)
            result[key] = positive
    return result


def summarise(units: Sequence[CareUnit], now: datetime) -> Care:
    """The figures of `units`, counting only those old enough to be judged at `now`."""
    judged = [u for u in units if u.opened_at + HORIZON <= now]
    delays = [u.reply_seconds for u in judged if _answered(u)]
    complaints = [u for u in judged if u.complaint and _answered(u)]
    return Care(
        n=len(judged),
        answered=len(delays),
        median_reply_s=float(median(delays)) if delays else None,
        recovery_n=len(complaints),
        recovered=sum(u.recovered for u in complaints),
    )


def _answered(unit: CareUnit) -> bool:
    return unit.reply_seconds is not None and unit.reply_seconds <= HORIZON.total_seconds()


def measure(
    session: Session, brand_id: int, start: datetime, end: datetime, now: datetime
) -> tuple[Care, Care]:
    """The care during [start, end) and the usual care of the USUAL_DAYS before `start`."""
    during = summarise(care_units(session, brand_id, start, end), now)
    usual = summarise(care_units(session, brand_id, start - timedelta(days=USUAL_DAYS), start), now)
    return during, usual
