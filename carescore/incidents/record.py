"""What the detector finds for one brand, written as incidents with their care figures.

`carescore.incidents.run` decides which brands and hours to look at again; this module
runs the detector over them, stores each incident it finds with the complaints' topics
and the brand's care during it and as usual, and measures again the care of incidents
whose replies may still be arriving.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from carescore.incidents import care
from carescore.incidents.detector import Found, Rules, detect_topics
from carescore.incidents.hours import HourCounts, hour_of, hour_start
from carescore.store.incident_tables import Incident

DETECTOR_VERSION = "1.3"
CARE_REFRESH = timedelta(days=2)


def _series(counts: HourCounts) -> dict[str, dict[int, int]]:
    """The brand's complaints together (topic "") and each topic's alone, by hour."""
    series: dict[str, dict[int, int]] = {"": counts.counts}
    for hour, bag in counts.topics.items():
        for topic, n in bag.items():
            if n:
                series.setdefault(topic, {})[hour] = n
    return series


def detect_brand(
    session: Session,
    brand_id: int,
    counts: HourCounts,
    first: int,
    begin: int,
    now: datetime,
    rules: Rules,
    kept: Sequence[Incident] = (),
) -> int:
    """Detect from `begin` on; `kept` are the brand's stored incidents left as they are.

    Returns how many incidents were written, for the run's summary."""
    current = hour_of(now)
    earlier = [
        (hour_of(i.start_at), hour_of(i.end_at) if i.end_at else None)
        for i in kept
        if i.topic == ""
    ]
    found = detect_topics(_series(counts), first, begin, current + 1, current, rules, earlier)
    return sum(
        _store_incidents(session, brand_id, topic, items, counts, now)
        for topic, items in found.items()
    )


def _store_incidents(
    session: Session,
    brand_id: int,
    topic: str,
    found: list[Found],
    counts: HourCounts,
    now: datetime,
) -> int:
    for f in found:
        topics: Counter = Counter()
        if topic:
            topics[topic] = f.posts
        else:
            for hour, _, _ in f.hours:
                topics += counts.topics.get(hour, Counter())
        peak_hour, peak_count, peak_base = f.peak
        incident = Incident(
            brand_id=brand_id,
            topic=topic,
            start_at=hour_start(f.start),
            detected_at=min(hour_start(f.detected + 1), now),
            end_at=hour_start(f.end) if f.end is not None else None,
            is_open=f.end is None,
            peak_at=hour_start(peak_hour),
            peak_count=peak_count,
            peak_baseline=round(peak_base, 3),
            peak_ratio=round(peak_count / peak_base, 2),
            posts=f.posts,
            expected=round(f.expected, 2),
            p_value=f.p_value,
            topics=dict(topics.most_common()),
            detector_version=DETECTOR_VERSION,
            care_unit=care.CARE_UNIT,
            computed_at=now,
        )
        _measure_care(session, incident, now)
        session.add(incident)
    return len(found)


def _measure_care(session: Session, incident: Incident, now: datetime) -> None:
    during, usual = care.measure(
        session,
        incident.brand_id,
        incident.start_at,
        incident.end_at or now,
        now,
        topic=incident.topic or None,
    )
    incident.care_unit = care.CARE_UNIT
    incident.care_n, incident.care_answered = during.n, during.answered
    incident.care_median_reply_s = during.median_reply_s
    incident.care_recovery_n, incident.care_recovered = during.recovery_n, during.recovered
    incident.usual_n, incident.usual_answered = usual.n, usual.answered
    incident.usual_median_reply_s = usual.median_reply_s
    incident.usual_recovery_n, incident.usual_recovered = usual.recovery_n, usual.recovered
    incident.computed_at = now


def refresh_recent_care(session: Session, now: datetime) -> None:
    """Replies keep arriving after an incident: its care figures settle within a day.

    Incidents measured in another unit (posts, before cases existed) are measured again.
    """
    recent = session.execute(
        select(Incident).where(
            (
                ((Incident.end_at.is_(None)) | (Incident.end_at >= now - CARE_REFRESH))
                & (Incident.computed_at < now)
            )
            | (Incident.care_unit != care.CARE_UNIT)
        )
    ).scalars()
    for incident in recent:
        _measure_care(session, incident, now)
