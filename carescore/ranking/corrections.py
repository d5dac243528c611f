"""How many of a window's customer posts a reviewer corrected (an accepted dispute set
their label or their reply), per brand: published beside the figures as
`human_labels_n`, so a reader sees how much of a score rests on human decisions.

The ranking itself needs nothing more from here: an accepted dispute changes the post's
own columns, which every count reads.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    for index, brand_id, n in session.execute(query).all():
        if index is not None:
            per_cell[index][brand_id] = int(n)
    return per_cell
