"""Real threads: TWCS dev threads through the real store, checked against the CSV itself.

The loader and the expected values are written here, straightforwardly and per tweet,
independently of carescore/replies.py and carescore/metrics.py.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from carescore.cli import main
from carescore.ranking.snapshots import rank_brands
from carescore.store.models import Brand, BrandAccount, Post
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from tests.conftest import shared_data
from tests.twcs_cases import expected_cases

SEVEN_DAYS = 7 * 86400
MENTION = re.compile(r"@([A-Za-z0-9_]{1,50})")


def read_twcs(path) -> list[dict[str, str]]:
    """Records end at '\\n' only; bare '\\r' inside texts survive the csv module masked."""
    with open(path, encoding="utf-8", newline="") as handle:
        data = handle.read()
    lines = [line.replace("\r", "\x00") + "\n" for line in data.split("\n") if line]
    return [
        {key: value.replace("\x00", "\r") for key, value in row.items()}
        for row in csv.DictReader(lines)
    ]


def _id(value: str) -> str:
    return str(int(float(value))) if value else ""


def _when(row) -> datetime:
    return datetime.strptime(row["created_at"], "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)


def _new_post(row) -> NewPost:
    return NewPost(
        platform="twcs",
        external_id=_id(row["tweet_id"]),
        author_id=row["author_id"],
        created_at=_when(row),
        text=row["text"],
        direction="inbound" if row["inbound"] == "True" else "brand",
        in_reply_to_id=_id(row["in_response_to_tweet_id"]) or None,
        reply_ids=tuple(_id(x) for x in row["response_tweet_id"].split(",") if x),
    )


def mentioned_brand(row, handles: dict[str, str]) -> str | None:
    """The first brand handle a customer tweet @mentions, as the store attributes it."""
    return next(
        (handles[m.lower()] for m in MENTION.findall(row["text"]) if m.lower() in handles),
        None,
    )


def expected_first_replies(rows) -> dict[str, tuple[str, int, str] | None]:
    """Per customer tweet: (reply id, delay, brand handle) of its first answer, or None.

    A brand tweet answers a customer tweet it responds to (or that lists it), or a
    later tweet of the same customer's self-thread; the brand must be the one the
    customer @mentioned, if any; negative delays are dropped.
    """
    by_id = {_id(r["tweet_id"]): r for r in rows}
    handles = {r["author_id"].lower(): r["author_id"] for r in rows if r["inbound"] == "False"}
    children: dict[str, list[dict]] = {}
    for r in rows:
        children.setdefault(_id(r["in_response_to_tweet_id"]), []).append(r)
    expected = {}
    for c in rows:
        if c["inbound"] != "True":
            continue
        mentioned = mentioned_brand(c, handles)
        members = [c]
        for member in members:
            for child in children.get(_id(member["tweet_id"]), []):
                if child["inbound"] == "True" and child["author_id"] == c["author_id"]:
                    members.append(child)
        candidates = []
        for member in members:
            candidates += children.get(_id(member["tweet_id"]), [])
            candidates += [by_id[x] for x in member["response_tweet_id"].split(",") if x in by_id]
        best = None
        for reply in candidates:
            if reply["inbound"] != "False":
                continue
            if mentioned and reply["author_id"] != mentioned:
                continue
            delay = int((_when(reply) - _when(c)).total_seconds())
            if delay >= 0:
                option = (delay, _id(reply["tweet_id"]), reply["author_id"])
                best = option if best is None or option[:2] < best[:2] else best
        expected[_id(c["tweet_id"])] = (best[1], best[0], best[2]) if best else None
    return expected


def _load(session, rows, order: str) -> None:
    for handle in sorted({r["author_id"] for r in rows if r["inbound"] == "False"}):
        brand = Brand(slug=handle.lower(), name=handle, sector="twcs", country="US")
        session.add(brand)
        session.flush()
        session.add(
            BrandAccount(brand_id=brand.id, platform="x", handle=handle, handle_key=handle.lower())
        )
    session.commit()
    posts = [_new_post(r) for r in rows]
    if order == "reversed":
        posts.reverse()
    for start in range(0, len(posts), 400):
        store_posts(session, posts[start : start + 400])
        session.commit()


@pytest.mark.parametrize("order", ["file", "reversed"])
def test_twcs_first_replies_and_brand_figures_match_the_csv(session, order):
    rows = read_twcs(shared_data("twcs/twcs-threads-dev.csv"))
    _load(session, rows, order)
    expected = expected_first_replies(rows)
    stored = {
        p.external_id: p
        for p in session.execute(select(Post).where(Post.direction == "inbound")).scalars()
    }
    assert set(stored) == set(expected)
    slugs = dict(session.execute(select(Brand.id, Brand.slug)).all())
    mismatches = [
        (ext, want, (p.first_reply_id, p.first_reply_seconds))
        for ext, p in stored.items()
        if (p.first_reply_id, p.first_reply_seconds)
        != (want[:2] if (want := expected[ext]) else (None, None))
    ]
    assert mismatches == []
    assert sum(1 for v in expected.values() if v) > 900

    handles = {r["author_id"].lower(): r["author_id"] for r in rows if r["inbound"] == "False"}
    for row in rows:  # the addressed-brand rule of 1.0, unchanged in 2.0
        if row["inbound"] != "True":
            continue
        ext = _id(row["tweet_id"])
        want = expected[ext]
        brand = mentioned_brand(row, handles) or (want[2] if want else None)
        assert slugs.get(stored[ext].brand_id) == (brand.lower() if brand else None), ext


def _labels(session) -> dict[str, str]:
    """Each customer post's label, with "+" when it counts as positive (a last word)."""
    return {
        p.external_id: (p.label or "")
        + ("+" if p.label == "praise" or (p.sentiment or 0) >= 0.05 else "")
        for p in session.execute(select(Post).where(Post.direction == "inbound")).scalars()
    }


@pytest.mark.parametrize("order", ["file", "reversed"])
def test_twcs_cases_match_an_independent_computation(session, db_url, monkeypatch, order):
    """cases_n, cases_answered_n, median_reply_s and recovery in `carescore export scores
    --format json` (window all), for every brand, against tests/twcs_cases.py."""
    rows = read_twcs(shared_data("twcs/twcs-threads-dev.csv"))
    _load(session, rows, order)
    rank_brands(session, "all", date(2017, 12, 31), now=datetime(2026, 1, 1, tzinfo=UTC))
    session.commit()
    stored = {
        p.external_id: p
        for p in session.execute(select(Post).where(Post.direction == "inbound")).scalars()
    }
    slugs = dict(session.execute(select(Brand.id, Brand.slug)).all())
    brand_of = {ext: slugs.get(p.brand_id) for ext, p in stored.items()}
    expected = expected_cases(rows, brand_of, _labels(session))
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    result = CliRunner().invoke(main, ["export", "scores", "--format", "json", "--window", "all"])
    assert result.exit_code == 0, result.output
    exported = {record["brand"]: record for record in json.loads(result.stdout)}
    assert set(exported) == set(slugs.values())
    for slug, record in exported.items():
        want = expected.get(slug)
        got = (record["cases_n"], record["cases_answered_n"], record["median_reply_s"])
        assert got == (
            (want["cases"], want["answered"], want["median"]) if want else (0, 0, None)
        ), slug
        if want:
            assert (record["recovery_n"], record["recovered_n"]) == (
                want["fails"],
                want["recovered"],
            )
        if record["opinion_n"] == 0:  # no opinions, no satisfaction
            assert record["satisfaction"] is None and record["satisfaction_raw"] is None
    # The figures mean cases: fewer than the customer posts, and real threads answered.
    assert sum(f["cases"] for f in expected.values()) < sum(
        1 for p in stored.values() if p.label in ("fail", "question")
    )
    assert sum(f["answered"] for f in expected.values()) > 300
