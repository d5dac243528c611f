"""Each brand's count of stored customer posts, kept so a read does not walk history.

The count is taken in full by every ranking run (`refresh_tally`) up to the highest
post id; a read adds the customer posts stored after that id (`inbound_posts`), a seek
on `ix_post_brand_direction_id` bounded by what arrived since the run. Posts leave a
brand in two places, a forget and an accepted misattribution dispute: both call
`untally` before the change, so the count stays exact between runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlmodel import Session

from carescore.store.models import Brand, BrandPostTally, Post

INBOUND = "inbound"


def refresh_tally(session: Session) -> None:
    """Count every brand's customer posts again, up to the highest post id."""
    through = session.execute(select(func.coalesce(func.max(Post.id), 0))).scalar_one()
    counts = dict(
        session.execute(
            select(Post.brand_id, func.count())
            .where(Post.brand_id.is_not(None), Post.direction == INBOUND, Post.id <= through)
            .group_by(Post.brand_id)
        ).all()
    )
    brand_ids = session.execute(select(Brand.id)).scalars().all()
    session.execute(delete(BrandPostTally))
    if brand_ids:
        rows = [
            {"brand_id": b, "inbound_posts": counts.get(b, 0), "through_post_id": through}
            for b in brand_ids
        ]
        session.execute(insert(BrandPostTally.__table__), rows)


def untally(session: Session, post_ids: Sequence[int]) -> None:
    """Take posts that are about to leave their brand out of the kept counts."""
    if not post_ids:
        return
    leaving = session.execute(
        select(Post.brand_id, func.count())
        .join(BrandPostTally, BrandPostTally.brand_id == Post.brand_id)
        .where(
            Post.id.in_(list(post_ids)),
            Post.direction == INBOUND,
            Post.id <= BrandPostTally.through_post_id,
        )
        .group_by(Post.brand_id)
    ).all()
    for brand_id, n in leaving:
        session.execute(
            update(BrandPostTally)
            .where(BrandPostTally.brand_id == brand_id)
            .values(inbound_posts=BrandPostTally.inbound_posts - n)
        )


def inbound_posts_expression(brand_id: int | ColumnElement[int]) -> ColumnElement[int]:
    """A scalar SQL expression: the brand's customer posts stored now (`brand_id` a
    value, a bound parameter, or the brand id column of the statement reading it)."""
    mine = BrandPostTally.brand_id == brand_id
    counted = select(BrandPostTally.inbound_posts).where(mine).scalar_subquery()
    # Nested in the count below: told to take a brand id column from the outer statement.
    through = (
        select(BrandPostTally.through_post_id)
        .where(mine)
        .correlate_except(BrandPostTally)
        .scalar_subquery()
    )
    since = (
        select(func.count())
        .select_from(Post)
        .where(
            Post.brand_id == brand_id,
            Post.direction == INBOUND,
            Post.id > func.coalesce(through, 0),
        )
        .scalar_subquery()
    )
    return func.coalesce(counted, 0) + since
