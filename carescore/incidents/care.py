"""How a brand answered the people an incident hit, beside how it usually answers.

The unit is the case of methodology 2.0 (`carescore.threads.cases`): one customer's
request to one brand in one conversation, opened by that customer's first complaint or
question there. A customer who writes five times during an outage is one person to
answer, not five, so the figures count cases; the complaints that make the incident
itself are still counted post by post (a surge of posts is what shows the outage).

One rule for the incident and for the usual figures, so the two compare: a case opened
at least 24 hours ago counts; it is answered when the brand's first public reply to it
came within 24 hours; an answered case opened by a complaint is recovered when its
customer's last post after that reply is positive (the cases' rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import literal, select
from sqlmodel import Session

from carescore.store.models import Post

CARE_UNIT = "case"
HORIZON = timedelta(hours=24)
USUAL_DAYS = 28


@dataclass(frozen=True)
class CareUnit:
    """One case: when it opened, the delay of the brand's first reply (None: none yet),
    whether a complaint opened it, and whether its customer recovered."""

    opened_at: datetime
    reply_seconds: int | None
    complaint: bool
    recovered: bool


@dataclass(frozen=True)
class Care:
    """Counts and the median delay (seconds) of the cases judged; rates derive from them."""

    n: int = 0
    answered: int = 0
    median_reply_s: float | None = None
    recovery_n: int = 0
    recovered: int = 0


def care_units(
    session: Session, brand_id: int, start: datetime, end: datetime, topic: str | None = None
) -> list[CareUnit]:
    """The brand's cases opened in [start, end), with their reply delay and recovery;
    with a topic, only the cases whose opening post is about it."""
    query = select(Post.created_at, Post.label, Post.case_reply_seconds, Post.case_recovered).where(
        Post.brand_id == brand_id,
        Post.direction == "inbound",
        Post.opens_case.is_(True),
        Post.created_at >= start,
        Post.created_at < end,
    )
    if topic is not None:
        code = topic.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
        query = query.where((literal(",") + Post.topics + ",").like(f"%,{code},%", escape="\\"))
    rows = session.execute(query).all()
    return [
        CareUnit(
            opened_at=r.created_at,
            reply_seconds=r.case_reply_seconds,
            complaint=r.label == "fail",
            recovered=bool(r.case_recovered),
        )
        for r in rows
    ]


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
    session: Session,
    brand_id: int,
    start: datetime,
    end: datetime,
    now: datetime,
    topic: str | None = None,
) -> tuple[Care, Care]:
    """The care during [start, end) and the usual care of the USUAL_DAYS before `start`,
    of the cases about `topic` when one is given."""
    during = summarise(care_units(session, brand_id, start, end, topic), now)
    before = start - timedelta(days=USUAL_DAYS)
    usual = summarise(care_units(session, brand_id, before, start, topic), now)
    return during, usual
