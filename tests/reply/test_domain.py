"""The right of reply's rules, on SQLite and PostgreSQL, through the domain functions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from carescore.cli.scoring import rescore_posts
from carescore.ranking.snapshots import rank_brands
from carescore.read.export import export_posts
from carescore.reply import (
    Conflict,
    Forbidden,
    Invalid,
    Missing,
    TooManyDisputes,
    Unauthorized,
    accept_dispute,
    audit_log,
    authenticate,
    brand_reply,
    file_dispute,
    issue_key,
    post_statement,
    reject_dispute,
    revoke_key,
    withdraw_statement,
)
from carescore.store.columns import utcnow
from carescore.store.models import BrandScore, Post
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from carescore.store.reply_tables import AuditEntry, BrandKey
from carescore.threads.replies import link_replies
from tests.reply.conftest import NOW


def _post(session, external_id: str) -> Post:
    return session.execute(select(Post).where(Post.external_id == external_id)).scalar_one()


def _key(session, slug="acme", **kw):
    issued = issue_key(session, slug, operator="ops", **kw)
    session.commit()
    return issued


def test_a_key_is_shown_once_and_stored_only_as_its_hash(seeded):
    issued = _key(seeded, label="press team")
    row = seeded.get(BrandKey, issued.id)
    assert issued.token.startswith("csk_") and len(issued.token) > 40
    assert issued.token not in (row.token_hash, row.prefix) and len(row.token_hash) == 64
    assert authenticate(seeded, issued.token).id == issued.id
    for wrong in (None, "", "Bearer", issued.token[:-1] + "x", "csk_" + "A" * 43):
        with pytest.raises(Unauthorized):
            authenticate(seeded, wrong)


def test_revoked_and_expired_keys_are_refused(seeded):
    issued = _key(seeded)
    revoke_key(seeded, issued.id, operator="ops")
    seeded.commit()
    with pytest.raises(Unauthorized, match="revoked"):
        authenticate(seeded, issued.token)
    later = _key(seeded, expires_at=utcnow() + timedelta(seconds=60))
    assert authenticate(seeded, later.token)
    row = seeded.get(BrandKey, later.id)
    row.expires_at = utcnow() - timedelta(seconds=1)
    seeded.commit()
    with pytest.raises(Unauthorized, match="expired"):
        authenticate(seeded, later.token)
    with pytest.raises(Invalid):
        issue_key(seeded, "acme", operator="ops", expires_at=utcnow() - timedelta(days=1))
    with pytest.raises(Invalid):
        issue_key(seeded, "nobody", operator="ops")


def test_statements_are_plain_text_for_the_keys_brand_only(seeded):
    acme = authenticate(seeded, _key(seeded).token)
    bolt = authenticate(seeded, _key(seeded, "bolt").token)
    with pytest.raises(Forbidden):
        post_statement(seeded, bolt, "acme", {"text": "hi"}, address="1.2.3.4")
    with pytest.raises(Missing):
        post_statement(seeded, acme, "nobody", {"text": "hi"}, address="1.2.3.4")
    bad = [
        ({"text": ""}, "text"),
        ({"text": "x" * 1001}, "text"),
        ({"text": "<script>alert(1)</script>"}, "text"),
        ({"text": "bell\x07"}, "text"),
        ({"text": "ok", "link": "javascript:alert(1)"}, "link"),
        ({"text": "ok", "link": "ftp://example.com/x"}, "link"),
        ({"text": "ok", "link": "https://"}, "link"),
        ({"text": "ok", "refers_to": 5}, "refers_to"),
        ({"text": "ok", "score": 100}, "score"),
    ]
    for data, field in bad:
        with pytest.raises(Invalid) as caught:
            post_statement(seeded, acme, "acme", data, address="1.2.3.4")
        assert caught.value.field == field, data
    s = post_statement(
        seeded,
        acme,
        "acme",
        {"text": " Outage fixed at 18:00 & <3 us ", "link": "https://acme.example/s"},
        address="1.2.3.4",
    )
    seeded.commit()
    assert s.text == "Outage fixed at 18:00 & <3 us"
    assert [v.id for v in brand_reply(seeded, "acme").statements] == [s.id]
    with pytest.raises(Forbidden):
        withdraw_statement(seeded, bolt, "acme", s.id, address="5.6.7.8")
    with pytest.raises(Missing):
        withdraw_statement(seeded, bolt, "bolt", s.id, address="5.6.7.8")
    withdraw_statement(seeded, acme, "acme", s.id, address="1.2.3.4")
    withdraw_statement(seeded, acme, "acme", s.id, address="1.2.3.4")  # twice: no-op
    seeded.commit()
    assert brand_reply(seeded, "acme").statements == []
    actions = [e.action for e in audit_log(seeded, brand_slug="acme")]
    assert actions.count("statement.withdraw") == 1 and "statement.post" in actions
    post_entry = next(e for e in audit_log(seeded) if e.action == "statement.post")
    assert post_entry.address == "1.2.3.4" and post_entry.detail["text"].startswith("Outage")


def test_an_accepted_dispute_is_a_human_label_that_ranking_counts_and_rescoring_keeps(seeded):
    key = authenticate(seeded, _key(seeded).token)
    rank_brands(seeded, "90d", NOW.date(), now=NOW)
    seeded.commit()
    post = _post(seeded, "a1")
    assert post.label == "fail"
    before = seeded.execute(
        select(BrandScore).where(BrandScore.brand_id == key.brand_id)
    ).scalar_one()
    dispute = file_dispute(seeded, key, "x", "a1", {"kind": "mislabelled", "label": "praise",
                           "reason": "The customer thanks us."}, address="9.9.9.9")  # fmt: skip
    seeded.commit()
    assert _post(seeded, "a1").label == "fail"  # nothing changes before review
    with pytest.raises(Conflict):
        file_dispute(seeded, key, "x", "a1", {"kind": "misattributed", "reason": "again"},
                     address="9.9.9.9")  # fmt: skip
    accept_dispute(seeded, dispute.id, reviewer="alice", note="The post praises the repair.")
    seeded.commit()
    post = _post(seeded, "a1")
    assert (post.label, post.label_source, post.topics) == ("praise", "human", "")
    assert post.sentiment is None or post.sentiment >= 0
    with pytest.raises(Conflict):
        reject_dispute(seeded, dispute.id, reviewer="bob", note="too late")

    assert rescore_posts(seeded, everything=True) >= 4
    assert _post(seeded, "a1").label == "praise"
    exported = {r["external_id"]: r for r in export_posts(seeded)}
    assert (exported["a1"]["label"], exported["a1"]["label_source"]) == ("praise", "human")
    assert exported["a3"]["label_source"] == "scorer"
    assert _post(seeded, "a3").label_source == "scorer"

    rank_brands(seeded, "90d", NOW.date(), now=NOW)
    seeded.commit()
    seeded.expire_all()
    after = seeded.execute(
        select(BrandScore).where(BrandScore.brand_id == key.brand_id)
    ).scalar_one()
    assert (after.praise_n, after.fail_n) == (before.praise_n + 1, before.fail_n - 1)
    assert (before.human_labels_n, after.human_labels_n) == (0, 1)
    reply = brand_reply(seeded, "acme")
    assert reply.figures.accepted == 1 and reply.figures.filed == 1
    assert reply.figures.dispute_rate == pytest.approx(1 / 3)
    assert reply.figures.acceptance_rate == 1.0
    [correction] = reply.corrections
    assert (correction.previous_label, correction.label) == ("fail", "praise")
    assert correction.note == "The post praises the repair."
    entry = next(e for e in audit_log(seeded) if e.action == "dispute.accept")
    assert entry.actor == "operator:alice" and entry.detail["label"] == ["fail", "praise"]


def test_disputes_of_another_brand_or_bad_fields_are_refused(seeded):
    acme = authenticate(seeded, _key(seeded).token)
    with pytest.raises(Forbidden):
        file_dispute(seeded, acme, "x", "b1", {"kind": "misattributed", "reason": "r"},
                     address="a")  # fmt: skip
    with pytest.raises(Missing):
        file_dispute(seeded, acme, "x", "nope", {"kind": "misattributed", "reason": "r"},
                     address="a")  # fmt: skip
    cases = [
        ({"kind": "wrong", "reason": "r"}, "kind"),
        ({"kind": "mislabelled", "label": "great", "reason": "r"}, "label"),
        ({"kind": "mislabelled", "label": "fail", "reason": "r"}, "label"),  # already fail
        ({"kind": "misattributed", "label": "praise", "reason": "r"}, "label"),
        ({"kind": "answered", "reason": "r"}, "link"),
        ({"kind": "answered", "link": "data:text/html,x", "reason": "r"}, "link"),
        ({"kind": "misattributed"}, "reason"),
        ({"kind": "misattributed", "reason": "<b>no</b>"}, "reason"),
    ]
    for data, field in cases:
        with pytest.raises(Invalid) as caught:
            file_dispute(seeded, acme, "x", "a1", data, address="a")
        assert caught.value.field == field, data
    with pytest.raises(Invalid):  # the brand's own reply is not scored
        file_dispute(seeded, acme, "x", "r1", {"kind": "misattributed", "reason": "r"},
                     address="a")  # fmt: skip
    assert seeded.execute(select(AuditEntry).where(AuditEntry.action == "dispute.file")).all() == []


def test_the_dispute_count_per_brand_is_limited(seeded):
    acme = authenticate(seeded, _key(seeded).token)
    for external_id in ("a1", "a2"):
        file_dispute(seeded, acme, "x", external_id, {"kind": "misattributed", "reason": "r"},
                     address="a", per_day=2)  # fmt: skip
    with pytest.raises(TooManyDisputes) as caught:
        file_dispute(seeded, acme, "x", "a3", {"kind": "misattributed", "reason": "r"},
                     address="a", per_day=2)  # fmt: skip
    assert 0 < caught.value.retry_after <= 86_400


def test_misattributed_and_answered_elsewhere_and_rejected(seeded):
    acme = authenticate(seeded, _key(seeded).token)
    wrong = file_dispute(seeded, acme, "x", "a2", {"kind": "misattributed", "reason": "not us"},
                         address="a")  # fmt: skip
    answered = file_dispute(seeded, acme, "x", "a1", {"kind": "answered", "reason": "by phone",
                            "link": "https://x.com/AcmeHelp/status/9"}, address="a")  # fmt: skip
    refused = file_dispute(seeded, acme, "x", "a3", {"kind": "mislabelled", "label": "neutral",
                           "reason": "just a remark"}, address="a")  # fmt: skip
    seeded.commit()
    accept_dispute(seeded, wrong.id, reviewer="alice", note="about another company")
    with pytest.raises(Invalid):
        accept_dispute(seeded, answered.id, reviewer="alice", note="seen")  # no replied_at
    created = _post(seeded, "a1").created_at
    with pytest.raises(Invalid):
        accept_dispute(seeded, answered.id, reviewer="alice", note="seen",
                       replied_at=created - timedelta(hours=1))  # fmt: skip
    accept_dispute(seeded, answered.id, reviewer="alice", note="seen",
                   replied_at=created + timedelta(minutes=30))  # fmt: skip
    reject_dispute(seeded, refused.id, reviewer="bob", note="it is a complaint")
    seeded.commit()
    assert _post(seeded, "a2").brand_id is None
    a1 = _post(seeded, "a1")
    assert (a1.first_reply_seconds, a1.reply_source) == (1800, "human")
    assert _post(seeded, "a3").label == "fail"
    # Threading again (a new reply in the thread) keeps the reviewer's decisions.
    store_posts(seeded, [NewPost("x", "r2", "AcmeHelp", created + timedelta(days=1),
                "@u1 hello", author_handle="AcmeHelp", in_reply_to_id="a1",
                direction="brand")])  # fmt: skip
    link_replies(seeded, [_post(seeded, "a1").id, _post(seeded, "a2").id])
    seeded.commit()
    seeded.expire_all()
    assert _post(seeded, "a1").first_reply_seconds == 1800
    assert _post(seeded, "a2").brand_id is None
    figures = brand_reply(seeded, "acme").figures
    assert (figures.filed, figures.accepted, figures.rejected) == (3, 2, 1)
    assert figures.acceptance_rate == pytest.approx(2 / 3)


def test_two_workers_filing_at_once_cannot_both_pass_the_quota(db_url, seeded):
    """One worker's transaction is open when the other files: the second waits for it."""
    import threading
    import time

    from sqlmodel import Session

    from carescore.store.db import make_engine

    token = _key(seeded).token
    engine = make_engine(db_url)
    opened = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        with Session(engine) as s:
            data = {"kind": "misattributed", "reason": "r"}
            file_dispute(s, authenticate(s, token), "x", "a1", data, address="a", per_day=1)
            opened.set()
            time.sleep(1.0)
            s.commit()

    def second() -> None:
        opened.wait(10)
        with Session(engine) as s:
            try:
                data = {"kind": "misattributed", "reason": "r"}
                file_dispute(s, authenticate(s, token), "x", "a2", data, address="a", per_day=1)
                s.commit()
                outcome["second"] = "filed"
            except TooManyDisputes:
                outcome["second"] = "refused"

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    engine.dispose()
    assert outcome == {"second": "refused"}
