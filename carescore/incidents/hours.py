"""Hourly complaint counts per brand, read from the posts and kept in `ComplaintHour`.

A complaint is an inbound post labelled `fail`. The SQL groups by brand, clock hour and
topic list, so a full count returns one row per busy (brand, hour, topics), not per post.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlmodel import Session

from carescore.store.models import Post


def hour_of(moment: datetime) -> int:
    """Hours since 1970-01-01T00:00Z of an aware datetime."""
    return int(moment.timestamp() // 3600)


def hour_start(hour: int) -> datetime:
    return datetime.fromtimestamp(hour * 3600, UTC)


@dataclass
class HourCounts:
    """One brand's complaints per hour, and their topics per hour."""

    counts: dict[int, int] = field(default_factory=dict)
    topics: dict[int, Counter] = field(default_factory=dict)

    def add(self, hour: int, n: int, topics: str | None) -> None:
        self.counts[hour] = self.counts.get(hour, 0) + n
        bag = self.topics.setdefault(hour, Counter())
        for topic in (topics or "").split(","):
            if topic:
                bag[topic] += n

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _hour_key(session: Session):
    """'YYYY-MM-DD HH' of a post's creation, the same text on both databases."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(Post.created_at, "YYYY-MM-DD HH24")
    return func.substr(Post.created_at, 1, 13)


def _parse_key(key: str) -> int:
    return hour_of(datetime.strptime(key, "%Y-%m-%d %H").replace(tzinfo=UTC))


def count_hours(session: Session, brand_ids: Iterable[int] | None = None) -> dict[int, HourCounts]:
    """Every complaint of the brands (all brands when None), by brand and hour."""
    key = _hour_key(session).label("hour_key")
    query = (
        select(Post.brand_id, key, Post.topics, func.count())
        .where(Post.direction == "inbound", Post.label == "fail", Post.brand_id.is_not(None))
        .group_by(Post.brand_id, key, Post.topics)
    )
    if brand_ids is not None:
        query = query.where(Post.brand_id.in_(sorted(brand_ids)))
    result: dict[int, HourCounts] = defaultdict(HourCounts)
    parsed: dict[str, int] = {}
    for brand_id, hour_key, topics, n in session.execute(query):
        hour = parsed.get(hour_key)
        if hour is None:
            hour = parsed[hour_key] = _parse_key(hour_key)
        result[brand_id].add(hour, n, topics)
    return result


def first_hours(session: Session, brand_ids: Iterable[int] | None = None) -> dict[int, int]:
    """The hour of each brand's first customer post: where its history starts."""
    query = (
        select(Post.brand_id, func.min(Post.created_at))
        .where(Post.direction == "inbound", Post.brand_id.is_not(None))
        .group_by(Post.brand_id)
    )
    if brand_ids is not None:
        query = query.where(Post.brand_id.in_(sorted(brand_ids)))
    return {brand_id: hour_of(_aware(first)) for brand_id, first in session.execute(query) if first}


def complaint_totals(session: Session) -> dict[int, int]:
    """Each brand's number of complaints, to check the stored hours against."""
    query = (
        select(Post.brand_id, func.count())
        .where(Post.direction == "inbound", Post.label == "fail", Post.brand_id.is_not(None))
        .group_by(Post.brand_id)
    )
    return dict(session.execute(query).all())


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
