"""Per-brand counts and order statistics of methodology v1, computed in SQL.

Everything is grouped in the database (GROUP BY and window functions that SQLite and
PostgreSQL share), so the cost grows with the number of brands, not of posts. Several
non-overlapping windows (the months of a year) are computed in one pass: each post
falls in at most one `slot`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import (
    BigInteger,
    String,
    and_,
    bindparam,
    case,
    cast,
    distinct,
    func,
    literal,
    or_,
    select,
    union_all,
)
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


def _count(condition) -> object:
    """Rows meeting `condition` (FILTER skips the aggregate step for the others)."""
    return func.count().filter(condition)


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
    """Old enough to have had its 7 days, in whichever window the post falls.

    Windows computed together usually share one cut (`now` minus 7 days): a post inside
    its window is already before the window's end, so one comparison then decides.
    """
    cuts = {w.judged_before for w in windows}
    if len(cuts) == 1:
        return Post.created_at < cuts.pop()
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
    """Counts per (window index, brand id) for non-overlapping `windows`.

    Three statements whatever the number of windows and brands: the counts, the order
    statistics and the recoveries.
    """
    dialect = session.get_bind().dialect.name
    timezones = dict(session.execute(select(Brand.id, Brand.timezone)).all())
    base = _base_filter(windows)
    # Naming every brand lets both databases range-scan (brand_id, created_at) for a
    # short window instead of reading the whole table.
    base.append(Post.brand_id.in_(sorted(timezones if brand_ids is None else brand_ids)))
    limit = int(ANSWER_WINDOW.total_seconds())
    answered = Post.first_reply_seconds <= limit
    complaint = Post.label.in_(("fail", "question"))
    actionable = and_(complaint, or_(_judged(windows), answered))
    # Answered implies judged (an answer counts whatever the post's age), so an answered
    # actionable post is simply an answered complaint.
    ok = and_(complaint, answered)
    span_start = min((w.start for w in windows if w.start), default=None)
    if span_start is None:
        span_start = session.execute(select(func.min(Post.created_at))).scalar()
    span_end = max(w.end for w in windows)
    business = (
        is_business_hours(dialect, Post.created_at, Post.brand_id, timezones, span_start, span_end)
        if span_start is not None
        else literal(0)
    )
    slot = _slot(windows)

    # Every per-post condition is evaluated once, in this subquery; the OFFSET keeps
    # SQLite and PostgreSQL from merging it into the grouped query, which would copy
    # each condition into every aggregate that uses it (a dozen times per post).
    posts = (
        select(
            slot.label("slot"),
            Post.brand_id.label("brand_id"),
            Post.label.label("label"),
            case((actionable, 1), else_=0).label("act"),
            case((ok, 1), else_=0).label("ok"),
            Post.first_reply_seconds.label("delay"),
            case((and_(ok, business == 1), 1), else_=0).label("biz"),
            Post.author_followers.label("followers"),
            case((complaint, literal(",") + Post.topics + literal(",")), else_=None).label(
                "topics"
            ),
            # One opinion per author, brand, UTC day and label: the day (fixed width)
            # followed by the author is a key that cannot collide.
            case(
                (
                    Post.label.in_(("praise", "fail")),
                    cast(func.date(Post.created_at), String) + Post.author_id,
                ),
                else_=None,
            ).label("vote"),
        )
        .where(*base)
        .offset(0)
        .subquery("posts")
    )
    p = posts.c
    done = p.ok == 1
    acted = p.act == 1
    bounds = [0, *(upper for _, upper in DELAY_BUCKETS)]
    columns = [
        func.count().label("inbound"),
        _count(p.label == "praise").label("praise"),
        _count(p.label == "fail").label("fail"),
        _count(p.label == "question").label("question"),
        _count(acted).label("actionable"),
        _count(done).label("answered"),
        _count(and_(done, p.delay <= 3600)).label("within_1h"),
        _count(and_(done, p.delay <= 1800)).label("within_30m"),
        _count(p.biz == 1).label("business"),
        _count(and_(acted, p.followers < SMALL_AUTHOR)).label("small"),
        _count(and_(done, p.followers < SMALL_AUTHOR)).label("small_answered"),
        _count(and_(acted, p.followers >= LARGE_AUTHOR)).label("large"),
        _count(and_(done, p.followers >= LARGE_AUTHOR)).label("large_answered"),
        _count(and_(done, p.label == "fail")).label("answered_fail"),
        func.count(distinct(p.vote)).filter(p.label == "praise").label("votes_p"),
        func.count(distinct(p.vote)).filter(p.label == "fail").label("votes_f"),
    ]
    for index, (_, upper) in enumerate(DELAY_BUCKETS):
        in_bucket = and_(done, p.delay <= upper)
        if index:
            in_bucket = and_(in_bucket, p.delay > bounds[index])
        columns.append(_count(in_bucket).label(f"h{index}"))
    for index, code in enumerate(TOPICS):
        columns.append(_count(p.topics.like(f"%,{code},%")).label(f"t{index}"))

    results: dict[tuple[int, int], Counts] = {}
    query = select(p.slot, p.brand_id, *columns).group_by(p.slot, p.brand_id)
    for row in session.execute(query).mappings():
        if row["slot"] is None:
            continue
        c = Counts(**{name: int(row[name] or 0) for name in _COUNT_COLUMNS})
        c.offhours = c.answered - c.business
        c.opinion_praise = int(row["votes_p"])
        c.opinion = c.opinion_praise + int(row["votes_f"])
        c.histogram = {name: int(row[f"h{i}"]) for i, (name, _) in enumerate(DELAY_BUCKETS)}
        c.topics = {code: int(row[f"t{i}"]) for i, code in enumerate(TOPICS) if row[f"t{i}"]}
        results[(row["slot"], row["brand_id"])] = c

    _order_statistics(session, slot, [*base, ok], business, windows, results)
    _recoveries(session, slot.label("slot"), base, and_(ok, Post.label == "fail"), windows, results)
    return results


def needed_ranks(n: int) -> set[int]:
    """Order statistics the published delay figures need for n answered posts."""
    if n <= 0:
        return set()
    ranks = set(median_ranks(n)) | {percentile_rank(n, 0.9)}
    ci = median_ci_ranks(n)
    if ci:
        ranks |= set(ci)
    return ranks


_KEYS_PER_QUERY = 100_000  # wanted order statistics per statement (inlined integers)


def _order_statistics(
    session: Session, slot, where: list, business, windows: Sequence[Window], results: dict
) -> None:
    """Pick the median, its interval and the 90th percentile rows with ROW_NUMBER.

    One pass ranks every answered post of all windows and brands at once (overall, and
    within business and other hours), and keeps the rows whose rank is wanted. Each
    wanted (window, brand, [business,] rank) is folded into one integer so the filter
    is a flat list of integer literals, which both databases look up in a hash or
    b-tree, instead of a list of tuples that PostgreSQL expands into nested ORs.
    Windows are taken in groups that keep each list bounded.
    """
    if not results:
        return
    brand_span = max(bid for _, bid in results) + 1
    rank_span = max(c.answered for c in results.values()) + 1
    group: list[int] = []
    size = 0
    for index in range(len(windows)):
        pairs = [(s, b) for s, b in results if s == index]
        cost = sum(len(needed_ranks(results[k].answered)) + 4 for k in pairs)
        if group and size + cost > _KEYS_PER_QUERY:
            _pick_ranks(
                session, slot, where, business, windows, group, results, brand_span, rank_span
            )
            group, size = [], 0
        group.append(index)
        size += cost
    if group:
        _pick_ranks(session, slot, where, business, windows, group, results, brand_span, rank_span)


def _pick_ranks(
    session: Session,
    slot,
    where: list,
    business,
    windows: Sequence[Window],
    slots: list[int],
    results: dict,
    brand_span: int,
    rank_span: int,
) -> None:
    def pair_key(s: int, b: int) -> int:
        return s * brand_span + b

    overall: dict[int, tuple[int, int, int]] = {}
    split: dict[int, tuple[int, int, int, int]] = {}
    chosen = set(slots)
    for (s, b), c in results.items():
        if s not in chosen:
            continue
        for r in needed_ranks(c.answered):
            overall[pair_key(s, b) * rank_span + r] = (s, b, r)
        for biz, n in ((1, c.business), (0, c.offhours)):
            if n:
                for r in median_ranks(n):
                    split[(pair_key(s, b) * 2 + biz) * rank_span + r] = (s, b, biz, r)
    if not overall and not split:
        return
    span = [
        Post.created_at < max(windows[s].end for s in slots),
    ]
    starts = [windows[s].start for s in slots]
    if None not in starts:
        span.append(Post.created_at >= min(starts))
    answered = (
        select(
            slot.label("slot"),
            Post.brand_id.label("brand_id"),
            business.label("biz"),
            Post.first_reply_seconds.label("delay"),
            Post.id.label("id"),
        )
        .where(*where, *span)
        .subquery()
    )
    a = answered.c
    ranked = select(
        a.slot,
        a.brand_id,
        a.biz,
        a.delay,
        func.row_number()
        .over(partition_by=(a.slot, a.brand_id), order_by=(a.delay, a.id))
        .label("rn"),
        func.row_number()
        .over(partition_by=(a.slot, a.brand_id, a.biz), order_by=(a.delay, a.id))
        .label("rnb"),
    ).subquery()
    r = ranked.c
    pair = r.slot * literal(brand_span, BigInteger) + r.brand_id
    rank_width = literal(rank_span, BigInteger)
    query = select(r.slot, r.brand_id, r.biz, r.delay, r.rn, r.rnb).where(
        or_(
            (pair * rank_width + r.rn).in_(_inline("overall", list(overall))),
            ((pair * 2 + r.biz) * rank_width + r.rnb).in_(_inline("split", list(split))),
        )
    )
    for row in session.execute(query).all():
        c = results[(row.slot, row.brand_id)]
        key = pair_key(row.slot, row.brand_id)
        if key * rank_span + row.rn in overall:
            c.delays[row.rn] = float(row.delay)
        if (key * 2 + row.biz) * rank_span + row.rnb in split:
            target = c.business_delays if row.biz == 1 else c.offhours_delays
            target[row.rnb] = float(row.delay)


def _inline(name: str, values: list[int]) -> object:
    """A list of integers written into the statement, not bound one parameter each."""
    return bindparam(name, values, expanding=True, literal_execute=True)


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
