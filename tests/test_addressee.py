"""Praise written to another brand's account is not counted for the brand a post was found
for (issue #22: "praise of another brand counted for this one")."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from carescore.cli.scoring import rescore_posts
from carescore.read.posts import ADDRESSEE_CUE, find_posts
from carescore.scoring.score import score_text
from carescore.store.models import Post
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from tests.factories import load_rivals

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
PRAISE = "thank you so much, amazing service and the best support ever"
COMPLAINT = "switching to you, Acme has had no signal for three days, worst network ever"


def _store(session, *posts: tuple[str, str]) -> dict[str, tuple[str, str]]:
    """Store customer posts found for Acme (by its keywords); each one's label and source."""
    load_rivals(session)
    store_posts(
        session,
        [
            NewPost("x", key, f"author-{key}", T0 + timedelta(minutes=n), text, brand_slug="acme")
            for n, (key, text) in enumerate(posts)
        ],
    )
    session.commit()
    rows = session.execute(select(Post.external_id, Post.label, Post.label_source)).all()
    return {key: (label, source) for key, label, source in rows}


def test_praise_written_to_a_rival_is_neutral_for_the_brand_it_was_found_for(session):
    assert score_text(f"@ZenithHelp {PRAISE}").label == "praise"
    stored = _store(
        session,
        ("rival", f"@ZenithHelp {PRAISE}"),
        ("both", f"@ZenithHelp @AcmeHelp {PRAISE}"),
        ("own", f"@AcmeHelp {PRAISE}"),
        ("nobody", f"@somefriend {PRAISE}"),
    )
    assert stored == {
        "rival": ("neutral", "addressee"),
        "both": ("praise", "scorer"),
        "own": ("praise", "scorer"),
        "nobody": ("praise", "scorer"),
    }


def test_a_complaint_written_to_a_rival_stays_a_complaint(session):
    """Leaving for the rival names the brand left: it is still that brand's complaint."""
    assert _store(session, ("leaving", f"@ZenithHelp {COMPLAINT}")) == {
        "leaving": ("fail", "scorer")
    }


def test_the_api_record_says_why_the_label_is_neutral(session):
    _store(session, ("rival", f"@ZenithHelp {PRAISE}"), ("own", f"@AcmeHelp {PRAISE}"))
    records = {p.external_id: p for p in find_posts(session, brand="acme").items}
    assert records["rival"].label_source == "addressee"
    assert records["rival"].cues == [ADDRESSEE_CUE]
    assert records["own"].cues and ADDRESSEE_CUE not in records["own"].cues


def test_rescoring_applies_the_rule_and_keeps_a_reviewers_label(session):
    _store(
        session,
        ("rival", f"@ZenithHelp {PRAISE}"),
        ("reviewed", f"@ZenithHelp {PRAISE} again"),
    )
    # As an older scorer left them: praise for Acme; a reviewer then set one by hand.
    session.execute(
        update(Post).values(label="praise", label_source="scorer", scorer_version="2.4")
    )
    session.execute(update(Post).where(Post.external_id == "reviewed").values(label_source="human"))
    session.commit()
    assert rescore_posts(session) == 2
    rows = session.execute(select(Post.external_id, Post.label, Post.label_source)).all()
    assert {key: (label, source) for key, label, source in rows} == {
        "rival": ("neutral", "addressee"),
        "reviewed": ("praise", "human"),
    }
