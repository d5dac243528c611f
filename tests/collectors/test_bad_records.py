"""One bad record costs that record only, on both engines, with its line and reason."""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import select

from carescore.cli import main
from carescore.store.limits import MAX_POST_CHARS
from carescore.store.models import Brand, CollectorRun, Post
from carescore.store.normalised import NewPost
from collectors import runner
from collectors.base import Batch
from collectors.lines import MAX_LINE_BYTES, bounded_lines
from collectors.runner import run_one

GOOD = {"author_id": "u1", "created_at": "2024-05-13T09:15:02Z", "text": "@example_brand #fail"}
# Each record here crashed `carescore import` on one engine or both, losing its batch.
BAD = {
    "huge-followers": {"author_followers": 2**63},
    "int4-followers": {"author_followers": 2**31},
    "nul-text": {"text": "broken\x00text"},
    "long-id": {"external_id": "9" * 301},
    "long-handle": {"author_handle": "h" * 201},
    "utc-overflow": {"created_at": "0001-01-01T00:00:00+01:00"},
    "too-old": {"created_at": "1999-12-31T23:00:00Z"},
    "future": {"created_at": "2999-01-01T00:00:00Z"},
    "too-long-text": {"text": "x" * (MAX_POST_CHARS + 1)},
}


def _stored(session) -> dict[str, Post]:
    session.expire_all()
    return {p.external_id: p for p in session.execute(select(Post)).scalars()}


def test_each_bad_record_is_one_rejected_line_and_the_rest_is_stored(
    registry, db_url, monkeypatch, tmp_path
):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    lines = [json.dumps({**GOOD, "external_id": "ok-0"})]
    for name, change in BAD.items():
        lines.append(json.dumps({**GOOD, "external_id": name, **change}))
        lines.append(json.dumps({**GOOD, "external_id": f"ok-{len(lines)}"}))
    # A lone surrogate, as JSON escapes it: valid JSON, not storable text.
    lines.append(
        '{"external_id": "surrogate", "author_id": "u1", '
        '"created_at": "2024-05-13T09:15:02Z", "text": "bad \\ud800 text"}'
    )
    lines.append(json.dumps({**GOOD, "external_id": " spaced-id ", "author_id": " U1 "}))
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"

    result = CliRunner().invoke(main, ["import", "jsonl", str(path), "--rejects", str(rejects)])

    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    bad_lines = {
        i for i, line in enumerate(lines, 1) if '"ok-' not in line and "spaced" not in line
    }
    rejected = [json.loads(r) for r in rejects.read_text().splitlines()]
    assert {int(r["where"].rsplit(" ", 1)[1]) for r in rejected} == bad_lines
    assert all(r["reason"] and r["record"] for r in rejected)
    assert f"rejected {len(bad_lines)}" in result.output
    stored = _stored(registry)
    assert {k for k in stored if k.startswith("ok-")} == {
        json.loads(line)["external_id"] for line in lines if '"ok-' in line
    }
    assert stored["spaced-id"].author_id == "U1"  # ids are trimmed, never padded
    assert not set(BAD) & set(stored)


def test_a_csv_field_over_the_parsers_limit_skips_that_row_only(
    registry, db_url, monkeypatch, tmp_path
):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    path = tmp_path / "posts.csv"
    big = "y" * (MAX_LINE_BYTES + 10)
    path.write_text(
        "external_id,author_id,created_at,text\n"
        "c1,u1,2024-05-13T09:15:02Z,first\n"
        f'c2,u1,2024-05-13T09:15:02Z,"{big}"\n'
        'c3,u1,2024-05-13T09:15:02Z,"in range but'
        f' {"z" * 140_000} long"\n'
        "c4,u1,2024-05-13T09:15:02Z,last\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", "csv", str(path)])
    assert result.exit_code == 0, result.output
    assert "line 3" in result.output and "line 4" in result.output
    assert set(_stored(registry)) == {"c1", "c4"}


def test_a_200_mb_line_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as out:
        out.write(b'{"a": 1}\n')
        chunk = b"x" * (1 << 20)
        out.write(b'{"text": "')
        for _ in range(200):
            out.write(chunk)
        out.write(b'"}\n{"b": 2}\n')
    tracemalloc.start()
    with path.open("rb") as handle:
        kinds = [type(item).__name__ for item in bounded_lines(handle)]
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert kinds == ["bytes", "LineTooLong", "bytes"]
    assert peak < 4 * MAX_LINE_BYTES + (4 << 20)


class _Source:
    name = "import:test"
    per_brand = False

    def __init__(self, posts: list[NewPost]) -> None:
        self.posts = posts

    def configured(self) -> None:
        return None

    def batches(self, client, brand, checkpoint):
        yield Batch(posts=list(self.posts))


def test_a_batch_the_database_refuses_is_retried_row_by_row(registry, monkeypatch):
    # As if a limit were missing from the checks: the database itself refuses the row.
    monkeypatch.setattr(runner, "checked_post", lambda post: post)
    when = datetime(2024, 5, 13, tzinfo=UTC)
    posts = [NewPost("x", f"p{i}", "u1", when, "hello @example_brand") for i in range(5)]
    posts[2].author_followers = 2**63
    report = run_one(registry, _Source(posts), None, None)
    assert report.inserted == 4 and report.rejected == 1
    assert "'p2'" in report.errors[0] and "refused by the database" in report.errors[0]
    assert set(_stored(registry)) == {"p0", "p1", "p3", "p4"}


def test_a_run_left_running_is_marked_interrupted_by_the_next(
    registry, db_url, monkeypatch, tmp_path
):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    registry.add(CollectorRun(source="import:jsonl", started_at=datetime.now(UTC)))
    registry.commit()
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps({**GOOD, "external_id": "a"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "jsonl", str(path)])
    assert result.exit_code == 0, result.output
    registry.expire_all()
    statuses = [
        r.status for r in registry.execute(select(CollectorRun).order_by(CollectorRun.id)).scalars()
    ]
    assert statuses == ["interrupted", "ok"]


def test_created_brand_slugs_fit_their_column(registry, db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    handle = "Support_" + "x" * 120
    path = tmp_path / "twcs.csv"
    path.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        f"1,{handle},False,Tue Oct 31 22:10:47 +0000 2017,hello,,\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", "twcs", str(path), "--create-brands"])
    assert result.exit_code == 0, result.output
    registry.expire_all()
    brand = registry.execute(select(Brand).where(Brand.name == handle)).scalar_one()
    assert 0 < len(brand.slug) <= 80
