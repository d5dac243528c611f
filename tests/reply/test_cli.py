"""The operator's commands: keys, the review queue and the audit log (click's runner, both
databases)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlmodel import Session

from carescore.cli import main
from carescore.reply import authenticate, file_dispute
from carescore.store.db import engine_for
from carescore.store.models import Post
from carescore.store.reply_tables import BrandKey
from tests.reply.conftest import seed


@pytest.fixture
def run(db_url, monkeypatch):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    with Session(engine_for(db_url)) as s:
        seed(s)
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(main, list(args))
        assert (result.exit_code == 0) == ok, result.output
        return result

    yield invoke
    engine_for(db_url).dispose()


def test_keys_issue_list_revoke(run, db_url):
    issued = run("keys", "issue", "acme", "--label", "press", "--expires", "2099-12-31")
    first, token = issued.stdout.strip().splitlines()[:2]
    assert first.startswith("key 1 for acme (expires 2100-01-01 00:00:00Z)")
    assert token.startswith("csk_")
    listed = run("keys", "list").stdout
    assert listed.startswith("1\tacme\tcsk_") and "\tactive\tpress\t" in listed
    assert token not in listed
    run("keys", "revoke", "1", "--by", "carol")
    assert "\trevoked\t" in run("keys", "list").stdout
    assert "no key 9" in run("keys", "revoke", "9", ok=False).output
    assert "no brand" in run("keys", "issue", "nobody", ok=False).output
    assert "must be in the future" in run("keys", "issue", "acme", "--expires", "2001-01-01",
                                          ok=False).output  # fmt: skip
    assert "YYYY-MM-DD" in run("keys", "issue", "acme", "--expires", "soon", ok=False).output
    entries = [json.loads(line) for line in run("audit", "--json").stdout.splitlines()]
    assert [e["action"] for e in entries] == ["key.revoke", "key.issue"]
    assert entries[0]["actor"] == "operator:carol" and entries[0]["address"] == "cli"


def test_the_review_queue(run, db_url):
    token = run("keys", "issue", "acme").stdout.strip().splitlines()[1]
    with Session(engine_for(db_url)) as s:
        key = authenticate(s, token)
        for external_id, data in [
            ("a1", {"kind": "mislabelled", "label": "praise", "reason": "thanks"}),
            ("a3", {"kind": "answered", "link": "https://x.com/AcmeHelp/1", "reason": "see"}),
        ]:
            file_dispute(s, key, "x", external_id, data, address="10.0.0.1")
        s.commit()
    queue = run("disputes", "list").stdout.splitlines()
    assert [line.split("\t")[2:5] for line in queue] == [
        ["x/a1", "mislabelled", "fail->praise"],
        ["x/a3", "answered", "fail->-"],
    ]
    shown = run("disputes", "show", "1").stdout
    assert "reason: thanks" in shown and "text: @AcmeHelp my box" in shown
    assert "--note" in run("disputes", "accept", "1", ok=False).output
    run("disputes", "accept", "1", "--note", "praise indeed", "--by", "alice")
    assert "already accepted" in run("disputes", "reject", "1", "--note", "x", ok=False).output
    assert "replied_at" in run("disputes", "accept", "2", "--note", "seen", ok=False).output
    future = "2099-01-01T10:00:00Z"
    assert "future" in run("disputes", "accept", "2", "--note", "-", "--replied-at", future,
                           ok=False).output  # fmt: skip
    with Session(engine_for(db_url)) as s:
        created = s.execute(select(Post.created_at).where(Post.external_id == "a3")).scalar_one()
    replied = (created + timedelta(minutes=42)).strftime("%Y-%m-%dT%H:%M:%S")  # no zone: UTC
    run("disputes", "accept", "2", "--note", "seen", "--replied-at", replied)
    assert run("disputes", "list").stdout == ""
    assert len(run("disputes", "list", "--status", "accepted").stdout.splitlines()) == 2
    assert "decided" in run("disputes", "show", "1").stdout
    with Session(engine_for(db_url)) as s:
        post = s.execute(select(Post).where(Post.external_id == "a1")).scalar_one()
        assert (post.label, post.label_source) == ("praise", "human")
        assert s.execute(select(BrandKey)).scalar_one().token_hash != token
        answered = s.execute(select(Post).where(Post.external_id == "a3")).scalar_one()
        assert (answered.first_reply_seconds, answered.reply_source) == (42 * 60, "human")
    log = run("audit", "--brand", "acme").stdout.splitlines()
    assert [line.split("\t")[3] for line in log[:3]] == [
        "dispute.accept",
        "dispute.accept",
        "dispute.file",
    ]
    assert "\toperator:alice\tcli\t" in log[1] and "10.0.0.1" in log[2]
