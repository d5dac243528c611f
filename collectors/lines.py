"""Reading big files as a stream of records, with the line each record starts on.

Memory stays bounded whatever the file holds: a physical line longer than
`MAX_LINE_BYTES` is never held whole (it is read in chunks and dropped), and a CSV field
longer than the parser's limit costs its record, not the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from carescore.errors import BadInput
from carescore.store.limits import MAX_POST_CHARS

# Stands in for a bare carriage return while csv parses a line (csv treats '\r' as a line end).
CR_STANDIN = "\ue000"
# The longest line we read: a post at its limit is 4 bytes per character at most, plus
# the record's other fields. Longer lines are refused without being held in memory.
MAX_LINE_BYTES = 4 * MAX_POST_CHARS + 64 * 1024
_CHUNK = 1 << 20


class LineTooLong(ValueError):
    """A line over MAX_LINE_BYTES; its content was skipped unread."""


def bounded_lines(handle: BinaryIO) -> Iterator[bytes | LineTooLong]:
    """The file's lines (cut at b'\\n'), each at most MAX_LINE_BYTES; longer ones as errors."""
    while True:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) <= MAX_LINE_BYTES or raw.endswith(b"\n"):
            yield raw
            continue
        size = len(raw)
        while raw and not raw.endswith(b"\n"):
            raw = handle.readline(_CHUNK)
            size += len(raw)
        yield LineTooLong(f"line of {size} bytes is longer than the limit ({MAX_LINE_BYTES})")


def open_binary(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise BadInput(f"{path}: cannot read: {exc.strerror or exc}") from exc


class _Lines:
    """Decoded lines for csv.reader; an over-long line becomes an empty line, noted."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.too_long: LineTooLong | None = None

    def __iter__(self) -> Iterator[str]:
        with open_binary(self.path) as handle:
            for raw in bounded_lines(handle):
                if isinstance(raw, LineTooLong):
                    self.too_long = raw
                    yield "\n"
                    continue
                line = raw.decode("utf-8", errors="replace")
                if line.endswith("\r\n"):
                    line = line[:-2] + "\n"
                yield line.replace("\r", CR_STANDIN) if "\r" in line else line


def csv_records(path: Path) -> Iterator[tuple[int, list[str] | ValueError]]:
    """(first line number, fields or the reason the record is unreadable), streamed.

    A record may span lines (quoted newlines); bare carriage returns stay inside fields.
    An unreadable record (a field over the limit, a line too long) is yielded as a
    ValueError so the caller rejects that row and reads on.
    """
    csv.field_size_limit(MAX_LINE_BYTES)
    lines = _Lines(path)
    reader = csv.reader(lines)
    last = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            start, last = last + 1, reader.line_num
            yield start, ValueError(f"unreadable CSV record: {exc}")
            continue
        start, last = last + 1, reader.line_num
        if lines.too_long is not None:
            error, lines.too_long = lines.too_long, None
            yield start, error
            continue
        if any(CR_STANDIN in f for f in fields):
            fields = [f.replace(CR_STANDIN, "\r") for f in fields]
        yield start, fields
