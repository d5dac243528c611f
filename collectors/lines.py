"""Reading big files as a stream of records, with the line each record starts on."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from carescore.errors import BadInput

# Stands in for a bare carriage return while csv parses a line (csv treats '\r' as a line end).
CR_STANDIN = "\ue000"


def _lines(path: Path) -> Iterator[str]:
    """Lines cut at '\\n' only; a '\\r' before the '\\n' (CRLF files) is dropped."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BadInput(f"{path}: cannot read: {exc.strerror or exc}") from exc
    with handle:
        for raw in handle:
            line = raw.decode("utf-8", errors="replace")
            if line.endswith("\r\n"):
                line = line[:-2] + "\n"
            yield line.replace("\r", CR_STANDIN) if "\r" in line else line


def csv_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) for each CSV record after the header, streamed.

    A record may span lines (quoted newlines); bare carriage returns stay inside fields.
    """
    reader = csv.reader(_lines(path))
    last = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BadInput(f"{path}: line {reader.line_num}: {exc}") from exc
        start, last = last + 1, reader.line_num
        if any(CR_STANDIN in f for f in fields):
            fields = [f.replace(CR_STANDIN, "\r") for f in fields]
        yield start, fields
