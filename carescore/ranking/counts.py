"""The additive counts of a ranking, per brand and cell, in one pass over `ix_post_rank`.

Cases (carescore/threads/cases.py) are written on their opening posts by threading, so
counting cases is counting posts that open one: the same single grouped scan as
counting posts, with the reply delay, the outcome and the recovery read from the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, and_, cast, distinct, func, literal, or_, select
from sqlmodel import Session

from carescore.ranking.cells import in_cells, in_window
from carescore.ranking.rules import (
    ANSWER_WINDOW,
    DELAY_BUCKETS,
    LARGE_AUTHOR,
    SMALL_AUTHOR,
    WITHIN_LONG_S,
    WITHIN_SHORT_S,
)
from carescore.ranking.windows import Window
from carescore.store.models import Post
from carescore.vocab import ACTIONABLE_LABELS, LANGUAGES, OPINION_LABELS, TOPICS


@dataclass
class Counts:
    """Raw figures for one brand in one window; `delays` maps order-statistic ranks.

    `actionable` and `answered` count cases (judged, answered within 7 days); `votes`
    holds the de-duplicated opinions per (label, language).
    """

    inbound: int = 0
    praise: int = 0
    fail: int = 0
    question: int = 0
    actionable: int = 0
    answered: int = 0
    within_1h: int = 0
    within_30m: int = 0
    business: int = 0
    offhours: int = 0
    small: int = 0
    small_answered: int = 0
    large: int = 0
    large_answered: int = 0
    answered_fail: int = 0
    recovered: int = 0
    opinion_praise: int = 0
    opinion: int = 0
    human: int = 0  # customer posts whose label or reply a reviewer set (accepted disputes)
    votes: dict[tuple[str, str], int] = field(default_factory=dict)
    histogram: dict[str, int] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)
    delays: dict[int, float] = field(default_factory=dict)
    business_delays: dict[int, float] = field(default_factory=dict)
    offhours_delays: dict[int, float] = field(default_factory=dict)
    # Per cell: (actionable, small, large) for each judging cut of the windows.
    judged: dict[datetime, tuple[int, int, int]] = field(default_factory=dict)


_COUNT_COLUMNS = (
    "inbound",
    "praise",
    "fail",
    "question",
    "answered",
    "small_answered",
    "large_answered",
    "answered_fail",
    "recovered",
)
SUMMED = (
    "inbound",
    "praise",
    "fail",
    "question",
    "answered",
    "within_1h",
    "within_30m",
    "small_answered",
    "large_answered",
    "answered_fail",
    "recovered",
    "opinion_praise",
    "opinion",
    "human",
)
# Cumulative counts of answered cases by delay; the histogram is their differences.
_WITHIN = tuple(limit for _name, limit in DELAY_BUCKETS[:-1])


def _count(condition) -> object:
    """Rows meeting `condition` (FILTER skips the aggregate step for the others)."""
    return func.count().filter(condition)


def answered_case() -> object:
    """A case answered within 7 days (the delay is NULL on posts that open no case)."""
    return Post.case_reply_seconds <= int(ANSWER_WINDOW.total_seconds())


def _language(lang: str) -> object:
    if lang == "other":
        return or_(Post.lang.is_(None), Post.lang.not_in(LANGUAGES[:-1]))
    return Post.lang == lang


def window_counts(
    session: Session, window: Window, brands: Sequence[int], cuts: Sequence[datetime]
) -> dict[int, Counts]:
    """Every plain count of the window per brand, in one pass over `ix_post_rank`.

    What is actionable depends on the cut before which an unanswered case is judged;
    windows sharing this cell may judge at different moments, so it is counted for each
    of their `cuts`. The business-hours split comes with the order statistics and the
    topics from their own grouped query: both are expensive expressions that only a
    minority of posts need, so they are not evaluated here for every post.
    """
    ok = answered_case()
    opens = Post.opens_case.is_(True)
    # One opinion per author, brand, UTC day, label and language: the day (fixed width)
    # followed by the author is a key that cannot collide within a (label, language).
    vote = cast(func.date(Post.created_at), String) + Post.author_id
    judged_columns = []
    for index, cut in enumerate(cuts):
        actionable = and_(opens, or_(Post.created_at < cut, ok))
        judged_columns += [
            _count(actionable).label(f"a{index}"),
            _count(and_(actionable, Post.author_followers < SMALL_AUTHOR)).label(f"s{index}"),
            _count(and_(actionable, Post.author_followers >= LARGE_AUTHOR)).label(f"l{index}"),
        ]
    votes = [
        func.count(distinct(vote))
        .filter(and_(Post.label == label, _language(lang)))
        .label(f"v_{label}_{lang}")
        for label in OPINION_LABELS
        for lang in LANGUAGES
    ]
    columns = [
        func.count().label("inbound"),
        _count(Post.label == "praise").label("praise"),
        _count(Post.label == "fail").label("fail"),
        _count(Post.label == "question").label("question"),
        *judged_columns,
        _count(ok).label("answered"),
        # Within a delay shorter than 7 days, "answered" is implied by the delay.
        *[_count(Post.case_reply_seconds <= s).label(f"w{s}") for s in _WITHIN],
        _count(and_(ok, Post.author_followers < SMALL_AUTHOR)).label("small_answered"),
        _count(and_(ok, Post.author_followers >= LARGE_AUTHOR)).label("large_answered"),
        _count(and_(ok, Post.label == "fail")).label("answered_fail"),
        _count(and_(ok, Post.label == "fail", Post.case_recovered.is_(True))).label("recovered"),
        *votes,
    ]
    query = (
        select(Post.brand_id, *columns).where(*in_window(window, brands)).group_by(Post.brand_id)
    )
    counts: dict[int, Counts] = {}
    for row in session.execute(query).mappings():
        c = Counts(**{name: int(row[name]) for name in _COUNT_COLUMNS})
        c.within_1h, c.within_30m = int(row[f"w{WITHIN_LONG_S}"]), int(row[f"w{WITHIN_SHORT_S}"])
        c.judged = {
            cut: (int(row[f"a{i}"]), int(row[f"s{i}"]), int(row[f"l{i}"]))
            for i, cut in enumerate(cuts)
        }
        c.votes = {
            (label, lang): int(row[f"v_{label}_{lang}"])
            for label in OPINION_LABELS
            for lang in LANGUAGES
        }
        c.opinion_praise = sum(n for (label, _), n in c.votes.items() if label == "praise")
        c.opinion = sum(c.votes.values())
        cumulative = [0, *(int(row[f"w{s}"]) for s in _WITHIN), c.answered]
        c.histogram = {
            name: cumulative[i + 1] - cumulative[i] for i, (name, _) in enumerate(DELAY_BUCKETS)
        }
        counts[row["brand_id"]] = c
    return counts


def merge(parts: Sequence[dict[int, Counts]], cut: datetime) -> dict[int, Counts]:
    """A window's counts per brand: the sums of its cells' (the judged ones at `cut`)."""
    merged: dict[int, Counts] = {}
    for part in parts:
        for brand_id, p in part.items():
            c = merged.setdefault(brand_id, Counts())
            for name in SUMMED:
                setattr(c, name, getattr(c, name) + getattr(p, name))
            c.actionable += p.judged[cut][0]
            c.small += p.judged[cut][1]
            c.large += p.judged[cut][2]
            for key, n in p.votes.items():
                c.votes[key] = c.votes.get(key, 0) + n
            for name, n in p.histogram.items():
                c.histogram[name] = c.histogram.get(name, 0) + n
            for code, n in p.topics.items():
                c.topics[code] = c.topics.get(code, 0) + n
    for c in merged.values():  # the keys in their published order
        c.histogram = {name: c.histogram.get(name, 0) for name, _ in DELAY_BUCKETS}
        c.topics = {code: c.topics[code] for code in TOPICS if c.topics.get(code)}
    return merged


def topic_counts(
    session: Session,
    cells: Sequence[Window],
    brands: Sequence[int],
    per_cell: Sequence[dict[int, Counts]],
) -> None:
    """Fail and question posts per topic code: the LIKE tests run on each distinct list.

    Few distinct lists exist per brand (a code or two out of eight), so grouping the
    complaints by their list first spares eight pattern matches per complaint.
    """
    slot, where = in_cells(cells, brands)
    lists = (
        select(
            slot.label("slot"),
            Post.brand_id.label("brand_id"),
            Post.topics.label("topics"),
            func.count().label("n"),
        )
        .where(*where, Post.label.in_(ACTIONABLE_LABELS), Post.topics != "")
        .group_by(slot, Post.brand_id, Post.topics)
        .subquery()
    )
    t = lists.c
    wrapped = literal(",") + t.topics + literal(",")
    query = select(
        t.slot,
        t.brand_id,
        *[
            func.coalesce(func.sum(t.n).filter(wrapped.like(f"%,{code},%")), 0).label(f"t{i}")
            for i, code in enumerate(TOPICS)
        ],
    ).group_by(t.slot, t.brand_id)
    for row in session.execute(query).mappings():
        if row["slot"] is None:
            continue
        c = per_cell[row["slot"]].get(row["brand_id"])
        if c is not None:
            c.topics = {code: int(row[f"t{i}"]) for i, code in enumerate(TOPICS) if row[f"t{i}"]}
