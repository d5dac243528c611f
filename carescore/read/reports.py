"""The read side: rankings, brand reports, history and posts, for the site and the API.

Both front ends call these functions, so a figure reads the same on a page, in the
JSON and in a CSV download. Each function runs a fixed number of queries, whatever
the number of brands or posts.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from carescore.scoring.explain import main_cues
from carescore.store.models import Brand, BrandAccount, BrandScore, Post

SORTS = {
    # metric: (column, descending is better)
    "carescore": (BrandScore.carescore, True),
    "satisfaction": (BrandScore.satisfaction, True),
    "reply_rate": (BrandScore.reply_rate, True),
    "median_reply": (BrandScore.median_reply_s, False),
}
WINDOWS = ("90d", "month", "all")


class NotFound(LookupError):
    """The brand, sector or period asked for does not exist."""


class BadCursor(ValueError):
    """A pagination cursor that we did not issue."""


@dataclass
class BrandRef:
    slug: str
    name: str
    sector: str
    country: str
    is_demo: bool


@dataclass
class RankedBrand:
    brand: BrandRef
    score: BrandScore


@dataclass
class Ranking:
    sector: str | None
    window: str
    period: str | None
    sort: str
    ranked: list[RankedBrand] = field(default_factory=list)
    not_enough_data: list[RankedBrand] = field(default_factory=list)

    @property
    def methodology_version(self) -> str | None:
        rows = self.ranked or self.not_enough_data
        return rows[0].score.methodology_version if rows else None

    @property
    def computed_at(self) -> datetime | None:
        rows = self.ranked + self.not_enough_data
        return max((r.score.computed_at for r in rows), default=None)


@dataclass
class PostRef:
    platform: str
    external_id: str
    url: str | None
    author_handle: str | None
    created_at: datetime
    text: str
    lang: str
    label: str | None
    topics: list[str]
    sentiment: float | None
    first_reply_seconds: int | None
    brand_slug: str | None
    label_source: str = "scorer"
    # What the label rests on (carescore.scoring.explain), strongest first.
    cues: list[str] = field(default_factory=list)


@dataclass
class PostPage:
    items: list[PostRef]
    next_cursor: str | None


def _ref(brand: Brand) -> BrandRef:
    return BrandRef(brand.slug, brand.name, brand.sector, brand.country, brand.is_demo)


def latest_period(session: Session, window: str = "90d") -> str | None:
    """The newest period computed for a window (an as-of date for 90d/all, YYYY-MM for months)."""
    return session.execute(
        select(func.max(BrandScore.period)).where(BrandScore.window == window)
    ).scalar()


def months(session: Session) -> list[str]:
    """Months that have snapshots, newest first."""
    return list(
        session.execute(
            select(BrandScore.period)
            .where(BrandScore.window == "month")
            .distinct()
            .order_by(BrandScore.period.desc())
        ).scalars()
    )


def sectors(session: Session) -> list[str]:
    return list(session.execute(select(Brand.sector).distinct().order_by(Brand.sector)).scalars())


def ranking(
    session: Session,
    sector: str | None = None,
    window: str = "90d",
    period: str | None = None,
    sort: str = "carescore",
) -> Ranking:
    """Ranked brands (best first by `sort`) and those with not enough data, in one query.

    `period=None` means the newest computed period of the window.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; expected one of {', '.join(SORTS)}")
    if window not in WINDOWS:
        raise ValueError(f"unknown window {window!r}; expected one of {', '.join(WINDOWS)}")
    if sector is not None and sector not in sectors(session):
        raise NotFound(f"no sector {sector!r}")
    period = period or latest_period(session, window)
    result = Ranking(sector=sector, window=window, period=period, sort=sort)
    if period is None:
        return result
    column, descending = SORTS[sort]
    query = (
        select(BrandScore, Brand)
        .join(Brand, Brand.id == BrandScore.brand_id)
        .where(BrandScore.window == window, BrandScore.period == period)
        .order_by(
            BrandScore.ranked.desc(),
            column.is_(None),
            column.desc() if descending else column.asc(),
            Brand.name,
        )
    )
    if sector:
        query = query.where(Brand.sector == sector)
    for score, brand in session.execute(query).all():
        row = RankedBrand(_ref(brand), score)
        (result.ranked if score.ranked else result.not_enough_data).append(row)
    if window == "month" and not (result.ranked or result.not_enough_data):
        raise NotFound(f"no snapshot for {period}")
    return result


def get_brand(session: Session, slug: str) -> Brand:
    brand = session.execute(select(Brand).where(Brand.slug == slug)).scalar_one_or_none()
    if brand is None:
        raise NotFound(f"no brand {slug!r}")
    return brand


def accounts(session: Session, brand: Brand) -> list[BrandAccount]:
    return list(
        session.execute(
            select(BrandAccount)
            .where(BrandAccount.brand_id == brand.id)
            .order_by(BrandAccount.platform, BrandAccount.handle)
        ).scalars()
    )


def brand_score(
    session: Session, brand: Brand, window: str = "90d", period: str | None = None
) -> BrandScore | None:
    period = period or latest_period(session, window)
    if period is None:
        return None
    return session.execute(
        select(BrandScore).where(
            BrandScore.brand_id == brand.id,
            BrandScore.window == window,
            BrandScore.period == period,
        )
    ).scalar_one_or_none()


def brand_history(session: Session, brand: Brand) -> list[BrandScore]:
    """Monthly snapshots, oldest first."""
    return list(
        session.execute(
            select(BrandScore)
            .where(BrandScore.brand_id == brand.id, BrandScore.window == "month")
            .order_by(BrandScore.period)
        ).scalars()
    )


def encode_cursor(created_at: datetime, post_id: int) -> str:
    raw = json.dumps([created_at.isoformat(), post_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created, post_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        moment = datetime.fromisoformat(created)
        if moment.tzinfo is None or not isinstance(post_id, int):
            raise ValueError
        return moment, post_id
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadCursor("malformed cursor") from exc


def posts(
    session: Session,
    *,
    brand: Brand | None = None,
    label: str | None = None,
    topic: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    direction: str | None = "inbound",
    cursor: str | None = None,
    limit: int = 50,
) -> PostPage:
    """Posts newest first with keyset pagination (stable while new posts arrive)."""
    query = select(Post, Brand.slug).outerjoin(Brand, Brand.id == Post.brand_id)
    if brand is not None:
        query = query.where(Post.brand_id == brand.id)
    if label:
        query = query.where(Post.label == label)
    if topic:
        query = query.where(
            or_(
                Post.topics == topic,
                Post.topics.like(f"{topic},%"),
                Post.topics.like(f"%,{topic}"),
                Post.topics.like(f"%,{topic},%"),
            )
        )
    if since:
        query = query.where(Post.created_at >= since)
    if until:
        query = query.where(Post.created_at < until)
    if direction:
        query = query.where(Post.direction == direction)
    if cursor:
        created, post_id = decode_cursor(cursor)
        query = query.where(
            or_(Post.created_at < created, and_(Post.created_at == created, Post.id < post_id))
        )
    rows = session.execute(
        query.order_by(Post.created_at.desc(), Post.id.desc()).limit(limit + 1)
    ).all()
    items = [
        PostRef(
            platform=p.platform,
            external_id=p.external_id,
            url=p.url,
            author_handle=p.author_handle,
            created_at=p.created_at,
            text=p.text,
            lang=p.lang,
            label=p.label,
            topics=[t for t in p.topics.split(",") if t],
            sentiment=p.sentiment,
            first_reply_seconds=p.first_reply_seconds,
            brand_slug=slug,
            label_source=p.label_source,
            # A reviewer's label rests on the reviewer, not on the scorer's cues.
            cues=main_cues(p.text, p.lang) if p.label and p.label_source != "human" else [],
        )
        for p, slug in rows[:limit]
    ]
    last = rows[limit - 1][0] if len(rows) > limit else None
    return PostPage(items, encode_cursor(last.created_at, last.id) if last else None)


# --- Composite reads for the JSON API: one call per request, a fixed number of queries.


@dataclass
class BrandListing:
    brand: BrandRef
    accounts: list[BrandAccount]


@dataclass
class BrandPage:
    items: list[BrandListing]
    next_cursor: str | None


def _encode_key(key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps(["b", key]).encode()).decode().rstrip("=")


def _decode_key(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        tag, key = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if tag != "b" or not isinstance(key, str):
            raise ValueError
        return key
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadCursor("malformed cursor") from exc


def _accounts_of(session: Session, brand_ids: list[int]) -> dict[int, list[BrandAccount]]:
    found: dict[int, list[BrandAccount]] = {}
    if not brand_ids:
        return found
    for account in session.execute(
        select(BrandAccount)
        .where(BrandAccount.brand_id.in_(brand_ids))
        .order_by(BrandAccount.platform, BrandAccount.handle)
    ).scalars():
        found.setdefault(account.brand_id, []).append(account)
    return found


def brand_directory(
    session: Session,
    *,
    sector: str | None = None,
    country: str | None = None,
    text: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> BrandPage:
    """Brands by slug with their official accounts, keyset-paginated on the slug.

    `text` matches anywhere in the name or the slug, ignoring case (ASCII case only on
    SQLite). An unknown sector raises NotFound, as in `ranking`; an unknown country
    matches nothing.
    """
    query = select(Brand).order_by(Brand.slug).limit(limit + 1)
    if sector:
        query = query.where(Brand.sector == sector)
    if country:
        query = query.where(Brand.country == country)
    if text:
        needle = text.lower()
        query = query.where(
            or_(
                func.lower(Brand.name).contains(needle, autoescape=True),
                Brand.slug.contains(needle, autoescape=True),
            )
        )
    if cursor:
        query = query.where(Brand.slug > _decode_key(cursor))
    rows = list(session.execute(query).scalars())
    if not rows and sector and sector not in sectors(session):
        raise NotFound(f"no sector {sector!r}")
    page = rows[:limit]
    accounts_by_brand = _accounts_of(session, [b.id for b in page])
    items = [BrandListing(_ref(b), accounts_by_brand.get(b.id, [])) for b in page]
    more = len(rows) > limit
    return BrandPage(items, _encode_key(page[-1].slug) if more and page else None)


@dataclass
class BrandReport:
    brand: BrandRef
    accounts: list[BrandAccount]
    score: BrandScore | None
    window: str
    period: str | None


def brand_report(
    session: Session, slug: str, window: str | None = None, as_of: str | None = None
) -> BrandReport:
    """A brand, its official accounts and its score for the period `window` / `as_of`
    name (`carescore.read.periods`; default the live 90 days; None: not computed)."""
    from carescore.read.periods import resolve_period  # periods reads BrandScore only

    chosen = resolve_period(session, window, as_of)
    brand = get_brand(session, slug)
    score = brand_score(session, brand, chosen.window, chosen.period) if chosen.period else None
    return BrandReport(_ref(brand), accounts(session, brand), score, chosen.window, chosen.period)


@dataclass
class BrandTimeline:
    brand: BrandRef
    snapshots: list[BrandScore]


def brand_timeline(session: Session, slug: str) -> BrandTimeline:
    """A brand's monthly snapshots, oldest first."""
    brand = get_brand(session, slug)
    return BrandTimeline(_ref(brand), brand_history(session, brand))


def find_posts(session: Session, *, brand_slug: str | None = None, **filters) -> PostPage:
    """`posts` with the brand given by slug (NotFound when there is no such brand)."""
    brand = get_brand(session, brand_slug) if brand_slug else None
    return posts(session, brand=brand, **filters)
