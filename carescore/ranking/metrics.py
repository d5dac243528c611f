"""Per-brand counts and order statistics of methodology v1, computed in SQL.

Everything is grouped in the database (GROUP BY and window functions that SQLite and
PostgreSQL share); Python only adds up per-brand rows. Several windows, overlapping or
not (the 90 days, `all` and the months), are computed in one call: the additive counts
once per cell between window boundaries, so each post is read once, and the order
statistics per window. The statements are grouped by brand alone and read the covering
index `ix_post_rank` in brand order, so neither database sorts the posts to group them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from itertools import pairwise

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

from carescore.ranking.businesshours import is_business_hours
from carescore.ranking.stats import median_ci_ranks, median_ranks, percentile_rank
from carescore.ranking.windows import ANSWER_WINDOW, Window
from carescore.store.models import Brand, Post

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
)


def _count(condition) -> object:
    """Rows meeting `condition` (FILTER skips the aggregate step for the others)."""
    return func.count().filter(condition)


def _in_window(window: Window, brand_ids: Sequence[int]) -> list:
    """Inbound posts of the named brands inside `window`.

    Naming every brand, with the direction and the period, lets both databases seek
    `ix_post_rank` (brand_id, direction, created_at, ...) brand by brand: the rows come
    out grouped by brand (no sort before GROUP BY) and the index alone answers.
    """
    clauses = [
        Post.brand_id.in_(sorted(brand_ids)),
        Post.direction == "inbound",
        Post.created_at < window.end,
    ]
    if window.start is not None:
        clauses.append(Post.created_at >= window.start)
    return clauses


def _in_cells(cells: Sequence[Window], brand_ids: Sequence[int]) -> tuple[object, list]:
    """The cell index of a post (NULL outside every cell), and the span of all cells.

    For the statements that cost more to start than to run per cell (a table scan, a
    join): one statement over every cell, grouped by (cell, brand).
    """
    slot = case(
        *[
            (
                Post.created_at < c.end
                if c.start is None
                else and_(Post.created_at >= c.start, Post.created_at < c.end),
                index,
            )
            for index, c in enumerate(cells)
        ],
        else_=None,
    )
    starts = [c.start for c in cells]
    end = max(c.end for c in cells)
    span = Window("span", "", None if None in starts else min(starts), end, end, False)
    return slot, _in_window(span, brand_ids)


def _cells(windows: Sequence[Window]) -> tuple[list[Window], list[list[int]]]:
    """Split the windows' union at every window boundary: the cells, and each window's.

    The 90-day window, the `all` window and the months overlap; counted cell by cell,
    each post is read once, and a window's counts are the sums of its cells' counts.
    That holds for distinct opinions too (one per author, day and label) only when
    every boundary is a UTC midnight, as the windows of `windows.py` are; otherwise
    each window is its own single cell.
    """
    bounds = {w.end for w in windows} | {w.start for w in windows if w.start is not None}
    if any(b.astimezone(UTC).timetz() != time(0, tzinfo=UTC) for b in bounds):
        return list(windows), [[i] for i in range(len(windows))]
    points = sorted(bounds)
    edges: list[tuple[datetime | None, datetime]] = list(pairwise(points))
    if any(w.start is None for w in windows):
        edges.insert(0, (None, points[0]))
    cells: list[Window] = []
    members: list[list[int]] = [[] for _ in windows]
    for start, end in edges:
        inside = [
            i
            for i, w in enumerate(windows)
            if (w.start is None or (start is not None and w.start <= start)) and end <= w.end
        ]
        if inside:
            for i in inside:
                members[i].append(len(cells))
            cells.append(Window("cell", "", start, end, end, False))
    return cells, members


def compute(
    session: Session, windows: Sequence[Window], brand_ids: Sequence[int] | None = None
) -> dict[tuple[int, int], Counts]:
    """Counts per (window index, brand id) for `windows` (which may overlap).

    Counts, topics and recoveries add up over time, so they are computed once per cell
    (`_cells`) and summed per window; the order statistics do not, so they are ranked
    per window. Every statement is grouped by brand only: one per cell rather than one
    over all cells grouped by (cell, brand) lets SQLite aggregate in index order
    instead of sorting every post first, which was most of the cost.
    """
    dialect = session.get_bind().dialect.name
    timezones = dict(session.execute(select(Brand.id, Brand.timezone)).all())
    brands = sorted(timezones if brand_ids is None else brand_ids)
    first = None
    if any(w.start is None for w in windows):
        first = session.execute(select(func.min(Post.created_at))).scalar()
    results: dict[tuple[int, int], Counts] = {}
    if not brands or not windows:
        return results
    cells, members = _cells(windows)
    cuts = sorted({min(w.end, w.judged_before) for w in windows})
    per_cell = [_window_counts(session, cell, brands, cuts) for cell in cells]
    _topics(session, cells, brands, per_cell)
    # Same figures either way; each database is fastest with one of the two forms.
    if dialect == "sqlite":
        _recoveries_correlated(session, cells, brands, per_cell)
    else:
        _recoveries(session, cells, brands, per_cell)
    for index, window in enumerate(windows):
        start = window.start or first
        if start is None:
            continue  # no posts at all
        cut = min(window.end, window.judged_before)
        counts = _merge([per_cell[i] for i in members[index]], cut)
        business = is_business_hours(
            dialect, Post.created_at, Post.brand_id, timezones, start, window.end
        )
        _order_statistics(session, window, brands, business, counts)
        for brand_id, c in counts.items():
            results[(index, brand_id)] = c
    return results


_SUMMED = (
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
)


def _merge(parts: Sequence[dict[int, Counts]], cut: datetime) -> dict[int, Counts]:
    """A window's counts per brand: the sums of its cells' (the judged ones at `cut`)."""
    merged: dict[int, Counts] = {}
    for part in parts:
        for brand_id, p in part.items():
            c = merged.setdefault(brand_id, Counts())
            for name in _SUMMED:
                setattr(c, name, getattr(c, name) + getattr(p, name))
            c.actionable += p.judged[cut][0]
            c.small += p.judged[cut][1]
            c.large += p.judged[cut][2]
            for name, n in p.histogram.items():
                c.histogram[name] = c.histogram.get(name, 0) + n
            for code, n in p.topics.items():
                c.topics[code] = c.topics.get(code, 0) + n
    for c in merged.values():  # the keys in their published order
        c.histogram = {name: c.histogram.get(name, 0) for name, _ in DELAY_BUCKETS}
        c.topics = {code: c.topics[code] for code in TOPICS if c.topics.get(code)}
    return merged


def _answered() -> object:
    """Answered within 7 days; a later answer counts as none."""
    return Post.first_reply_seconds <= int(ANSWER_WINDOW.total_seconds())


_COMPLAINT = ("fail", "question")
# Cumulative counts of answered posts by delay; the histogram is their differences.
_WITHIN = (900, 1800, 3600, 14400, 86400)


def _window_counts(
    session: Session, window: Window, brands: Sequence[int], cuts: Sequence[datetime]
) -> dict[int, Counts]:
    """Every plain count of the window per brand, in one pass over `ix_post_rank`.

    What is actionable depends on the cut before which an unanswered post is judged;
    windows sharing this cell may judge at different moments, so it is counted for each
    of their `cuts`. The business-hours split comes with the order statistics and the
    topics from their own grouped query: both are expensive expressions that only a
    minority of posts need, so they are not evaluated here for every post.
    """
    answered = _answered()
    complaint = Post.label.in_(_COMPLAINT)
    # An answered post counts whatever its age, so an answered actionable post is
    # simply an answered complaint; the cheap test on the delay (NULL when unanswered)
    # goes first.
    ok = and_(answered, complaint)
    # One opinion per author, brand, UTC day and label: the day (fixed width) followed
    # by the author is a key that cannot collide.
    vote = cast(func.date(Post.created_at), String) + Post.author_id
    judged_columns = []
    for index, cut in enumerate(cuts):
        actionable = and_(complaint, or_(Post.created_at < cut, answered))
        judged_columns += [
            _count(actionable).label(f"a{index}"),
            _count(and_(actionable, Post.author_followers < SMALL_AUTHOR)).label(f"s{index}"),
            _count(and_(actionable, Post.author_followers >= LARGE_AUTHOR)).label(f"l{index}"),
        ]
    columns = [
        func.count().label("inbound"),
        _count(Post.label == "praise").label("praise"),
        _count(Post.label == "fail").label("fail"),
        _count(Post.label == "question").label("question"),
        *judged_columns,
        _count(ok).label("answered"),
        # Within a delay shorter than 7 days, "answered" is implied by the delay.
        *[_count(and_(Post.first_reply_seconds <= s, complaint)).label(f"w{s}") for s in _WITHIN],
        _count(and_(ok, Post.author_followers < SMALL_AUTHOR)).label("small_answered"),
        _count(and_(ok, Post.author_followers >= LARGE_AUTHOR)).label("large_answered"),
        _count(and_(answered, Post.label == "fail")).label("answered_fail"),
        func.count(distinct(vote)).filter(Post.label == "praise").label("votes_p"),
        func.count(distinct(vote)).filter(Post.label == "fail").label("votes_f"),
    ]
    query = (
        select(Post.brand_id, *columns).where(*_in_window(window, brands)).group_by(Post.brand_id)
    )
    counts: dict[int, Counts] = {}
    for row in session.execute(query).mappings():
        c = Counts(**{name: int(row[name]) for name in _COUNT_COLUMNS})
        c.within_1h, c.within_30m = int(row["w3600"]), int(row["w1800"])
        c.judged = {
            cut: (int(row[f"a{i}"]), int(row[f"s{i}"]), int(row[f"l{i}"]))
            for i, cut in enumerate(cuts)
        }
        c.opinion_praise = int(row["votes_p"])
        c.opinion = c.opinion_praise + int(row["votes_f"])
        cumulative = [0, *(int(row[f"w{s}"]) for s in _WITHIN), c.answered]
        c.histogram = {
            name: cumulative[i + 1] - cumulative[i] for i, (name, _) in enumerate(DELAY_BUCKETS)
        }
        counts[row["brand_id"]] = c
    return counts


def _topics(
    session: Session,
    cells: Sequence[Window],
    brands: Sequence[int],
    per_cell: Sequence[dict[int, Counts]],
) -> None:
    """Complaints per topic code: the LIKE tests run on each distinct topic list only.

    Few distinct lists exist per brand (a code or two out of eight), so grouping the
    complaints by their list first spares eight pattern matches per complaint.
    """
    slot, where = _in_cells(cells, brands)
    lists = (
        select(
            slot.label("slot"),
            Post.brand_id.label("brand_id"),
            Post.topics.label("topics"),
            func.count().label("n"),
        )
        .where(*where, Post.label.in_(_COMPLAINT), Post.topics != "")
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


def needed_ranks(n: int) -> set[int]:
    """Order statistics the published delay figures need for n answered posts."""
    if n <= 0:
        return set()
    ranks = set(median_ranks(n)) | {percentile_rank(n, 0.9)}
    ci = median_ci_ranks(n)
    if ci:
        ranks |= set(ci)
    return ranks


def _order_statistics(
    session: Session, window: Window, brands: Sequence[int], business, counts: dict[int, Counts]
) -> None:
    """Pick the median, its interval and the 90th percentile rows with ROW_NUMBER, and
    split the answered posts between business and other hours.

    One pass ranks every answered post of the window per brand, and within its part
    (business or other hours), and keeps the rows whose rank is wanted. The
    business-hours expression (a time-zone conversion per post) is evaluated here only,
    for answered posts; each part's size comes with the rows, so the parts' medians'
    ranks are computed in SQL. The wanted overall ranks
    are folded into one integer per (brand, rank), so that filter is a flat list of
    integer literals, which both databases look up in a hash or b-tree, not a list of
    tuples that PostgreSQL expands into nested ORs (it hit its stack limit at 1M posts).
    """
    rank_span = max((c.answered for c in counts.values()), default=0) + 1
    overall = {b * rank_span + r for b, c in counts.items() for r in needed_ranks(c.answered)}
    if not overall:
        return
    answered = (
        select(
            Post.brand_id.label("brand_id"),
            business.label("biz"),
            Post.first_reply_seconds.label("delay"),
            Post.id.label("id"),
        )
        .where(*_in_window(window, brands), _answered(), Post.label.in_(_COMPLAINT))
        .cte("answered")
    )
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        # Otherwise SQLite inlines the subquery and evaluates the business-hours
        # expression once per reference to `biz` below, not once per post.
        answered = answered.prefix_with("MATERIALIZED")
    a = answered.c
    ordered = {"partition_by": a.brand_id, "order_by": (a.delay, a.id)}
    if sqlite:
        # Business-hours posts so far: a post's rank within its part follows from it
        # and its overall rank, with no second sort (SQLite sorts once per window).
        so_far = func.sum(a.biz).over(**ordered, rows=(None, 0))
        business = func.sum(a.biz).over(partition_by=a.brand_id)
        ranked = select(
            a.brand_id,
            a.biz,
            a.delay,
            func.row_number().over(**ordered).label("rn"),
            case((a.biz == 1, so_far), else_=func.row_number().over(**ordered) - so_far).label(
                "part_rank"
            ),
            case(
                (a.biz == 1, business), else_=func.count().over(partition_by=a.brand_id) - business
            ).label("part_size"),
        ).subquery()
    else:
        # PostgreSQL sorts a second partitioning faster than it runs the sums above.
        part = {"partition_by": (a.brand_id, a.biz)}
        ranked = select(
            a.brand_id,
            a.biz,
            a.delay,
            func.row_number().over(**ordered).label("rn"),
            func.row_number().over(**part, order_by=(a.delay, a.id)).label("part_rank"),
            func.count().over(**part).label("part_size"),
        ).subquery()
    r = ranked.c
    query = select(r.brand_id, r.biz, r.delay, r.rn, r.part_rank, r.part_size).where(
        or_(
            (r.brand_id * literal(rank_span, BigInteger) + r.rn).in_(
                _inline("overall", sorted(overall))
            ),
            # median_ranks(n) in SQL: integer division on both databases.
            r.part_rank == (r.part_size + 1) // 2,
            r.part_rank == r.part_size // 2 + 1,
        )
    )
    for brand_id, biz, delay, rn, rank, size in session.execute(query).all():
        c = counts[brand_id]
        if brand_id * rank_span + rn in overall:
            c.delays[rn] = float(delay)
        if rank in median_ranks(size):
            if biz == 1:
                c.business = int(size)
                c.business_delays[int(rank)] = float(delay)
            else:
                c.offhours_delays[int(rank)] = float(delay)
    for c in counts.values():
        c.offhours = c.answered - c.business


def _inline(name: str, values: list[int]) -> object:
    """A list of integers written into the statement, not bound one parameter each."""
    return bindparam(name, values, expanding=True, literal_execute=True)


def _answered_fails(cells: Sequence[Window], brands: Sequence[int]) -> object:
    """The answered fails of the cells, with what finding their threads' replies needs.

    Computed once (MATERIALIZED), then joined through the indexes of `post`: inlined,
    SQLite may drive the join from the other side and go quadratic when unanalysed.
    """
    slot, where = _in_cells(cells, brands)
    return (
        select(
            slot.label("slot"),
            Post.brand_id.label("brand_id"),
            Post.id.label("id"),
            Post.platform.label("platform"),
            Post.author_id.label("author_id"),
            Post.created_at.label("created_at"),
            Post.conversation_id.label("conversation_id"),
            Post.first_reply_id.label("first_reply_id"),
        )
        .where(*where, _answered(), Post.label == "fail")
        .cte("answered_fails")
        .prefix_with("MATERIALIZED")
    )


def _positive(post: object) -> object:
    """A customer's reply that counts as the complaint recovered."""
    return or_(post.label == "praise", post.sentiment >= POSITIVE_SENTIMENT)


def _recoveries(
    session: Session,
    cells: Sequence[Window],
    brands: Sequence[int],
    per_cell: Sequence[dict[int, Counts]],
) -> None:
    """Answered fails whose customer's last later reply in the thread is positive.

    A later post in a thread is a reply (it has a reply-to id); the thread is the
    conversation id when there is one, else the replies to the brand's first reply
    (TWCS has no conversation ids). Set-based: one join of the
    answered fails with the customers' replies, the latest reply picked by ROW_NUMBER.
    """
    fails = _answered_fails(cells, brands)
    f = fails.c
    # Both ways of being in the thread need a reply-to id, so the customers' replies
    # are read in one scan, kept, and joined twice (a scan each cost twice as much).
    kept = [Post.in_reply_to_id != "", Post.direction == "inbound"]
    if all(c.start is not None for c in cells):
        kept.append(Post.created_at > min(c.start for c in cells))
    replies = (
        select(
            Post.id,
            Post.platform,
            Post.author_id,
            Post.created_at,
            Post.conversation_id,
            Post.in_reply_to_id,
            case((_positive(Post), 1), else_=0).label("positive"),
        )
        .where(*kept)
        .cte("customer_replies")
        .prefix_with("MATERIALIZED")
    )
    later = replies.c

    def thread_replies(match: object) -> object:
        return (
            select(
                f.slot,
                f.brand_id,
                f.id.label("fail_id"),
                later.id.label("later_id"),
                later.created_at.label("later_at"),
                later.positive,
            )
            .select_from(fails)
            .join(
                replies,
                and_(
                    match,
                    later.platform == f.platform,
                    later.author_id == f.author_id,
                    later.created_at > f.created_at,
                ),
            )
        )

    # Two equi-joins rather than one join on an OR.
    both = union_all(
        thread_replies(later.conversation_id == f.conversation_id),
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
    _store_recoveries(session.execute(query).all(), per_cell)


def _recoveries_correlated(
    session: Session,
    cells: Sequence[Window],
    brands: Sequence[int],
    per_cell: Sequence[dict[int, Counts]],
) -> None:
    """Answered fails whose customer's last later reply in the thread is positive.

    A later post in a thread is a reply (it has a reply-to id); the thread is the
    conversation id when there is one, else the replies to the brand's first reply
    (TWCS has no conversation ids). For each answered fail, two correlated lookups (one
    per way of being in the thread, each an index seek) give the latest such reply of
    its customer; the later of the two is the thread's last word. No union of every
    reply to sort and rank, which cost SQLite more than the lookups themselves (three
    times more for a month); PostgreSQL prefers the set-based `_recoveries` (hash joins).
    """
    fails = _answered_fails(cells, brands)
    f = fails.c

    def latest(match) -> object:
        later = aliased(Post)
        return (
            select(later.id)
            .where(
                match(later),
                later.platform == f.platform,
                later.author_id == f.author_id,
                later.created_at > f.created_at,
                later.direction == "inbound",
            )
            .order_by(later.created_at.desc(), later.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    # Written so that no index serves it: the conversation index must drive the lookup.
    in_conversation = latest(
        lambda later: and_(
            later.conversation_id == f.conversation_id,
            func.coalesce(later.in_reply_to_id, "") != "",
        )
    )
    to_first_reply = latest(lambda later: later.in_reply_to_id == f.first_reply_id)
    last = (
        select(
            f.slot,
            f.brand_id,
            in_conversation.label("by_conversation"),
            to_first_reply.label("by_reply"),
        )
        .select_from(fails)
        .subquery()
    )
    by_conversation, by_reply, word = aliased(Post), aliased(Post), aliased(Post)
    conversation_wins = or_(
        by_reply.id.is_(None),
        and_(
            by_conversation.id.is_not(None),
            or_(
                by_conversation.created_at > by_reply.created_at,
                and_(
                    by_conversation.created_at == by_reply.created_at,
                    by_conversation.id > by_reply.id,
                ),
            ),
        ),
    )
    query = (
        select(
            last.c.slot,
            last.c.brand_id,
            func.count().filter(_positive(word)),
        )
        .select_from(last)
        .outerjoin(by_conversation, by_conversation.id == last.c.by_conversation)
        .outerjoin(by_reply, by_reply.id == last.c.by_reply)
        .join(
            word,
            word.id == case((conversation_wins, by_conversation.id), else_=by_reply.id),
        )
        .group_by(last.c.slot, last.c.brand_id)
    )
    _store_recoveries(session.execute(query).all(), per_cell)


def _store_recoveries(rows: list, per_cell: Sequence[dict[int, Counts]]) -> None:
    for slot, brand_id, recovered in rows:
        c = None if slot is None else per_cell[slot].get(brand_id)
        if c is not None:
            c.recovered = int(recovered or 0)
