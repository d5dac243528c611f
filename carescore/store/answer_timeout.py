"""A psycopg connection that stops waiting for the server's answer after a set time.

Imported only when an engine asks for it (carescore.store.db.make_engine): psycopg picks
its way of waiting for the server when it is first imported, and under gevent it must be
imported after the monkey-patching (website/gunicorn_conf.py) or it blocks the worker.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.pq import TransactionStatus


class AnswerBoundConnection(psycopg.Connection):
    """libpq has no limit on waiting for an answer: a query sent to a server that has
    stopped (frozen, or cut off without a reset) waits for ever, and so did the request
    behind it. When the limit passes in the middle of an exchange nobody knows where the
    protocol stands, so the connection is closed: SQLAlchemy then sees a disconnect and
    drops it from the pool, and the site answers 503.
    """

    answer_timeout_s: float

    @classmethod
    def connect(cls, *args: Any, answer_timeout_s: float, **kwargs: Any) -> AnswerBoundConnection:  # type: ignore[override]
        conn = super().connect(*args, **kwargs)
        conn.answer_timeout_s = answer_timeout_s
        return conn

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        try:
            return super().wait(gen, interval, timeout or self.answer_timeout_s)
        except psycopg.OperationalError:
            if self.pgconn.transaction_status == TransactionStatus.ACTIVE:
                self.pgconn.finish()
            raise
