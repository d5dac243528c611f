"""The data generation: a number every cache can compare to know it holds stale answers.

Kept in the database (table `datageneration`, one row) so that every worker of every
host sees the same value; reading it is one primary-key lookup.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session

from carescore.store.models import DataGeneration


def bump_generation(session: Session) -> None:
    """Mark published content as changed; committed with the caller's transaction."""
    done = session.execute(
        update(DataGeneration).where(DataGeneration.id == 1).values(value=DataGeneration.value + 1)
    )
    if not done.rowcount:
        session.add(DataGeneration(id=1, value=1))
    session.flush()


def current_generation(conn: Connection | Session) -> int:
    value = conn.execute(select(DataGeneration.value).where(DataGeneration.id == 1)).scalar()
    return int(value or 0)
