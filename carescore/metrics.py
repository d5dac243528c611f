"""Per-brand counts and order statistics of methodology v1, computed in SQL.

Everything is grouped in the database (GROUP BY and window functions that SQLite and
PostgreSQL share), so the cost grows with the number of brands, not of posts. Several
non-overlapping windows (the months of a year) are computed in one pass: each post
falls in at most one `slot`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, literal, or_, select, tuple_, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session

from carescore.businesshours import is_business_hours
from carescore.models import Brand, Post
from carescore.stats import median_ci_ranks, median_ranks, percentile_rank
from carescore.windows import ANSWER_WINDOW, Window

TOPICS = ("outage", "billing", "delivery", "delay", "waiting", "account", "defect", "staff")
# Upper bounds in seconds (inclusive) of the delay histogram, over answered posts.
DELAY_BUCKETS = (
    ("0-15m", 900),
    ("15-30m", 1800),
    ("30-60m", 3600),
    ("1-4h", 14400),
    ("4-24h", 86400),
    ("1-7d", int(ANSWER_WINDOW.total_seconds())),
)
SMALL_AUTHOR = 1_000  # followers below this: an ordinary customer
LARGE_AUTHOR = 10_000  # followers from this on: an influencer
POSITIVE_SENTIMENT = 0.05  # VADER's usual threshold


@dataclass
class Counts:
    """Raw figures for one brand in one window; `delays` maps order-statistic ranks."""

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
    histogram: dict[str, int] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)
    delays: dict[int, float] = field(default_factory=dict)
    business_delays: dict[int, float] = field(default_factory=dict)
    offhours_delays: dict[int, float] = field(default_factory=dict)


_COUNT_COLUMNS = (
    "inbound",
    "praise",
    "fail",
    "question",
    "actionable",
    "answered",
    "within_1h",
    "within_30m",
    "business",
    "small",
    "small_answered",
    "large",
    "large_answered",
    "answered_fail",
)


def _sum(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _slot(windows: Sequence[Window]) -> object:
    if len(windows) == 1 and windows[0].start is None:
        return literal(0)
    return case(
        *[
            (and_(Post.created_at >= w.start, Post.created_at < w.end), index)
            for index, w in enumerate(windows)
        ],
        else_=None,
    )


def _base_filter(windows: Sequence[Window]) -> list:
    starts = [w.start for w in windows]
    clauses = [
        Post.direction == "inbound",
        Post.brand_id.is_not(None),
        Post.created_at < max(w.end for w in windows),
    ]
    if None not in starts:
        clauses.append(Post.created_at >= min(starts))
    return clauses


def _judged(windows: Sequence[Window]) -> object:
    """Old enough to have had its 7 days, in whichever window the post falls."""
    limits = []
    for w in windows:
        cut = min(w.end, w.judged_before)
        limits.append(
            Post.created_at < cut
            if w.start is None
            else and_(Post.created_at >= w.start, Post.created_at < cut)
        )
    return or_(*limits) if len(limits) > 1 else limits[0]


def compute(
    session: Session, windows: Sequence[Window], brand_ids: Sequence[int] | None = None
) -> dict[tuple[int, int], Counts]:
    """Counts per (window index, brand id) for non-overlapping `windows`."""
    dialect = session.get_bind().dialect.name
    slot = _slot(windows).label("slot")
    timezones = dict(session.execute(select(Brand.id, Brand.timezone)).all())
    base = _base_filter(windows)
    # Naming every brand lets both databases range-scan (brand_id, created_at) for a
    # short window instead of reading the whole table.
    base.append(Post.brand_id.in_(sorted(timezones if brand_ids is None else brand_ids)))
    limit = int(ANSWER_WINDOW.total_seconds())
    answered = Post.first_reply_seconds <= limit
    actionable = and_(Post.label.in_(("fail", "question")), or_(_judged(windows), answered))
    ok = and_(actionable, answered)
    span_start = min((w.start for w in windows if w.start), default=None)
    if span_start is None:
        span_start = session.execute(select(func.min(Post.created_at))).scalar()
    span_end = max(w.end for w in windows)
    business = (
        is_business_hours(dialect, Post.created_at, Post.brand_id, timezones, span_start, span_end)
        if span_start is not None
        else literal(0)
    )
    answered_fail = and_(ok, Post.label == "fail")
    bounds = [0, *(upper for _, upper in DELAY_BUCKETS)]
    columns = [
        func.count().label("inbound"),
        _sum(Post.label == "praise").label("praise"),
        _sum(Post.label == "fail").label("fail"),
        _sum(Post.label == "question").label("question"),
        _sum(actionable).label("actionable"),
        _sum(ok).label("answered"),
        _sum(and_(ok, Post.first_reply_seconds <= 3600)).label("within_1h"),
        _sum(and_(ok, Post.first_reply_seconds <= 1800)).label("within_30m"),
        _sum(and_(ok, business == 1)).label("business"),
        _sum(and_(actionable, Post.author_followers < SMALL_AUTHOR)).label("small"),
        _sum(and_(ok, Post.author_followers < SMALL_AUTHOR)).label("small_answered"),
        _sum(and_(actionable, Post.author_followers >= LARGE_AUTHOR)).label("large"),
        _sum(and_(ok, Post.author_followers >= LARGE_AUTHOR)).label("large_answered"),
        _sum(answered_fail).label("answered_fail"),
    ]
    for index, (_, upper) in enumerate(DELAY_BUCKETS):
        lower = bounds[index]
        in_bucket = and_(ok, Post.first_reply_seconds <= upper)
        if index:
            in_bucket = and_(in_bucket, Post.first_reply_seconds > lower)
        columns.append(_sum(in_bucket).label(f"h{index}"))
    wrapped = literal(",") + Post.topics + literal(",")
    complaint = Post.label.in_(("fail", "question"))
    for index, code in enumerate(TOPICS):
        columns.append(_sum(and_(complaint, wrapped.like(f"%,{code},%"))).label(f"t{index}"))

    results: dict[tuple[int, int], Counts] = {}
    query = select(slot, Post.brand_id, *columns).where(*base).group_by(slot, Post.brand_id)
    for row in session.execute(query).mappings():
        if row["slot"] is None:
            continue
        c = Counts(**{name: int(row[name] or 0) for name in _COUNT_COLUMNS})
        c.offhours = c.answered - c.business
        c.histogram = {name: int(row[f"h{i}"]) for i, (name, _) in enumerate(DELAY_BUCKETS)}
        c.topics = {code: int(row[f"t{i}"]) for i, code in enumerate(TOPICS) if row[f"t{i}"]}
        results[(row["slot"], row["brand_id"])] = c

    _opinions(session, slot, base, results)
    _order_statistics(session, base, ok, business, windows, results)
    _recoveries(session, slot, base, and_(ok, Post.label == "fail"), windows, results)
    return results


def _opinions(session: Session, slot, base: list, results: dict) -> None:
    """Praise and fail with one vote per author, brand, UTC day and label."""
    distinct = (
        select(
            slot,
            Post.brand_id.label("brand_id"),
            Post.author_id,
            func.date(Post.created_at).label("day"),
            Post.label.label("label"),
        )
        .where(*base, Post.label.in_(("praise", "fail")))
        .distinct()
        .subquery()
    )
    query = select(
        distinct.c.slot,
        distinct.c.brand_id,
        _sum(distinct.c.label == "praise"),
        func.count(),
    ).group_by(distinct.c.slot, distinct.c.brand_id)
    for slot_value, brand_id, praise, total in session.execute(query).all():
        counts = results.get((slot_value, brand_id))
        if counts is not None:
            counts.opinion_praise, counts.opinion = int(praise), int(total)


def needed_ranks(n: int) -> set[int]:
    """Order statistics the published delay figures need for n answered posts."""
    if n <= 0:
        return set()
    ranks = set(median_ranks(n)) | {percentile_rank(n, 0.9)}
    ci = median_ci_ranks(n)
    if ci:
        ranks |= set(ci)
    return ranks


_BRANDS_PER_QUERY = 100  # keeps each IN list small on both databases


def _order_statistics(
    session: Session, base: list, ok, business, windows: Sequence[Window], results: dict
) -> None:
    """Pick the median, its interval and the 90th percentile rows with ROW_NUMBER.

    One query per window and group of brands, each ranking only its own rows, so the
    lists of wanted (brand, rank) pairs stay short.
    """
    by_slot: dict[int, list[int]] = defaultdict(list)
    for slot_value, brand_id in results:
        by_slot[slot_value].append(brand_id)
    for slot_value, brand_ids in by_slot.items():
        window = windows[slot_value]
        span = [Post.created_at < window.end]
        if window.start is not None:
            span.append(Post.created_at >= window.start)
        brand_ids.sort()
        for start in range(0, len(brand_ids), _BRANDS_PER_QUERY):
            chunk = brand_ids[start : start + _BRANDS_PER_QUERY]
            counts = {bid: results[(slot_value, bid)] for bid in chunk}
            _pick_ranks(session, [*base, *span, Post.brand_id.in_(chunk), ok], business, counts)


def _pick_ranks(session: Session, where: list, business, counts: dict[int, Counts]) -> None:
    answered = (
        select(
            Post.brand_id.label("brand_id"),
            business.label("biz"),
            Post.first_reply_seconds.label("delay"),
            Post.id.label("id"),
        )
        .where(*where)
        .subquery()
    )
    a = answered.c
    overall = [(bid, r) for bid, c in counts.items() for r in needed_ranks(c.answered)]
    split = [
        (bid, 1, r) for bid, c in counts.items() if c.business for r in median_ranks(c.business)
    ]
    split += [
        (bid, 0, r) for bid, c in counts.items() if c.offhours for r in median_ranks(c.offhours)
    ]
    if overall:
        ranked = select(
            a.brand_id,
            a.delay,
            func.row_number().over(partition_by=a.brand_id, order_by=(a.delay, a.id)).label("rn"),
        ).subquery()
        r = ranked.c
        query = select(r.brand_id, r.rn, r.delay).where(tuple_(r.brand_id, r.rn).in_(overall))
        for row in session.execute(query).all():
            counts[row.brand_id].delays[row.rn] = float(row.delay)
    if split:
        ranked = select(
            a.brand_id,
            a.biz,
            a.delay,
            func.row_number()
            .over(partition_by=(a.brand_id, a.biz), order_by=(a.delay, a.id))
            .label("rn"),
        ).subquery()
        r = ranked.c
        query = select(r.brand_id, r.biz, r.rn, r.delay).where(
            tuple_(r.brand_id, r.biz, r.rn).in_(split)
        )
        for row in session.execute(query).all():
            c = counts[row.brand_id]
            (c.business_delays if row.biz == 1 else c.offhours_delays)[row.rn] = float(row.delay)


def _recoveries(
    session: Session, slot, base: list, answered_fail, windows: Sequence[Window], results: dict
) -> None:
    """Answered fails whose customer's last later reply in the thread is positive.

    A later post in a thread is a reply (it has a reply-to id); the thread is the
    conversation id when there is one, else the replies to the brand's first reply
    (TWCS has no conversation ids). Set-based: one join of the
    answered fails with the customers' replies, the latest reply picked by ROW_NUMBER.
    """
    fails = (
        select(
            slot,
            Post.brand_id.label("brand_id"),
            Post.id.label("id"),
            Post.platform.label("platform"),
            Post.author_id.label("author_id"),
            Post.created_at.label("created_at"),
            Post.conversation_id.label("conversation_id"),
            Post.first_reply_id.label("first_reply_id"),
        )
        .where(*base, answered_fail)
        .cte("answered_fails")
        # Computed once, then joined through the indexes of `post`: without it SQLite
        # may drive the join from the other side and go quadratic when unanalysed.
        .prefix_with("MATERIALIZED")
    )
    f = fails.c
    later = aliased(Post)
    positive = case(
        (or_(later.label == "praise", later.sentiment >= POSITIVE_SENTIMENT), 1), else_=0
    )
    starts = [w.start for w in windows]
    # Written so that no index serves it: the conversation index must drive the join.
    is_reply = func.coalesce(later.in_reply_to_id, "") != ""
    replies = [later.direction == "inbound"]
    if None not in starts:
        replies.append(later.created_at > min(starts))

    def thread_replies(match: object) -> object:
        return (
            select(
                f.slot,
                f.brand_id,
                f.id.label("fail_id"),
                later.id.label("later_id"),
                later.created_at.label("later_at"),
                positive.label("positive"),
            )
            .select_from(fails)
            .join(
                later,
                and_(
                    match,
                    later.platform == f.platform,
                    later.author_id == f.author_id,
                    later.created_at > f.created_at,
                ),
            )
            .where(*replies)
        )

    # Two equi-joins (each served by an index) rather than one join on an OR.
    both = union_all(
        thread_replies(and_(later.conversation_id == f.conversation_id, is_reply)),
        thread_replies(later.in_reply_to_id == f.first_reply_id),
    ).subquery()
    b = both.c
    joined = select(
        b.slot,
        b.brand_id,
        b.positive,
        func.row_number()
        .over(partition_by=b.fail_id, order_by=(b.later_at.desc(), b.later_id.desc()))
        .label("rn"),
    ).subquery()
    j = joined.c
    query = (
        select(j.slot, j.brand_id, func.sum(j.positive))
        .where(j.rn == 1)
        .group_by(j.slot, j.brand_id)
    )
    for slot_value, brand_id, recovered in session.execute(query).all():
        counts = results.get((slot_value, brand_id))
        if counts is not None:
            counts.recovered = int(recovered or 0)
