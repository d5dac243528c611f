"""Where a ranking's statements look: the windows' posts, and the cells between windows.

Several windows, overlapping or not (the 90 days, `all` and the months), are counted in
one run: the additive counts once per cell between window boundaries, so each post is
read once, and a window's counts are the sums of its cells'.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time
from itertools import pairwise

from sqlalchemy import and_, case

from carescore.ranking.windows import Window
from carescore.store.models import Post


def in_window(window: Window, brand_ids: Sequence[int]) -> list:
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


def in_cells(cells: Sequence[Window], brand_ids: Sequence[int]) -> tuple[object, list]:
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
    return slot, in_window(span, brand_ids)


def split_cells(windows: Sequence[Window]) -> tuple[list[Window], list[list[int]]]:
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
