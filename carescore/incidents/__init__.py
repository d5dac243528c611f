"""Incidents: a surge of a brand's complaints against its usual level for that hour of the
week, followed while it lasts, with how the brand answered the people it hit.

`detector` decides on hourly counts (pure, no database); `hours` counts complaints per
hour; `care` measures the replies during an incident; `record` stores what the detector
finds for a brand; `run` keeps the stored incidents up to date, incrementally.
docs/incidents.md states the rules and their measured errors.
"""

from carescore.incidents.care import CARE_UNIT, Care, care_units
from carescore.incidents.detector import RULES, Found, Rules, baselines, detect, detect_topics
from carescore.incidents.hours import hour_of, hour_start
from carescore.incidents.record import DETECTOR_VERSION
from carescore.incidents.run import RunSummary, refresh_incidents

__all__ = [
    "CARE_UNIT",
    "DETECTOR_VERSION",
    "RULES",
    "Care",
    "Found",
    "Rules",
    "RunSummary",
    "baselines",
    "care_units",
    "detect",
    "detect_topics",
    "hour_of",
    "hour_start",
    "refresh_incidents",
]
