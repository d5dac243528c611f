"""The incidents' API: parameters, the builder of their `...Public` shape (the shapes
themselves live with the others in `website.api.schemas`) and their OpenAPI operations,
kept together so that the incidents add one import to `openapi.py`.
"""

from __future__ import annotations

import dataclasses

from carescore.read.incidents import ALL_TOPICS, IncidentView
from carescore.read.serialize import finite as _finite
from carescore.vocab import TOPICS
from website.api.params import BRAND, CURSOR, LIMIT, SECTOR, SINCE, UNTIL, Param, choice
from website.api.schemas import IncidentListPublic, IncidentPublic


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
