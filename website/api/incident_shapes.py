"""The incidents' API: parameters, `...Public` shapes (pydantic models built on
`website.api.shape_base`, like every other shape), their builder and their OpenAPI
operations, kept together so that the incidents add one import to `openapi.py`.
"""

from __future__ import annotations

import dataclasses

from carescore.read.incidents import ALL_TOPICS, IncidentView
from carescore.read.serialize import finite as _finite
from carescore.vocab import TOPICS
from website.api.params import BRAND, CURSOR, LIMIT, SECTOR, SINCE, UNTIL, Param, choice
from website.api.shape_base import Public, UTCTime
from website.api.shape_base import described as _d


def _boolean(value: str) -> bool:
    if value not in ("true", "false"):
        raise ValueError("expected true or false")
    return value == "true"


OPEN = Param(
    "open",
    "true: only incidents still open; false: only closed ones.",
    {"type": "string", "enum": ["true", "false"]},
    _boolean,
)
STARTED_SINCE = dataclasses.replace(
    SINCE, description="Incidents that started at or after this date or time (UTC when a date)."
)
STARTED_UNTIL = dataclasses.replace(
    UNTIL, description="Incidents that started before this date or time (UTC when a date)."
)
INCIDENT_TOPIC = Param(
    "topic",
    "all: only surges of the brand's complaints together; a topic code: only surges of that "
    "topic's complaints alone. Both kinds when left out.",
    {"type": "string", "enum": [ALL_TOPICS, *TOPICS]},
    choice((ALL_TOPICS, *TOPICS)),
)
INCIDENTS_QUERY = (
    BRAND, SECTOR, INCIDENT_TOPIC, OPEN, STARTED_SINCE, STARTED_UNTIL, CURSOR, LIMIT
)  # fmt: skip
BRAND_INCIDENTS_QUERY = (INCIDENT_TOPIC, OPEN, STARTED_SINCE, STARTED_UNTIL, CURSOR, LIMIT)


class IncidentPublic(Public):
    """An unusual surge of a brand's complaints and how the brand answered during it."""

    brand: str = _d("brand slug")
    brand_name: str
    sector: str
    topic: str | None = _d(
        "null: a surge of the brand's complaints together; a topic code: a surge of that "
        "topic's complaints alone, found while the total showed none"
    )
    key: str = _d(
        "start hour, YYYY-MM-DDTHH (UTC), then .topic for a topic's surge; with the brand, "
        "the incident's id"
    )
    start_at: UTCTime = _d("first hour above the usual level")
    detected_at: UTCTime = _d("when the data crossed the threshold")
    end_at: UTCTime | None = _d("end of the last hour above the usual band; null while open")
    is_open: bool
    hours: int = _d("length in hours (so far, while open)")
    peak_at: UTCTime = _d("start of the hour with most complaints")
    peak_count: int = _d("complaints in the peak hour")
    peak_baseline: float = _d("usual complaints for the peak hour")
    peak_ratio: float = _d("peak_count / peak_baseline")
    complaints: int = _d("complaints during the incident")
    expected: float = _d("usual complaints for the same hours")
    p_value: float = _d("tail probability that opened it (negative binomial)")
    topics: dict[str, int] = _d("complaint topic: complaints")
    care_unit: str = _d(
        "what the care figures count: case (one customer's request in one conversation, "
        "methodology 2.0); post on incidents measured before cases"
    )
    care_n: int = _d("cases opened during it, at least 24 h old")
    care_answered: int = _d("of care_n, answered within 24 h")
    care_reply_rate: float | None = _d("care_answered / care_n")
    care_median_reply_s: float | None = _d("median delay of those answers, seconds")
    care_recovery_n: int = _d("answered cases opened by a complaint")
    care_recovered: int = _d("whose customer's last post after the reply is positive")
    care_recovery_rate: float | None = _d("care_recovered / care_recovery_n")
    usual_n: int = _d("cases opened in the 28 days before the start, 24 h old")
    usual_answered: int
    usual_reply_rate: float | None
    usual_median_reply_s: float | None
    usual_recovery_n: int
    usual_recovered: int
    usual_recovery_rate: float | None
    detector_version: str
    computed_at: UTCTime


class IncidentListPublic(Public):
    demo: bool
    methodology_version: str
    count: int = _d("items on this page")
    next_cursor: str | None = _d("pass as cursor for the next page; null on the last")
    items: list[IncidentPublic] = _d("newest start first")


def incident_public(v: IncidentView) -> IncidentPublic:
    """The API's shape of one incident; figures that are not numbers become null."""
    return IncidentPublic(
        brand=v.brand.slug,
        brand_name=v.brand.name,
        sector=v.brand.sector,
        topic=v.topic,
        key=v.key,
        start_at=v.start_at,
        detected_at=v.detected_at,
        end_at=v.end_at,
        is_open=v.is_open,
        hours=v.hours,
        peak_at=v.peak_at,
        peak_count=v.peak_count,
        peak_baseline=v.peak_baseline,
        peak_ratio=v.peak_ratio,
        complaints=v.posts,
        expected=v.expected,
        p_value=v.p_value,
        topics=dict(v.topics),
        care_unit=v.care_unit,
        care_n=v.during.n,
        care_answered=v.during.answered,
        care_reply_rate=_finite(v.during.reply_rate),
        care_median_reply_s=_finite(v.during.median_reply_s),
        care_recovery_n=v.during.recovery_n,
        care_recovered=v.during.recovered,
        care_recovery_rate=_finite(v.during.recovery_rate),
        usual_n=v.usual.n,
        usual_answered=v.usual.answered,
        usual_reply_rate=_finite(v.usual.reply_rate),
        usual_median_reply_s=_finite(v.usual.median_reply_s),
        usual_recovery_n=v.usual.recovery_n,
        usual_recovered=v.usual.recovered,
        usual_recovery_rate=_finite(v.usual.recovery_rate),
        detector_version=v.detector_version,
        computed_at=v.computed_at,
    )


def operations(operation: type) -> tuple:
    """The incidents' entries of the OpenAPI document (built with its `Operation`)."""
    return (
        operation("/incidents", "listIncidents", "Incidents, newest first, filtered",
                  INCIDENTS_QUERY, IncidentListPublic, IncidentPublic),
        operation("/incidents.csv", "listIncidentsCsv", "Incidents as CSV",
                  INCIDENTS_QUERY, None, IncidentPublic, csv_only=True),
        operation("/brands/{slug}/incidents", "listBrandIncidents", "A brand's incidents",
                  BRAND_INCIDENTS_QUERY, IncidentListPublic, IncidentPublic),
        operation("/brands/{slug}/incidents.csv", "listBrandIncidentsCsv",
                  "A brand's incidents as CSV", BRAND_INCIDENTS_QUERY, None, IncidentPublic,
                  csv_only=True),
    )  # fmt: skip
