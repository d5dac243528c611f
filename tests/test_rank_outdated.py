"""`carescore rank` says when labels of another scorer version are still stored: a post
an older scorer called a complaint in a language today's does not read would count."""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import select, update

from carescore.cli import main
from carescore.store.models import Post
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from tests.factories import load_acme

WHEN = datetime(2025, 12, 1, 9, tzinfo=UTC)


def _rank(db_url, monkeypatch):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    result = CliRunner().invoke(main, ["rank", "--window", "all", "--as-of", "2025-12-31"])
    assert result.exit_code == 0, result.output
    return result


def test_rank_warns_until_outdated_labels_are_scored_again(session, db_url, monkeypatch):
    load_acme(session)
    store_posts(
        session,
        [
            NewPost("x", "1", "c1", WHEN, "@AcmeHelp mi internet no funciona, nadie responde"),
            NewPost("x", "2", "c2", WHEN, "@AcmeHelp my internet is down, nobody answers"),
        ],
    )
    session.commit()
    assert "warning" not in _rank(db_url, monkeypatch).stderr
    # As an older scorer left it: the Spanish post labelled a complaint.
    session.execute(
        update(Post).where(Post.external_id == "1").values(label="fail", scorer_version="1.1")
    )
    session.commit()
    warned = _rank(db_url, monkeypatch).stderr
    assert "warning: 1 posts carry labels of another scorer version" in warned
    assert "carescore score" in warned
    scored = CliRunner().invoke(main, ["score"])
    assert scored.exit_code == 0 and scored.output.startswith("1 posts scored")
    session.expire_all()
    spanish = session.execute(select(Post).where(Post.external_id == "1")).scalar_one()
    assert (spanish.label, spanish.lang) == (None, "other")
    assert "warning" not in _rank(db_url, monkeypatch).stderr
