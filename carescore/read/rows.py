"""Result rows as named tuples, for read models that read each row's columns often.

A SQLAlchemy `Row` answers `row.name` only after Python's own attribute lookup has failed
(an AttributeError built and dropped), which costs about as much as building a tuple. The
home page's digests, a brand page's months and its recent posts read a dozen columns of
every row, so they read them as named tuples; a tuple also hashes and compares in C, as
the brand page's kept parts do with their key (`website/pages/brand_parts.py`).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Result


def row_type(name: str, columns: Iterable[str]) -> Any:
    """A named tuple type of these column names (a statement's `selected_columns.keys()`)."""
    return namedtuple(name, list(columns))  # type: ignore[misc]


def named_rows(result: Result, row: Any) -> list[Any]:
    """Every row of `result` as a `row` (made by `row_type` with the statement's columns)."""
    return list(map(row._make, result.all()))
