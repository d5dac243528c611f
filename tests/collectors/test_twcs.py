"""TWCS imports: the exact file format, broken rows, re-runs, brand matching, threading."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from carescore.cli import main
from carescore.store.brands import load_registry_file, upsert_brands
from carescore.store.models import Brand, Post
from collectors.runner import run_one
from collectors.twcs import TwcsFile, parse_created, parse_id
from tests.collectors.conftest import FIXTURES
from tests.conftest import shared_data

REPO = Path(__file__).resolve().parents[2]


def _posts(session) -> dict[str, Post]:
    return {p.external_id: p for p in session.execute(select(Post)).scalars()}


def test_ids_and_dates_as_written_in_twcs():
    assert parse_id("3.0") == "3" and parse_id("119237") == "119237"
    with pytest.raises(ValueError):
        parse_id("3.5")
    assert parse_created("Tue Oct 31 22:10:47 +0000 2017") == datetime(
        2017, 10, 31, 22, 10, 47, tzinfo=UTC
    )
    assert parse_created("Tue Oct 31 22:10:47 -0130 2017").utcoffset() == -timedelta(minutes=90)
    with pytest.raises(ValueError):
        parse_created("Tue Foo 31 22:10:47 +0000 2017")


def test_crlf_file_with_bare_carriage_returns(registry):
    report = run_one(registry, TwcsFile(FIXTURES / "twcs" / "crlf.csv"), None, None)
    assert (report.status, report.inserted, report.rejected) == ("ok", 4, 0)
    posts = _posts(registry)
    assert posts["12"].text == "@example_brand my order is late,\nagain"
    assert posts["13"].text == "@example_brand line one\rline two with a bare CR"
    assert posts["13"].reply_ids == "14"
    assert posts["10"].direction == "brand" and posts["10"].in_reply_to_id == "12"
    assert posts["12"].first_reply_id == "10" and posts["12"].first_reply_seconds == 140
    assert posts["12"].created_at.tzinfo is not None


def test_broken_rows_are_reported_by_line_and_the_rest_imported(registry):
    source = TwcsFile(FIXTURES / "twcs" / "broken.csv")
    report = run_one(registry, source, None, None)
    assert (report.status, report.inserted, report.rejected) == ("partial", 5, 3)
    assert [e.split(":")[1].strip() for e in report.errors] == ["line 4", "line 8", "line 9"]
    posts = _posts(registry)
    assert posts["24"].text == "@example_brand a text\nover two lines"
    assert posts["27"].created_at.astimezone(UTC).hour == 9
    assert posts["20"].reply_ids == "21,23" and posts["20"].first_reply_id == "21"
    assert posts["23"].brand_id is None  # an unknown brand account answers nobody
    assert source.brand_handles == {"example_brand": 1, "unknown_help": 1}


def test_cli_lists_unknown_accounts_and_creates_them_on_request(registry, db_url, monkeypatch):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    path = str(FIXTURES / "twcs" / "broken.csv")
    first = CliRunner().invoke(main, ["import", "twcs", path])
    assert first.exit_code == 0, first.output
    assert "inserted 5" in first.output and "line 4" in first.output
    assert "unknown_help (1 posts)" in first.output
    again = CliRunner().invoke(main, ["import", "twcs", path, "--create-brands"])
    assert again.exit_code == 0, again.output
    assert "created 1 brands" in again.output and "inserted 0" in again.output
    assert "not in the registry" not in again.output
    registry.expire_all()
    brand = registry.execute(select(Brand).where(Brand.slug == "unknown-help")).scalar_one()
    assert brand.sector == "unknown"


def test_created_brands_take_a_sector_and_a_time_zone(registry, db_url, monkeypatch):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    path = str(FIXTURES / "twcs" / "broken.csv")
    bad = CliRunner().invoke(
        main, ["import", "twcs", path, "--create-brands", "--timezone", "Mars/Olympus"]
    )
    assert bad.exit_code == 2 and "unknown time zone" in bad.output
    made = CliRunner().invoke(
        main,
        [
            "import",
            "twcs",
            path,
            "--create-brands",
            "--sector",
            "Telecom",
            "--timezone",
            "Europe/Paris",
        ],
    )
    assert made.exit_code == 0, made.output
    registry.expire_all()
    brand = registry.execute(select(Brand).where(Brand.slug == "unknown-help")).scalar_one()
    assert (brand.sector, brand.timezone) == ("telecom", "Europe/Paris")


def test_cli_missing_file_is_one_line(db_url, monkeypatch):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    result = CliRunner().invoke(main, ["import", "twcs", "/nonexistent/twcs.csv"])
    assert result.exit_code == 2 and result.output.count("\n") == 1


def _count_records(path: Path) -> int:
    return sum(1 for _ in TwcsFile(path).records())


def test_threads_dev_twice_one_post_per_tweet_every_reply_linked(session):
    path = shared_data("twcs/twcs-threads-dev.csv")
    upsert_brands(session, load_registry_file(REPO / "data" / "brands.toml"))
    session.commit()
    from collectors.cli import _create_brands_from

    _create_brands_from(session, TwcsFile(path))
    first = run_one(session, TwcsFile(path), None, None)
    second = run_one(session, TwcsFile(path), None, None)
    records = _count_records(path)
    total = session.execute(select(func.count()).select_from(Post)).scalar_one()
    assert (first.rejected, first.inserted, total) == (0, records, records)
    assert (second.inserted, second.duplicates) == (0, records)
    posts = _posts(session)
    unlinked = []
    for reply in posts.values():
        parent = posts.get(reply.in_reply_to_id or "")
        if reply.direction != "brand" or parent is None or parent.direction != "inbound":
            continue
        delay = (reply.created_at - parent.created_at).total_seconds()
        if delay < 0:
            continue
        if parent.first_reply_id is None or parent.first_reply_seconds > delay:
            unlinked.append((parent.external_id, reply.external_id))
    assert not unlinked, f"{len(unlinked)} brand replies not linked, e.g. {unlinked[:5]}"
    assert sum(1 for p in posts.values() if p.first_reply_id) > 500


def test_zone_objects_are_shared():
    a = parse_created("Tue Oct 31 22:10:47 +0200 2017")
    assert a.tzinfo == timezone(timedelta(hours=2))
