"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production).

The same code runs on both: dialect differences live here and in `store.py`, nowhere
else.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Table, any_, bindparam, event, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, create_engine

from carescore.errors import DatabaseUnavailable

SQLITE_BUSY_TIMEOUT_MS = 30_000
# PostgreSQL: how long opening a connection may take before the database counts as down
# (a frozen server accepts the TCP connection and never answers the start-up message).
CONNECT_TIMEOUT_S = 5
# For the site only (web_engine): a request's statement, its wait for a pooled connection
# and its connection attempt are all bounded, so a sick database gives quick 503s instead
# of requests that hang for the whole outage. Batch jobs (ranking, imports) keep no limit.
# The site reads precomputed snapshots in milliseconds: a statement still running after
# 5 s is a fault, not a slow page.
WEB_STATEMENT_TIMEOUT_MS = 5_000
WEB_CONNECT_TIMEOUT_S = 2
WEB_POOL_TIMEOUT_S = 2
# The statement timeout is the server's, and a frozen server enforces nothing: the site's
# connections also give up on any single exchange that gets no answer within this long.
# It is a second longer than the statement timeout so that a merely slow statement is
# cancelled by the server first, which leaves its connection usable.
WEB_ANSWER_TIMEOUT_S = WEB_STATEMENT_TIMEOUT_MS / 1000 + 1


def make_engine(
    url: str,
    *,
    echo: bool = False,
    statement_timeout_ms: int | None = None,
    connect_timeout_s: int = CONNECT_TIMEOUT_S,
    pool_timeout_s: float = 30,
    answer_timeout_s: float | None = None,
) -> Engine:
    """Create an engine tuned for our two databases.

    SQLite runs in WAL mode with a busy timeout so that the site keeps reading while a
    collector writes; PostgreSQL gets a pre-ping so a restarted server heals the pool,
    a connect timeout, the statement timeout asked for (None: no limit) and, with
    `answer_timeout_s`, a limit on each wait for the server's answer that holds even when
    the server is frozen.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict = {"connect_timeout": connect_timeout_s}
    if statement_timeout_ms is not None:
        connect_args["options"] = f"-c statement_timeout={int(statement_timeout_ms)}"
    engine = create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        pool_recycle=1800,
        pool_timeout=pool_timeout_s,
        connect_args=connect_args,
        hide_parameters=True,
    )
    if answer_timeout_s is not None:
        from carescore.store.answer_timeout import AnswerBoundConnection

        @event.listens_for(engine, "do_connect")
        def _bounded(_dialect, _record, cargs, cparams):
            return AnswerBoundConnection.connect(
                *cargs, answer_timeout_s=answer_timeout_s, **cparams
            )

    return engine


def one_of(session: Session, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN values`, written the way each engine reads it fastest.

    On PostgreSQL the values travel as one array parameter (`= ANY(...)`): the statement's
    text stays the same whatever the number of values, so the driver parses it once and
    prepares it, where an `IN` list of 900 placeholders is parsed again on every call
    (most of an import's time on PostgreSQL went there). SQLite has no arrays.
    """
    values = list(values)
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)


def update_rows(session: Session, table: Table, changes: Sequence[dict[str, Any]]) -> None:
    """Set columns of many rows by id; each change is {"id": ..., column: value, ...}.

    All changes name the same columns. On PostgreSQL they travel as one array per column
    in a single `UPDATE ... FROM unnest(...)` (one statement per batch instead of one per
    row); SQLite, in process, runs the statement once per row.
    """
    if not changes:
        return
    names = [name for name in changes[0] if name != "id"]
    if session.get_bind().dialect.name == "postgresql":
        arrays = [
            bindparam(None, [change[name] for change in changes], type_=ARRAY(table.c[name].type))
            for name in ("id", *names)
        ]
        incoming = func.unnest(*arrays).table_valued("id", *names).render_derived(name="incoming")
        session.execute(
            table.update()
            .where(table.c.id == incoming.c.id)
            .values({name: incoming.c[name] for name in names})
        )
        return
    session.execute(
        table.update()
        .where(table.c.id == bindparam("b_id"))
        .values({name: bindparam(f"b_{name}") for name in names}),
        [{f"b_{key}": value for key, value in change.items()} for change in changes],
    )


class PlannerStatistics:
    """Keeps a table's planner statistics in step with a bulk write on PostgreSQL.

    A big import into an empty or small table otherwise runs on the planner's picture of
    an empty table until autovacuum comes round (a minute or more), and threading's
    lookups by id scanned every row of the platform instead of using the index: twenty
    times slower. The table is analysed each time the rows written since the last look
    outnumber the rows its statistics describe, so the number of ANALYZE runs grows
    with the logarithm of the import's size. SQLite plans without such statistics.
    """

    MIN_ROWS = 5_000  # below this, any plan is fast enough

    def __init__(self, session: Session, table: Table) -> None:
        self.session, self.table = session, table
        self.pending = 0
        self.active = session.get_bind().dialect.name == "postgresql"

    def added(self, rows: int) -> bool:
        """Count rows just committed; True when that made the table due and it was analysed."""
        self.pending += rows
        if not self.active or self.pending < self.MIN_ROWS:
            return False
        described = self.session.execute(
            text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:name)"),
            {"name": self.table.name},
        ).scalar_one()
        if self.pending <= max(described, 0):
            return False
        self.session.execute(text(f'ANALYZE "{self.table.name}"'))
        self.session.commit()
        self.pending = 0
        return True


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine (and pool) per URL for the life of the process."""
    return make_engine(url)


@lru_cache(maxsize=8)
def web_engine(url: str) -> Engine:
    """The site's engine for `url`: every wait on the database is bounded (see above)."""
    return make_engine(
        url,
        statement_timeout_ms=WEB_STATEMENT_TIMEOUT_MS,
        connect_timeout_s=WEB_CONNECT_TIMEOUT_S,
        pool_timeout_s=WEB_POOL_TIMEOUT_S,
        answer_timeout_s=WEB_ANSWER_TIMEOUT_S,
    )


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session for CLI commands and collectors: committed on success, rolled back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


_stuck_pings: dict[str, float] = {}  # engine URL -> when its tracked ping started
_stuck_lock = threading.Lock()


def ping_within(engine: Engine, seconds: float) -> None:
    """`ping`, but DatabaseUnavailable after `seconds` even if the database never answers.

    A frozen server accepts connections and then says nothing; the site's connections give
    up on it only after WEB_ANSWER_TIMEOUT_S, longer than a load balancer waits, so the
    ping runs in a thread that is left to finish on its own. While one has been waiting
    longer than `seconds`, the next health check answers at once, so a freeze costs at
    most one thread per engine; pings that are merely running at the same moment
    (concurrent health checks under load) each get their answer.
    """
    key = engine.url.render_as_string()
    now = time.monotonic()
    with _stuck_lock:
        started = _stuck_pings.get(key)
        if started is not None and now - started > seconds:
            raise DatabaseUnavailable(f"database not answering ({key}): a ping is still waiting")
        tracked = started is None
        if tracked:
            _stuck_pings[key] = now
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            ping(engine)
            outcome.append(None)
        except BaseException as exc:  # handed to the caller below
            outcome.append(exc)
        finally:
            if tracked:
                with _stuck_lock:
                    _stuck_pings.pop(key, None)

    worker = threading.Thread(target=run, name="carescore-ping", daemon=True)
    worker.start()
    worker.join(seconds)
    if not outcome:
        raise DatabaseUnavailable(f"database not answering ({key}) within {seconds:g} s")
    if outcome[0] is not None:
        raise outcome[0]


def is_outage(exc: BaseException) -> bool:
    """True when `exc` says the database is gone or stuck, not that a statement was wrong.

    A lost connection, a refused one, a timeout or a locked SQLite file: retrying the same
    rows one by one would only fail again, so callers stop and say so instead.
    """
    if isinstance(exc, DatabaseUnavailable):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError | PoolTimeout | TimeoutError)


def one_line(exc: BaseException) -> str:
    """The driver's own first line of an error, without SQL or parameters."""
    text_ = str(getattr(exc, "orig", None) or exc).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__


def unavailable(engine: Engine, exc: BaseException) -> DatabaseUnavailable:
    """The one-line DatabaseUnavailable for an outage met in the middle of work."""
    return DatabaseUnavailable(
        f"database unavailable ({engine.url.render_as_string()}): {one_line(exc)}"
    )


def ping(engine: Engine) -> None:
    """Raise DatabaseUnavailable with a one-line reason when the database does not answer."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # the driver's exception types differ per dialect
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else repr(exc)
        raise DatabaseUnavailable(
            f"database unreachable ({engine.url.render_as_string()}): {reason}"
        ) from exc


# For the duration of a ranking run on SQLite: the default 2 MB page cache makes every
# GROUP BY and window sort over a million posts spill to temporary files (about twice
# as slow), and mmap spares a copy of each page read. Set per connection, then restored.
# (Changing temp_store drops the connection's TEMP tables; the project creates none.)
ANALYTICS_PRAGMAS = {"cache_size": -262_144, "temp_store": 2, "mmap_size": 1 << 30}
# PostgreSQL, for the ranking transaction only (SET LOCAL): JIT compilation cost 50-100 ms
# per grouped statement, more than it saved on statements that run in a fraction of a
# second; the default 4 MB work_mem sent the larger sorts and hashes to disk; and the
# ranking's only joins (the recoveries', on ids and author names) hash faster than
# they sort, which the planner, misled by the CTEs' row estimates, did not see.
ANALYTICS_SETTINGS = {"jit": "off", "work_mem": "64MB", "enable_mergejoin": "off"}


@contextmanager
def analytics_pragmas(session: Session) -> Iterator[None]:
    """Tune the session's connection for big scans and sorts, then put it back.

    Restored afterwards because the pooled connection goes on to serve small queries;
    on PostgreSQL the settings are also local to the transaction.
    """
    if session.get_bind().dialect.name == "postgresql":
        set_config = text("SELECT set_config(:name, :value, true)")
        before = {
            name: session.execute(text("SELECT current_setting(:name)"), {"name": name}).scalar()
            for name in ANALYTICS_SETTINGS
        }
        for name, value in ANALYTICS_SETTINGS.items():
            session.execute(set_config, {"name": name, "value": value})
        try:
            yield
        finally:
            for name, value in before.items():
                session.execute(set_config, {"name": name, "value": value})
        return
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    before = {name: session.execute(text(f"PRAGMA {name}")).scalar() for name in ANALYTICS_PRAGMAS}
    for name, value in ANALYTICS_PRAGMAS.items():
        session.execute(text(f"PRAGMA {name}={int(value)}"))
    try:
        yield
    finally:
        for name, value in before.items():
            session.execute(text(f"PRAGMA {name}={int(value)}"))
