"""The incidents' API: parameters, `...Public` shapes and OpenAPI operations.

Kept beside the other shapes rather than inside them so that the incidents add one
import to `openapi.py` and one to `views.py`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from carescore.read.incidents import IncidentView
from carescore.read.serialize import finite as _finite
from carescore.read.serialize import iso
from website.api.params import BRAND, CURSOR, LIMIT, SECTOR, SINCE, UNTIL, Param


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
INCIDENTS_QUERY = (BRAND, SECTOR, OPEN, STARTED_SINCE, STARTED_UNTIL, CURSOR, LIMIT)
BRAND_INCIDENTS_QUERY = (OPEN, STARTED_SINCE, STARTED_UNTIL, CURSOR, LIMIT)

_TIME = {"format": "date-time"}


@dataclass
class IncidentPublic:
    """An unusual surge of a brand's complaints and how the brand answered during it."""

    brand: str = field(metadata={"description": "brand slug"})
    brand_name: str
    sector: str
    key: str = field(
        metadata={
            "description": "start hour, YYYY-MM-DDTHH (UTC); with the brand, the incident's id"
        }
    )
    start_at: str = field(metadata={"description": "first hour above the usual level", **_TIME})
    detected_at: str = field(
        metadata={"description": "when the data crossed the threshold", **_TIME}
    )
    end_at: str | None = field(
        metadata={
            "description": "end of the last hour above the usual band; null while open",
            **_TIME,
        }
    )
    is_open: bool
    hours: int = field(metadata={"description": "length in hours (so far, while open)"})
    peak_at: str = field(
        metadata={"description": "start of the hour with most complaints", **_TIME}
    )
    peak_count: int = field(metadata={"description": "complaints in the peak hour"})
    peak_baseline: float = field(metadata={"description": "usual complaints for the peak hour"})
    peak_ratio: float = field(metadata={"description": "peak_count / peak_baseline"})
    complaints: int = field(metadata={"description": "complaints during the incident"})
    expected: float = field(metadata={"description": "usual complaints for the same hours"})
    p_value: float = field(
        metadata={"description": "tail probability that opened it (negative binomial)"}
    )
    topics: dict[str, int] = field(metadata={"description": "complaint topic: complaints"})
    care_unit: str = field(
        metadata={"description": "what care figures count: post (methodology 1.0) or case"}
    )
    care_n: int = field(
        metadata={"description": "actionable units opened during it, at least 24 h old"}
    )
    care_answered: int = field(metadata={"description": "of care_n, answered within 24 h"})
    care_reply_rate: float | None = field(metadata={"description": "care_answered / care_n"})
    care_median_reply_s: float | None = field(
        metadata={"description": "median delay of those answers, seconds"}
    )
    care_recovery_n: int = field(metadata={"description": "answered complaints"})
    care_recovered: int = field(
        metadata={"description": "whose customer's last later post is positive"}
    )
    care_recovery_rate: float | None = field(
        metadata={"description": "care_recovered / care_recovery_n"}
    )
    usual_n: int = field(
        metadata={"description": "the same count over the 28 days before the start"}
    )
    usual_answered: int
    usual_reply_rate: float | None
    usual_median_reply_s: float | None
    usual_recovery_n: int
    usual_recovered: int
    usual_recovery_rate: float | None
    detector_version: str
    computed_at: str = field(metadata=_TIME)


@dataclass
class IncidentListPublic:
    demo: bool
    methodology_version: str
    count: int = field(metadata={"description": "items on this page"})
    next_cursor: str | None = field(
        metadata={"description": "pass as cursor for the next page; null on the last"}
    )
    items: list[IncidentPublic] = field(metadata={"description": "newest start first"})


def incident_public(v: IncidentView) -> IncidentPublic:
    return IncidentPublic(
        brand=v.brand.slug,
        brand_name=v.brand.name,
        sector=v.brand.sector,
        key=v.key,
        start_at=iso(v.start_at) or "",
        detected_at=iso(v.detected_at) or "",
        end_at=iso(v.end_at),
        is_open=v.is_open,
        hours=v.hours,
        peak_at=iso(v.peak_at) or "",
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
        computed_at=iso(v.computed_at) or "",
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
