"""The one writer of JSON and CSV: the API, the site's downloads and `carescore export`.

One format for every value, wherever it is written:

- times: ISO 8601 in UTC with a `Z`, whole seconds (`2026-05-01T09:30:00Z`);
- booleans: `true` / `false` (CSV and JSON alike); absent values: `null` in JSON, an
  empty cell in CSV; a float that is not a number (NaN, infinity) is absent, since JSON
  cannot carry it;
- in CSV, a mapping is one cell of JSON (keys sorted), a list one cell of its items
  separated by spaces (`billing outage`; an item that is itself a mapping joins its
  values with `:`, `x:AcmeHelp`); lines end in CRLF (RFC 4180).

CSV cells are neutralised against spreadsheet formula injection (OWASP "CSV Injection"):
a cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
leading `'`, so a spreadsheet shows the text instead of running it. A cell that is
exactly a decimal number (`-0.5`, `+3`, `1e-05`) is left alone: a spreadsheet reads it
as a number, which cannot hold a formula, and the figure must stay a figure. This holds
for text cells too, so an author handle of `-12` stays `-12` while `-1+cmd|' /C calc'!A0`
becomes `'-1+cmd|' /C calc'!A0`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import IO, Any

import pydantic_core

FORMATS = ("jsonl", "csv", "json")
CSV_CHUNK = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, whole seconds: the one time format of every output."""
    if moment is None:
        return None
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds")[:-6] + "Z"


def finite(value: float | None) -> float | None:
    """JSON has no NaN or infinity; a figure that is not a number is absent."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


@dataclasses.dataclass(frozen=True, slots=True)
class JSONDocument:
    """A document whose values are already in the formats above (times through `iso`,
    figures through `finite`), in the order they are written.

    `to_json` writes it with pydantic's serializer, the one the API's shapes write
    themselves with, so its text is theirs (floats included: `1e-05` is `0.00001` there,
    unlike in `json.dumps`), without building and validating a model for trusted data.
    """

    values: dict[str, Any]


def plain(value: Any) -> Any:
    """Any record (dict, dataclass, pydantic model) as JSON values, in the formats above."""
    if isinstance(value, JSONDocument):
        return plain(value.values)
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, float):
        return finite(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return plain(value.model_dump(mode="json"))
    return value


def to_json(value: Any, *, compact: bool = True) -> str:
    """JSON text of `plain(value)`, UTF-8 characters as they are.

    A pydantic model writes itself, and a `JSONDocument` through the same serializer:
    they give the same text as `plain` (times through `iso`, NaN as null) without walking
    the document twice in Python.
    """
    if compact and hasattr(value, "model_dump_json"):
        return value.model_dump_json()
    if compact and isinstance(value, JSONDocument):
        return pydantic_core.to_json(value.values, inf_nan_mode="null").decode()
    separators = (",", ":") if compact else None
    return json.dumps(plain(value), ensure_ascii=False, separators=separators)


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, with a leading `'` (see the module doc)."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def cell(value: Any) -> str:
    """One CSV cell in the one format (see the module doc)."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return neutralise(repr(value))
    if isinstance(value, dict):
        return neutralise(json.dumps(value, ensure_ascii=False, sort_keys=True))
    if isinstance(value, list):
        return neutralise(
            " ".join(
                ":".join(str(x) for x in v.values()) if isinstance(v, dict) else str(v)
                for v in value
            )
        )
    return neutralise(str(value))


def csv_lines(
    columns: Sequence[str], records: Iterable[Mapping[str, Any]], cap: int | None = None
) -> Iterator[str]:
    """The header, then at most `cap` records, yielded a few hundred lines at a time.

    Records are read as they come, so a long export streams without being held in memory.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for count, record in enumerate(records, start=1):
        if cap is not None and count > cap:
            break
        writer.writerow([cell(record.get(c)) for c in columns])
        if count % CSV_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write(
    records: Iterable[Mapping[str, Any]], columns: Sequence[str], fmt: str, out: IO[str]
) -> int:
    """Write records as they come in `fmt` (csv, json or jsonl); returns how many."""
    count = 0
    if fmt == "csv":
        seen = [0]

        def counted() -> Iterator[Mapping[str, Any]]:
            for record in records:
                seen[0] += 1
                yield record

        for chunk in csv_lines(columns, counted()):
            out.write(chunk)
        return seen[0]
    if fmt == "json":
        out.write("[")
        for record in records:
            out.write(("," if count else "") + "\n" + to_json(record, compact=False))
            count += 1
        out.write("\n]\n")
        return count
    if fmt != "jsonl":
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    for record in records:
        out.write(to_json(record, compact=False) + "\n")
        count += 1
    return count
