from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from carescore.store.forget import forget
from carescore.store.models import Post, Removal
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from tests.factories import load_acme

T0 = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


def _thread(session):
    load_acme(session)
    posts = [
        NewPost("x", "100", "cust1", T0, "@AcmeHelp my box is down #fail", author_handle="c1"),
        NewPost(
            "x",
            "101",
            "acme",
            T0 + timedelta(minutes=10),
            "@c1 sorry, DM us",
            author_handle="AcmeHelp",
            in_reply_to_id="100",
        ),
        NewPost(
            "x",
            "102",
            "acme",
            T0 + timedelta(minutes=50),
            "@c1 fixed now",
            author_handle="AcmeHelp",
            in_reply_to_id="100",
        ),
        NewPost("x", "200", "cust1", T0, "@AcmeHelp still waiting", author_handle="c1"),
        NewPost("x", "300", "cust2", T0, "@AcmeHelp thanks!", author_handle="c2"),
    ]
    store_posts(session, posts)
    session.commit()
    return posts


def _count(session, **where):
    query = select(func.count()).select_from(Post)
    for key, value in where.items():
        query = query.where(getattr(Post, key) == value)
    return session.execute(query).scalar()


def test_forgetting_a_reply_relinks_the_next_one(session):
    _thread(session)
    parent = session.execute(select(Post).where(Post.external_id == "100")).scalar_one()
    assert (parent.first_reply_id, parent.first_reply_seconds) == ("101", 600)
    result = forget(session, platform="x", post_id="101")
    session.commit()
    session.expire_all()
    parent = session.execute(select(Post).where(Post.external_id == "100")).scalar_one()
    assert result.posts_removed == 1 and result.relinked == 1
    assert (parent.first_reply_id, parent.first_reply_seconds) == ("102", 3000)


def test_forgotten_author_is_never_stored_again(session):
    posts = _thread(session)
    result = forget(session, platform="x", author_id="cust1", reason="request #12")
    session.commit()
    assert result.posts_removed == 2
    assert _count(session, author_id="cust1") == 0
    again = store_posts(session, posts)
    session.commit()
    assert again.inserted == 0 and again.removed == 2
    assert _count(session, author_id="cust1") == 0
    assert _count(session, author_id="cust2") == 1


def test_forget_is_idempotent(session):
    _thread(session)
    forget(session, platform="x", post_id="300")
    session.commit()
    second = forget(session, platform="x", post_id="300")
    session.commit()
    assert second.posts_removed == 0 and second.tombstones == 0
    assert session.execute(select(func.count()).select_from(Removal)).scalar() == 1
