"""Query parameters of the API, declared once: the views parse with them, the OpenAPI
document describes them, so the two cannot disagree.

A view declares what it reads with `@takes(...)`; `check_query`, hooked on each API
blueprint, refuses any other name and parses the declared ones before the view runs
(`query()`), so no view can forget to. Every problem with a parameter becomes
`BadParameter`, a 400 problem document naming the parameter. Nothing a client types
reaches a view unparsed, and nothing it types is silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from difflib import get_close_matches
from typing import Any, TypeVar
from urllib.parse import unquote_to_bytes

from flask import Blueprint, Response, current_app, g, request
from werkzeug.datastructures import MultiDict

from carescore.errors import BadInput
from carescore.vocab import LABELS, SORTS, WINDOWS
from website.errors import problem

EARLIEST = date(2006, 3, 21)  # the first public post on any platform we collect
LATEST = date(2100, 1, 1)
MAX_LIMIT = 200
CSV_ROW_CAP = 10_000
F = TypeVar("F", bound=Callable[..., Any])


class BadParameter(BadInput):
    """A query parameter we cannot use; `name` is the parameter, the message the reason.

    `others` are further (name, reason) pairs of the same request, so that one answer
    names every unknown parameter at once.
    """

    def __init__(self, name: str, reason: str, others: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(reason)
        self.name = name
        self.reason = reason
        self.invalid = [(name, reason), *others]

    @property
    def detail(self) -> str:
        return "; ".join(f"{name}: {reason}" for name, reason in self.invalid)


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


def refuse_unknown(args: MultiDict, params: Iterable[Param]) -> None:
    """A name the operation does not take is a mistake the client should hear about: a
    misspelled `month` would otherwise answer another period with a 200."""
    known = [p.name for p in params]
    unknown = [name for name in dict.fromkeys(args.keys()) if name not in known]
    if not unknown:
        return
    reasons = []
    for name in unknown:
        close = get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        takes = f"this endpoint takes {', '.join(known)}" if known else "this endpoint takes none"
        reasons.append((name, f"unknown parameter; {hint}{takes}"))
    raise BadParameter(*reasons[0], others=reasons[1:])


_QUERY = "api_query"


def takes(*params: Param) -> Callable[[F], F]:
    """Declare the query parameters a view reads. `check_query` refuses any other name and
    parses these into `query()`; a view that declares nothing takes no parameter."""

    def mark(view: F) -> F:
        view.query_params = params  # type: ignore[attr-defined]
        return view

    return mark


def declared(view: Callable[..., Any] | None) -> tuple[Param, ...]:
    """The parameters `takes` declared on a view (none when it declared nothing)."""
    return getattr(view, "query_params", ())


def query() -> dict[str, Any]:
    """This request's parameters, parsed by `check_query` before the view ran."""
    return g.get(_QUERY, {})


def _problem(exc: BadParameter) -> Response:
    return problem(
        400,
        "Bad Request",
        exc.detail,
        invalid_params=[{"name": name, "reason": reason} for name, reason in exc.invalid],
    )


def _check() -> None:
    here = request._get_current_object()  # type: ignore[attr-defined]
    check_utf8(here.query_string)
    if here.method == "OPTIONS":
        return
    params = declared(current_app.view_functions.get(here.endpoint or ""))
    args = here.args
    refuse_unknown(args, params)
    setattr(g, _QUERY, parse(args, params))


def check_query(blueprint: Blueprint) -> None:
    """Every view of `blueprint`: undecodable or unknown parameters are refused before
    the view runs and the declared ones parsed, in one place; any `BadParameter` is a
    400 problem document whose `invalid_params` names each parameter and why."""
    blueprint.before_request(_check)
    blueprint.register_error_handler(BadParameter, _problem)


def page_limit(limit: int, csv: bool) -> int:
    """A page of JSON holds at most MAX_LIMIT items; a CSV download up to CSV_ROW_CAP."""
    if not csv and limit > MAX_LIMIT:
        raise BadParameter("limit", f"at most {MAX_LIMIT} in JSON (CSV allows more)")
    return limit


def check_span(since: datetime | None, until: datetime | None) -> None:
    if since and until and since >= until:
        raise BadParameter("until", "must be after since")


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


def _day(value: str) -> str:
    """A calendar day as YYYY-MM-DD (2026-02-30 is none), within the data's range."""
    try:
        day = date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError("expected a date YYYY-MM-DD")
    if not EARLIEST <= day < LATEST:
        raise ValueError(f"out of range: from {EARLIEST} to before {LATEST}")
    return value


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


def _text(
    name: str, description: str, regex: str, what: str, max_length: int, **extra: Any
) -> Param:
    """A string parameter whose documented pattern is the very regex the code applies."""
    return Param(
        name,
        description,
        {"type": "string", "pattern": f"^{regex}$"},
        _pattern(regex, what, max_length),
        **extra,
    )


def _enum(name: str, description: str, choices: Iterable[str], default: str | None = None) -> Param:
    """A parameter taking one of `choices`, documented as that enum."""
    allowed = list(choices)
    schema: dict[str, Any] = {"type": "string", "enum": allowed}
    if default is not None:
        schema["default"] = default
    return Param(name, description, schema, choice(allowed), default=default)


SECTOR = _text(
    "sector", "Sector slug, as listed by /sectors.", SLUG_RE, "a sector slug", 80, example="telecom"
)
COUNTRY = _text(
    "country",
    "ISO 3166-1 alpha-2 country code, upper case.",
    "[A-Z]{2}",
    "a two-letter country code such as FR",
    2,
    example="FR",
)
TEXT = Param(
    "q",
    "Text to find in the brand's name or slug, ignoring case, accents and punctuation.",
    {"type": "string", "minLength": 1, "maxLength": 100},
    _pattern(r"[^\x00-\x1f]{1,100}", "up to 100 printable characters", 100),
)
BRAND = _text("brand", "Brand slug.", SLUG_RE, "a brand slug", 80)
LABEL = _enum("label", "Label given by the scorer.", LABELS)
TOPIC = _text(
    "topic", "Complaint topic code, e.g. billing or outage.", "[a-z_]{1,40}", "a topic code", 40
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
WINDOW = _enum(
    "window",
    "90d: rolling 90 days (the live ranking); month: a calendar month snapshot; all: all time.",
    WINDOWS,
    default="90d",
)
MONTH = Param(
    "month",
    "With window=month: the month (YYYY-MM); default the newest snapshot.",
    {"type": "string", "pattern": f"^{MONTH_RE}$"},
    _month,
)
SORT = _enum(
    "sort",
    "Metric to rank by; median_reply ranks the fastest first, the others the highest.",
    SORTS,
    default="carescore",
)
CURSOR = _text(
    "cursor",
    "Opaque cursor from the previous page's next_cursor.",
    CURSOR_RE,
    "a cursor returned by a previous page",
    403,
)
LIMIT = Param(
    "limit",
    f"Page size, 1 to {MAX_LIMIT} (CSV: up to {CSV_ROW_CAP}).",
    {"type": "integer", "minimum": 1, "maximum": CSV_ROW_CAP, "default": 50},
    _integer(1, CSV_ROW_CAP),
    default=50,
)
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
    _day,
)
BRANDS = Param(
    "brands",
    "Two to four brand slugs, separated by commas.",
    {"type": "string", "pattern": f"^{SLUG_RE}(,{SLUG_RE}){{1,3}}$"},
    _pattern(f"{SLUG_RE}(,{SLUG_RE}){{1,3}}", "two to four brand slugs separated by commas", 400),
    required=True,
    example="nimbus-telecom,ondeline",
)

SEARCH = Param(
    "q",
    "Text to find in brand names and slugs; case, accents and punctuation are ignored.",
    {"type": "string", "minLength": 1, "maxLength": 100},
    _pattern(r"[^\x00-\x1f]{1,100}", "up to 100 printable characters", 100),
    required=True,
    example="nimbus",
)

# The query of each operation, shared by its view and its OpenAPI description.
BRANDS_QUERY = (SECTOR, COUNTRY, TEXT, CURSOR, LIMIT)
BRAND_QUERY = (PERIOD, AS_OF)
COMPARE_QUERY = (BRANDS, PERIOD, AS_OF)
RANKINGS_QUERY = (SECTOR, WINDOW, MONTH, AS_OF, SORT)
SEARCH_QUERY = (SEARCH,)
POSTS_QUERY = (BRAND, LABEL, TOPIC, SINCE, UNTIL, CURSOR, LIMIT)
NO_QUERY: tuple[Param, ...] = ()
