"""Generic CSV and JSON Lines imports through the CLI."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from carescore.cli import main
from carescore.store.models import Post


def test_csv_and_jsonl_imports(registry, db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    csv_path = tmp_path / "posts.csv"
    csv_path.write_text(
        "external_id,author_id,created_at,text,direction,brand,author_followers,extra\n"
        'c1,u1,2024-05-13T09:15:02Z,"@example_brand down again, #fail",inbound,,15,x\n'
        "c2,u2,yesterday,bad date,,,,x\n"
        "c3,example_brand,2024-05-13T09:30:00+02:00,sorry!,brand,example-brand,,x\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", "csv", str(csv_path), "--platform", "forum"])
    assert result.exit_code == 0, result.output
    assert "inserted 2" in result.output and "line 3" in result.output
    jsonl = tmp_path / "posts.jsonl"
    rows = [
        {
            "platform": "forum",
            "external_id": "j1",
            "author_id": "u9",
            "created_at": "2024-05-14T10:00:00Z",
            "text": "great service",
            "reply_ids": ["j2"],
        },
        {"external_id": "j2", "author_id": "u9", "text": "no date"},
        {"external_id": 5, "author_id": ["bad"], "created_at": "2024-05-14T10:00:00Z", "text": "x"},
    ]
    jsonl.write_text("\n".join(json.dumps(r) for r in rows) + "\n{not json\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "jsonl", str(jsonl)])
    assert result.exit_code == 0, result.output
    assert "inserted 1" in result.output and "rejected 3" in result.output
    posts = {p.external_id: p for p in registry.execute(select(Post)).scalars()}
    assert posts["c1"].author_followers == 15 and posts["c1"].platform == "forum"
    assert posts["c3"].created_at.hour == 7 and posts["j1"].reply_ids == "j2"
    again = CliRunner().invoke(main, ["import", "csv", str(csv_path), "--platform", "forum"])
    assert "inserted 0" in again.output


def test_collect_without_credentials_skips_every_source(registry, db_url, monkeypatch):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    for name in (
        "X_BEARER_TOKEN",
        "MASTODON_INSTANCE",
        "BLUESKY_HANDLE",
        "REDDIT_CLIENT_ID",
        "RSS_FEEDS",
    ):
        monkeypatch.delenv(f"CARESCORE_{name}", raising=False)
    result = CliRunner().invoke(main, ["collect"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 5 and all(": skipped:" in line for line in lines)
    bad = CliRunner().invoke(main, ["collect", "--brand", "no-such-brand"])
    assert bad.exit_code == 2 and "no-such-brand" in bad.output
