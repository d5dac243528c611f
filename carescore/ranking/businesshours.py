"""Business hours (9:00-18:00, Monday to Friday, in the brand's time zone) as SQL.

PostgreSQL converts time zones itself. SQLite cannot, so we hand it the brand's UTC
offset as a CASE over the periods between daylight-saving transitions (found with
`zoneinfo` over the span of the data): a post at 08:30 UTC is 10:30 in Paris in July
and 09:30 in January, and both are business hours.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, String, and_, case, cast, extract, func, literal

from carescore.ranking.rules import CLOSE_HOUR, OPEN_HOUR

_OPEN_SLOTS = [day * 100 + hour for day in range(1, 6) for hour in range(OPEN_HOUR, CLOSE_HOUR)]


def offset_periods(timezone: str, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """[(from, offset seconds)] covering [start, end): each offset holds until the next."""
    zone = ZoneInfo(timezone)

    def offset(moment: datetime) -> int:
        return int(moment.astimezone(zone).utcoffset().total_seconds())

    periods = [(start, offset(start))]
    day = timedelta(days=1)
    cursor = start
    while cursor < end:
        following = min(cursor + day, end)
        if offset(following) != periods[-1][1]:
            low, high = cursor, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if offset(middle) == periods[-1][1]:
                    low = middle
                else:
                    high = middle
            periods.append((high.replace(microsecond=0), offset(high)))
        cursor = following
    return periods


def is_business_hours(
    dialect: str,
    created_at: Any,
    brand_id: Any,
    timezones: Mapping[int, str],
    start: datetime,
    end: datetime,
) -> Any:
    """A SQL expression: 1 when `created_at` (UTC) falls in the brand's business hours."""
    by_zone: dict[str, list[int]] = defaultdict(list)
    for bid, zone in timezones.items():
        by_zone[zone or "UTC"].append(bid)
    if dialect == "postgresql":
        zone_name = case(
            *[(brand_id.in_(ids), literal(zone)) for zone, ids in by_zone.items()],
            else_=literal("UTC"),
        )
        local = func.timezone(zone_name, func.timezone("UTC", created_at))
        weekday = extract("isodow", local)
        hour = extract("hour", local)
    else:
        branches = []
        for zone, ids in by_zone.items():
            periods = offset_periods(zone, start, end)
            inner = (
                case(
                    *[
                        (created_at < bound, off)
                        for (bound, _), (_, off) in zip(periods[1:], periods, strict=False)
                    ],
                    else_=periods[-1][1],
                )
                if len(periods) > 1
                else literal(periods[0][1])
            )
            branches.append((brand_id.in_(ids), inner))
        offset = case(*branches, else_=0) if branches else literal(0)
        modifier = cast(offset, String) + literal(" seconds")
        # One strftime per post: weekday and hour as one number (109 is Monday, 09h).
        slot = cast(func.strftime("%w%H", created_at, modifier), Integer)
        return case((slot.in_(_OPEN_SLOTS), 1), else_=0)
    return case(
        (
            and_(
                weekday.between(1, 5),
                hour >= OPEN_HOUR,
                hour < CLOSE_HOUR,
            ),
            1,
        ),
        else_=0,
    )
