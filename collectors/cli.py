"""`carescore collect` and `carescore import`, registered through entry points.

Reports print one line per run; errors meant for a person raise BadInput, which the
`carescore` group prints as one line with exit status 2.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from sqlalchemy import select
from sqlmodel import Session
from tqdm import tqdm

from carescore.cli.common import interactive, session, settings
from carescore.errors import BadInput
from carescore.ranking.rules import UNKNOWN_SECTOR
from carescore.store.limits import InvalidPost, check_text
from carescore.store.locks import AlreadyRunning, job_lock
from carescore.store.models import Brand, BrandAccount
from collectors.base import Reject, Source
from collectors.files import MappedFile
from collectors.http import make_client
from collectors.runner import RunReport, load_targets, run_one, run_sources
from collectors.sources import SOURCE_NAMES, build_sources
from collectors.twcs import TwcsFile


def _progress(total_unit: str) -> tqdm:
    return tqdm(unit=total_unit, disable=not interactive(), leave=False, dynamic_ncols=True)


def _print(reports: list[RunReport]) -> None:
    for report in reports:
        click.echo(report.line())
        for error in report.errors[:20]:
            click.echo(f"  {error}")
        if len(report.errors) > 20 or report.rejected > len(report.errors):
            click.echo(f"  ... {report.rejected} rejected in all")


_INTERVAL = re.compile(r"^(\d+)\s*([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> int:
    """'15m' -> 900 seconds; at least a minute, so a typo cannot hammer the platforms."""
    match = _INTERVAL.match(text.strip().lower())
    if not match:
        raise BadInput(f"--every expects a number and a unit (s, m, h, d), got {text!r}")
    seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds < 60:
        raise BadInput("--every must be at least 1m")
    return seconds


def _collect_once(source_names: list[str], brand_slug: str | None, max_pages: int) -> None:
    with session() as s:
        brands = load_targets(s, brand_slug)
        if brand_slug and not brands:
            raise BadInput(f"no brand {brand_slug!r} in the registry (carescore brands load)")
        reports: list[RunReport] = []
        with make_client() as client, _progress("post") as bar:
            for source in build_sources(source_names, settings(), max_pages=max_pages):
                try:
                    with job_lock(s.get_bind(), f"collect:{source.name}"):
                        reports += run_sources(s, [source], client, brands, on_batch=bar.update)
                except AlreadyRunning:
                    click.echo(f"{source.name}: skipped, another run of this source is going on")
    _print(reports)


@click.command("collect")
@click.option("--source", "source_name", type=click.Choice(SOURCE_NAMES), help="one source only")
@click.option("--brand", "brand_slug", help="one brand of the registry only")
@click.option("--max-pages", default=50, show_default=True, help="page budget per source run")
@click.option("--every", help="run again at this interval (15m, 1h...) until stopped")
def collect(
    source_name: str | None, brand_slug: str | None, max_pages: int, every: str | None
) -> None:
    """Collect new public posts about the registry's brands from the platforms.

    Sources without credentials are skipped with a one-line reason. Running it twice adds
    nothing that is already stored; each source resumes from its checkpoint, and a lock per
    source keeps two runs of the same source from overlapping, wherever they start.
    """
    interval = parse_interval(every) if every else None
    names = [source_name] if source_name else list(SOURCE_NAMES)
    while True:
        started = time.monotonic()
        _collect_once(names, brand_slug, max_pages)
        if interval is None:
            return
        time.sleep(max(0.0, interval - (time.monotonic() - started)))


@click.group("import")
def import_group() -> None:
    """Load posts from files; posts are scored and threaded, and re-running adds nothing."""


REJECTS_HELP = "write every rejected record to this JSON Lines file (line, reason, record)"


@contextmanager
def _rejects_writer(path: Path | None) -> Iterator[Callable[[Reject], None] | None]:
    """One JSON object per rejected record, written as the import goes (bounded memory)."""
    if path is None:
        yield None
        return
    try:
        out: IO[str] = path.open("w", encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"{path}: cannot write: {exc.strerror or exc}") from exc

    def write(item: Reject) -> None:
        record = {"where": item.where, "reason": item.reason, "record": item.record}
        out.write(json.dumps(record, ensure_ascii=True, default=str) + "\n")

    with out:
        yield write


def _run_file(source: Source, s: Session, rejects: Path | None = None) -> RunReport:
    """Import one file under the lock of its kind, so a dead import's run can be closed."""
    try:
        with (
            job_lock(s.get_bind(), source.name),
            _rejects_writer(rejects) as on_reject,
            _progress("post") as bar,
        ):
            report = run_one(s, source, None, None, on_batch=bar.update, on_reject=on_reject)
    except AlreadyRunning as exc:
        raise BadInput(f"{exc}: wait for it to finish") from exc
    _print([report])
    if rejects is not None and report.rejected:
        click.echo(f"  rejected records written to {rejects}")
    if report.status == "failed":
        raise click.exceptions.Exit(1)
    return report


SLUG_MAX = Brand.__table__.c.slug.type.length


def _slug(handle: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", handle.lower()).strip("-")[: SLUG_MAX - 8] or "brand"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _storable_handle(handle: str) -> bool:
    try:
        check_text("handle", handle, BrandAccount.__table__.c.handle.type.length)
    except InvalidPost:
        return False
    return bool(handle)


def _unknown(s: Session, handles: Counter[str]) -> list[tuple[str, int]]:
    known = set(s.execute(select(BrandAccount.handle_key).where(BrandAccount.platform == "x")))
    known_keys = {k for (k,) in known}
    return sorted(
        ((h, n) for h, n in handles.items() if h.lower() not in known_keys and _storable_handle(h)),
        key=lambda item: (-item[1], item[0].lower()),
    )


def _create_brands(
    s: Session, handles: list[str], sector: str = UNKNOWN_SECTOR, timezone: str = "UTC"
) -> int:
    """A brand (of `sector`, business hours in `timezone`) with one X account for each
    unknown TWCS brand handle. Sector "unknown" brands are shrunk toward all brands."""
    taken = set(s.execute(select(Brand.slug)).scalars())
    for handle in handles:
        brand = Brand(
            slug=_slug(handle, taken),
            name=handle,
            sector=sector,
            country="ZZ",
            timezone=timezone,
        )
        s.add(brand)
        s.flush()
        s.add(
            BrandAccount(brand_id=brand.id, platform="x", handle=handle, handle_key=handle.lower())
        )
    s.commit()
    return len(handles)


def _sector(_ctx, _param, value: str) -> str:
    value = value.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", value):
        raise click.BadParameter("a sector slug: lower-case letters, digits and hyphens")
    return value


def _timezone(_ctx, _param, value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise click.BadParameter(
            f"unknown time zone {value!r} (IANA names, e.g. Europe/Paris)"
        ) from error
    return value


@import_group.command("twcs")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--create-brands", is_flag=True, help="create brands for unknown brand accounts")
@click.option(
    "--sector",
    default=UNKNOWN_SECTOR,
    show_default=True,
    callback=_sector,
    help="sector of the created brands (their satisfaction and reply rate are shrunk toward "
    "it; 'unknown' is shrunk toward all brands)",
)
@click.option(
    "--timezone",
    default="UTC",
    show_default=True,
    callback=_timezone,
    help="IANA time zone of the created brands' business hours, e.g. America/New_York",
)
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path), help=REJECTS_HELP)
def import_twcs(
    file: Path, create_brands: bool, sector: str, timezone: str, rejects: Path | None
) -> None:
    """Import a Kaggle "Customer Support on Twitter" file (twcs.csv format)."""
    source = TwcsFile(file)
    with session() as s:
        if create_brands:
            made = _create_brands_from(s, source, sector, timezone)
            if made:
                click.echo(f"created {made} brands (sector {sector!r}, time zone {timezone})")
        _run_file(source, s, rejects)
        unknown = _unknown(s, source.brand_handles)
    if unknown:
        click.echo(
            f"{len(unknown)} brand accounts are not in the registry "
            "(their replies are stored without a brand; use --create-brands):"
        )
        for handle, count in unknown:
            click.echo(f"  {handle} ({count} posts)")


def _create_brands_from(
    s: Session, source: TwcsFile, sector: str = UNKNOWN_SECTOR, timezone: str = "UTC"
) -> int:
    handles = [h for h, _n in _unknown(s, source.scan_brand_handles())]
    return _create_brands(s, handles, sector, timezone)


def _generic(kind: str) -> Callable[..., None]:
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--platform", default="import", show_default=True, help="when a row has none")
    @click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path), help=REJECTS_HELP)
    def command(file: Path, platform: str, rejects: Path | None) -> None:
        with session() as s:
            _run_file(MappedFile(file, kind, platform), s, rejects)

    command.__doc__ = (
        f"Import a {kind.upper()} file in the generic mapping (docs/import-formats.md)."
    )
    return import_group.command(kind)(command)


_generic("csv")
_generic("jsonl")
