"""How many of a window's customer posts a reviewer corrected (an accepted dispute set
their label or their reply), per brand: published beside the figures as
`human_labels_n`, so a reader sees how much of a score rests on human decisions.

The ranking itself needs nothing from here: an accepted dispute changes the post's own
columns, which every count reads.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, text
from sqlmodel import Session

from carescore.ranking.windows import Window
from carescore.store.models import Post


def human_corrected(session: Session, window: Window, brand_ids: Sequence[int]) -> dict[int, int]:
    """Inbound posts of `window` with a human label or reply, by brand (absent = 0)."""
    if not brand_ids:
        return {}
    query = (
        select(Post.brand_id, func.count())
        .where(
            Post.brand_id.in_(sorted(brand_ids)),
            Post.direction == "inbound",
            Post.created_at < window.end,
            # Written as the partial index ix_post_human's condition, so both databases use it.
            text("label_source = 'human' OR reply_source = 'human'"),
        )
        .group_by(Post.brand_id)
    )
    if window.start is not None:
        query = query.where(Post.created_at >= window.start)
    return dict(session.execute(query).all())
