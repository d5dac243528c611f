"""The incidents read model: one shape per incident, for the pages, the API, CSV and Atom.

Every figure shown beside an incident is here with the counts it is computed from, so a
reader can recompute it: the complaints and the usual level they are compared with, and
the care counts behind each rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, String, bindparam, or_, select
from sqlmodel import Session

from carescore.errors import BadCursor, NotFound
from carescore.incidents.detector import RULES, baselines
from carescore.incidents.hours import hour_of, hour_start
from carescore.incidents.nbinom import nb_tail
from carescore.read.posts import PostRef, before_cursor, encode_time_cursor, posts
from carescore.read.refs import BRAND_COLUMNS, BrandRef, brand_ref, get_brand
from carescore.store.columns import utcnow
from carescore.store.incident_tables import ComplaintHour, Incident, IncidentState
from carescore.store.models import Brand

RECENT = timedelta(days=7)
TIMELINE_DAYS = 14
SAMPLE_POSTS = 10
KEY_FORMAT = "%Y-%m-%dT%H"
ALL_TOPICS = "all"  # the `topic` filter's name for the surges of all complaints together

__all__ = ["BadCursor", "NotFound"]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Care:
    """Cases opened in a period and judged (24 h old): answered within 24 h, the median
    delay of those answers, and the answered cases opened by a complaint that recovered."""

    n: int
    answered: int
    median_reply_s: float | None
    recovery_n: int
    recovered: int

    @property
    def reply_rate(self) -> float | None:
        return _rate(self.answered, self.n)

    @property
    def recovery_rate(self) -> float | None:
        return _rate(self.recovered, self.recovery_n)


@dataclass
class IncidentView:
    """`topic` is None for a surge of the brand's complaints together, else the topic
    whose complaints alone surged (while the total showed none)."""

    brand: BrandRef
    topic: str | None
    key: str
    start_at: datetime
    detected_at: datetime
    end_at: datetime | None
    is_open: bool
    peak_at: datetime
    peak_count: int
    peak_baseline: float
    peak_ratio: float
    posts: int
    expected: float
    p_value: float
    topics: list[tuple[str, int]]
    care_unit: str
    during: Care
    usual: Care
    detector_version: str
    computed_at: datetime

    @property
    def hours(self) -> int:
        """Length in whole hours, up to the last computation while open."""
        end = self.end_at or self.computed_at
        return max(1, math.ceil((end - self.start_at).total_seconds() / 3600))

    @property
    def excess(self) -> float:
        """Complaints above the usual level: how the home page orders open incidents."""
        return self.posts - self.expected


@dataclass
class TimelineHour:
    start: datetime
    complaints: int
    usual: float | None
    upper: int | None  # the smallest count above the usual band
    in_incident: bool


@dataclass
class Timeline:
    start: datetime
    end: datetime
    hours: list[TimelineHour]


@dataclass
class BrandIncidents:
    brand: BrandRef
    incidents: list[IncidentView]
    timeline: Timeline | None


@dataclass
class IncidentDetail:
    incident: IncidentView
    timeline: Timeline | None
    posts: list[PostRef] = field(default_factory=list)


@dataclass
class IncidentPage:
    items: list[IncidentView]
    next_cursor: str | None


@dataclass
class BrokenNow:
    """Open incidents, most complaints above usual first, and those closed in the last week."""

    open: list[IncidentView]
    recent: list[IncidentView]


@dataclass
class FeedEntry:
    kind: str  # opened or closed
    at: datetime
    incident: IncidentView


def _ref(brand: Brand | BrandRef) -> BrandRef:
    return brand if isinstance(brand, BrandRef) else brand_ref(brand)


def key_of(start: datetime, topic: str | None = None) -> str:
    """An incident's id within its brand: its start hour, and its topic if it has one."""
    return start.strftime(KEY_FORMAT) + (f".{topic}" if topic else "")


def _view(incident: Any, brand: Brand | BrandRef) -> IncidentView:
    """An `Incident`, or a row of its columns, as shown."""
    return IncidentView(
        brand=_ref(brand),
        topic=incident.topic or None,
        key=key_of(incident.start_at, incident.topic or None),
        start_at=incident.start_at,
        detected_at=incident.detected_at,
        end_at=incident.end_at,
        is_open=incident.is_open,
        peak_at=incident.peak_at,
        peak_count=incident.peak_count,
        peak_baseline=incident.peak_baseline,
        peak_ratio=incident.peak_ratio,
        posts=incident.posts,
        expected=incident.expected,
        p_value=incident.p_value,
        topics=sorted(incident.topics.items(), key=lambda kv: (-kv[1], kv[0])),
        care_unit=incident.care_unit,
        during=Care(
            incident.care_n,
            incident.care_answered,
            incident.care_median_reply_s,
            incident.care_recovery_n,
            incident.care_recovered,
        ),
        usual=Care(
            incident.usual_n,
            incident.usual_answered,
            incident.usual_median_reply_s,
            incident.usual_recovery_n,
            incident.usual_recovered,
        ),
        detector_version=incident.detector_version,
        computed_at=incident.computed_at,
    )


def find_incidents(
    session: Session,
    *,
    brand_slug: str | None = None,
    sector: str | None = None,
    topic: str | None = None,
    is_open: bool | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> IncidentPage:
    """Incidents newest first (by start), filtered; `since`/`until` bound the start;
    `topic` "all" keeps the surges of complaints together, a topic code that topic's.

    Raises NotFound for an unknown brand and BadCursor for a cursor we did not issue.
    """
    query = select(Incident, Brand).join(Brand, Brand.id == Incident.brand_id)
    if brand_slug is not None:
        brand = get_brand(session, brand_slug)
        query = query.where(Incident.brand_id == brand.id)
    if sector is not None:
        query = query.where(Brand.sector == sector)
    if topic is not None:
        query = query.where(Incident.topic == ("" if topic == ALL_TOPICS else topic))
    if is_open is not None:
        query = query.where(Incident.is_open.is_(is_open))
    if since is not None:
        query = query.where(Incident.start_at >= since)
    if until is not None:
        query = query.where(Incident.start_at < until)
    if cursor:
        query = query.where(before_cursor(Incident.start_at, Incident.id, cursor))
    rows = session.execute(
        query.order_by(Incident.start_at.desc(), Incident.id.desc()).limit(limit + 1)
    ).all()
    items = [_view(i, b) for i, b in rows[:limit]]
    last = rows[limit - 1][0] if len(rows) > limit else None
    return IncidentPage(items, encode_time_cursor(last.start_at, last.id) if last else None)


# An incident's columns, read as a plain row whose names are the model's attributes:
# `_view` reads it as it reads an `Incident`.
_INCIDENT = Incident.__table__.c
# The home and sector pages' open and recent incidents, with each one's brand (the row
# carries `BRAND_COLUMNS` too); built once, bound on use to the horizon and the sector.
_BROKEN = (
    select(*_INCIDENT, *BRAND_COLUMNS)
    .join(Brand, Brand.id == Incident.brand_id)
    .where(
        or_(
            Incident.is_open.is_(True),
            Incident.end_at >= bindparam("horizon", type_=_INCIDENT.end_at.type),
        )
    )
)
_BROKEN_IN_SECTOR = _BROKEN.where(Brand.sector == bindparam("sector", type_=String))


def broken_now(
    session: Session, sector: str | None = None, now: datetime | None = None
) -> BrokenNow:
    """What the home and sector pages show: open incidents, then last week's closed ones."""
    values = {"horizon": (now or utcnow()) - RECENT}
    if sector is not None:
        values["sector"] = sector
    query = _BROKEN if sector is None else _BROKEN_IN_SECTOR
    views = [_view(row, brand_ref(row)) for row in session.connection().execute(query, values)]
    opened = sorted((v for v in views if v.is_open), key=lambda v: (-v.excess, v.brand.slug))
    closed = sorted((v for v in views if not v.is_open), key=lambda v: v.end_at, reverse=True)
    return BrokenNow(opened, closed)


def brand_incidents(session: Session, slug: str, limit: int = 50) -> BrandIncidents:
    """A brand's incidents (newest first) and its hourly timeline of the last two weeks."""
    brand = get_brand(session, slug)
    state = session.get(IncidentState, brand.id)
    hours = (state.first_hour, state.through) if state is not None else None
    return incidents_of(session, brand.id, _ref(brand), hours, limit)


# Built once (building a statement costs about as much as running it), bound on use.
_BRAND_INCIDENTS = (
    select(*_INCIDENT)
    .where(Incident.brand_id == bindparam("brand", type_=Integer))
    .order_by(Incident.start_at.desc(), Incident.id.desc())
    .limit(bindparam("limit", type_=Integer))
)


def incidents_of(
    session: Session,
    brand_id: int,
    brand: BrandRef,
    state: tuple[int, int] | None,
    limit: int = 50,
) -> BrandIncidents:
    """`brand_incidents` for a caller that has read the brand and where incident
    detection stands for it (`state`: `IncidentState.first_hour` and `.through`, None
    before detection ever ran): one statement, two with the timeline."""
    values = {"brand": brand_id, "limit": limit}
    items = [_view(row, brand) for row in session.connection().execute(_BRAND_INCIDENTS, values)]
    timeline = None
    if state is not None:
        first_hour, through = state
        end = through + 1
        together = [v for v in items if v.topic is None]
        timeline = _timeline(session, brand_id, first_hour, end - TIMELINE_DAYS * 24, end, together)
    return BrandIncidents(brand, items, timeline)


def incident_detail(session: Session, slug: str, key: str) -> IncidentDetail:
    """One incident by brand and key (`YYYY-MM-DDTHH`, then `.topic` for a topic's own
    surge), its timeline and posts."""
    brand = get_brand(session, slug)
    hour, _, topic = key.partition(".")
    try:
        start = datetime.strptime(hour, KEY_FORMAT).replace(tzinfo=hour_start(0).tzinfo)
    except ValueError as exc:
        raise NotFound(f"no incident {key!r}") from exc
    incident = session.execute(
        select(Incident).where(
            Incident.brand_id == brand.id, Incident.topic == topic, Incident.start_at == start
        )
    ).scalar_one_or_none()
    if incident is None:
        raise NotFound(f"no incident of {slug} starting {key}")
    view = _view(incident, brand)
    state = session.get(IncidentState, brand.id)
    timeline = None
    if state is not None:
        first = hour_of(view.start_at) - 24
        last = hour_of(view.end_at or view.computed_at) + 24
        end = min(last, state.through + 1)
        timeline = _timeline(session, brand.id, state.first_hour, first, end, [view], view.topic)
    sample = posts(
        session,
        brand_id=brand.id,
        label="fail",
        topic=view.topic,
        since=view.start_at,
        until=view.end_at,
        limit=SAMPLE_POSTS,
    ).items
    return IncidentDetail(view, timeline, sample)


def feed_entries(session: Session, slug: str | None = None, limit: int = 50) -> list[FeedEntry]:
    """Incidents opened and closed, newest first, for the Atom feeds."""
    page = find_incidents(session, brand_slug=slug, limit=limit)
    entries = [FeedEntry("opened", v.detected_at, v) for v in page.items]
    entries += [FeedEntry("closed", v.end_at, v) for v in page.items if v.end_at is not None]
    entries.sort(key=lambda e: (e.at, e.kind), reverse=True)
    return entries[:limit]


def _timeline(
    session: Session,
    brand_id: int,
    first: int,
    begin: int,
    end: int,
    incidents: list[IncidentView],
    topic: str | None = None,
) -> Timeline:
    """Hourly complaints of [begin, end) (of `topic` alone when given) with the usual
    level and its upper band; the hours of `incidents` (those shown beside it) are shaded."""
    begin = max(begin, first)
    since = begin - RULES.lookback * RULES.period - RULES.neighbours
    rows = session.execute(
        select(ComplaintHour.hour, ComplaintHour.complaints, ComplaintHour.topics).where(
            ComplaintHour.brand_id == brand_id,
            ComplaintHour.hour >= since,
            ComplaintHour.hour < end,
        )
    ).all()
    if topic is None:
        counts = {hour: n for hour, n, _ in rows}
    else:
        counts = {hour: topics[topic] for hour, _, topics in rows if topics.get(topic)}
    inside = set()
    for v in incidents:
        stop = hour_of(v.end_at) if v.end_at else hour_of(v.computed_at) + 1
        inside.update(range(hour_of(v.start_at), stop))
    mean, variance = baselines(counts, first, begin, end)
    hours = []
    for i, hour in enumerate(range(begin, end)):
        usual = None if math.isnan(mean[i]) else float(mean[i])
        hours.append(
            TimelineHour(
                hour_start(hour),
                counts.get(hour, 0),
                usual,
                _upper(usual, float(variance[i])) if usual is not None else None,
                hour in inside,
            )
        )
    return Timeline(hour_start(begin), hour_start(end), hours)


def _upper(mean: float, variance: float) -> int:
    """The smallest count whose tail is below the follow threshold: the band's top."""
    k = math.ceil(mean)
    while nb_tail(k, mean, variance) >= RULES.p_follow:
        k += 1
    return k
