"""The periods a ranking covers: rolling 90 days, calendar months, and everything.

All bounds are aware UTC, half-open [start, end). `judged_before` is the moment before
which an unanswered post has had its full 7 days to be answered: 7 days before the
as-of day's end for rolling windows (what the ranking said that day), 7 days before
now for months (a month becomes final once all its posts are judged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from carescore.errors import BadInput
from carescore.ranking.rules import ANSWER_WINDOW, ROLLING_DAYS

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Window:
    """`kind` is stored as BrandScore.window (90d, month, all); `period` as BrandScore.period."""

    kind: str
    period: str
    start: datetime | None
    end: datetime
    judged_before: datetime
    final: bool


def _day_end(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC) + timedelta(days=1)


def rolling(as_of: date, now: datetime) -> Window:
    """The 90 days ending with `as_of` (included)."""
    end = _day_end(as_of)
    return Window(
        "90d",
        as_of.isoformat(),
        end - timedelta(days=ROLLING_DAYS),
        end,
        min(end, now) - ANSWER_WINDOW,
        False,
    )


def everything(as_of: date, now: datetime) -> Window:
    """Every post up to `as_of`, for historical imports (TWCS is from 2017)."""
    end = _day_end(as_of)
    return Window("all", as_of.isoformat(), None, end, min(end, now) - ANSWER_WINDOW, False)


def _month_end(year: int, month_number: int) -> datetime:
    return datetime(year + month_number // 12, month_number % 12 + 1, 1, tzinfo=UTC)


def month(year: int, month_number: int, now: datetime) -> Window:
    """A calendar month; final (frozen forever) once its last post has had 7 days."""
    start = datetime(year, month_number, 1, tzinfo=UTC)
    end = _month_end(year, month_number)
    return Window(
        "month",
        f"{year:04d}-{month_number:02d}",
        start,
        end,
        now - ANSWER_WINDOW,
        now >= end + ANSWER_WINDOW,
    )


def month_final_at(period: str) -> tuple[datetime, datetime]:
    """(end, final) of the month `YYYY-MM`: when it is over and when a rank run from then
    on writes it as final, by the same rule as `month`. Pages say "final on <date>"
    from it instead of guessing."""
    found = _MONTH.match(period)
    if not (found and 1 <= int(found.group(2)) <= 12):
        raise BadInput(f"not a month {period!r}: expected YYYY-MM")
    end = _month_end(int(found.group(1)), int(found.group(2)))
    return end, end + ANSWER_WINDOW


def past_months(as_of: date, count: int, now: datetime) -> list[Window]:
    """The `count` calendar months before the month of `as_of`, oldest first."""
    year, number = as_of.year, as_of.month
    windows = []
    for _ in range(count):
        year, number = (year - 1, 12) if number == 1 else (year, number - 1)
        windows.append(month(year, number, now))
    return windows[::-1]


def parse_window(spec: str, as_of: date, now: datetime) -> Window:
    """`90d`, `all` or `YYYY-MM`, as the CLI takes it."""
    if spec == "90d":
        return rolling(as_of, now)
    if spec == "all":
        return everything(as_of, now)
    found = _MONTH.match(spec)
    if found and 1 <= int(found.group(2)) <= 12:
        return month(int(found.group(1)), int(found.group(2)), now)
    raise BadInput(f"unknown window {spec!r}: expected 90d, all or YYYY-MM")
