"""The rules of methodology v1 in a sentence each, served by /api/v1/methodology so that a
figure fetched from the API can be read without the web page.
"""

from __future__ import annotations

RULES: tuple[tuple[str, str], ...] = (
    (
        "mention",
        "A post that addresses a brand's official account (@handle or a reply to it), "
        "or matches its keywords or #brandfail-style hashtags.",
    ),
    ("actionable", "An inbound post labelled fail or question."),
    (
        "answered",
        "An official account of the brand replied in the thread within 7 days; a post "
        "younger than 7 days without a reply is left out, not counted as unanswered.",
    ),
    (
        "reply_rate",
        "Answered actionable posts / actionable posts, with a 95% Wilson interval. "
        "Public replies only: private messages cannot be seen.",
    ),
    (
        "first_response_time",
        "Seconds to the first brand reply: median with an interval, 90th "
        "percentile, shares within 1 hour and 30 minutes, and medians in and outside business "
        "hours (9:00-18:00 on weekdays, the brand's time zone).",
    ),
    (
        "satisfaction",
        "praise / (praise + fail), one post per author, brand, day and label, "
        "shrunk toward the sector mean with a prior of 30 posts; 95% Wilson interval beside it.",
    ),
    (
        "recovery_rate",
        "Of answered fail threads, the share whose customer's last post is positive.",
    ),
    (
        "equal_treatment",
        "Reply rate to authors under 1,000 followers / rate to authors with "
        "10,000 or more, shown when both groups have 20 posts or more.",
    ),
    (
        "carescore",
        "0-100: half satisfaction, half responsiveness (shrunk reply rate and share "
        "within an hour, equally). Ranked only with at least 50 opinion and 50 actionable posts "
        "in the window; the others are listed as not enough data.",
    ),
    (
        "windows",
        "Rolling 90 days for the live ranking; calendar months for snapshots, never "
        "rewritten once final.",
    ),
    (
        "human_labels",
        "A post's label is the scorer's unless a reviewer accepted a brand's dispute of it; "
        "then the human label (or attribution, or reply) counts, rescoring never overwrites "
        "it, and human_labels_n says how many posts of the figures a reviewer corrected. "
        "Brands cannot change a figure or remove a post; their statements change nothing.",
    ),
    ("versioning", "Any change to these rules bumps methodology_version."),
)
