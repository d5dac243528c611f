"""The dispute rate's count of customer posts is kept by the ranking run, yet always
equals a count of the posts stored now: after new posts, a forget and a misattribution."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from carescore.ranking.snapshots import rank_brands
from carescore.read.brand_page import brand_page
from carescore.reply import accept_dispute, file_dispute
from carescore.reply.keys import authenticate, issue_key
from carescore.reply.public import brand_reply
from carescore.store.forget import forget
from carescore.store.models import Brand, BrandPostTally, Post
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from tests.reply.conftest import NOW


def _stored(session, slug: str) -> int:
    return session.execute(
        select(func.count())
        .select_from(Post)
        .join(Brand, Brand.id == Post.brand_id)
        .where(Brand.slug == slug, Post.direction == "inbound")
    ).scalar_one()


def _agrees(session) -> dict[str, int]:
    """The count equals the posts stored, in the right of reply's answer and on the brand
    page, which reads the figures inside its brand statement (one brand among several)."""
    figures = {slug: brand_reply(session, slug).figures for slug in ("acme", "bolt")}
    assert {slug: brand_page(session, slug).reply.figures for slug in figures} == figures
    shown = {slug: f.inbound_posts for slug, f in figures.items()}
    assert shown == {slug: _stored(session, slug) for slug in shown}
    return shown


def _more(session, *ids: str) -> None:
    posts = [NewPost("x", i, f"n{i}", NOW - timedelta(days=1), "@AcmeHelp still waiting",
                     brand_slug="acme") for i in ids]  # fmt: skip
    store_posts(session, posts)
    session.commit()


def test_the_kept_count_follows_every_change_of_the_posts(seeded):
    assert _agrees(seeded) == {"acme": 3, "bolt": 1}  # never ranked: every post counted
    rank_brands(seeded)
    seeded.commit()
    kept = dict(seeded.execute(select(BrandPostTally.brand_id, BrandPostTally.inbound_posts)).all())
    assert sorted(kept.values()) == [1, 3]
    _more(seeded, "n1", "n2")
    assert _agrees(seeded)["acme"] == 5  # three kept, two stored after the run
    forget(seeded, platform="x", post_id="a2")  # counted by the run
    forget(seeded, platform="x", post_id="n1")  # stored after it
    seeded.commit()
    assert _agrees(seeded)["acme"] == 3
    key = authenticate(seeded, issue_key(seeded, "acme", operator="ops").token)
    dispute = file_dispute(seeded, key, "x", "a1", {"kind": "misattributed", "reason": "not us"},
                           address="a")  # fmt: skip
    accept_dispute(seeded, dispute.id, reviewer="alice", note="another brand")
    seeded.commit()
    figures = brand_reply(seeded, "acme").figures
    assert _agrees(seeded)["acme"] == 2
    assert (figures.filed, figures.inbound_posts, figures.dispute_rate) == (1, 2, 0.5)
    rank_brands(seeded)  # a new run counts again from the posts themselves
    seeded.commit()
    assert _agrees(seeded) == {"acme": 2, "bolt": 1}
