"""Brands: one brand's report (page, API, embed, badge), comparisons and the directory.

`BrandReport` is the one read model of a brand. Each caller asks for the parts its answer
shows (`history`, `recent` posts, `accounts`), so the badge reads one score and the brand
page everything, from the same function and the same queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Select, String, bindparam, exists, func, select
from sqlmodel import Session

from carescore.errors import BadInput, NotFound
from carescore.read.periods import Period, parse_period, resolve_period
from carescore.read.posts import RECENT_POSTS, PostRef, recent_posts
from carescore.read.prepared import Prepared
from carescore.read.refs import (
    BRAND_COLUMNS,
    AccountRef,
    BrandRef,
    accounts_of,
    brand_ref,
    get_brand,
)
from carescore.read.trend import TrendPoint, trend_points
from carescore.reply.public import BrandReply, brand_reply
from carescore.store.models import Brand, BrandAccount, BrandScore

MAX_COMPARED = 4


@dataclass
class BrandReport:
    """One brand's score in a window (None when never computed) and what goes with it.

    `history` holds the monthly snapshots, oldest first; `praise` and `fails` the newest
    example posts, `unjudged` the newest customer posts the scorer did not judge (another
    language: no opinion, no complaint). Each is empty when the caller did not ask for it.
    """

    brand: BrandRef
    window: str
    period: str | None
    # The whole `BrandScore`, or a plain row of the columns the caller asked for.
    score: BrandScore | Any | None
    accounts: list[AccountRef] = field(default_factory=list)
    history: list[BrandScore] = field(default_factory=list)
    praise: list[PostRef] = field(default_factory=list)
    fails: list[PostRef] = field(default_factory=list)
    unjudged: list[PostRef] = field(default_factory=list)
    reply: BrandReply | None = None
    # Whether the database holds the fictional demo brands (every answer says so).
    demo: bool = False

    @property
    def trend(self) -> list[TrendPoint]:
        """`history` as a chart shows it: months under the minimum sample left out,
        months not final yet marked partial (`carescore.read.trend`)."""
        return trend_points(self.history)


def _history(session: Session, brand_id: int) -> list[BrandScore]:
    return list(
        session.execute(
            select(BrandScore)
            .where(BrandScore.brand_id == brand_id, BrandScore.window == "month")
            .order_by(BrandScore.period)
        ).scalars()
    )


def _score_of_period(kind: str, named: bool) -> tuple[Any, Any, Any]:
    """The period (bound, or the newest of the window), the demo flag and the join of a
    brand to its score for that period: shared by the report's and the answer's statements."""
    newest = select(func.max(BrandScore.period)).where(BrandScore.window == kind).scalar_subquery()
    chosen = bindparam("period", type_=String) if named else newest
    demo = exists().where(Brand.is_demo.is_(True))
    on = (
        (BrandScore.brand_id == Brand.id)
        & (BrandScore.window == kind)
        & (BrandScore.period == chosen)
    )
    return chosen, demo, on


@cache
def _brand_and_score_statement(kind: str, named: bool) -> Select:
    """Built once per kind of window and way of naming the period: building a statement
    costs about as much as running it. The slug and a named period are bound on use."""
    chosen, demo, on = _score_of_period(kind, named)
    return (
        select(Brand, BrandScore, chosen.label("period"), demo.label("demo"))
        .outerjoin(BrandScore, on)
        .where(Brand.slug == bindparam("slug", type_=String))
        .limit(1)
    )


def _brand_and_score(
    session: Session, slug: str, window: str | None, as_of: str | None
) -> tuple[Brand, BrandScore | None, Period, bool]:
    """The brand, its score for the period asked, the period and the demo flag: one
    statement, however the period is named (the newest one is a subquery)."""
    kind, period = parse_period(window, as_of)
    statement = _brand_and_score_statement(kind, period is not None)
    values = {"slug": slug} if period is None else {"slug": slug, "period": period}
    row = session.execute(statement, values).first()
    if row is None:
        raise NotFound(f"no brand {slug!r}")
    return row[0], row[1], Period(kind, row[2]), bool(row[3])


@cache
def _brand_figures_statement(
    kind: str, named: bool, columns: tuple[str, ...], with_accounts: bool
) -> Prepared:
    """The brand, the score columns named, the period, the demo flag and (one row each,
    at least one row) the official accounts: one prepared statement per shape of request."""
    chosen, demo, on = _score_of_period(kind, named)
    score = BrandScore.__table__.c
    accounts = (BrandAccount.platform, BrandAccount.handle) if with_accounts else ()
    statement = (
        select(
            Brand.id.label("brand_key"),
            *BRAND_COLUMNS,
            score.id.label("score_key"),
            *(score[name] for name in columns),
            chosen.label("chosen_period"),
            demo.label("demo"),
            *accounts,
        )
        .outerjoin(BrandScore, on)
        .where(Brand.slug == bindparam("slug", type_=String))
    )
    if with_accounts:
        statement = statement.outerjoin(BrandAccount, BrandAccount.brand_id == Brand.id).order_by(
            BrandAccount.platform, BrandAccount.handle
        )
    else:
        statement = statement.limit(1)
    return Prepared(statement)


def _brand_figures(
    session: Session,
    slug: str,
    window: str | None,
    as_of: str | None,
    columns: Sequence[str],
    with_accounts: bool,
) -> tuple[int, BrandReport]:
    """The brand's id and its report with the score as a plain row of `columns` (and its
    accounts when asked): one statement."""
    kind, period = parse_period(window, as_of)
    statement = _brand_figures_statement(kind, period is not None, tuple(columns), with_accounts)
    values = {"slug": slug} if period is None else {"slug": slug, "period": period}
    rows = statement.rows(session, **values)
    if not rows:
        raise NotFound(f"no brand {slug!r}")
    first = rows[0]
    report = BrandReport(
        brand=brand_ref(first),
        window=kind,
        period=first.chosen_period,
        score=None if first.score_key is None else first,
        demo=first.demo,
    )
    if with_accounts:
        report.accounts = [
            AccountRef(row.platform, row.handle) for row in rows if row.platform is not None
        ]
    return first.brand_key, report


def brand_report(
    session: Session,
    slug: str,
    *,
    window: str | None = None,
    as_of: str | None = None,
    accounts: bool = True,
    history: bool = True,
    recent: int = RECENT_POSTS,
    columns: Sequence[str] | None = None,
) -> BrandReport:
    """A brand's score for the period `window` / `as_of` name (`carescore.read.periods`;
    default the live 90 days) with the parts asked for; `NotFound` for an unknown slug,
    `BadInput` for a period that is not one.

    `recent=0` leaves out the example posts and the brand's statements and corrections,
    `history=False` the monthly snapshots, `accounts=False` the official accounts. The
    brand, its score and the demo flag take one statement; each part asked for, one more.

    `columns` names the score columns an answer shows: the score is then a plain row of
    those, read with the brand and its accounts by one prepared statement
    (`carescore.read.prepared`), at a fraction of the cost of a whole `BrandScore` with
    its hundred columns and two JSON documents. None loads the whole score.
    """
    if columns is not None:
        brand_id, report = _brand_figures(session, slug, window, as_of, columns, accounts)
    else:
        brand, score, chosen, demo = _brand_and_score(session, slug, window, as_of)
        brand_id = brand.id
        report = BrandReport(
            brand=brand_ref(brand),
            window=chosen.window,
            period=chosen.period,
            score=score,
            demo=demo,
        )
        if accounts:
            report.accounts = accounts_of(session, [brand_id]).get(brand_id, [])
    if history:
        report.history = _history(session, brand_id)
    if recent:
        report.praise, report.fails, report.unjudged = recent_posts(session, brand_id, recent)
        report.reply = brand_reply(session, slug, brand_id=brand_id)
    return report


@dataclass
class BrandTimeline:
    """A brand's monthly snapshots, oldest first: its history as the API serves it.

    A snapshot is the whole `BrandScore`, or a plain row of the columns the caller asked
    for."""

    brand: BrandRef
    snapshots: list[BrandScore | Any]
    # Whether the database holds the fictional demo brands (every answer says so).
    demo: bool = False


@cache
def _timeline_statement(columns: tuple[str, ...]) -> Prepared:
    """The brand, the demo flag and its monthly snapshots' columns named, one row per month
    (one row without a score when it has none): one prepared statement per set of columns."""
    score = BrandScore.__table__.c
    on = (BrandScore.brand_id == Brand.id) & (BrandScore.window == "month")
    demo = exists().where(Brand.is_demo.is_(True))
    return Prepared(
        select(
            *BRAND_COLUMNS,
            score.id.label("score_key"),
            *(score[name] for name in columns),
            demo.label("demo"),
        )
        .outerjoin(BrandScore, on)
        .where(Brand.slug == bindparam("slug", type_=String))
        .order_by(BrandScore.period)
    )


def brand_timeline(
    session: Session, slug: str, columns: Sequence[str] | None = None
) -> BrandTimeline:
    """A brand's monthly snapshots, oldest first; `NotFound` when the brand is unknown.

    `columns` names the score columns an answer shows: the brand, the demo flag and each
    month's row of those columns are then one prepared statement. None loads whole
    `BrandScore` rows (two statements, and no demo flag)."""
    if columns is None:
        brand = get_brand(session, slug)
        return BrandTimeline(brand_ref(brand), _history(session, brand.id))
    rows = _timeline_statement(tuple(columns)).rows(session, slug=slug)
    if not rows:
        raise NotFound(f"no brand {slug!r}")
    snapshots = [row for row in rows if row.score_key is not None]
    return BrandTimeline(brand_ref(rows[0]), snapshots, demo=rows[0].demo)


def parse_slugs(raw: list[str]) -> list[str]:
    """`?brands=a,b&brands=c` -> ['a', 'b', 'c'], without blanks or repeats, order kept."""
    slugs: list[str] = []
    for value in raw:
        for slug in value.split(","):
            slug = slug.strip().lower()
            if slug and slug not in slugs:
                slugs.append(slug)
    return slugs


def compare_brands(
    session: Session, slugs: list[str], *, window: str | None = None, as_of: str | None = None
) -> list[BrandReport]:
    """Two to four brands side by side (scores of the period `window` / `as_of` name,
    default the live 90 days, and monthly history), in the order asked.

    Raises `BadInput` for fewer than two or more than four slugs or a period that is not
    one, and `NotFound` when one of the brands is unknown. Three queries, whatever the
    brands.
    """
    chosen = resolve_period(session, window, as_of)
    if not 2 <= len(slugs) <= MAX_COMPARED:
        raise BadInput(f"compare two to {MAX_COMPARED} brands, not {len(slugs)}")
    brands = {
        b.slug: b for b in session.execute(select(Brand).where(Brand.slug.in_(slugs))).scalars()
    }
    missing = [s for s in slugs if s not in brands]
    if missing:
        raise NotFound(f"no brand {', '.join(missing)}")
    ids = [b.id for b in brands.values()]
    kind, period = chosen.window, chosen.period
    shown: dict[int, BrandScore] = {}
    history: dict[int, list[BrandScore]] = {i: [] for i in ids}
    rows = session.execute(
        select(BrandScore)
        .where(
            BrandScore.brand_id.in_(ids),
            ((BrandScore.window == kind) & (BrandScore.period == (period or "")))
            | (BrandScore.window == "month"),
        )
        .order_by(BrandScore.period)
    ).scalars()
    for score in rows:
        if score.window == kind and score.period == period:
            shown[score.brand_id] = score
        if score.window == "month":
            history[score.brand_id].append(score)
    return [
        BrandReport(
            brand=brand_ref(brands[s]),
            window=kind,
            period=period,
            score=shown.get(brands[s].id),
            history=history[brands[s].id],
        )
        for s in slugs
    ]


def brand_choices(session: Session) -> list[BrandRef]:
    """Every brand, by sector then name: the comparison page's picker."""
    rows = session.execute(select(*BRAND_COLUMNS).order_by(Brand.sector, Brand.name))
    return [brand_ref(row) for row in rows]
