"""Detect incidents for every brand, recomputing only what new posts changed.

A run reads the customer posts added since the previous run (their ids are above the
mark kept in `Checkpoint`, source "incidents"), adds their complaints to the stored hours,
and runs the detector again for the brands they touched, from the earliest changed hour
(or the first hour not yet decided). Incidents that this could change (open ones, or
ones whose closing hours lie at or after that hour) are deleted and found again; earlier
ones stay. Because the detector's decision about an hour only looks backwards, the result
is the one a full run gives (a test holds the two equal).

Rescoring and `carescore forget` change or remove posts without new ids: a brand whose
stored complaints no longer add up to its posts' is rebuilt from its posts, and
`carescore incidents --full` rebuilds everything.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, tuple_
from sqlmodel import Session

from carescore.incidents.detector import RULES, Rules
from carescore.incidents.hours import (
    HourCounts,
    complaint_totals,
    count_hours,
    first_hours,
    hour_of,
)
from carescore.incidents.record import DETECTOR_VERSION, detect_brand, refresh_recent_care
from carescore.store.columns import utcnow
from carescore.store.incident_tables import ComplaintHour, Incident, IncidentState
from carescore.store.models import Checkpoint, Post

MARK_SOURCE = "incidents"


@dataclass
class RunSummary:
    full: bool
    new_posts: int = 0
    brands_detected: int = 0
    brands_rebuilt: int = 0
    incidents_written: int = 0
    open_now: int = 0


def refresh_incidents(
    session: Session, now: datetime | None = None, *, full: bool = False, rules: Rules = RULES
) -> RunSummary:
    """Bring the incidents up to date with the posts and the clock; nothing is committed."""
    now = now or utcnow()
    mark = session.execute(
        select(Checkpoint).where(Checkpoint.source == MARK_SOURCE, Checkpoint.brand_slug == "")
    ).scalar_one_or_none()
    top = session.execute(select(func.max(Post.id))).scalar() or 0
    if full or mark is None:
        summary = _rebuild_all(session, now, rules)
    else:
        summary = _incremental(session, int(mark.cursor), now, rules)
    if mark is None:
        mark = Checkpoint(source=MARK_SOURCE, brand_slug="", cursor="0")
        session.add(mark)
    mark.cursor, mark.updated_at = str(top), now
    refresh_recent_care(session, now)
    summary.open_now = session.execute(
        select(func.count()).select_from(Incident).where(Incident.is_open.is_(True))
    ).scalar_one()
    session.flush()
    return summary


def _rebuild_all(session: Session, now: datetime, rules: Rules) -> RunSummary:
    for table in (Incident, ComplaintHour, IncidentState):
        session.execute(delete(table))
    hours = count_hours(session)
    firsts = first_hours(session)
    summary = RunSummary(full=True, brands_rebuilt=len(firsts))
    _store_hours(session, hours)
    current = hour_of(now)
    for brand_id, first in firsts.items():
        counts = hours.get(brand_id, HourCounts())
        summary.incidents_written += detect_brand(
            session, brand_id, counts, first, first, now, rules
        )
        session.add(_state(brand_id, first, current, counts))
    summary.brands_detected = len(firsts)
    return summary


def _state(brand_id: int, first: int, current: int, counts: HourCounts) -> IncidentState:
    return IncidentState(
        brand_id=brand_id,
        first_hour=first,
        through=current,
        last_hour=max(counts.counts, default=None),
        complaints=counts.total,
        detector_version=DETECTOR_VERSION,
    )


def _store_hours(session: Session, hours: dict[int, HourCounts]) -> None:
    rows = [
        {"brand_id": b, "hour": h, "complaints": n, "topics": dict(c.topics[h])}
        for b, c in hours.items()
        for h, n in c.counts.items()
    ]
    for start in range(0, len(rows), 5000):
        session.execute(insert(ComplaintHour.__table__), rows[start : start + 5000])


def _incremental(session: Session, mark: int, now: datetime, rules: Rules) -> RunSummary:
    current = hour_of(now)
    new = session.execute(
        select(Post.brand_id, Post.created_at, Post.label, Post.topics).where(
            Post.id > mark, Post.direction == "inbound", Post.brand_id.is_not(None)
        )
    ).all()
    summary = RunSummary(full=False, new_posts=len(new))
    states = {s.brand_id: s for s in session.execute(select(IncidentState)).scalars()}
    added: dict[int, HourCounts] = {}
    rebuild: set[int] = set()
    rebuild = {b for b, s in states.items() if s.detector_version != DETECTOR_VERSION}
    for brand_id, created, label, topics in new:
        hour = hour_of(created)
        state = states.get(brand_id)
        if state is None or hour < state.first_hour:
            rebuild.add(brand_id)
        if label == "fail":
            added.setdefault(brand_id, HourCounts()).add(hour, 1, topics)
    if states:
        totals = complaint_totals(session)
        for brand_id, state in states.items():
            expected = state.complaints + (added[brand_id].total if brand_id in added else 0)
            if totals.get(brand_id, 0) != expected:
                rebuild.add(brand_id)
    if rebuild:
        _rebuild_brands(session, rebuild, now, rules, summary)
    restart: dict[int, int] = {}
    with_open = set(
        session.execute(select(Incident.brand_id).where(Incident.is_open.is_(True))).scalars()
    )
    for brand_id, state in states.items():
        if brand_id in rebuild:
            continue
        dirty = min(added[brand_id].counts, default=None) if brand_id in added else None
        recent = state.last_hour is not None and state.last_hour >= state.through - (
            max(rules.windows) - 1
        )
        if dirty is not None:
            restart[brand_id] = min(dirty, state.through)
        elif recent or brand_id in with_open:
            restart[brand_id] = state.through
        else:
            state.through = current
    if restart:
        _merge_hours(session, {b: c for b, c in added.items() if b in restart})
        _redetect(session, {b: states[b] for b in restart}, restart, added, now, rules, summary)
    return summary


def _rebuild_brands(
    session: Session, brand_ids: set[int], now: datetime, rules: Rules, summary: RunSummary
) -> None:
    for table in (Incident, ComplaintHour, IncidentState):
        session.execute(delete(table).where(table.brand_id.in_(sorted(brand_ids))))
    hours = count_hours(session, brand_ids)
    firsts = first_hours(session, brand_ids)
    _store_hours(session, {b: c for b, c in hours.items() if b in firsts})
    current = hour_of(now)
    for brand_id, first in firsts.items():
        counts = hours.get(brand_id, HourCounts())
        summary.incidents_written += detect_brand(
            session, brand_id, counts, first, first, now, rules
        )
        session.add(_state(brand_id, first, current, counts))
    summary.brands_rebuilt += len(firsts)
    summary.brands_detected += len(firsts)


def _merge_hours(session: Session, added: dict[int, HourCounts]) -> None:
    """Add new complaints to the stored hours: one read, one delete and one insert for
    all the brands (in chunks), not a round trip per brand."""
    keys = sorted((b, h) for b, new in added.items() for h in new.counts)
    stored: dict[tuple[int, int], tuple[int, dict]] = {}
    pair = tuple_(ComplaintHour.brand_id, ComplaintHour.hour)
    for chunk in _chunks(keys):
        for brand_id, hour, n, topics in session.execute(
            select(
                ComplaintHour.brand_id,
                ComplaintHour.hour,
                ComplaintHour.complaints,
                ComplaintHour.topics,
            ).where(pair.in_(chunk))
        ):
            stored[(brand_id, hour)] = (n, topics)
    for chunk in _chunks(sorted(stored)):
        session.execute(delete(ComplaintHour).where(pair.in_(chunk)))
    rows = []
    for brand_id, hour in keys:
        n, topics = stored.get((brand_id, hour), (0, {}))
        new = added[brand_id]
        rows.append(
            {
                "brand_id": brand_id,
                "hour": hour,
                "complaints": n + new.counts[hour],
                "topics": dict(Counter(topics) + new.topics[hour]),
            }
        )
    for chunk in _chunks(rows, 5000):
        session.execute(insert(ComplaintHour.__table__), chunk)


def _chunks(items: list, size: int = 500) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _redetect(
    session: Session,
    states: dict[int, IncidentState],
    begins: dict[int, int],
    added: dict[int, HourCounts],
    now: datetime,
    rules: Rules,
    summary: RunSummary,
) -> None:
    """Run the detector for each brand from its hour in `begins` (moved back to where none
    of its incidents is open), reading the brands' incidents and hours in a few queries."""
    current = hour_of(now)
    brands = sorted(begins)
    incidents: dict[int, list[Incident]] = {b: [] for b in brands}
    for chunk in _chunks(brands):
        for incident in session.execute(
            select(Incident).where(Incident.brand_id.in_(chunk))
        ).scalars():
            incidents[incident.brand_id].append(incident)
    gone: list[Incident] = []
    for brand_id in brands:
        begin = begins[brand_id]
        while True:
            affected = [
                i
                for i in incidents[brand_id]
                if i.end_at is None or _h(i.end_at) + rules.close_after > begin
            ]
            earliest = min([begin, *(_h(i.detected_at, end=True) for i in affected)])
            if earliest == begin:
                break
            begin = earliest
        begins[brand_id] = begin
        gone += affected
    for chunk in _chunks([i.id for i in gone]):
        session.execute(delete(Incident).where(Incident.id.in_(chunk)))
    for incident in gone:
        session.expunge(incident)
    dropped = {id(i) for i in gone}
    reach = (max(rules.windows) - 1) + rules.lookback * rules.period + rules.neighbours
    since = min(begins.values()) - reach
    hours: dict[int, HourCounts] = {b: HourCounts() for b in brands}
    for chunk in _chunks(brands):
        for brand_id, hour, n, topics in session.execute(
            select(
                ComplaintHour.brand_id,
                ComplaintHour.hour,
                ComplaintHour.complaints,
                ComplaintHour.topics,
            ).where(ComplaintHour.brand_id.in_(chunk), ComplaintHour.hour >= since)
        ):
            if hour >= begins[brand_id] - reach:
                hours[brand_id].counts[hour] = n
                hours[brand_id].topics[hour] = Counter(topics)
    for brand_id in brands:
        state = states[brand_id]
        kept = [i for i in incidents[brand_id] if id(i) not in dropped]
        summary.incidents_written += detect_brand(
            session, brand_id, hours[brand_id], state.first_hour, begins[brand_id], now, rules, kept
        )
        summary.brands_detected += 1
        state.through = current
        if brand_id in added:
            state.complaints += added[brand_id].total
            latest = max(added[brand_id].counts)
            state.last_hour = latest if state.last_hour is None else max(latest, state.last_hour)


def _h(moment: datetime, *, end: bool = False) -> int:
    """The hour of a stored time; `end=True` for a time stored as the end of its hour."""
    return hour_of(moment) - (1 if end and moment.timestamp() % 3600 == 0 else 0)
