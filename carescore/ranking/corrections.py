"""How many of a window's customer posts a reviewer corrected (an accepted dispute set
their label or their reply), per brand: published beside the figures as
`human_labels_n`, so a reader sees how much of a score rests on human decisions.

The ranking itself needs nothing more from here: an accepted dispute changes the post's
own columns, which every count reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text
from sqlmodel import Session

from carescore.ranking.cells import in_cells
from carescore.ranking.windows import Window
from carescore.store.models import Post

# The partial index ix_post_human's condition, written as it is (in parentheses, so it
# stays one term of the WHERE), so both databases see that the index holds every row the
# statement needs.
HUMAN = "(label_source = 'human' OR reply_source = 'human')"


def human_counts(
    session: Session, cells: Sequence[Window], brands: Sequence[int]
) -> list[dict[int, int]]:
    """Per cell, the inbound posts with a human label or reply by brand (absent = 0).

    The counts add up over time, so one statement over every cell reads the few corrected
    posts once, from the partial index ix_post_human (brand_id, direction, created_at),
    which holds every column it needs (see migration 0007).
    """
    per_cell: list[dict[int, int]] = [{} for _ in cells]
    if not cells or not brands:
        return per_cell
    slot, where = in_cells(cells, brands)
    query = (
        select(slot.label("slot"), Post.brand_id, func.count())
        .where(*where, text(HUMAN))
        .group_by(slot, Post.brand_id)
    )
    for index, brand_id, n in _on_the_human_index(session, query):
        if index is not None:
            per_cell[index][brand_id] = int(n)
    return per_cell


def _on_the_human_index(session: Session, query: Any) -> list[Any]:
    """Run the statement; SQLite is told to read ix_post_human.

    Without statistics SQLite's planner takes ix_post_brand_recent, which has the same
    columns, and then reads every customer post of the window instead of the few corrected
    ones. PostgreSQL chooses the partial index by itself. The values are the cells' bounds
    and brand ids (dates and integers), written as literals; with INDEXED BY, SQLite
    refuses the statement if the index cannot serve it instead of scanning silently.
    """
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return list(session.execute(query).all())
    sql = str(query.compile(dialect=bind.dialect, compile_kwargs={"literal_binds": True}))
    hinted = sql.replace("FROM post", "FROM post INDEXED BY ix_post_human", 1)
    return list(session.execute(text(hinted)).all())
