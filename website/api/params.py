"""Query parameters of the API, declared once: the views parse with them, the OpenAPI
document describes them, so the two cannot disagree.

Every problem with a parameter becomes `BadParameter`, which the API turns into a 400
problem document naming the parameter. Nothing a client types reaches a view unparsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import unquote_to_bytes

from werkzeug.datastructures import MultiDict

from carescore.errors import BadInput
from carescore.vocab import LABELS, SORTS, WINDOWS

EARLIEST = date(2006, 3, 21)  # the first public post on any platform we collect
LATEST = date(2100, 1, 1)
MAX_LIMIT = 200
CSV_ROW_CAP = 10_000


class BadParameter(BadInput):
    """A query parameter we cannot use; `name` is the parameter, the message the reason."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(reason)
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class Param:
    """One query parameter: how to parse it and how to document it."""

    name: str
    description: str
    schema: dict[str, Any]
    convert: Callable[[str], Any]
    default: Any = None
    required: bool = False
    example: Any = field(default=None)

    def parse(self, args: MultiDict) -> Any:
        values = args.getlist(self.name)
        if len(values) > 1:
            raise BadParameter(self.name, "given more than once")
        if not values:
            if self.required:
                raise BadParameter(self.name, "required")
            return self.default
        if values[0] == "":
            raise BadParameter(self.name, "empty; leave the parameter out instead")
        try:
            return self.convert(values[0])
        except BadParameter:
            raise
        except (ValueError, TypeError, OverflowError) as exc:
            raise BadParameter(self.name, str(exc) or "invalid value") from exc


def parse(args: MultiDict, params: Iterable[Param]) -> dict[str, Any]:
    """Every declared parameter by name, parsed, or the first `BadParameter`."""
    return {p.name: p.parse(args) for p in params}


def check_utf8(raw_query: bytes) -> None:
    """Werkzeug replaces undecodable bytes silently; we refuse them instead."""
    for pair in raw_query.split(b"&"):
        name, _, value = pair.partition(b"=")
        try:
            unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8")
            unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError as exc:
            label = name.decode("ascii", "replace") or "query"
            raise BadParameter(label, "not valid UTF-8") from exc


def _pattern(regex: str, what: str, max_length: int) -> Callable[[str], str]:
    compiled = re.compile(regex)

    def convert(value: str) -> str:
        if len(value) > max_length or not compiled.fullmatch(value):
            raise ValueError(f"expected {what}")
        return value

    return convert


def choice(choices: Iterable[str]) -> Callable[[str], str]:
    allowed = tuple(choices)

    def convert(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return value

    return convert


def _integer(minimum: int, maximum: int) -> Callable[[str], int]:
    def convert(value: str) -> int:
        if not re.fullmatch(r"[0-9]{1,9}", value):
            raise ValueError(f"expected a whole number from {minimum} to {maximum}")
        number = int(value)
        if not minimum <= number <= maximum:
            raise ValueError(f"expected a whole number from {minimum} to {maximum}")
        return number

    return convert


def _moment(value: str) -> datetime:
    """A date (midnight UTC) or an ISO 8601 time with an offset, within the data's range."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            moment = datetime.combine(date.fromisoformat(value), time(0), tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("expected a date (YYYY-MM-DD) or an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise ValueError("a time needs an offset, e.g. 2026-06-01T00:00:00Z")
    moment = moment.astimezone(UTC)
    if not EARLIEST <= moment.date() < LATEST:
        raise ValueError(f"out of range: from {EARLIEST} to before {LATEST}")
    return moment


def _month(value: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise ValueError("expected a month as YYYY-MM")
    if not EARLIEST.strftime("%Y-%m") <= value < LATEST.strftime("%Y-%m"):
        raise ValueError("out of range")
    return value


SLUG_RE = r"[a-z0-9][a-z0-9-]{0,79}"
# Every cursor we issue is base64url JSON of a list, so it starts with `Wy` (`[`); the
# schema says so, and a string outside it is refused as the schema says.
CURSOR_RE = r"Wy[A-Za-z0-9_-]{2,400}"
# The months the code accepts (EARLIEST's month to 2099), as a pattern the document shows.
MONTH_RE = r"(2006-(0[3-9]|1[0-2])|(200[7-9]|20[1-9][0-9])-(0[1-9]|1[0-2]))"
MOMENT_SCHEMA = {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}

SECTOR = Param(
    "sector",
    "Sector slug, as listed by /sectors.",
    {"type": "string", "pattern": f"^{SLUG_RE}$"},
    _pattern(SLUG_RE, "a sector slug", 80),
    example="telecom",
)
COUNTRY = Param(
    "country",
    "ISO 3166-1 alpha-2 country code, upper case.",
    {"type": "string", "pattern": "^[A-Z]{2}$"},
    _pattern(r"[A-Z]{2}", "a two-letter country code such as FR", 2),
    example="FR",
)
TEXT = Param(
    "q",
    "Text to find in the brand's name or slug, ignoring case, accents and punctuation.",
    {"type": "string", "minLength": 1, "maxLength": 100},
    _pattern(r"[^\x00-\x1f]{1,100}", "up to 100 printable characters", 100),
)
BRAND = Param(
    "brand",
    "Brand slug.",
    {"type": "string", "pattern": f"^{SLUG_RE}$"},
    _pattern(SLUG_RE, "a brand slug", 80),
)
LABEL = Param(
    "label",
    "Label given by the scorer.",
    {"type": "string", "enum": list(LABELS)},
    choice(LABELS),
)
TOPIC = Param(
    "topic",
    "Complaint topic code, e.g. billing or outage.",
    {"type": "string", "pattern": "^[a-z_]{1,40}$"},
    _pattern(r"[a-z_]{1,40}", "a topic code (a-z and _)", 40),
)
SINCE = Param(
    "since",
    "Posts created at or after this date or time (UTC when a date).",
    MOMENT_SCHEMA,
    _moment,
)
UNTIL = Param(
    "until",
    "Posts created before this date or time (UTC when a date).",
    MOMENT_SCHEMA,
    _moment,
)
WINDOW = Param(
    "window",
    "90d: rolling 90 days (the live ranking); month: a calendar month snapshot; all: all time.",
    {"type": "string", "enum": list(WINDOWS), "default": "90d"},
    choice(WINDOWS),
    default="90d",
)
MONTH = Param(
    "month",
    "With window=month: the month (YYYY-MM); default the newest snapshot.",
    {"type": "string", "pattern": f"^{MONTH_RE}$"},
    _month,
)
SORT = Param(
    "sort",
    "Metric to rank by; median_reply ranks the fastest first, the others the highest.",
    {"type": "string", "enum": list(SORTS), "default": "carescore"},
    choice(SORTS),
    default="carescore",
)
CURSOR = Param(
    "cursor",
    "Opaque cursor from the previous page's next_cursor.",
    {"type": "string", "pattern": f"^{CURSOR_RE}$"},
    _pattern(CURSOR_RE, "a cursor returned by a previous page", 403),
)
LIMIT = Param(
    "limit",
    f"Page size, 1 to {MAX_LIMIT} (CSV: up to {CSV_ROW_CAP}).",
    {"type": "integer", "minimum": 1, "maximum": CSV_ROW_CAP, "default": 50},
    _integer(1, CSV_ROW_CAP),
    default=50,
)

# The query of each operation, shared by its view and its OpenAPI description.
BRANDS_QUERY = (SECTOR, COUNTRY, TEXT, CURSOR, LIMIT)
PERIOD = Param(
    "window",
    "The period, named as on the site: 90d (the live 90 days, the default), all, or a "
    "calendar month YYYY-MM.",
    {"type": "string", "pattern": r"^(90d|all|\d{4}-(0[1-9]|1[0-2]))$", "default": "90d"},
    _pattern(r"90d|all|\d{4}-(0[1-9]|1[0-2])", "90d, all or YYYY-MM", 7),
)
AS_OF = Param(
    "as_of",
    "With the 90-day or all window: the last day of the window (YYYY-MM-DD), for a "
    "snapshot computed as of an earlier day; default the newest.",
    {"type": "string", "format": "date"},
    _pattern(r"\d{4}-\d{2}-\d{2}", "a date YYYY-MM-DD", 10),
)
BRAND_QUERY = (PERIOD, AS_OF)
RANKINGS_QUERY = (SECTOR, WINDOW, MONTH, SORT)
POSTS_QUERY = (BRAND, LABEL, TOPIC, SINCE, UNTIL, CURSOR, LIMIT)
NO_QUERY: tuple[Param, ...] = ()
