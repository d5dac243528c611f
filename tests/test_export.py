import csv
import io
import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from carescore import METHODOLOGY_VERSION
from carescore.cli import main
from carescore.read.export import POST_FIELDS, SCORE_FIELDS
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from tests.factories import load_acme

T0 = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


def _data(session):
    load_acme(session)
    store_posts(
        session,
        [
            NewPost("x", "1", "cust1", T0, "@AcmeHelp my box is down, awful #fail"),
            NewPost(
                "x",
                "2",
                "acmehelp",
                T0 + timedelta(minutes=5),
                "@cust1 sorry, DM us",
                author_handle="AcmeHelp",
                in_reply_to_id="1",
            ),
        ],
    )
    session.commit()


def _run(db_url, monkeypatch, *args):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_export_posts_in_every_format(session, db_url, monkeypatch):
    _data(session)
    lines = _run(db_url, monkeypatch, "export", "posts").splitlines()
    records = [json.loads(line) for line in lines]
    assert [tuple(r) for r in records] == [POST_FIELDS, POST_FIELDS]
    first = records[0]
    assert first["brand"] == "acme" and first["direction"] == "inbound"
    assert first["created_at"] == "2025-03-04T10:00:00Z"
    assert (first["first_reply_external_id"], first["first_reply_seconds"]) == ("2", 300)
    as_json = json.loads(_run(db_url, monkeypatch, "export", "posts", "--format", "json"))
    assert as_json == records
    rows = list(
        csv.DictReader(io.StringIO(_run(db_url, monkeypatch, "export", "posts", "--format", "csv")))
    )
    assert rows[0]["external_id"] == "1" and rows[0]["first_reply_seconds"] == "300"


def test_rank_then_export_scores(session, db_url, monkeypatch):
    _data(session)
    out = _run(db_url, monkeypatch, "rank", "--window", "all", "--as-of", "2025-12-31")
    assert out.startswith("1 brand scores written")
    records = [json.loads(x) for x in _run(db_url, monkeypatch, "export", "scores").splitlines()]
    assert len(records) == 1 and tuple(records[0]) == SCORE_FIELDS
    score = records[0]
    assert (score["brand"], score["window"], score["period"]) == ("acme", "all", "2025-12-31")
    assert score["answered_n"] == score["actionable_n"]
    assert score["methodology_version"] == METHODOLOGY_VERSION
    rows = list(
        csv.DictReader(
            io.StringIO(_run(db_url, monkeypatch, "export", "scores", "--format", "csv"))
        )
    )
    assert json.loads(rows[0]["delay_histogram"])["0-15m"] == score["delay_histogram"]["0-15m"]


def test_rank_refuses_an_unknown_window(db_url, monkeypatch):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    result = CliRunner().invoke(main, ["rank", "--window", "weekly"])
    assert result.exit_code == 2 and "unknown window" in result.output
