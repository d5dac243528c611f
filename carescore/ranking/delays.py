"""Order statistics of the reply delays: medians, their intervals, the 90th percentile.

They do not add up over time, so they are picked per window (not per cell) with
ROW_NUMBER over the answered cases, which threading wrote on their opening posts.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, and_, bindparam, case, cast, func, literal, or_, select
from sqlmodel import Session

from carescore.ranking.cells import in_window
from carescore.ranking.counts import Counts, answered_case
from carescore.ranking.rules import P90
from carescore.ranking.stats import (
    EXACT_UP_TO,
    Z95,
    median_ci_ranks,
    median_ranks,
    percentile_rank,
    quantile_ci_ranks,
)
from carescore.ranking.windows import Window
from carescore.store.models import Post


def needed_ranks(n: int) -> set[int]:
    """Order statistics the published delay figures need for n answered cases."""
    if n <= 0:
        return set()
    ranks = set(median_ranks(n)) | {percentile_rank(n, P90)}
    for interval in (median_ci_ranks(n), quantile_ci_ranks(n, P90)):
        if interval:
            ranks |= set(interval)
    return ranks


def median_interval_rank(rank, size, largest: int) -> object:
    """SQL: `rank` is one end of `median_ci_ranks(size)` (sizes up to `largest`).

    The business-hours parts' sizes are only known inside the statement, so their
    medians' interval ranks are computed there: looked up in a list of (size, rank) keys
    where `median_ci_ranks` sums the binomial exactly, and from its normal approximation
    above. That approximation, j = floor(n/2 - z·sqrt(n)/2), holds exactly when
    d = n - 2j meets d >= z·sqrt(n) > d - 2, which is tested squared so that neither
    database needs a square root; the upper end n + 1 - j gives d = 2·rank - n - 2.
    """
    span = EXACT_UP_TO + 1
    rank, size = cast(rank, BigInteger), cast(size, BigInteger)  # d² outgrows 32 bits
    keys = []
    for n in range(1, min(largest, EXACT_UP_TO) + 1):
        interval = median_ci_ranks(n)
        if interval:
            keys += [n * span + interval[0], n * span + interval[1]]
    z2n = literal(Z95 * Z95) * size

    def normal_end(d) -> object:
        return and_(d >= 0, d * d >= z2n, or_(d < 2, (d - 2) * (d - 2) < z2n))

    exact = (size * literal(span, BigInteger) + rank).in_(_inline("ci_keys", keys or [0]))
    approximate = and_(
        size > EXACT_UP_TO, or_(normal_end(size - 2 * rank), normal_end(2 * rank - size - 2))
    )
    return or_(exact, approximate)


def order_statistics(
    session: Session, window: Window, brands: list[int], business, counts: dict[int, Counts]
) -> None:
    """Pick the median, its interval and the 90th percentile rows with ROW_NUMBER, and
    split the answered cases between business and other hours.

    One pass ranks every answered case of the window per brand, and within its part
    (business or other hours), and keeps the rows whose rank is wanted. The
    business-hours expression (a time-zone conversion per post) is evaluated here only,
    for answered cases; each part's size comes with the rows, so the ranks of the parts'
    medians and of their intervals are computed in SQL. The wanted overall ranks are
    folded into one integer per (brand, rank), so that filter is a flat list of integer
    literals, which both databases look up in a hash or b-tree, not a list of tuples
    that PostgreSQL expands into nested ORs (it hit its stack limit at 1M posts).
    """
    rank_span = max((c.answered for c in counts.values()), default=0) + 1
    overall = {b * rank_span + r for b, c in counts.items() for r in needed_ranks(c.answered)}
    if not overall:
        return
    answered = (
        select(
            Post.brand_id.label("brand_id"),
            business.label("biz"),
            Post.case_reply_seconds.label("delay"),
            Post.id.label("id"),
        )
        .where(*in_window(window, brands), answered_case())
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
            median_interval_rank(r.part_rank, r.part_size, rank_span - 1),
        )
    )
    for brand_id, biz, delay, rn, rank, size in session.execute(query).all():
        c = counts[brand_id]
        rank, size = int(rank), int(size)
        if brand_id * rank_span + rn in overall:
            c.delays[rn] = float(delay)
        if rank in median_ranks(size) or rank in (median_ci_ranks(size) or ()):
            if biz == 1:
                c.business = size
                c.business_delays[rank] = float(delay)
            else:
                c.offhours_delays[rank] = float(delay)
    for c in counts.values():
        c.offhours = c.answered - c.business


def _inline(name: str, values: list[int]) -> object:
    """A list of integers written into the statement, not bound one parameter each."""
    return bindparam(name, values, expanding=True, literal_execute=True)
