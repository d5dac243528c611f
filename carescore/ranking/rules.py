"""Every number of the methodology, in one place.

The ranking computes with these constants; docs/methodology.md (rendered as
/methodology) and /api/v1/methodology state them, and tests/test_methodology_doc.py
fails when the document and these values disagree. Change a rule here, bump
`METHODOLOGY_VERSION` (carescore/__init__.py) and say what changed in the document.
"""

from __future__ import annotations

from datetime import timedelta

ANSWER_DAYS = 7  # a reply counts as an answer within this many days of the opening post
ANSWER_WINDOW = timedelta(days=ANSWER_DAYS)
POSITIVE_SENTIMENT = 0.05  # VADER's usual threshold: a customer's last word that is positive
PRIOR = 30  # prior sample size of the Bayesian averages
CONFIDENCE = 0.95  # every interval
MIN_OPINION = 50  # opinions (after de-duplication) to be ranked
MIN_CASES = 50  # actionable cases to be ranked
MIN_EQUAL_TREATMENT_GROUP = 20  # cases per follower group before equal treatment is shown
SMALL_AUTHOR = 1_000  # followers below this: an ordinary customer
LARGE_AUTHOR = 10_000  # followers from this on: an influencer
OPEN_HOUR, CLOSE_HOUR = 9, 18  # business hours, Monday to Friday, brand's time zone
ROLLING_DAYS = 90  # the live window
WITHIN_SHORT_S, WITHIN_LONG_S = 1800, 3600  # "answered within 30 minutes / 1 hour"
P90 = 0.9  # the upper percentile of the reply delay
UNKNOWN_SECTOR = "unknown"  # never a shrinkage prior: such brands are shrunk toward all brands
# Upper bounds in seconds (inclusive) of the delay histogram, over answered cases.
DELAY_BUCKETS = (
    ("0-15m", 900),
    ("15-30m", 1800),
    ("30-60m", 3600),
    ("1-4h", 14400),
    ("4-24h", 86400),
    ("1-7d", ANSWER_DAYS * 86400),
)
