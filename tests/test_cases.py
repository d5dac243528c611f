"""Cases (methodology 2.0): the rules on small threads, and one recovery whatever the source."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import delete, select

from carescore.cli import main
from carescore.ranking.snapshots import rank_brands
from carescore.store.brands import load_registry_file, upsert_brands
from carescore.store.models import Brand, BrandScore, Post
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from tests.conftest import shared_data
from tests.test_replies_twcs import read_twcs
from tests.twcs_cases import _id, _when, conversation_roots

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday
NOW = datetime(2026, 6, 1, tzinfo=UTC)
ACME = """
[[brand]]
slug = "acme"
name = "Acme"
sector = "telecom"
country = "FR"
[brand.accounts]
x = ["AcmeHelp"]

[[brand]]
slug = "globex"
name = "Globex"
sector = "telecom"
country = "FR"
[brand.accounts]
x = ["GlobexCares"]
"""


def _registry(session, tmp_path):
    path = tmp_path / "brands.toml"
    path.write_text(ACME)
    upsert_brands(session, load_registry_file(path))
    session.commit()


def _customer(ext, minutes, text, reply_to=None, author="cust1", conversation=None):
    return NewPost(
        "x",
        ext,
        author,
        T0 + timedelta(minutes=minutes),
        text,
        in_reply_to_id=reply_to,
        conversation_id=conversation,
    )


def _brand(ext, minutes, text, reply_to, handle="AcmeHelp", conversation=None):
    return NewPost(
        "x",
        ext,
        handle.lower(),
        T0 + timedelta(minutes=minutes),
        text,
        author_handle=handle,
        in_reply_to_id=reply_to,
        conversation_id=conversation,
    )


def _score(session) -> BrandScore:
    rank_brands(session, "all", date(2026, 5, 31), now=NOW)
    session.commit()
    acme = session.execute(select(Brand.id).where(Brand.slug == "acme")).scalar_one()
    session.expire_all()
    return session.execute(
        select(BrandScore).where(BrandScore.brand_id == acme, BrandScore.window == "all")
    ).scalar_one()


def test_five_messages_in_one_exchange_are_one_case(session, tmp_path):
    _registry(session, tmp_path)
    posts = [
        _customer("1", 0, "@AcmeHelp hello there"),  # neutral: opens nothing
        _customer("2", 5, "@AcmeHelp my internet is down since this morning, awful", "1"),
        _customer("3", 6, "@AcmeHelp still down, no answer, terrible service #fail", "2"),
        _customer("4", 30, "@AcmeHelp why is nobody answering? this is a disgrace", "3"),
        _brand("5", 65, "@cust1 sorry, we are on it", "4"),  # answers the case via post 4
        _customer("6", 70, "@AcmeHelp it is still broken, useless", "5"),
        _brand("7", 71, "@cust1 a technician is coming", "6"),  # a reply to a follow-up
    ]
    store_posts(session, posts)
    session.commit()
    openers = session.execute(select(Post).where(Post.opens_case.is_(True))).scalars().all()
    labels = {p.external_id: p.label for p in session.execute(select(Post)).scalars()}
    minutes = {"2": 5, "3": 6, "4": 30}
    first_actionable = min(
        (ext for ext in minutes if labels[ext] in ("fail", "question")), key=minutes.get
    )
    assert [p.external_id for p in openers] == [first_actionable]
    delay = (65 - minutes[first_actionable]) * 60  # from the opening, not from post 4
    assert (openers[0].case_reply_id, openers[0].case_reply_seconds) == ("5", delay)
    s = _score(session)
    assert (s.cases_n, s.cases_answered_n, s.median_reply_s) == (1, 1, delay)
    assert s.fail_n + s.question_n >= 3  # the per-post counts stay, as posts


def test_a_reply_before_the_opening_or_from_another_brand_does_not_answer(session, tmp_path):
    _registry(session, tmp_path)
    store_posts(
        session,
        [
            _customer("1", 0, "@AcmeHelp @GlobexCares quick question about roaming"),
            _brand("2", 1, "@cust1 hi!", "1"),  # before any complaint
            _customer("3", 10, "@AcmeHelp my bill is wrong again, this is a scam #fail", "2"),
            _brand("4", 20, "@cust1 not us, ask Acme", "3", handle="GlobexCares"),
        ],
    )
    session.commit()
    post = {p.external_id: p for p in session.execute(select(Post)).scalars()}
    assert post["1"].label not in ("fail", "question") and post["3"].label == "fail"
    # The case opens at post 3: Acme's earlier "hi!" is not an answer, Globex's is not Acme's.
    assert post["3"].opens_case and post["3"].case_reply_id is None
    assert not post["1"].opens_case


def test_a_conversation_joined_later_moves_its_cases(session, tmp_path):
    """A reply that arrives before the post it answers: the chain is joined afterwards."""
    _registry(session, tmp_path)
    store_posts(session, [_customer("3", 10, "@AcmeHelp broken again, awful #fail", "2")])
    store_posts(session, [_brand("4", 40, "@cust1 sorry about that", "3")])
    session.commit()
    store_posts(
        session,
        [
            _customer("1", 0, "@AcmeHelp my box is down, terrible #fail"),
            _brand("2", 5, "@cust1 we are looking", "1"),
        ],
    )
    session.commit()
    keys = set(session.execute(select(Post.thread_key)).scalars())
    assert keys == {"1"}
    openers = session.execute(select(Post).where(Post.opens_case.is_(True))).scalars().all()
    assert [(p.external_id, p.case_reply_id, p.case_reply_seconds) for p in openers] == [
        ("1", "2", 300)
    ]


def _export(db_url, monkeypatch) -> dict[str, dict]:
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    result = CliRunner().invoke(main, ["export", "scores", "--format", "json", "--window", "all"])
    assert result.exit_code == 0, result.output
    return {r["brand"]: r for r in json.loads(result.stdout)}


def test_recovery_is_the_same_from_twcs_and_from_conversation_ids(
    session, db_url, monkeypatch, tmp_path
):
    """The TWCS threads, imported as TWCS (reply chains), then as JSON Lines with
    conversation ids (as X gives them): the same cases, delays and recoveries."""
    source = shared_data("twcs/twcs-threads-dev.csv")
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    runner = CliRunner()
    result = runner.invoke(main, ["import", "twcs", str(source), "--create-brands"])
    assert result.exit_code == 0, result.output
    rank_brands(session, "all", date(2017, 12, 31), now=NOW)
    session.commit()
    from_twcs = _export(db_url, monkeypatch)

    slugs = dict(session.execute(select(Brand.id, Brand.slug)).all())
    attributed = {
        p.external_id: slugs.get(p.brand_id)
        for p in session.execute(select(Post).where(Post.platform == "twcs")).scalars()
    }
    rows = read_twcs(source)
    roots = conversation_roots(rows)
    lines = []
    for r in rows:
        ext = _id(r["tweet_id"])
        record = {
            "external_id": ext,
            "author_id": r["author_id"],
            "created_at": _when(r).isoformat(),
            "text": r["text"],
            "direction": "inbound" if r["inbound"] == "True" else "brand",
            "in_reply_to_id": _id(r["in_response_to_tweet_id"]),
            "conversation_id": roots[ext],
        }
        if attributed.get(ext):
            record["brand"] = attributed[ext]
        lines.append(json.dumps(record))
    path = tmp_path / "threads.jsonl"
    path.write_text("\n".join(lines) + "\n")
    session.execute(delete(Post))
    session.execute(delete(BrandScore))
    session.commit()
    result = runner.invoke(main, ["import", "jsonl", str(path), "--platform", "x"])
    assert result.exit_code == 0, result.output
    rank_brands(session, "all", date(2017, 12, 31), now=NOW)
    session.commit()
    from_jsonl = _export(db_url, monkeypatch)

    fields = (
        "cases_n",
        "cases_answered_n",
        "median_reply_s",
        "recovery_n",
        "recovered_n",
        "recovery_rate",
    )
    assert set(from_twcs) == set(from_jsonl)
    for slug in from_twcs:
        assert [from_twcs[slug][f] for f in fields] == [from_jsonl[slug][f] for f in fields], slug
    assert sum(r["recovery_n"] for r in from_twcs.values()) > 100
    assert sum(r["recovered_n"] or 0 for r in from_twcs.values()) > 10
    assert all(r["shrunk_toward"] == "all" for r in from_twcs.values())
