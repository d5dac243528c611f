"""Per-brand counts and order statistics of the methodology, computed in SQL.

Everything is grouped in the database (GROUP BY and window functions that SQLite and
PostgreSQL share); Python only adds up per-brand rows. Several windows, overlapping or
not (the 90 days, `all` and the months), are computed in one call: the additive counts
once per cell between window boundaries (`cells.py`, `counts.py`), so each post is read
once, and the order statistics per window (`delays.py`). The statements are grouped by
brand alone and read the covering index `ix_post_rank` in brand order, so neither
database sorts the posts to group them.

The reply figures are per case: threading (carescore/threads/cases.py) writes each
case, its first reply's delay and its recovery on the case's opening post.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlmodel import Session

from carescore.ranking.businesshours import is_business_hours
from carescore.ranking.cells import split_cells
from carescore.ranking.corrections import human_counts
from carescore.ranking.counts import Counts, merge, topic_counts, window_counts
from carescore.ranking.delays import needed_ranks, order_statistics
from carescore.ranking.windows import Window
from carescore.store.models import Brand, Post

__all__ = ["Counts", "compute", "needed_ranks"]


def compute(
    session: Session, windows: Sequence[Window], brand_ids: Sequence[int] | None = None
) -> dict[tuple[int, int], Counts]:
    """Counts per (window index, brand id) for `windows` (which may overlap).

    Counts and topics add up over time, so they are computed once per cell and summed
    per window; the order statistics do not, so they are ranked per window. Every
    statement is grouped by brand only: one per cell rather than one over all cells
    grouped by (cell, brand) lets SQLite aggregate in index order instead of sorting
    every post first, which was most of the cost.
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
    cells, members = split_cells(windows)
    cuts = sorted({min(w.end, w.judged_before) for w in windows})
    per_cell = [window_counts(session, cell, brands, cuts) for cell in cells]
    topic_counts(session, cells, brands, per_cell)
    for part, corrected in zip(per_cell, human_counts(session, cells, brands), strict=True):
        for brand_id, n in corrected.items():
            if brand_id in part:
                part[brand_id].human = n
    for index, window in enumerate(windows):
        start = window.start or first
        if start is None:
            continue  # no posts at all
        cut = min(window.end, window.judged_before)
        counts = merge([per_cell[i] for i in members[index]], cut)
        business = is_business_hours(
            dialect, Post.created_at, Post.brand_id, timezones, start, window.end
        )
        order_statistics(session, window, brands, business, counts)
        for brand_id, c in counts.items():
            results[(index, brand_id)] = c
    return results
