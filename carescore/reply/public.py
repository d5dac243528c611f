"""What readers see of a brand's right of reply: its current statements, its dispute
figures and the corrections made. One read model for the brand page and the API.

The figures are counts first, rates second, so each rate can be recomputed from the
counts published beside it: dispute rate = disputes filed / customer posts stored for
the brand; acceptance rate = accepted / decided (pending disputes are left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, func, select
from sqlmodel import Session

from carescore.reply.errors import Missing
from carescore.store.models import Brand, Post
from carescore.store.reply_tables import Dispute, Statement
from carescore.store.tally import inbound_posts_expression

LATEST_STATEMENTS = 5
CORRECTION_EXAMPLES = 5


@dataclass(frozen=True)
class StatementView:
    id: int
    text: str
    link: str | None
    refers_to: str | None
    created_at: datetime


@dataclass(frozen=True)
class Correction:
    """An accepted dispute: which post, what changed, when, and the reviewer's reason."""

    platform: str
    external_id: str
    url: str | None
    kind: str
    previous_label: str | None
    label: str | None
    decided_at: datetime
    note: str | None


@dataclass(frozen=True)
class DisputeFigures:
    inbound_posts: int
    filed: int
    pending: int
    accepted: int
    rejected: int

    @property
    def decided(self) -> int:
        return self.accepted + self.rejected

    @property
    def dispute_rate(self) -> float | None:
        return self.filed / self.inbound_posts if self.inbound_posts else None

    @property
    def acceptance_rate(self) -> float | None:
        return self.accepted / self.decided if self.decided else None


@dataclass
class BrandReply:
    slug: str
    statements: list[StatementView]
    figures: DisputeFigures
    corrections: list[Correction] = field(default_factory=list)


# The three statements, built once (building one cost about as much as running it) and
# bound on use to the brand and the two lengths; they read the columns shown as plain
# rows on the session's connection (ORM objects cost more than the statements).
_BRAND = bindparam("brand", type_=Integer)
_STATEMENTS = (
    select(Statement.id, Statement.text, Statement.link, Statement.refers_to, Statement.created_at)
    .where(Statement.brand_id == _BRAND, Statement.withdrawn_at.is_(None))
    .order_by(Statement.created_at.desc(), Statement.id.desc())
    .limit(bindparam("statements", type_=Integer))
)


def _disputes(brand: Any, *where: Any) -> Any:
    return (
        select(func.count())
        .select_from(Dispute)
        .where(Dispute.brand_id == brand, *where)
        .scalar_subquery()
    )


def dispute_figure_columns(brand: Any) -> list[Any]:
    """The `DisputeFigures` counts, in its order, as scalar SQL expressions of `brand` (a
    bound parameter, or the brand id column of a statement that reads them beside other
    columns, as the brand page does). The customer posts are kept with the ranking run
    and topped up with later posts, so the figure does not walk the brand's history
    (carescore.store.tally)."""
    return [
        inbound_posts_expression(brand),
        _disputes(brand),
        _disputes(brand, Dispute.status == "pending"),
        _disputes(brand, Dispute.status == "accepted"),
        _disputes(brand, Dispute.status == "rejected"),
    ]


_FIGURES = select(*dispute_figure_columns(_BRAND))
_CORRECTIONS = (
    select(
        Dispute.platform,
        Dispute.external_id,
        Post.url,
        Dispute.kind,
        Dispute.previous_label,
        Dispute.requested_label,
        Dispute.decided_at,
        Dispute.decision_note,
    )
    .join(Post, Post.id == Dispute.post_id)
    # A forgotten post (post_id NULL) leaves the public list: its id and the
    # reviewer's words about it would still point at it. The counts keep it.
    .where(Dispute.brand_id == _BRAND, Dispute.status == "accepted")
    .order_by(Dispute.decided_at.desc(), Dispute.id.desc())
    .limit(bindparam("examples", type_=Integer))
)


def brand_reply(
    session: Session,
    slug: str,
    *,
    brand_id: int | None = None,
    statements: int = LATEST_STATEMENTS,
    examples: int = CORRECTION_EXAMPLES,
    figures: tuple[int, int, int, int, int] | None = None,
) -> BrandReply:
    """Latest statements (newest first, withdrawn ones left out), dispute figures, and
    the newest accepted corrections: three queries when the caller knows `brand_id`, two
    when it read the `figures` too (`dispute_figure_columns`). Raises `Missing` for an
    unknown slug."""
    if brand_id is None:
        brand_id = session.execute(select(Brand.id).where(Brand.slug == slug)).scalar_one_or_none()
        if brand_id is None:
            raise Missing(f"no brand {slug!r}")
    bound = {"brand": brand_id, "statements": statements, "examples": examples}
    connection = session.connection()
    views = [StatementView(*row) for row in connection.execute(_STATEMENTS, bound)]
    if figures is None:
        posts, filed, pending, accepted, rejected = connection.execute(_FIGURES, bound).one()
        figures = (posts, filed, pending, accepted, rejected)
    counts = DisputeFigures(*figures)
    corrections = [Correction(*row) for row in connection.execute(_CORRECTIONS, bound)]
    return BrandReply(slug, views, counts, corrections)
