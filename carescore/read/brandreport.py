"""Everything a brand page or a comparison shows, in a fixed number of queries.

Composes `carescore.read.reports`, the shared read model, so the page shows the figures the
API serves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from carescore.read import reports
from carescore.read.periods import resolve_period
from carescore.read.reports import BrandRef, NotFound, PostRef
from carescore.reply.public import BrandReply, brand_reply
from carescore.store.models import Brand, BrandAccount, BrandScore

RECENT_POSTS = 5
MAX_COMPARED = 4


@dataclass
class BrandReport:
    """One brand's current score (None when never computed), history, accounts and posts."""

    brand: BrandRef
    period: str | None
    score: BrandScore | None
    history: list[BrandScore]
    accounts: list[BrandAccount]
    praise: list[PostRef] = field(default_factory=list)
    fails: list[PostRef] = field(default_factory=list)
    reply: BrandReply | None = None
    window: str = "90d"


def _ref(brand: Brand) -> BrandRef:
    return BrandRef(brand.slug, brand.name, brand.sector, brand.country, brand.is_demo)


def brand_report(
    session: Session,
    slug: str,
    recent: int = RECENT_POSTS,
    *,
    window: str | None = None,
    as_of: str | None = None,
) -> BrandReport:
    """One brand's report for the live 90 days, or the period `window` / `as_of` name
    (`carescore.read.periods`); raises `NotFound` for an unknown slug, `BadInput` for a
    period that is not one.

    `recent=0` leaves out the example posts and the brand's statements and corrections
    (the embeddable chart needs none).
    """
    chosen = resolve_period(session, window, as_of)
    brand = reports.get_brand(session, slug)
    period = chosen.period
    report = BrandReport(
        brand=_ref(brand),
        period=period,
        score=reports.brand_score(session, brand, chosen.window, period) if period else None,
        history=reports.brand_history(session, brand),
        accounts=reports.accounts(session, brand),
        window=chosen.window,
    )
    if recent:
        report.praise = reports.posts(session, brand=brand, label="praise", limit=recent).items
        report.fails = reports.posts(session, brand=brand, label="fail", limit=recent).items
        report.reply = brand_reply(session, slug, brand_id=brand.id)
    return report


def live_score(session: Session, slug: str) -> tuple[BrandRef, BrandScore | None]:
    """A brand and its newest 90-day score (None when never computed); raises `NotFound`."""
    brand = reports.get_brand(session, slug)
    return _ref(brand), reports.brand_score(session, brand, "90d")


def parse_slugs(raw: list[str]) -> list[str]:
    """`?brands=a,b&brands=c` -> ['a', 'b', 'c'], without blanks or repeats, order kept."""
    slugs: list[str] = []
    for value in raw:
        for slug in value.split(","):
            slug = slug.strip().lower()
            if slug and slug not in slugs:
                slugs.append(slug)
    return slugs


def compare_brands(session: Session, slugs: list[str]) -> list[BrandReport]:
    """Two to four brands side by side (live scores and monthly history), in the order asked.

    Raises `ValueError` for fewer than two or more than four slugs and `NotFound` when one
    of them is unknown. Four queries, whatever the brands.
    """
    if not 2 <= len(slugs) <= MAX_COMPARED:
        raise ValueError(f"compare two to {MAX_COMPARED} brands, not {len(slugs)}")
    brands = {
        b.slug: b for b in session.execute(select(Brand).where(Brand.slug.in_(slugs))).scalars()
    }
    missing = [s for s in slugs if s not in brands]
    if missing:
        raise NotFound(f"no brand {', '.join(missing)}")
    ids = [b.id for b in brands.values()]
    period = reports.latest_period(session, "90d")
    live: dict[int, BrandScore] = {}
    history: dict[int, list[BrandScore]] = {i: [] for i in ids}
    rows = session.execute(
        select(BrandScore)
        .where(
            BrandScore.brand_id.in_(ids),
            ((BrandScore.window == "90d") & (BrandScore.period == (period or "")))
            | (BrandScore.window == "month"),
        )
        .order_by(BrandScore.period)
    ).scalars()
    for score in rows:
        if score.window == "month":
            history[score.brand_id].append(score)
        else:
            live[score.brand_id] = score
    return [
        BrandReport(
            brand=_ref(brands[s]),
            period=period,
            score=live.get(brands[s].id),
            history=history[brands[s].id],
            accounts=[],
        )
        for s in slugs
    ]
