"""Runs sources: store each batch, commit, and only then move the checkpoint.

A crash between two batches leaves the checkpoint at the last committed batch, so the
next run re-reads (duplicates are ignored by the store) and never skips. Every run of a
source for a brand leaves one `CollectorRun` row saying what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import httpx
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from carescore.store.columns import utcnow
from carescore.store.db import PlannerStatistics, is_outage, one_line, unavailable
from carescore.store.limits import checked_post
from carescore.store.models import Brand, BrandAccount, Checkpoint, CollectorRun, Post
from carescore.store.normalised import NewPost
from carescore.store.posts import BrandDirectory, StoreResult, store_posts
from collectors.base import (
    BadPayload,
    Batch,
    BrandTarget,
    CollectorError,
    MissingCredentials,
    Reject,
    Source,
)

MAX_ERRORS = 50  # kept on the run row; the count of rejected items stays exact
# What storing a single post can raise when the post itself is the problem (the database
# refused a value, or the driver could not convert it); outages are told apart by is_outage.
ROW_ERRORS = (DBAPIError, ValueError, OverflowError)


@dataclass
class RunReport:
    """What one source did for one brand, as the CLI prints it."""

    source: str
    brand_slug: str | None
    status: str = "running"
    fetched: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    message: str | None = None
    run_id: int | None = None

    def line(self) -> str:
        who = f"{self.source}" + (f" [{self.brand_slug}]" if self.brand_slug else "")
        counts = (
            f"fetched {self.fetched}, inserted {self.inserted}, "
            f"duplicates {self.duplicates}, rejected {self.rejected}"
        )
        tail = f" ({self.message})" if self.message else ""
        return f"{who}: {self.status}: {counts}{tail}"


def load_targets(session: Session, slug: str | None = None) -> list[BrandTarget]:
    """The registry's brands (or one of them) with their official handles per platform."""
    query = select(Brand).where(Brand.is_demo.is_(False)).order_by(Brand.slug)
    if slug:
        query = select(Brand).where(Brand.slug == slug)
    brands = list(session.execute(query).scalars())
    accounts: dict[int, dict[str, list[str]]] = {}
    for brand_id, platform, handle in session.execute(
        select(BrandAccount.brand_id, BrandAccount.platform, BrandAccount.handle)
    ).all():
        accounts.setdefault(brand_id, {}).setdefault(platform, []).append(handle)
    return [
        BrandTarget(
            slug=b.slug,
            name=b.name,
            keywords=tuple(b.keywords or ()),
            hashtags=tuple(h.lstrip("#") for h in b.hashtags or ()),
            accounts={p: tuple(hs) for p, hs in accounts.get(b.id, {}).items()},
        )
        for b in brands
    ]


def read_checkpoint(session: Session, source: str, slug: str | None) -> str | None:
    return session.execute(
        select(Checkpoint.cursor).where(
            Checkpoint.source == source, Checkpoint.brand_slug == (slug or "")
        )
    ).scalar_one_or_none()


def save_checkpoint(session: Session, source: str, slug: str | None, cursor: str) -> None:
    row = session.execute(
        select(Checkpoint).where(Checkpoint.source == source, Checkpoint.brand_slug == (slug or ""))
    ).scalar_one_or_none()
    if row is None:
        row = Checkpoint(source=source, brand_slug=slug or "", cursor=cursor)
    row.cursor, row.updated_at = cursor, utcnow()
    session.add(row)


def mark_interrupted(session: Session, source: str) -> int:
    """Close the runs of `source` still marked running: their process died or lost the database.

    Called by a run that holds the source's lock (see carescore.store.locks), so no live
    run of that source can be among them.
    """
    result = session.execute(
        update(CollectorRun)
        .where(CollectorRun.source == source, CollectorRun.status == "running")
        .values(
            status="interrupted",
            finished_at=utcnow(),
            message="interrupted: the run stopped before it could record its end",
        )
    )
    session.commit()
    return result.rowcount or 0


def run_one(
    session: Session,
    source: Source,
    client: httpx.Client | None,
    brand: BrandTarget | None,
    *,
    on_batch: Callable[[int], None] | None = None,
    on_reject: Callable[[Reject], None] | None = None,
    directory: BrandDirectory | None = None,
) -> RunReport:
    """One source for one brand (or for everything when the source is not per brand).

    A database outage raises DatabaseUnavailable (one line for a person); the run's row
    then stays "running" until the next run of the source marks it interrupted.
    """
    slug = brand.slug if brand else None
    report = RunReport(source.name, slug)
    mark_interrupted(session, source.name)
    run = CollectorRun(source=source.name, brand_slug=slug, started_at=utcnow(), status="running")
    session.add(run)
    session.commit()
    report.run_id = run.id
    try:
        reason = source.configured()
        if reason:
            raise MissingCredentials(reason)
        directory = directory or BrandDirectory(session)
        cursor = read_checkpoint(session, source.name, slug)
        statistics = PlannerStatistics(session, Post.__table__)
        for batch in source.batches(client, brand, cursor):
            before = report.fetched
            _store(session, batch, report, directory, statistics)
            if on_reject:
                for item in batch.rejects:
                    on_reject(item)
            if on_batch:
                on_batch(report.fetched - before)
        report.status = "partial" if report.rejected or report.errors else "ok"
    except MissingCredentials as exc:
        session.rollback()
        report.status, report.message = "skipped", str(exc)
    except CollectorError as exc:
        session.rollback()
        if isinstance(exc, BadPayload):  # an unreadable page is one rejected item
            report.fetched += 1
            report.rejected += 1
        report.status = "partial" if report.fetched else "failed"
        report.message = str(exc)
    except BaseException as exc:
        session.rollback()
        if is_outage(exc):
            raise unavailable(session.get_bind(), exc) from exc
        report.status, report.message = "failed", f"crashed: {type(exc).__name__}: {exc}"
        _finish(session, report)
        raise
    _finish(session, report)
    return report


def _valid(batch: Batch, source: str) -> list[NewPost]:
    """The batch's posts that the storage can hold; the others become rejects."""
    valid = []
    for post in batch.posts:
        try:
            valid.append(checked_post(post))
        except ValueError as exc:
            batch.reject(f"{source}: post {post.external_id[:80]!r}", str(exc))
    return valid


def _store_rows(
    session: Session, batch: Batch, posts: list[NewPost], report: RunReport, directory
) -> StoreResult:
    """Store a batch; if the database refuses it, store it row by row so one bad row costs one.

    A row the database still refuses is rejected with the driver's one-line reason.
    """
    try:
        result = store_posts(session, posts, run_id=report.run_id, directory=directory)
        session.commit()
        return result
    except ROW_ERRORS as exc:
        session.rollback()
        if is_outage(exc):
            raise
    result = StoreResult()
    for post in posts:
        try:
            result.add(store_posts(session, [post], run_id=report.run_id, directory=directory))
            session.commit()
        except ROW_ERRORS as exc:
            session.rollback()
            if is_outage(exc):
                raise
            where = f"{report.source}: post {post.external_id[:80]!r}"
            batch.reject(where, f"refused by the database: {one_line(exc)[:300]}")
    return result


def _store(
    session: Session,
    batch: Batch,
    report: RunReport,
    directory: BrandDirectory,
    statistics: PlannerStatistics,
) -> None:
    fetched = len(batch.posts) + batch.rejected
    posts = _valid(batch, report.source)
    result = _store_rows(session, batch, posts, report, directory)
    statistics.added(result.inserted)
    if batch.checkpoint is not None:
        save_checkpoint(session, report.source, report.brand_slug, batch.checkpoint)
        session.commit()
    report.fetched += fetched
    report.inserted += result.inserted
    report.duplicates += result.duplicates + result.removed
    report.rejected += batch.rejected
    room = MAX_ERRORS - len(report.errors)
    if room > 0:
        report.errors.extend(batch.errors[:room])


def _finish(session: Session, report: RunReport) -> None:
    run = session.get(CollectorRun, report.run_id)
    run.status, run.finished_at, run.message = report.status, utcnow(), report.message
    run.fetched, run.inserted, run.duplicates = report.fetched, report.inserted, report.duplicates
    run.rejected, run.errors = report.rejected, list(report.errors)
    session.add(run)
    session.commit()


def run_sources(
    session: Session,
    sources: Iterable[Source],
    client: httpx.Client | None,
    brands: list[BrandTarget],
    *,
    on_batch: Callable[[int], None] | None = None,
) -> list[RunReport]:
    """Every source, per brand where the source works per brand; one report each."""
    reports = []
    for source in sources:
        targets: list[BrandTarget | None] = list(brands) if source.per_brand else [None]
        if source.configured():
            targets = [None]  # one skipped row is enough to say why
        for brand in targets:
            reports.append(run_one(session, source, client, brand, on_batch=on_batch))
    return reports
