"""Helpers shared by the command modules."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import click
from sqlalchemy.engine import Engine
from sqlmodel import Session

from carescore.settings import Settings, load_settings
from carescore.store.db import engine_for, ping, session_scope


def settings() -> Settings:
    """The settings of this command line, read from the environment once, on first use.

    They live on the root click context, so a test can hand its own with
    `CliRunner().invoke(main, args, obj=load_settings(database_url=...))`.
    """
    root = click.get_current_context().find_root()
    if not isinstance(root.obj, Settings):
        root.obj = load_settings()
    return root.obj


def engine() -> Engine:
    """The configured engine, checked to answer, so a dead database is one clear line."""
    eng = engine_for(settings().database_url)
    ping(eng)
    return eng


@contextmanager
def session() -> Iterator[Session]:
    with session_scope(engine()) as s:
        yield s


def interactive() -> bool:
    """Progress bars only for a person at a terminal, never in CI or logs."""
    return sys.stderr.isatty()


def parse_day(_ctx, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from exc
