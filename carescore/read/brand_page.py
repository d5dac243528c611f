"""The brand page's read model: everything `/brands/<slug>` shows, in as few statements as
the data allows.

`carescore.read.brands.brand_report` serves the API, the embed and the badge, each asking
for some of its parts; the page asks for all of them, so it has a read model of its own
that reads them together: the brand, its score for the period, the period, the demo
flag, the right of reply's dispute figures and where incident detection stands take one
statement; the monthly history, the accounts, the recent posts, the statements, the
corrections and the incidents one each, and the incident timeline's hours one more when
detection has run. Score rows come back as plain rows (named tuples of the `BrandScore`
columns), not ORM objects: loading a hundred columns into an ORM object cost more than
running the statement, and the page only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Select, String, bindparam, exists, func, select
from sqlmodel import Session

from carescore.errors import NotFound
from carescore.read.incidents import BrandIncidents, incidents_of
from carescore.read.periods import parse_period
from carescore.read.posts import RECENT_POSTS, PostRef, recent_posts
from carescore.read.refs import BRAND_COLUMNS, AccountRef, BrandRef, accounts_of, brand_ref
from carescore.read.rows import named_rows, row_type
from carescore.read.trend import TrendPoint, trend_points
from carescore.reply.public import BrandReply, brand_reply, dispute_figure_columns
from carescore.store.incident_tables import IncidentState
from carescore.store.models import Brand, BrandScore

_SCORE = BrandScore.__table__
ScoreRow = row_type("ScoreRow", [c.name for c in _SCORE.c])
ScoreRow.__doc__ = "A `BrandScore` row's columns, read as a plain row."

# What the trend, its table, the period links and the citation read of each month.
_HISTORY_COLUMNS = (
    BrandScore.window,
    BrandScore.period,
    BrandScore.is_final,
    BrandScore.ranked,
    BrandScore.methodology_version,
    BrandScore.carescore,
    BrandScore.satisfaction,
    BrandScore.satisfaction_low,
    BrandScore.satisfaction_high,
    BrandScore.reply_rate,
    BrandScore.reply_rate_low,
    BrandScore.reply_rate_high,
    BrandScore.median_reply_s,
    BrandScore.opinion_n,
    BrandScore.actionable_n,
)
_HISTORY = (
    select(*_HISTORY_COLUMNS)
    .where(
        BrandScore.brand_id == bindparam("brand", type_=BrandScore.brand_id.type),
        BrandScore.window == "month",
    )
    .order_by(BrandScore.period)
)
# The trend, its table and the links read a dozen columns of every month (`rows`).
HistoryRow = row_type("HistoryRow", _HISTORY.selected_columns.keys())


@dataclass
class BrandPageReport:
    """One brand's page: its score in the period asked (None when never computed) and
    everything shown beside it. `history` holds the monthly snapshots, oldest first (the
    columns of `_HISTORY_COLUMNS`); `praise`, `fails` and `unjudged` the newest example
    posts of each kind."""

    brand: BrandRef
    window: str
    period: str | None
    score: Any | None
    demo: bool
    reply: BrandReply
    incidents: BrandIncidents
    accounts: list[AccountRef] = field(default_factory=list)
    history: list[Any] = field(default_factory=list)
    praise: list[PostRef] = field(default_factory=list)
    fails: list[PostRef] = field(default_factory=list)
    unjudged: list[PostRef] = field(default_factory=list)

    @property
    def trend(self) -> list[TrendPoint]:
        """`history` as the chart shows it (`carescore.read.trend`)."""
        return trend_points(self.history)


# brand id, the five brand columns, the period, the demo flag, five dispute figures and
# the two hours of incident detection's state; then the score's columns.
_HEAD = 1 + len(BRAND_COLUMNS) + 2 + 5 + 2


@cache
def _statement(kind: str, named: bool) -> Select:
    """Built once per kind of window and way of naming the period; the slug and a named
    period are bound on use."""
    newest = select(func.max(BrandScore.period)).where(BrandScore.window == kind).scalar_subquery()
    chosen = bindparam("period", type_=String) if named else newest
    demo = exists().where(Brand.is_demo.is_(True))
    state = IncidentState.brand_id == Brand.id
    first_hour = select(IncidentState.first_hour).where(state).scalar_subquery()
    through = select(IncidentState.through).where(state).scalar_subquery()
    return (
        select(
            Brand.id,
            *BRAND_COLUMNS,
            chosen.label("chosen_period"),
            demo.label("demo"),
            *dispute_figure_columns(Brand.id),
            first_hour.label("incident_first_hour"),
            through.label("incident_through"),
            *_SCORE.c,
        )
        .outerjoin(
            _SCORE,
            (_SCORE.c.brand_id == Brand.id)
            & (_SCORE.c.window == kind)
            & (_SCORE.c.period == chosen),
        )
        .where(Brand.slug == bindparam("slug", type_=String))
        .limit(1)
    )


def brand_page(
    session: Session,
    slug: str,
    *,
    window: str | None = None,
    as_of: str | None = None,
    recent: int = RECENT_POSTS,
) -> BrandPageReport:
    """The brand page of `slug` for the period `window` / `as_of` name
    (`carescore.read.periods`; default the live 90 days); `NotFound` for an unknown slug,
    `BadInput` for a period that is not one."""
    kind, period = parse_period(window, as_of)
    values = {"slug": slug} if period is None else {"slug": slug, "period": period}
    connection = session.connection()
    row = connection.execute(_statement(kind, period is not None), values).first()
    if row is None:
        raise NotFound(f"no brand {slug!r}")
    brand_id = row[0]
    ref = brand_ref(row)
    chosen, demo = row[6], bool(row[7])
    figures = tuple(row[8:13])
    first_hour, through = row[13], row[14]
    score = ScoreRow._make(row[_HEAD:]) if row[_HEAD] is not None else None
    praise, fails, unjudged = recent_posts(session, brand_id, recent)
    state = (first_hour, through) if through is not None else None
    return BrandPageReport(
        brand=ref,
        window=kind,
        period=chosen,
        score=score,
        demo=demo,
        reply=brand_reply(session, slug, brand_id=brand_id, figures=figures),
        incidents=incidents_of(session, brand_id, ref, state),
        accounts=accounts_of(session, [brand_id]).get(brand_id, []),
        history=named_rows(connection.execute(_HISTORY, {"brand": brand_id}), HistoryRow),
        praise=praise,
        fails=fails,
        unjudged=unjudged,
    )
