"""Which snapshot a page or an API call shows: the same query parameters everywhere.

    (nothing)            the live window: the newest rolling 90 days
    ?as_of=2017-12-01    the 90 days ending on that day
    ?window=2017-11      a calendar month
    ?window=all          everything, as of the newest `all` run (or ?as_of=)
    ?window=90d          the live window, said explicitly

Snapshots are computed by `carescore rank` (`--history` computes the 90 days, `all` and
every month of a historical import); a request never computes one, it reads what
exists and says when the period asked for has no snapshot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, String, bindparam, cast, func, select
from sqlmodel import Session

from carescore.errors import BadInput
from carescore.ranking.windows import month_final_at
from carescore.store.models import BrandScore

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# Built once on the table's columns and run on the session's connection: pages ask for
# the newest period and the months on every request, and building a statement and the
# ORM's execution cost several times what the database takes to answer.
_SCORE = BrandScore.__table__.c
_NEWEST = select(func.max(_SCORE.period)).where(_SCORE.window == bindparam("window", type_=String))
_NEWEST_RANKED = _NEWEST.where(_SCORE.ranked.is_(True))
_MONTHS = (
    select(_SCORE.period, func.min(cast(_SCORE.is_final, Integer)))
    .where(_SCORE.window == "month")
    .group_by(_SCORE.period)
    .order_by(_SCORE.period.desc())
)


@dataclass(frozen=True)
class Period:
    """A stored snapshot's key: BrandScore.window (90d, month, all) and .period."""

    window: str
    period: str | None  # None: the newest of that window (none stored yet)

    @property
    def params(self) -> dict[str, str]:
        """The query parameters that name this period in a URL."""
        if self.window == "month":
            return {"window": self.period or ""}
        if self.window == "all":
            return {"window": "all", **({"as_of": self.period} if self.period else {})}
        return {"as_of": self.period} if self.period else {}


def parse_period(window: str | None, as_of: str | None) -> tuple[str, str | None]:
    """The (window kind, period or None for the newest) a request asks for.

    Raises BadInput (shown as a 400 / a message) for anything else.
    """
    day = None
    if as_of:
        try:
            day = date.fromisoformat(as_of).isoformat()
        except ValueError:
            raise BadInput(f"as_of must be a date YYYY-MM-DD, not {as_of!r}") from None
    if window in (None, "", "90d"):
        return "90d", day
    if window == "all":
        return "all", day
    if _MONTH.match(window):
        if day:
            raise BadInput("as_of goes with the 90-day or the all window, not a month")
        return "month", window
    raise BadInput(f"window must be 90d, all or YYYY-MM, not {window!r}")


def resolve_period(session: Session, window: str | None, as_of: str | None) -> Period:
    """The stored snapshot a request names (the newest one of its window when unsaid)."""
    kind, period = parse_period(window, as_of)
    if period is None:
        period = session.connection().execute(_NEWEST, {"window": kind}).scalar()
    return Period(kind, period)


def latest_ranked_period(session: Session) -> Period | None:
    """The newest snapshot with at least one ranked brand: a month first, else `all`,
    else a rolling window. What the home page points to when the live window is empty."""
    for kind in ("month", "all", "90d"):
        period = session.connection().execute(_NEWEST_RANKED, {"window": kind}).scalar()
        if period is not None:
            return Period(kind, period)
    return None


def stored_months(session: Session) -> list[tuple[str, bool]]:
    """Months with snapshots, newest first, each with whether it is final (month over):
    what the pages and the API offer and cite, read on the session's connection with a
    statement built once."""
    return [(period, bool(flag)) for period, flag in session.connection().execute(_MONTHS)]


def available_periods(session: Session, window: str, limit: int = 24) -> list[str]:
    """The newest stored periods of a window, newest first (for a period picker)."""
    return list(
        session.execute(
            select(BrandScore.period)
            .where(BrandScore.window == window)
            .group_by(BrandScore.period)
            .order_by(BrandScore.period.desc())
            .limit(limit)
        ).scalars()
    )


@dataclass(frozen=True)
class MonthState:
    """Where a monthly snapshot stands: still running, over but not final, or final.

    `final_on` is the first UTC day on which a rank run writes the month as final
    (`carescore.ranking.windows.month_final_at`): the month's end plus the 7 days its
    last complaints have to be answered. `overdue` says that day has come but no rank
    run has frozen the rows yet. `last_day` is the month's last day.
    """

    period: str
    final: bool
    over: bool
    overdue: bool
    last_day: date
    final_on: date


def month_state(period: str, final: bool, now: datetime) -> MonthState:
    """The state of the month `period` at `now`, given whether its rows are final."""
    end, final_at = month_final_at(period)
    return MonthState(
        period,
        final,
        over=now >= end,
        overdue=not final and now >= final_at,
        last_day=(end - timedelta(days=1)).date(),
        final_on=final_at.date(),
    )
