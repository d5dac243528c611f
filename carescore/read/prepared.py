"""Statements compiled once per database and run on the session's own driver connection.

The API's built answers (a brand's figures, a ranking) read one statement each. Through
the ORM, or even SQLAlchemy Core, running it cost several times what the database took to
answer: an execution context, a result's metadata for a hundred columns, a processor per
value. A `Prepared` statement is compiled once per dialect by SQLAlchemy, so its text
and parameters are SQLAlchemy's own, then run on a DBAPI cursor, and its rows come back
as named tuples. The cursor is the session's connection's, inside its transaction, when
the session has begun one; otherwise a connection of the session's pool, taken for the
one statement (what a new transaction would see, without building one: about a third of
the cost of a brand answer's read). Engine events do not see these statements.

Values are decoded as the column types decode them on SQLite and PostgreSQL alike:
booleans as `bool`, `UTCDateTime` as aware UTC (by the type's own code, without the
generic parser SQLite's dialect would run first), JSON documents as Python values
(SQLite hands text, psycopg the document). Any other type whose driver value needs a
processor is refused when the statement is compiled, so a new column cannot come back
undecoded. A driver error is raised as SQLAlchemy raises it (`DBAPIError` and its
subclasses, the connection invalidated on a disconnect), so an outage still answers 503;
so is a failure to take a connection from the pool, which the pool hands on unwrapped.
"""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, String
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Select
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session

from carescore.store.sqltypes import UTCDateTime

Decoder = Callable[[Any], Any]


def _document(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _decoder(column_type: Any) -> Decoder | None:
    """How a driver's value of this type becomes the value the ORM would give."""
    if isinstance(column_type, UTCDateTime):
        convert = column_type.process_result_value
        return lambda value: convert(value, None)
    if isinstance(column_type, Boolean):
        return bool
    if isinstance(column_type, JSON):
        return _document
    if isinstance(column_type, Float) and column_type.asdecimal:
        raise TypeError(f"a prepared statement reads floats, not decimals: {column_type!r}")
    if isinstance(column_type, Integer | Float | String):
        return None
    if (
        isinstance(column_type, TypeDecorator)
        and type(column_type).process_result_value is TypeDecorator.process_result_value
    ):
        return _decoder(column_type.impl_instance)
    raise TypeError(f"a prepared statement cannot decode {column_type!r}")


class _Compiled:
    """The statement's text and parameters for one dialect."""

    __slots__ = ("compiled", "names", "sql")

    def __init__(self, statement: Select, dialect: Any) -> None:
        self.compiled = statement.compile(dialect=dialect)
        self.sql = self.compiled.string
        self.names = tuple(self.compiled.positiontup or ()) if self.compiled.positional else None
        for bind in self.compiled.binds.values():
            if bind.type.dialect_impl(dialect).bind_processor(dialect) is not None:
                raise TypeError(f"a prepared statement cannot bind {bind.type!r}")

    def parameters(self, values: dict[str, Any]) -> Any:
        params = self.compiled.construct_params(values)
        return params if self.names is None else tuple(params[name] for name in self.names)


class Prepared:
    """A SELECT built once, compiled once per dialect, run without the ORM.

    `rows(session, **values)` binds `values` to the statement's named parameters and
    returns its rows as named tuples of the selected columns' names.
    """

    def __init__(self, statement: Select) -> None:
        self.statement = statement
        columns = list(statement.selected_columns)
        self.Row = namedtuple("Row", [column.key for column in columns])  # type: ignore[misc]
        self._decoders = tuple(
            (index, decode)
            for index, column in enumerate(columns)
            if (decode := _decoder(column.type)) is not None
        )
        self._by_dialect: dict[str, _Compiled] = {}

    def _compiled(self, dialect: Any) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            found = self._by_dialect[dialect.name] = _Compiled(self.statement, dialect)
        return found

    def rows(self, session: Session, **values: Any) -> list[Any]:
        if session.in_transaction():  # what the session has done, this statement sees
            connection = session.connection()
            return self._run(connection.dialect, connection.connection, values)
        # No transaction yet: a pooled connection for this one statement sees what a new
        # transaction would, without the session's transaction and connection objects.
        engine = session.get_bind()
        dialect = engine.dialect
        try:
            pooled = engine.raw_connection()
        except dialect.loaded_dbapi.Error as error:
            # Unlike a Connection, the pool hands on the driver's own error: raised as
            # SQLAlchemy raises it, a refused or timed-out connection is an outage (503).
            raise DBAPIError.instance(
                None,
                None,
                error,
                dialect.loaded_dbapi.Error,
                hide_parameters=True,
                dialect=dialect,
                connection_invalidated=dialect.is_disconnect(error, None, None),
            ) from error
        try:
            return self._run(engine.dialect, pooled, values)
        finally:
            pooled.close()

    def _run(self, dialect: Any, pooled: Any, values: dict[str, Any]) -> list[Any]:
        compiled = self._compiled(dialect)
        parameters = compiled.parameters(values)
        driver = pooled.driver_connection
        cursor = driver.cursor()
        try:
            cursor.execute(compiled.sql, parameters)
            fetched = cursor.fetchall()
        except dialect.loaded_dbapi.Error as error:
            disconnected = dialect.is_disconnect(error, driver, cursor)
            if disconnected:
                pooled.invalidate(error)
            raise DBAPIError.instance(
                compiled.sql,
                parameters,
                error,
                dialect.loaded_dbapi.Error,
                hide_parameters=True,
                dialect=dialect,
                connection_invalidated=disconnected,
            ) from error
        finally:
            cursor.close()
        make, decoders = self.Row._make, self._decoders
        if not decoders:
            return [make(row) for row in fetched]
        rows = []
        for row in fetched:
            values_ = list(row)
            for index, decode in decoders:
                value = values_[index]
                if value is not None:
                    values_[index] = decode(value)
            rows.append(make(values_))
        return rows
