"""The case rules of methodology 2.0, computed independently from TWCS rows.

Plain Python over the CSV rows, written from the rules in docs/methodology.md and not
from carescore/threads/cases.py: conversations are reply chains (TWCS has no
conversation ids), named after their topmost tweet, or the missing tweet the topmost
one answers. The labels are the scorer's (an input of the rules, read from the store).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime

SEVEN_DAYS = 7 * 86400


def _id(value: str) -> str:
    return str(int(float(value))) if value else ""


def _when(row: dict[str, str]) -> datetime:
    return datetime.strptime(row["created_at"], "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)


def conversation_roots(rows: list[dict[str, str]]) -> dict[str, str]:
    """tweet id -> the id naming its reply chain."""
    parent = {_id(r["tweet_id"]): _id(r["in_response_to_tweet_id"]) for r in rows}
    roots = {}
    for tweet in parent:
        current, seen = tweet, {tweet}
        while parent.get(current) and parent[current] not in seen:
            current = parent[current]
            seen.add(current)
            if current not in parent:
                break
        roots[tweet] = current
    return roots


def expected_cases(
    rows: list[dict[str, str]], brand_of: dict[str, str | None], labels: dict[str, str]
) -> dict[str, dict]:
    """Per brand handle (lower case): cases, answered cases, delays, recovered, answered fails.

    `brand_of` gives each customer tweet's addressed brand (lower-case handle or None),
    `labels` each customer tweet's label and sentiment-based positivity as
    "label" / "label+" (positive).
    """
    roots = conversation_roots(rows)
    tweets = sorted(rows, key=lambda r: (_when(r), _id(r["tweet_id"])))
    conversations: dict[str, list[dict]] = defaultdict(list)
    for r in tweets:
        conversations[roots[_id(r["tweet_id"])]].append(r)
    figures: dict[str, dict] = defaultdict(
        lambda: {"cases": 0, "answered": 0, "delays": [], "fails": 0, "recovered": 0}
    )
    for members in conversations.values():
        customers = {r["author_id"] for r in members if r["inbound"] == "True"}
        for customer in customers:
            own = [r for r in members if r["inbound"] == "True" and r["author_id"] == customer]
            own_ids = {_id(r["tweet_id"]) for r in own}
            listed = {_id(x) for r in own for x in r["response_tweet_id"].split(",") if x}
            brands = []
            for r in own:
                b = brand_of[_id(r["tweet_id"])]
                if b and b not in brands:
                    brands.append(b)
            for brand in brands:
                opener = next(
                    (
                        r
                        for r in own
                        if brand_of[_id(r["tweet_id"])] == brand
                        and labels[_id(r["tweet_id"])].rstrip("+") in ("fail", "question")
                    ),
                    None,
                )
                if opener is None:
                    continue
                opened: datetime = _when(opener)
                replies = [
                    r
                    for r in members
                    if r["inbound"] == "False"
                    and r["author_id"].lower() == brand
                    and _when(r) >= opened
                    and (
                        _id(r["in_response_to_tweet_id"]) in own_ids or _id(r["tweet_id"]) in listed
                    )
                ]
                f = figures[brand]
                f["cases"] += 1
                if not replies:
                    continue
                first = replies[0]  # members are in time order
                delay = int((_when(first) - opened).total_seconds())
                if delay > SEVEN_DAYS:
                    continue
                f["answered"] += 1
                f["delays"].append(delay)
                if labels[_id(opener["tweet_id"])].rstrip("+") == "fail":
                    f["fails"] += 1
                    later = [r for r in own if _when(r) > _when(first)]
                    if later and labels[_id(later[-1]["tweet_id"])].endswith("+"):
                        f["recovered"] += 1
    for f in figures.values():
        f["median"] = statistics.median(f["delays"]) if f["delays"] else None
    return figures
