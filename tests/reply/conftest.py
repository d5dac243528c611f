"""Right-of-reply fixtures: two brands with customer posts, stored the production way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from carescore.store.brands import BrandSpec, upsert_brands
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts

NOW = datetime.now(UTC).replace(microsecond=0)


def seed(session: Session) -> None:
    """Brands a (with an official account) and b; customer posts of each; one reply."""
    upsert_brands(
        session,
        [
            BrandSpec(slug="acme", name="Acme Telecom", sector="telecom", country="FR",
                      timezone="Europe/Paris", accounts={"x": ["AcmeHelp"]}),
            BrandSpec(slug="bolt", name="Bolt Mobile", sector="telecom", country="FR",
                      timezone="Europe/Paris", accounts={"x": ["BoltHelp"]}),
        ],
    )  # fmt: skip
    start = NOW - timedelta(days=20)
    posts = [
        NewPost("x", "a1", "u1", start, "@AcmeHelp my box has been down for three days, useless",
                brand_slug="acme", url="https://x.com/u1/status/a1"),
        NewPost("x", "a2", "u2", start + timedelta(hours=1),
                "@AcmeHelp thanks, the technician fixed everything, great service",
                brand_slug="acme"),
        NewPost("x", "a3", "u3", start + timedelta(hours=2),
                "@AcmeHelp still no internet since monday, nobody answers", brand_slug="acme"),
        NewPost("x", "b1", "u4", start, "@BoltHelp billing error again, charged twice",
                brand_slug="bolt"),
        NewPost("x", "r1", "AcmeHelp", start + timedelta(hours=5), "@u3 sorry, we are on it",
                author_handle="AcmeHelp", in_reply_to_id="a3", direction="brand"),
    ]  # fmt: skip
    store_posts(session, posts)
    session.commit()


@pytest.fixture
def seeded(session) -> Session:
    seed(session)
    return session
