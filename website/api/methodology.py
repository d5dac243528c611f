"""The rules of the current methodology in a sentence each, served by /api/v1/methodology
so that a figure fetched from the API can be read without the web page.

Every number comes from carescore.ranking.rules, the constants the ranking computes with
and docs/methodology.md states (tests/test_methodology_doc.py holds the three together).
"""

from __future__ import annotations

from carescore.ranking.labelerror import MIN_SEPARATION
from carescore.ranking.rules import (
    ANSWER_DAYS,
    CLOSE_HOUR,
    LARGE_AUTHOR,
    MIN_CASES,
    MIN_EQUAL_TREATMENT_GROUP,
    MIN_OPINION,
    OPEN_HOUR,
    P90,
    POSITIVE_SENTIMENT,
    PRIOR,
    ROLLING_DAYS,
    SMALL_AUTHOR,
)

RULES: tuple[tuple[str, str], ...] = (
    (
        "mention",
        "A post that addresses a brand's official account (@handle or a reply to it), "
        "or matches its keywords or #brandfail-style hashtags.",
    ),
    (
        "conversation",
        "The platform's conversation id, else the connected reply chain; a post with "
        "neither is a conversation of its own.",
    ),
    (
        "case",
        "One customer's request to one brand in one conversation: it opens with the "
        "customer's first fail or question post addressed to that brand there, and holds "
        "that customer's later posts there.",
    ),
    (
        "answered",
        f"The brand (any official account) replied to any of the customer's posts in the "
        f"conversation, at or after the opening, within {ANSWER_DAYS} days of the opening; a "
        f"case younger than {ANSWER_DAYS} days without a reply is left out, not counted as "
        "unanswered.",
    ),
    (
        "reply_rate",
        "Answered cases / cases (cases_answered_n / cases_n), with a 95% Wilson interval. "
        "Public replies only: private messages cannot be seen.",
    ),
    (
        "first_response_time",
        f"Seconds from the case's opening post to the brand's first reply, over answered "
        f"cases: median and {round(P90 * 100)}th percentile, each with a distribution-free "
        "95% interval, shares of cases answered within 1 hour and 30 minutes (each with a "
        f"Wilson interval), and medians in and outside business hours ({OPEN_HOUR}:00-"
        f"{CLOSE_HOUR}:00 on weekdays, the brand's time zone), each with a distribution-free "
        "95% interval from its own part's answered cases.",
    ),
    (
        "satisfaction",
        f"praise / (praise + fail), one opinion per author, brand, day, label and language, "
        f"shrunk toward the sector's pooled share (all brands' for an unknown sector) with "
        f"a prior of {PRIOR} opinions; 95% Wilson interval of the raw share beside it; null "
        "without opinions.",
    ),
    (
        "satisfaction_corrected",
        "The raw share corrected for the scorer's measured confusion per language "
        "(adjusted classify and count: p = (q - fpr) / (tpr - fpr)), with a delta-method "
        "95% interval carrying both the brand's sample and the held-out confusion counts; "
        f"a language whose tpr - fpr is under {MIN_SEPARATION} is left as observed.",
    ),
    (
        "recovery_rate",
        "Of answered fail cases, the share whose customer's last post in the conversation "
        f"after the brand's first reply is positive (praise, or sentiment >= "
        f"{POSITIVE_SENTIMENT}), whatever the source; 95% Wilson interval of recovered_n / "
        "recovery_n.",
    ),
    (
        "equal_treatment",
        f"Reply rate to authors under {SMALL_AUTHOR:,} followers / rate to authors with "
        f"{LARGE_AUTHOR:,} or more, shown when both groups have {MIN_EQUAL_TREATMENT_GROUP} "
        "cases or more; each group's answered cases published beside it; 95% interval of "
        "the ratio by MOVER-R from the two rates' Wilson intervals (Donner and Zou, 2012).",
    ),
    (
        "carescore",
        f"0-100: half satisfaction, half responsiveness (shrunk reply rate and share "
        f"within an hour, equally). Ranked only with at least {MIN_OPINION} opinions and "
        f"{MIN_CASES} cases in the window; the others are listed as not enough data.",
    ),
    (
        "no_data",
        "A brand without opinions has no satisfaction, without cases no reply figures: "
        "null, never a prior.",
    ),
    (
        "windows",
        f"Rolling {ROLLING_DAYS} days (any as-of day), calendar months, and all; months "
        "are never rewritten once final.",
    ),
    (
        "human_labels",
        "A post's label is the scorer's unless a reviewer accepted a brand's dispute of it; "
        "then the human label (or attribution, or reply) counts, rescoring never overwrites "
        "it, and human_labels_n says how many posts of the figures a reviewer corrected. "
        "Brands cannot change a figure or remove a post; their statements change nothing.",
    ),
    (
        "versioning",
        "Any change to these rules bumps methodology_version. 2.0 counts reply figures per "
        "case where 1.0 counted posts; final 1.0 snapshots keep their figures and label.",
    ),
)
