"""Threading rules, hand-built threads through the real store."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from carescore.store.models import Brand, Post
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from carescore.threads.replies import link_replies
from tests.factories import load_rivals

T0 = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


def _brands(session):
    load_rivals(session)
    session.commit()


def customer(ext, minutes, text="@AcmeHelp my box is down", author="cust1", **kw):
    return NewPost(
        "x", ext, author, T0 + timedelta(minutes=minutes), text, author_handle=author, **kw
    )


def reply(ext, minutes, to=None, handle="AcmeHelp", **kw):
    return NewPost(
        "x",
        ext,
        handle.lower(),
        T0 + timedelta(minutes=minutes),
        "@cust1 sorry, DM us",
        author_handle=handle,
        in_reply_to_id=to,
        **kw,
    )


def _links(session):
    session.expire_all()
    return {
        p.external_id: (p.first_reply_id, p.first_reply_seconds)
        for p in session.execute(select(Post).where(Post.direction == "inbound")).scalars()
    }


def _store(session, *posts, one_by_one=False):
    batches = [[p] for p in posts] if one_by_one else [list(posts)]
    for batch in batches:
        store_posts(session, batch)
        session.commit()


def test_reply_before_its_parent_and_the_earliest_wins(session):
    _brands(session)
    _store(
        session,
        reply("r2", 90, "c1"),
        reply("r1", 30, "c1", handle="AcmeCare"),  # the brand's second account
        customer("c1", 0),
        one_by_one=True,
    )
    assert _links(session) == {"c1": ("r1", 1800)}


def test_reply_to_the_second_post_of_a_self_thread_answers_both(session):
    _brands(session)
    _store(
        session,
        customer("c1", 0),
        reply("r1", 20, "c2"),
        customer("c2", 5, "@AcmeHelp hello??", in_reply_to_id="c1"),
        one_by_one=True,
    )
    assert _links(session) == {"c1": ("r1", 1200), "c2": ("r1", 900)}


def test_another_customer_in_the_thread_is_not_answered_through_it(session):
    _brands(session)
    _store(
        session,
        customer("c1", 0),
        customer("c2", 5, "@AcmeHelp me too", author="cust2", in_reply_to_id="c1"),
        reply("r1", 20, "c2"),
    )
    assert _links(session) == {"c1": (None, None), "c2": ("r1", 900)}


def test_another_brand_replying_is_not_an_answer(session):
    _brands(session)
    _store(session, customer("c1", 0), reply("z1", 10, "c1", handle="ZenithHelp"))
    assert _links(session) == {"c1": (None, None)}


def test_unattributed_post_takes_the_brand_of_its_first_reply(session):
    _brands(session)
    _store(session, customer("c1", 0, "my box is down"), reply("z1", 10, "c1", "ZenithHelp"))
    assert _links(session) == {"c1": ("z1", 600)}
    zenith = session.execute(select(Brand.id).where(Brand.slug == "zenith")).scalar()
    assert session.execute(select(Post.brand_id).where(Post.external_id == "c1")).scalar() == (
        zenith
    )


def test_late_and_negative_replies(session):
    _brands(session)
    _store(
        session,
        customer("c1", 0),
        reply("early", -5, "c1"),  # clock skew: ignored
        reply("late", 8 * 24 * 60, "c1"),  # stored; the ranking does not count it
    )
    assert _links(session) == {"c1": ("late", 8 * 86400)}


def test_conversation_id_when_the_replied_post_is_unknown(session):
    _brands(session)
    _store(
        session,
        reply("r1", 15, "missing", conversation_id="c1"),
        customer("c1", 0, conversation_id="c1"),
        one_by_one=True,
    )
    assert _links(session) == {"c1": ("r1", 900)}


def test_reply_list_links_a_reply_without_reply_to(session):
    _brands(session)
    _store(session, reply("r1", 12), customer("c1", 0, reply_ids=("r1",)), one_by_one=True)
    assert _links(session) == {"c1": ("r1", 720)}


def test_linking_twice_changes_nothing(session):
    _brands(session)
    _store(session, customer("c1", 0), reply("r1", 3, "c1"))
    ids = list(session.execute(select(Post.id)).scalars())
    assert link_replies(session, ids) == 0
    assert _links(session) == {"c1": ("r1", 180)}
